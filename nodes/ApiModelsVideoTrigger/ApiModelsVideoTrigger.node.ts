import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { modelCatalogue } from '../shared/models';
import { nothingToRegister } from '../shared/callbacks';
import { CREDENTIAL_TYPE } from '../shared/constants';
import { downloadOptionFields, optionsActingWhen } from '../shared/descriptions';
import { receiveCallback } from './receive';

export class ApiModelsVideoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'APIModels Video Trigger',
		name: 'apiModelsVideoTrigger',
		icon: { light: 'file:apimodels.svg', dark: 'file:apimodels.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["events"].join(", ") }}',
		description: 'Starts the workflow when an APIModels video task completes or fails',
		defaults: { name: 'APIModels Video Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: CREDENTIAL_TYPE,
				required: true,
				displayOptions: { show: { verify: [true] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'callback',
			},
		],
		properties: [
			{
				displayName:
					'Paste this node\'s Production URL into the Callback URL option of APIModels Video → Create Video (usually in another workflow), then publish this workflow. With a Secret Token, append ?token=YOUR_TOKEN to that URL.',
				name: 'usageNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Verify with the API',
				name: 'verify',
				type: 'boolean',
				default: true,
				description:
					'Whether to ask the API for the task before starting the workflow and output what the API says. Callbacks carry no signature: without this, anyone who knows the URL can start the workflow with any content.',
			},
			{
				displayName: 'Secret Token',
				name: 'secretToken',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'If set, a callback must carry it as the token query parameter (or X-APIModels-Token header) of the callback URL',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{ name: 'Completed', value: 'completed' },
					{ name: 'Failed', value: 'failed' },
				],
				default: ['completed', 'failed'],
				description: 'Which task endings start the workflow',
			},
			{
				displayName: 'Models',
				name: 'models',
				type: 'multiOptions',
				options: modelCatalogue.map((model) => ({ name: model.displayName, value: model.id })),
				default: [],
				description: 'Only tasks of these models start the workflow; none selected means every model',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: { verify: [true] } },
				options: optionsActingWhen(downloadOptionFields),
			},
		],
	};

	// n8n asks webhook triggers for this lifecycle; the API has nothing to register (see nothingToRegister).
	webhookMethods = nothingToRegister;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveCallback.call(this);
	}
}
