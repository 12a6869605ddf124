import type {
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { modelCatalogue } from '../ApiModelsVideo/models';
import { downloadOptionFields } from '../ApiModelsVideo/resources/video/waitOptions.description';
import { CREDENTIAL_TYPE } from '../shared/constants';
import { downloadVideos } from '../shared/media';
import { normalizeTask, TASK_STATUSES } from '../shared/task';
import { readCallback, secretProblem } from './callback';
import { claimDelivery, settleDelivery } from './deliveries';
import { verifyTask } from './verification';

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
					'Paste this node\'s Production URL into the Callback URL option of APIModels Video → Create Video (usually in another workflow), then activate this workflow. With a Secret Token, append ?token=YOUR_TOKEN to that URL.',
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
				options: downloadOptionFields(),
			},
		],
	};

	// The API takes a callback URL per task, so there is nothing to register with it.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const response = this.getResponseObject();
		const refuse = (status: number, message: string): IWebhookResponseData => {
			response.status(status).json({ received: false, message });
			return { noWebhookResponse: true };
		};

		const secret = secretProblem(this);
		if (secret) return refuse(secret.status, secret.message);
		const callback = readCallback(this.getBodyData());
		if ('problem' in callback) return refuse(400, callback.problem);

		const workflowKey = `${this.getWorkflow().id ?? ''}:${this.getNode().id}`;
		const staticData = this.getWorkflowStaticData('node');
		const claim = claimDelivery(workflowKey, staticData, callback.taskId, callback.status);
		if (claim === 'done') {
			response.status(200).json({ received: true, duplicate: true });
			return { noWebhookResponse: true };
		}
		// Another copy is being verified; a non-2xx makes the vendor send this one again later.
		if (claim === 'inFlight') return refuse(409, 'This callback is already being processed');
		// The vendor gives each attempt 10 s: answer now, verify and download afterwards.
		response.status(200).json({ received: true });

		const verify = this.getNodeParameter('verify', true) as boolean;
		const task = verify
			? await verifyTask(this, callback)
			: normalizeTask(callback.data, { taskId: callback.taskId });
		const events = this.getNodeParameter('events', [...TASK_STATUSES]) as string[];
		const models = this.getNodeParameter('models', []) as string[];
		const wanted =
			task !== undefined &&
			events.includes(task.status) &&
			(models.length === 0 || (task.model !== null && models.includes(task.model)));
		settleDelivery(workflowKey, staticData, callback.taskId, callback.status, task !== undefined);
		if (!wanted) return { noWebhookResponse: true };

		const item: INodeExecutionData = { json: task };
		const options = this.getNodeParameter('options', {}) as IDataObject;
		if (verify && options.downloadVideo && task.status === 'completed') {
			try {
				await downloadVideos(this, item, task, {
					binaryProperty: String(options.binaryProperty || 'data'),
					timeoutMs: Number(options.downloadTimeoutSeconds ?? 600) * 1000,
				});
			} catch (error) {
				// The vendor will not call again: start the workflow with the URLs and the reason.
				item.json = { ...task, downloadError: (error as Error).message };
			}
		}
		return { noWebhookResponse: true, workflowData: [[item]] };
	}
}
