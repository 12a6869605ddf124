import type {
	IHookFunctions,
	INodeProperties,
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
import { refuseWithoutSecret } from './token';
import { receiveCallback } from './receive';
import { V1_VERIFY, VERIFY } from './versions';

const V1 = { '@version': [1] };
const V2 = { '@version': [{ _cnd: { gte: 2 } }] };

const VERIFY_DESCRIPTION =
	'Whether to ask the API for the task before starting the workflow and output what the API says. Callbacks carry no signature: without this, any request that Security lets through starts the workflow with whatever it claims.';

const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Keeps the Secret Token in the workflow, readable in every export: add a new APIModels Callback Trigger instead, set a Callback Secret in its APIModels credential and remove ?token=… from Create Video\'s Callback URL (Create Video adds the token itself).',
		name: 'upgradeNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: V1 },
	},
	{
		displayName:
			'Paste this node\'s Production URL into the Callback URL option of APIModels Video → Create Video (usually in another workflow), with ?token=YOUR_TOKEN appended, then publish this workflow.',
		name: 'usageNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: V1 },
	},
	{
		displayName:
			'Paste this node\'s Production URL into the Callback URL option of APIModels Video → Create Video (usually in another workflow) using the same APIModels credential, then publish this workflow. Create Video adds the token derived from the credential\'s Callback Secret by itself.',
		name: 'usageNoticeV2',
		type: 'notice',
		default: '',
		displayOptions: { show: V2 },
	},
	{
		displayName: 'Verify with the API',
		name: V1_VERIFY,
		type: 'boolean',
		default: true,
		description: VERIFY_DESCRIPTION,
		displayOptions: { show: V1 },
	},
	{
		displayName: 'Verify with the API',
		name: VERIFY,
		type: 'boolean',
		default: true,
		description: VERIFY_DESCRIPTION,
		displayOptions: { show: V2 },
	},
	{
		displayName: 'Security',
		name: 'security',
		type: 'options',
		options: [
			{
				name: 'Secret Token in the URL',
				value: 'token',
				description: 'Only callbacks whose URL carries the Secret Token start the workflow',
			},
			{
				name: 'None',
				value: 'none',
				description:
					'Anyone who knows the URL can call it: with Verify on, a call naming a new task costs a request to the API and only tasks the API confirms start the workflow; with Verify off, any content does',
			},
		],
		default: 'token',
		displayOptions: { show: V1 },
	},
	{
		displayName: 'Security',
		name: 'security',
		type: 'options',
		options: [
			{
				name: 'Callback Secret From the Credential',
				value: 'token',
				description:
					'Only callbacks carrying the token derived from the APIModels credential\'s Callback Secret start the workflow; others are refused before anything else runs',
			},
			{
				name: 'None',
				value: 'none',
				description:
					'Anyone who knows the URL can call it: with Verify on, a call naming a new task costs a request to the API and only tasks the API confirms start the workflow; with Verify off, any content does',
			},
		],
		default: 'token',
		displayOptions: { show: V2 },
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
		displayOptions: { show: { ...V1, security: ['token'] } },
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
		// Either version's switch off hides them: the other version's is absent, which hides nothing.
		displayOptions: { hide: { [V1_VERIFY]: [false], [VERIFY]: [false] } },
		options: optionsActingWhen(downloadOptionFields),
	},
];

export class ApiModelsCallbackTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'APIModels Callback Trigger',
		name: 'apiModelsCallbackTrigger',
		icon: { light: 'file:apimodels.svg', dark: 'file:apimodels.dark.svg' },
		group: ['trigger'],
		// 2: the token comes from the credential, and n8n parses the body without evaluating an expression.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ $parameter["events"].join(", ") }}',
		description: 'Starts the workflow when an APIModels video task completes or fails',
		defaults: { name: 'APIModels Callback Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: CREDENTIAL_TYPE,
				required: true,
				// typeVersion 1 uses it only to verify; 2 always has it, for the Callback Secret too.
				displayOptions: { hide: { [V1_VERIFY]: [false] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// Empty, so n8n answers a started workflow with webhook()'s webhookResponse; unset, it
				// would send its default, the text "firstEntryJson".
				responseData: '',
				path: 'callback',
			},
		],
		properties: triggerProperties,
	};

	// The API has nothing to register (see nothingToRegister); publishing checks a token is set.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await refuseWithoutSecret.call(this);
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
