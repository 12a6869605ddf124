import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { nothingToRegister } from '../shared/callbacks';
import { CREDENTIAL_TYPE } from '../shared/constants';
import { createVideos } from './resources/video/create.operation';
import { getStatus } from './resources/video/getStatus.operation';
import { listModels } from './resources/video/listModels';
import { parkWebhook, resumeOnCallback } from './resources/video/park';
import { resourceProperty, videoProperties, videoSubtitle } from './resources/video';
import { agentError, isToolCall, simplifyOutput, startToolCall } from './resources/video/tool';
import { waitForCompletion } from './resources/video/waitForCompletion.operation';

const operations: Record<string, (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>> = {
	create: createVideos,
	getStatus,
	waitForCompletion,
};

/**
 * The three operations are code behind `execute()`: they validate a whole batch before paying,
 * upload binary inputs, retry by whether a request may charge, poll many tasks on one schedule
 * and stream downloads. They are not `customOperations`: n8n's AI tool path (AI Agent, MCP Server
 * Trigger) calls `execute()` directly, and for a node without one it generates a routing-only
 * `execute()` that ignores `customOperations`. Every API request, the list of the API's models for
 * Other Model included, goes through the shared transport (nodes/shared/transport.ts).
 * Called as a tool (resources/video/tool.ts), errors are phrased for the agent that called it.
 */
export class ApiModelsVideo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'APIModels Video',
		name: 'apiModelsVideo',
		icon: { light: 'file:apimodels.svg', dark: 'file:apimodels.dark.svg' },
		group: ['transform'],
		version: 1,
		// Built from the catalogue. n8n's missing-subtitle lint rule reads only a literal subtitle and
		// literal properties, so the Resource property lives beside the operations it selects.
		subtitle: videoSubtitle(),
		description: 'Generate videos with Grok Video 3, VEO 3.1 and Kling Motion Control through apimodels.app',
		defaults: { name: 'APIModels Video' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		// Park Execution: the tasks' callbacks resume the waiting execution through this webhook.
		webhooks: [parkWebhook],
		properties: [resourceProperty, ...videoProperties],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const run = operations[operation];
		if (!run) {
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
		}
		if (!isToolCall(this)) return simplifyOutput(this, await run.call(this));
		startToolCall(this);
		// An agent gets errors that say what became of the video and what to do next.
		try {
			return simplifyOutput(this, await run.call(this));
		} catch (error) {
			throw agentError(this, operation as 'create', error);
		}
	}

	methods = { loadOptions: { listModels } };

	// Park Execution's resume webhook registers nothing with the API (see nothingToRegister).
	webhookMethods = nothingToRegister;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeOnCallback.call(this);
	}
}
