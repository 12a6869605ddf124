/**
 * Helpers for the APIModels Callback Trigger tests: tasks created through Create Video, the callback
 * body the vendor would POST for one, and the trigger's webhook() called with it through n8n-core's
 * WebhookContext.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';
import { modelCatalogue } from '../../nodes/shared/models';
import type { Spelling } from '../../emulator/options';
import type { Emulator } from '../../emulator/server';
import { taskData } from '../../emulator/spellings';
import type { EmulatorTask, TaskStatus } from '../../emulator/tasks';
import { runWebhook, runWebhookMethod, type BinaryMode, type WebhookRequest, type WebhookResult } from '../../harness/engine';
import { credentialsFor, credentialTypes, nodeTypes, outputOf, runVideo, TRIGGER_TYPE } from '../support/fixtures';

export const TRIGGER_NODE = 'APIModels Callback Trigger';

/** Markers that make the emulator end a task as soon as it is created. */
export const INSTANT = '[pendingMs=0][processingMs=0]';

export interface TaskOptions {
	/** A catalogue model id, or any other id (chosen as Other, with its Custom Model). */
	model?: string;
	/** Further Create Video parameters. */
	parameters?: IDataObject;
}

export interface EndedTaskOptions extends TaskOptions {
	/** The task fails instead of completing. */
	fail?: boolean;
}

export interface CallbackOptions {
	/** The state the callback claims; the task's own outcome unless given. */
	status?: TaskStatus;
	spelling?: Spelling;
	/** `{code, msg, data}` (the default), or the bare `data`. */
	wrapped?: boolean;
	/** Fields to set in `data`, e.g. another video URL. */
	patch?: IDataObject;
}

export interface PostOptions {
	parameters?: IDataObject;
	/** The workflow static data n8n loads before the call (a copy, as n8n loads it from its database). */
	staticData?: IDataObject;
	/** Another instance of the node type, e.g. one loaded fresh to stand for a restarted n8n. */
	trigger?: INodeType;
	binaryMode?: BinaryMode;
	/** The request beside its body: query, headers, method. */
	request?: Omit<WebhookRequest, 'body'>;
	/** false: no APIModels credential at all. */
	credentials?: boolean;
	/**
	 * The credential's Callback Secret. Without one (and, at typeVersion 1, without a Secret Token
	 * parameter) the trigger runs with Security: None.
	 */
	secret?: string;
	/** The trigger's typeVersion; the newest unless given. */
	typeVersion?: number;
	/** The credential's id, by which the trigger remembers its secret; one per secret unless given. */
	credentialId?: string;
}

/** The helpers, for the suite's emulator (`useEmulator()`'s accessor). */
export function triggerFixtures(emulator: () => Emulator) {
	/** Creates a task through Create Video (n8n's engine) and returns the emulator's record of it. */
	async function createTask(prompt: string, { model = 'grok-video-3', parameters = {} }: TaskOptions = {}): Promise<EmulatorTask> {
		const catalogued = modelCatalogue.some((entry) => entry.id === model);
		const picked = catalogued ? { model } : { model: 'other', customModel: model, aspectRatio: '' };
		const [item] = outputOf(await runVideo(emulator(), { operation: 'create', ...picked, prompt, ...parameters }));
		const task = emulator().tasks().find((candidate) => candidate.id === item.json.taskId);
		if (!task) throw new Error('the emulator has no such task');
		return task;
	}

	/** A task that has already ended: completed, or failed with `fail`. */
	async function endedTask({ fail = false, ...options }: EndedTaskOptions = {}): Promise<EmulatorTask> {
		return await createTask(`A cat playing piano ${INSTANT}${fail ? ' [fail]' : ''}`, options);
	}

	/** What the vendor would POST for this task: the query answer's data, wrapped or bare. */
	function callbackFor(task: EmulatorTask, { status = task.outcome, spelling = 'seed', wrapped = true, patch = {} }: CallbackOptions = {}) {
		const data = { ...taskData(task, status, spelling, emulator().videoUrl(task.id)), ...patch };
		return wrapped ? { code: 200, msg: 'success', data } : data;
	}

	/** The trigger as a workflow holds it, with the credential (and Callback Secret) the options give. */
	function triggerSetup({ parameters = {}, trigger, credentials = true, secret, typeVersion, credentialId = `secret-${secret}` }: PostOptions) {
		const secured = secret !== undefined || parameters.secretToken !== undefined;
		return {
			nodeTypes: trigger ? { ...nodeTypes, [TRIGGER_TYPE]: trigger } : nodeTypes,
			credentialTypes,
			credentials: credentials ? credentialsFor(emulator(), undefined, secret) : undefined,
			node: {
				name: TRIGGER_NODE,
				type: TRIGGER_TYPE,
				typeVersion,
				parameters: secured ? parameters : { security: 'none', ...parameters },
				...(secret !== undefined && { credentials: { apiModelsApi: { id: credentialId, name: 'APIModels' } } }),
			},
		};
	}

	/** Hands a callback with this body to the trigger's webhook(). */
	async function post(body: unknown, options: PostOptions = {}): Promise<WebhookResult> {
		const { staticData, binaryMode, request = {} } = options;
		return await runWebhook({
			...triggerSetup(options),
			request: { ...request, body },
			// A copy: the harness's Workflow would otherwise write into the caller's object.
			staticData: staticData && structuredClone(staticData),
			binaryMode,
		});
	}

	/** What n8n's publishing asks of the trigger (its checkExists): true, or the error it throws. */
	async function publish(options: PostOptions = {}): Promise<boolean> {
		return await runWebhookMethod({ ...triggerSetup(options), method: 'checkExists' });
	}

	return { createTask, endedTask, callbackFor, post, publish };
}

/** The items a call started the workflow with. */
export function started(result: WebhookResult): IDataObject[] {
	return (result.workflowData ?? []).flat().map((item) => item.json);
}

/** The deliveries (`taskId:status`) the trigger remembers in the workflow static data. */
export function deliveriesIn(staticData: IDataObject): string[] {
	return ((staticData[`node:${TRIGGER_NODE}`] as IDataObject | undefined)?.deliveries as string[]) ?? [];
}
