/**
 * APIModels Callback Trigger, "Verify with the API" (on by default): the trigger asks the API
 * for the task a callback names and starts the workflow with the API's answer, or not at all
 * when the API does not know the task (404), reports it still running, or contradicts the callback
 * (422): none of these is acknowledged with a 2xx. With verification off it emits the body's own
 * content.
 */
import { randomBytes } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';
import { taskData } from '../../emulator/spellings';
import { useEmulator } from '../support/fixtures';
import { started, triggerFixtures } from './fixtures';

const emulator = useEmulator();
const { createTask, endedTask, callbackFor, post } = triggerFixtures(emulator);

function statusQueries(): number {
	return emulator().stats().totals.status;
}

describe('APIModels Callback Trigger verifies each callback with the API (default)', () => {
	it('emits what the API says, not what the callback says', async () => {
		const task = await endedTask();
		// Only the id and state come from the callback; everything else here is invented.
		const forgedDetails = {
			task_id: task.id,
			status: 'completed',
			model: 'cloud-video/veo-3.1',
			created_at: 1,
			completed_at: 2,
			prompt_echo: 'attacker-controlled',
		};
		const result = await post({ code: 200, msg: 'success', data: forgedDetails });
		expect(result.response.statusCode).toBe(200);
		expect(statusQueries()).toBe(1);
		expect(started(result)).toEqual([
			expect.objectContaining({
				taskId: task.id,
				status: 'completed',
				model: 'grok-video-3',
				videoUrls: [emulator().videoUrl(task.id)],
				createdAt: new Date(task.createdAt).toISOString(),
				completedAt: new Date(task.finishedAt).toISOString(),
				response: taskData(task, 'completed', 'seed', emulator().videoUrl(task.id)),
			}),
		]);
	});

	it('emits a genuine failed task with the API\'s reason', async () => {
		const task = await endedTask({ fail: true });
		const [json] = started(await post(callbackFor(task)));
		expect(json).toMatchObject({ taskId: task.id, status: 'failed', error: 'Content policy violation', videoUrls: [] });
	});

	it('starts nothing for a task the API does not know (404)', async () => {
		await endedTask(); // the API has tasks, just not this one
		const unknown = `cl${randomBytes(12).toString('hex')}`;
		const result = await post({ code: 200, msg: 'success', data: { task_id: unknown, status: 'completed', videos: ['https://cdn.example.com/x.mp4'] } });
		expect(emulator().stats().requests.status).toEqual({ '404': 1 });
		expect(result.workflowData).toBeUndefined();
		expect(result.response.statusCode).toBe(404);
		expect(result.staticData).not.toMatchObject({ 'node:APIModels Callback Trigger': { deliveries: expect.arrayContaining([`${unknown}:completed`]) } });
		// Sent again, the unknown task is answered without asking the API again.
		const again = await post({ task_id: unknown, status: 'completed' });
		expect(again.response.statusCode).toBe(404);
		expect(statusQueries()).toBe(1);
	});

	it('starts nothing for a task the API reports still running', async () => {
		const task = await createTask('A slow sunrise [pendingMs=0][processingMs=600000]');
		const result = await post(callbackFor(task, { status: 'completed' }));
		expect(statusQueries()).toBe(1);
		expect(result.workflowData).toBeUndefined();
		expect(result.response.statusCode).toBe(422);
	});

	it('starts nothing when the callback\'s video URL differs from the API\'s', async () => {
		const task = await endedTask();
		const body = callbackFor(task) as { data: IDataObject };
		body.data.videos = ['https://evil.example.com/replaced.mp4'];
		const result = await post(body);
		expect(statusQueries()).toBe(1);
		expect(result.workflowData).toBeUndefined();
		expect(result.response.statusCode).toBe(422);
	});

	it('starts nothing when the callback lists an extra video the API does not have', async () => {
		const task = await endedTask();
		const body = callbackFor(task) as { data: IDataObject };
		body.data.videos = [emulator().videoUrl(task.id), 'https://evil.example.com/extra.mp4'];
		expect((await post(body)).workflowData).toBeUndefined();
	});

	it('starts nothing when the callback says completed but the API says failed', async () => {
		const task = await endedTask({ fail: true });
		// A believable "completed" callback for a failed task, with the URL the task would have had.
		const result = await post(callbackFor(task, { status: 'completed' }));
		expect(statusQueries()).toBe(1);
		expect(result.workflowData).toBeUndefined();
		expect(result.response.statusCode).toBe(422);
	});

	it('starts nothing when the callback says failed but the API says completed', async () => {
		const task = await endedTask();
		const result = await post(callbackFor(task, { status: 'failed', spelling: 'live' }));
		expect(statusQueries()).toBe(1);
		expect(result.workflowData).toBeUndefined();
		expect(result.response.statusCode).toBe(422);
	});
});

describe('APIModels Callback Trigger with verification off', () => {
	it('emits the body\'s content without asking the API', async () => {
		const id = `cl${randomBytes(12).toString('hex')}`; // a task the API has never heard of
		const result = await post(
			{
				code: 200,
				msg: 'success',
				data: {
					taskId: id,
					state: 'completed',
					model: 'cloud-video/veo-3.1',
					resultUrls: ['https://cdn.example.com/claimed.mp4'],
					createTime: 1_700_000_000_000,
					completeTime: 1_700_000_060_000,
				},
			},
			{ parameters: { verifyWithApi: false } },
		);
		expect(statusQueries()).toBe(0);
		expect(emulator().stats().log).toEqual([]);
		expect(started(result)).toEqual([
			expect.objectContaining({
				taskId: id,
				status: 'completed',
				model: 'veo-3.1',
				videoUrls: ['https://cdn.example.com/claimed.mp4'],
				videoUrl: 'https://cdn.example.com/claimed.mp4',
				error: null,
				createdAt: '2023-11-14T22:13:20.000Z',
				completedAt: '2023-11-14T22:14:20.000Z',
				estimatedCostUsd: 0.12,
			}),
		]);
	});

	it('still needs a final state in the body', async () => {
		const id = `cl${randomBytes(12).toString('hex')}`;
		const result = await post({ task_id: id, status: 'processing' }, { parameters: { verifyWithApi: false } });
		expect(result.response.statusCode).toBe(400);
		expect(result.workflowData).toBeUndefined();
	});
});
