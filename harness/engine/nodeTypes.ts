/**
 * The node-type registry n8n's server keeps (packages/cli's NodeTypes), in small form, and the
 * turning of a test's `HarnessNode` into the `INode` the engine runs.
 */
import { type ExecuteContext, RoutingNode } from 'n8n-core';
import {
	ApplicationError,
	NodeHelpers,
	type IDataObject,
	type INode,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IVersionedNodeType,
} from 'n8n-workflow';
import type { EngineOptions, HarnessNode } from './types';

/**
 * Same rule as n8n's server (packages/cli `shouldAssignExecuteMethod`): a declarative
 * node gets an `execute` that runs RoutingNode with the real ExecuteContext. Going
 * through `execute` (rather than WorkflowExecute's test-only fallback) is what gives
 * routing requests the execution's cancel signal.
 */
function isDeclarative(nodeType: INodeType): boolean {
	const declarative = nodeType.description.requestDefaults !== undefined;
	return (
		!nodeType.execute &&
		!nodeType.supplyData &&
		!nodeType.poll &&
		!nodeType.trigger &&
		(!nodeType.webhook || declarative) &&
		(!nodeType.methods || declarative)
	);
}

export class HarnessNodeTypes implements INodeTypes {
	// Wrappers are cached so the engine sees one stable object per node type, and the
	// caller's node instances are never mutated.
	private readonly routed = new WeakMap<INodeType, INodeType>();

	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(type: string): INodeType | IVersionedNodeType {
		const nodeType = this.types[type];
		if (!nodeType) throw new ApplicationError(`Unknown node type "${type}" (pass it in nodeTypes)`);
		return nodeType;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		const nodeType = NodeHelpers.getVersionedNodeType(this.getByName(type), version);
		if (!isDeclarative(nodeType)) return nodeType;
		let wrapped = this.routed.get(nodeType);
		if (!wrapped) {
			wrapped = Object.create(nodeType, {
				execute: {
					value: async function (this: ExecuteContext) {
						return (await new RoutingNode(this, nodeType).runNode()) ?? [];
					},
				},
			}) as INodeType;
			this.routed.set(nodeType, wrapped);
		}
		return wrapped;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

export function toINode(node: HarnessNode, index: number, opts: EngineOptions, nodeTypes: INodeTypes): INode {
	const { position, typeVersion, credentials, ...rest } = node;
	const nodeType = NodeHelpers.getVersionedNodeType(nodeTypes.getByName(node.type), typeVersion);
	const declared = (nodeType.description.credentials ?? [])
		.map(({ name }) => name)
		.filter((name) => opts.credentials?.[name] !== undefined);
	return {
		...rest,
		id: `node-${index}`,
		typeVersion: typeVersion ?? latestVersion(nodeType),
		position: position ?? [index * 220, 0],
		parameters: node.parameters as INodeParameters,
		credentials:
			credentials ?? Object.fromEntries(declared.map((name) => [name, { id: name, name }])),
	};
}

function latestVersion(nodeType: INodeType): number {
	const { version } = nodeType.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}
