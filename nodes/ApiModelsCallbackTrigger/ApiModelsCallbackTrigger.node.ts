import type {
	IHookFunctions,
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
import { refuseWithoutToken } from './callback';
import { receiveCallback } from './receive';

export class ApiModelsCallbackTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'APIModels Callback Trigger',
		name: 'apiModelsCallbackTrigger',
		icon: { light: 'file:apimodels.svg', dark: 'file:apimodels.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["events"].join(", ") }}',
		description: 'Starts the workflow when an APIModels video task completes or fails',
		defaults: { name: 'APIModels Callback Trigger' },
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
					'Paste this node\'s Production URL into the Callback URL option of APIModels Video → Create Video (usually in another workflow), with ?token=YOUR_TOKEN appended, then publish this workflow.',
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
				displayName: 'Security',
				name: 'security',
				type: 'options',
				options: [
					{
						name: 'Secret Token in the URL',
						value: 'token',
						description: 'Only callbacks whose URL carries the token start the workflow',
					},
					{
						name: 'None',
						value: 'none',
						description: 'Anyone who knows the URL can call it; each call costs a check with the API',
					},
				],
				default: 'token',
			},
			{
				displayName: 'Secret Token',
				name: 'secretToken',
				type: 'string',
				typeOptions: { password: true },
				required: true,
				default: '',
				placeholder: 'e.g. a long random string',
				description:
					'A callback must carry it as the token query parameter (or X-APIModels-Token header): append ?token=YOUR_TOKEN to the Production URL',
				displayOptions: { show: { security: ['token'] } },
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

	// The API has nothing to register (see nothingToRegister); publishing checks the token is set.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await refuseWithoutToken.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await nothingToRegister.default.create.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await nothingToRegister.default.delete.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveCallback.call(this);
	}
}
