/** Running a workflow the way n8n runs a manual execution, and stopping it like n8n's "stop execution". */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	ApplicationError,
	Workflow,
	type ExecutionError,
	type ExecutionStatus,
	type IConnections,
	type IDataObject,
	type INodeExecutionData,
	type IRunData,
	type IRunExecutionData,
	type IWorkflowBase,
} from 'n8n-workflow';
import { buildAdditionalData, plainStaticData } from './additionalData';
import { initBinaryData } from './binaryData';
import { HarnessCredentialsHelper } from './credentials';
import { HarnessNodeTypes, toINode } from './nodeTypes';
import { START_NODE_NAME, START_NODE_TYPE, startNodeType } from './startNode';
import type { EngineOptions, HarnessNode } from './types';

export interface RunOptions extends EngineOptions {
	nodes: HarnessNode[];
	/** Defaults to chaining `nodes` in order (main output 0 -> input 0). */
	connections?: IConnections;
	/** Items the built-in start node emits into the first node; binary is stored via the BinaryDataService. */
	input?: INodeExecutionData[] | IDataObject[];
	/** Aborting cancels the execution like n8n's "stop execution". */
	abortSignal?: AbortSignal;
}

export interface RunResult {
	runData: IRunData;
	/** Items a node emitted; throws if the node has no such run (the message carries the execution error). */
	output(nodeName: string, runIndex?: number, outputIndex?: number): INodeExecutionData[];
	error?: ExecutionError;
	status: ExecutionStatus;
	executionId: string;
	/** Workflow static data after the run, plain JSON, to feed into a later run. */
	staticData: IDataObject;
	/** The execution's data as n8n stores it, e.g. a waiting execution's, for `runWebhook` to resume. */
	executionData: IRunExecutionData;
}

function chain(names: string[]): IConnections {
	const connections: IConnections = {};
	for (let i = 0; i < names.length - 1; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

function toItems(input: INodeExecutionData[] | IDataObject[] | undefined): INodeExecutionData[] {
	if (!input) return [{ json: {} }];
	return input.map((item) =>
		typeof item.json === 'object' && item.json !== null
			? (item as INodeExecutionData)
			: { json: item as IDataObject },
	);
}

let executionCounter = 0;

/**
 * Runs `nodes` with `new WorkflowExecute(additionalData, 'manual').run(...)`, the
 * same call n8n makes for a manual execution. A start node is prepended unless one
 * of the nodes is a trigger.
 */
export async function runWorkflow(opts: RunOptions): Promise<RunResult> {
	await initBinaryData(opts.binaryMode ?? 'default');

	const executionId = opts.executionId ?? `harness-${++executionCounter}`;
	const nodeTypes = new HarnessNodeTypes({
		...opts.nodeTypes,
		[START_NODE_TYPE]: startNodeType(toItems(opts.input)),
	});
	const nodes = opts.nodes.map((node, index) => toINode(node, index + 1, opts, nodeTypes));

	const hasTrigger = nodes.some((node) => {
		const { description } = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		return description.group.includes('trigger');
	});
	if (hasTrigger && opts.input) {
		throw new ApplicationError('`input` needs the built-in start node; leave trigger nodes out');
	}
	if (!hasTrigger) {
		nodes.unshift({
			id: 'node-0',
			name: START_NODE_NAME,
			type: START_NODE_TYPE,
			typeVersion: 1,
			position: [-220, 0],
			parameters: {},
		});
	}
	const connections = { ...(opts.connections ?? chain(opts.nodes.map((node) => node.name))) };
	if (!hasTrigger && opts.nodes.length > 0) {
		connections[START_NODE_NAME] ??= {
			main: [[{ node: opts.nodes[0].name, type: 'main', index: 0 }]],
		};
	}

	const workflowData: IWorkflowBase = {
		id: 'harness-workflow',
		name: 'Harness workflow',
		active: false,
		isArchived: false,
		activeVersionId: null,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		staticData: opts.staticData,
		createdAt: new Date(),
		updatedAt: new Date(),
	};
	const workflow = new Workflow({ ...workflowData, nodeTypes });

	const credentialsHelper = new HarnessCredentialsHelper(
		opts.credentialTypes ?? [],
		opts.credentials ?? {},
	);
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
	const additionalData = buildAdditionalData(credentialsHelper, hooks, executionId, {
		workflowId: workflow.id,
		...(opts.webhookWaitingBaseUrl ? { webhookWaitingBaseUrl: opts.webhookWaitingBaseUrl } : {}),
	});

	const execution = new WorkflowExecute(additionalData, 'manual').run({
		workflow,
		startNode: nodes[0],
	});
	// Cancelling the PCancelable is n8n's "stop execution": it aborts the signal nodes
	// see through getExecutionCancelSignal(), and the promise still resolves with
	// status 'canceled' once the running node returns.
	const cancel = () => execution.cancel();
	if (opts.abortSignal?.aborted) cancel();
	opts.abortSignal?.addEventListener('abort', cancel, { once: true });

	try {
		const run = await execution;
		const { runData, error } = run.data.resultData;
		return {
			runData,
			error,
			status: run.status,
			executionId,
			staticData: plainStaticData(workflow),
			executionData: run.data,
			output(nodeName, runIndex = 0, outputIndex = 0) {
				const task = runData[nodeName]?.[runIndex];
				if (!task) {
					const why = error ? `: ${error.message}` : '';
					throw new ApplicationError(
						`Node "${nodeName}" has no run ${runIndex} (status ${run.status}${why})`,
					);
				}
				return task.data?.main?.[outputIndex] ?? [];
			},
		};
	} finally {
		opts.abortSignal?.removeEventListener('abort', cancel);
	}
}

/** `runWorkflow` plus a handle to stop the execution while it runs. */
export function cancellableRun(opts: Omit<RunOptions, 'abortSignal'>): {
	promise: Promise<RunResult>;
	cancel(): void;
} {
	const controller = new AbortController();
	return {
		promise: runWorkflow({ ...opts, abortSignal: controller.signal }),
		cancel: () => controller.abort(),
	};
}
