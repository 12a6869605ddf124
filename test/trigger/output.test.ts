/**
 * APIModels Callback Trigger output: one item on the one output, in the contract every operation
 * shares (taskId, status, model, videoUrls, videoUrl, error, createdAt, completedAt,
 * estimatedCostUsd, response), whichever spelling the API answers in.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { modelCatalogue } from '../../nodes/shared/models';
import type { WebhookResult } from '../../harness/engine';
import type { Spelling } from '../../emulator/options';
import { taskData } from '../../emulator/spellings';
import { OUTPUT_FIELDS, useEmulator } from '../support/fixtures';
import { triggerFixtures } from './fixtures';

const emulator = useEmulator();
const { endedTask, callbackFor, post } = triggerFixtures(emulator);

function onlyItem(result: WebhookResult): INodeExecutionData {
	expect(result.workflowData).toHaveLength(1);
	expect(result.workflowData?.[0]).toHaveLength(1);
	return result.workflowData?.[0]?.[0] ?? { json: {} as IDataObject };
}

describe.each<Spelling>(['seed', 'live'])('APIModels Callback Trigger output, API answering in %s spelling', (spelling) => {
	// Tasks end as soon as they are created.
	beforeEach(() => emulator().setOptions({ spelling, pendingMs: 0, processingMs: 0 }));

	it.each(modelCatalogue.map((model) => model.id))('a completed %s task', async (modelId) => {
		const parameters =
			modelId === 'kling-motion-control'
				? {
						mediaSource: 'url',
						characterImagesUrl: 'https://cdn.example.com/hero.png',
						motionVideosUrl: 'https://cdn.example.com/dance.mp4',
					}
				: {};
		const task = await endedTask({ model: modelId, parameters });
		const item = onlyItem(await post(callbackFor(task)));
		const url = emulator().videoUrl(task.id);
		// The contract, plus the trigger's stable id of the delivery, for dropping copies downstream.
		expect(Object.keys(item.json).sort()).toEqual([...OUTPUT_FIELDS, 'deliveryId'].sort());
		expect(item.json).toEqual({
			deliveryId: `${task.id}:completed`,
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
		const task = await endedTask({ model: 'veo-3.1-fast', fail: true });
		const item = onlyItem(await post(callbackFor(task)));
		expect(item.json).toEqual({
			deliveryId: `${task.id}:failed`,
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
		const task = await endedTask({ model: 'minimax-h3' });
		const item = onlyItem(await post(callbackFor(task)));
		expect(item.json).toMatchObject({ taskId: task.id, status: 'completed', estimatedCostUsd: null });
	});
});

describe('APIModels Callback Trigger output, known deviation', () => {
	beforeEach(() => emulator().setOptions({ pendingMs: 0, processingMs: 0 }));

	// README: `model` is "the model id, without the API's cloud-video/ prefix". nodes/shared/task.ts
	// (normalizeTask) strips it only for catalogue models, so other models keep "cloud-video/".
	it('a model outside the catalogue is reported without the cloud-video/ prefix', async () => {
		const task = await endedTask({ model: 'minimax-h3' });
		expect(onlyItem(await post(callbackFor(task))).json.model).toBe('minimax-h3');
	});
});
