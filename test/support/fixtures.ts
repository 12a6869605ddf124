import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import type { Emulator } from '../../emulator/server';
import { startEmulator } from '../../emulator/server';
import type { EmulatorOptions } from '../../emulator/options';
import type { HarnessNode, RunOptions, RunResult } from '../../harness/engine';
import { runWorkflow } from '../../harness/engine';
import { credentialsFor, credentialTypes, nodeTypes, VIDEO_NODE, videoNode } from '../../harness/nodes';
import { waitFor } from './timing';

export { credentialsFor, credentialTypes, nodeTypes, TRIGGER_TYPE, VIDEO_NODE, VIDEO_TYPE, videoNode } from '../../harness/nodes';

/** Starts an emulator before the suite's tests and closes it after them. */
export function useEmulator(options: EmulatorOptions = {}): () => Emulator {
	let emulator: Emulator | undefined;
	beforeAll(async () => {
		emulator = await startEmulator({ pendingMs: 50, processingMs: 100, ...options });
	});
	afterAll(async () => await emulator?.close());
	beforeEach(() => emulator?.reset());
	return () => emulator as Emulator;
}

export interface RunVideoOptions extends Partial<Omit<RunOptions, 'nodes'>> {
	node?: Partial<HarnessNode>;
	apiKey?: string;
	/** The credential's Callback Secret. */
	callbackSecret?: string;
}

/** Runs the APIModels Video node once over `input` items, through n8n's engine, against the emulator. */
export async function runVideo(
	emulator: Emulator,
	parameters: IDataObject,
	input: Array<IDataObject | INodeExecutionData> = [{}],
	options: RunVideoOptions = {},
): Promise<RunResult> {
	const { node, apiKey, callbackSecret, ...rest } = options;
	return await runWorkflow({
		nodeTypes,
		credentialTypes,
		credentials: credentialsFor(emulator, apiKey, callbackSecret),
		input,
		...rest,
		nodes: [videoNode(parameters, node)],
	});
}

/** The node's output items, or the engine's error when the node failed. */
export function outputOf(result: RunResult): INodeExecutionData[] {
	return result.output(VIDEO_NODE);
}

export function errorOf(result: RunResult): string {
	expect(result.error).toBeDefined();
	return String(result.error?.message);
}

export const grok = (prompt = 'A cat playing piano', extra: IDataObject = {}) => ({
	operation: 'create',
	model: 'grok-video-3',
	prompt,
	...extra,
});

export { OUTPUT_FIELDS } from './contract';

/** The body the emulator received for the newest task. */
export function lastBody(emulator: Emulator): IDataObject {
	const tasks = emulator.tasks();
	return tasks[tasks.length - 1].body as IDataObject;
}

/** Creates tasks straight at the API; a prompt can steer its task: `[pendingMs=N]`, `[processingMs=N]`, `[fail]`. */
/**
 * How the emulator's answers to a task's video downloads ended, once every one has: 'aborted' is
 * a download the node gave up mid-answer (a timeout or a size limit), not one it read to the end.
 */
export async function videoAnswers(api: Emulator, taskId: string): Promise<string[]> {
	const downloads = () => api.stats().log.filter((entry) => entry.route === 'video' && entry.path.includes(taskId));
	await waitFor(() => downloads().length > 0 && api.stats().inFlight.video === 0, 10_000);
	return downloads().map((entry) => entry.status);
}

export async function createTasks(api: Emulator, prompts: string[]): Promise<string[]> {
	return await Promise.all(
		prompts.map(async (prompt) => {
			const response = await fetch(`${api.url}/api/v1/video/generations`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${api.apiKey}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ model: 'grok-video-3', prompt }),
			});
			const { data } = (await response.json()) as { data: IDataObject };
			return String(data.task_id ?? data.taskId);
		}),
	);
}
