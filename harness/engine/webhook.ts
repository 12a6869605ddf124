/** Calling a trigger node's webhook the way n8n's webhook server does. */
import { HookContext, WebhookContext } from 'n8n-core';
import {
	ApplicationError,
	Workflow,
	type IDataObject,
	type IRunExecutionData,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type INode,
	type INodeType,
} from 'n8n-workflow';
import { buildAdditionalData, plainStaticData } from './additionalData';
import { initBinaryData } from './binaryData';
import { HarnessCredentialsHelper } from './credentials';
import { fakeRequest, recordingResponse, type RecordedResponse, type WebhookRequest } from './express';
import { HarnessNodeTypes, toINode } from './nodeTypes';
import type { EngineOptions, HarnessNode } from './types';

export interface WebhookOptions extends EngineOptions {
	node: HarnessNode;
	request: WebhookRequest;
	/** Which of the node's `description.webhooks` to call; defaults to 'default'. */
	webhookName?: string;
	/** A waiting execution's data: the call is to its resume URL, as n8n's WaitingWebhooks makes it. */
	runExecutionData?: IRunExecutionData;
	/** Told each time the node writes its answer, as n8n sends it then (the node may run on after). */
	onAnswer?: (response: RecordedResponse) => void;
}

export interface WebhookResult extends IWebhookResponseData {
	/** What the node wrote to the express Response it got from `getResponseObject()`. */
	response: RecordedResponse;
	staticData: IDataObject;
}

/** A trigger node, its type and its published workflow, as n8n builds them for a webhook. */
function published(opts: EngineOptions & { node: HarnessNode }): { node: INode & { webhookId: string }; nodeType: INodeType; workflow: Workflow } {
	const nodeTypes = new HarnessNodeTypes(opts.nodeTypes);
	const built = toINode(opts.node, 0, opts, nodeTypes);
	const node = { ...built, webhookId: built.webhookId ?? 'harness-webhook' };
	const workflow = new Workflow({
		id: 'harness-workflow',
		name: 'Harness workflow',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
		staticData: opts.staticData,
		settings: { executionOrder: 'v1' },
	});
	return { node, nodeType: nodeTypes.getByNameAndVersion(node.type, node.typeVersion), workflow };
}

/**
 * Calls one of a trigger's `webhookMethods` (checkExists, create, delete) the way n8n does when it
 * publishes or unpublishes the workflow: through n8n-core's HookContext in 'trigger' mode.
 */
export async function runWebhookMethod(
	opts: EngineOptions & { node: HarnessNode; method: 'checkExists' | 'create' | 'delete' },
): Promise<boolean> {
	const { node, nodeType, workflow } = published(opts);
	const method = nodeType.webhookMethods?.default?.[opts.method];
	if (!method) throw new ApplicationError(`Node type "${node.type}" has no ${opts.method} webhook method`);
	const credentials = new HarnessCredentialsHelper(opts.credentialTypes ?? [], opts.credentials ?? {});
	const additionalData = buildAdditionalData(credentials, undefined, opts.executionId, { workflowId: workflow.id });
	return await method.call(new HookContext(workflow, node, additionalData, 'trigger', 'activate'));
}

/**
 * Calls a trigger node's `webhook()` the way n8n's WebhookService does: through
 * n8n-core's WebhookContext in 'webhook' mode, with the request and response in
 * additionalData. Returns the node's answer (`workflowData`, `noWebhookResponse`,
 * ...) plus what it wrote to the response and the resulting static data.
 */
export async function runWebhook(opts: WebhookOptions): Promise<WebhookResult> {
	await initBinaryData(opts.binaryMode ?? 'default');

	const { node, nodeType, workflow } = published(opts);
	if (!nodeType.webhook) throw new ApplicationError(`Node type "${node.type}" has no webhook method`);

	const webhookName = opts.webhookName ?? 'default';
	const webhookDescription = nodeType.description.webhooks?.find(
		(webhook) => webhook.name === webhookName,
	);
	if (!webhookDescription) {
		throw new ApplicationError(`Node type "${node.type}" has no "${webhookName}" webhook`);
	}

	const response: RecordedResponse = { statusCode: 200, headers: {}, body: undefined, ended: false };
	const additionalData = buildAdditionalData(
		new HarnessCredentialsHelper(opts.credentialTypes ?? [], opts.credentials ?? {}),
		undefined,
		opts.executionId,
		{
			workflowId: workflow.id,
			httpRequest: fakeRequest(opts.request) as unknown as IWorkflowExecuteAdditionalData['httpRequest'],
			httpResponse: recordingResponse(response, opts.onAnswer) as unknown as IWorkflowExecuteAdditionalData['httpResponse'],
		},
	);
	const webhookData: IWebhookData = {
		httpMethod: (opts.request.method ?? 'POST').toUpperCase() as IWebhookData['httpMethod'],
		node: node.name,
		path: node.webhookId,
		webhookDescription,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
	};

	const closeFunctions: Array<() => Promise<void>> = [];
	const context = new WebhookContext(
		workflow,
		node,
		additionalData,
		'webhook',
		webhookData,
		closeFunctions,
		opts.runExecutionData ?? null,
	);
	try {
		const result = await nodeType.webhook.call(context);
		return { ...result, response, staticData: plainStaticData(workflow) };
	} finally {
		await Promise.allSettled(closeFunctions.map(async (close) => await close()));
	}
}
