import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { CREDENTIAL_TYPE } from '../shared/constants';
import { createVideos } from './resources/video/create.operation';
import { getStatus } from './resources/video/getStatus.operation';
import { videoProperties } from './resources/video';
import { waitForCompletion } from './resources/video/waitForCompletion.operation';

/**
 * Declarative node: `requestDefaults` and `routing` serve the parts that are single requests
 * (the model list). The operations need retries, polling loops, uploads and streamed
 * downloads, so they are `customOperations` of the same node.
 */
export class ApiModelsVideo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'APIModels Video',
		name: 'apiModelsVideo',
		icon: { light: 'file:apimodels.svg', dark: 'file:apimodels.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ $parameter["operation"] === "create" ? "Create: " + ($parameter["model"] === "other" ? $parameter["customModel"] : $parameter["model"]) : { getStatus: "Get Status", waitForCompletion: "Wait for Completion" }[$parameter["operation"]] }}',
		description: 'Generate videos with Grok Video 3, VEO 3.1 and Kling Motion Control through apimodels.app',
		defaults: { name: 'APIModels Video' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		requestDefaults: {
			baseURL: '={{ $credentials.baseUrl.replace(/\\/+$/, "") }}',
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
		},
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Video', value: 'video' }],
				default: 'video',
			},
			...videoProperties,
		],
	};

	customOperations = {
		video: {
			create: createVideos,
			getStatus,
			waitForCompletion,
		},
	};
}
