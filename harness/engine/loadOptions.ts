/** A node's list of options in the editor, run the way n8n's DynamicNodeParametersService runs it. */
import { LoadOptionsContext } from 'n8n-core';
import { Workflow, type ILoadOptionsFunctions, type INodePropertyOptions } from 'n8n-workflow';
import { buildAdditionalData } from './additionalData';
import { HarnessCredentialsHelper } from './credentials';
import { HarnessNodeTypes, toINode } from './nodeTypes';
import type { EngineOptions, HarnessNode } from './types';

/**
 * Calls `methods.loadOptions[method]` of `node`'s type on a one-node workflow, through n8n-core's
 * LoadOptionsContext with the given credentials, as the editor's "load options" request does.
 */
export async function loadOptions(
	opts: EngineOptions & { node: HarnessNode; method: string },
): Promise<INodePropertyOptions[]> {
	const nodeTypes = new HarnessNodeTypes(opts.nodeTypes);
	const node = toINode(opts.node, 0, opts, nodeTypes);
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const method = nodeType.methods?.loadOptions?.[opts.method];
	if (!method) throw new Error(`Node type "${node.type}" has no loadOptions method "${opts.method}"`);
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = buildAdditionalData(
		new HarnessCredentialsHelper(opts.credentialTypes ?? [], opts.credentials ?? {}),
		undefined,
		undefined,
	);
	const context = new LoadOptionsContext(workflow, node, additionalData, `parameters.${opts.method}`);
	return await method.call(context as ILoadOptionsFunctions);
}
