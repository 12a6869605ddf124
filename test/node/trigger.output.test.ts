/**
 * APIModels Video Trigger output: one item on the one output, in the contract every operation
 * shares (taskId, status, model, videoUrls, videoUrl, error, createdAt, completedAt,
 * estimatedCostUsd, response), whichever spelling the API answers in.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { modelCatalogue } from '../../nodes/ApiModelsVideo/models';
import { runWebhook, type WebhookResult } from '../engine/harness';
import type { Spelling } from '../emulator/options';
import { taskData } from '../emulator/spellings';
import type { EmulatorTask } from '../emulator/tasks';
import { credentialsFor, credentialTypes, nodeTypes, OUTPUT_FIELDS, outputOf, runVideo, TRIGGER_TYPE, useEmulator } from './fixtures';

const emulator = useEmulator();

async function endedTask(parameters: IDataObject, fail = false): Promise<EmulatorTask> {
	const prompt = `Autumn leaves${fail ? ' [fail]' : ''}`;
	const [item] = outputOf(await runVideo(emulator(), { operation: 'create', prompt, ...parameters }));
	return emulator().tasks().find((task) => task.id === item.json.taskId) as EmulatorTask;
}

async function deliver(task: EmulatorTask, parameters: IDataObject = {}): Promise<WebhookResult> {
	return await runWebhook({
		nodeTypes,
		credentialTypes,
		credentials: credentialsFor(emulator()),
		node: { name: 'APIModels Video Trigger', type: TRIGGER_TYPE, parameters },
		request: { body: { code: 200, msg: 'success', data: taskData(task, task.outcome, 'seed', emulator().videoUrl(task.id)) } },
	});
}

function onlyItem(result: WebhookResult): INodeExecutionData {
	expect(result.workflowData).toHaveLength(1);
	expect(result.workflowData?.[0]).toHaveLength(1);
	return result.workflowData?.[0]?.[0] ?? { json: {} as IDataObject };
}

describe.each<Spelling>(['seed', 'live'])('APIModels Video Trigger output, API answering in %s spelling', (spelling) => {
	// Tasks end as soon as they are created.
	beforeEach(() => emulator().setOptions({ spelling, pendingMs: 0, processingMs: 0 }));

	it.each(modelCatalogue.map((model) => model.id))('a completed %s task', async (modelId) => {
		const parameters =
			modelId === 'kling-motion-control'
				? {
						model: modelId,
						mediaSource: 'url',
						characterImagesUrl: 'https://cdn.example.com/hero.png',
						motionVideosUrl: 'https://cdn.example.com/dance.mp4',
					}
				: { model: modelId };
		const task = await endedTask(parameters);
		const item = onlyItem(await deliver(task));
		const url = emulator().videoUrl(task.id);
		expect(Object.keys(item.json).sort()).toEqual([...OUTPUT_FIELDS].sort());
		expect(item.json).toEqual({
			taskId: task.id,
			status: 'completed',
			model: modelId,
			videoUrls: [url],
			videoUrl: url,
			error: null,
			createdAt: new Date(task.createdAt).toISOString(),
			completedAt: new Date(task.finishedAt).toISOString(),
			estimatedCostUsd: modelCatalogue.find((model) => model.id === modelId)?.priceUsd,
			response: taskData(task, 'completed', spelling, url),
		});
		expect(item.binary).toBeUndefined();
	});

	it('a failed task', async () => {
		const task = await endedTask({ model: 'veo-3.1-fast' }, true);
		const item = onlyItem(await deliver(task));
		expect(item.json).toEqual({
			taskId: task.id,
			status: 'failed',
			model: 'veo-3.1-fast',
			videoUrls: [],
			videoUrl: null,
			error: 'Content policy violation',
			createdAt: new Date(task.createdAt).toISOString(),
			completedAt: new Date(task.finishedAt).toISOString(),
			estimatedCostUsd: 0.06,
			response: taskData(task, 'failed', spelling, emulator().videoUrl(task.id)),
		});
	});

	it('a task of a model outside the catalogue has no estimated cost', async () => {
		const task = await endedTask({ model: 'other', customModel: 'minimax-h3', aspectRatio: '' });
		const item = onlyItem(await deliver(task));
		expect(item.json).toMatchObject({ taskId: task.id, status: 'completed', estimatedCostUsd: null });
	});
});

describe('APIModels Video Trigger output, known deviation', () => {
	beforeEach(() => emulator().setOptions({ pendingMs: 0, processingMs: 0 }));

	// README: `model` is "the model id, without the API's cloud-video/ prefix". nodes/shared/task.ts
	// (normalizeTask) strips it only for catalogue models, so other models keep "cloud-video/".
	it('a model outside the catalogue is reported without the cloud-video/ prefix', async () => {
		const task = await endedTask({ model: 'other', customModel: 'minimax-h3', aspectRatio: '' });
		expect(onlyItem(await deliver(task)).json.model).toBe('minimax-h3');
	});
});
