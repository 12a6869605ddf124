import { client, createTask, GROK_BODY, queryTask, useEmulator } from './fixtures';
import { startEmulator } from '../../emulator/server';

const fixture = useEmulator({ pendingMs: 0, processingMs: 0 });

describe('seed spelling (the default)', () => {
	test('completed: task_id, status, model, videos, created_at, completed_at', async () => {
		const taskId = await createTask(fixture.api);
		const answer = await queryTask(fixture.api, taskId);
		expect(answer).toMatchObject({ code: 200, msg: 'success' });
		expect(Object.keys(answer.data as object).sort()).toEqual(['completed_at', 'created_at', 'model', 'status', 'task_id', 'videos']);
	});

	test('failed: error instead of videos', async () => {
		const taskId = await createTask(fixture.api, { ...GROK_BODY, prompt: '[fail]' });
		const { data } = await queryTask(fixture.api, taskId);
		expect(Object.keys(data as object).sort()).toEqual(['completed_at', 'created_at', 'error', 'model', 'status', 'task_id']);
	});
});

describe('live spelling', () => {
	test('create: taskId, state, model, createTime', async () => {
		const emulator = await startEmulator({ spelling: 'live' });
		try {
			const { data } = await client(emulator).post('/api/v1/video/generations', GROK_BODY);
			expect(data).toEqual({
				code: 200,
				msg: 'success',
				data: { taskId: expect.any(String), state: 'pending', model: 'cloud-video/grok-video-3', createTime: expect.any(Number) },
			});
		} finally {
			await emulator.close();
		}
	});

	test('completed: taskId, state, model, resultUrls, createTime, completeTime', async () => {
		fixture.emulator.setOptions({ spelling: 'live' });
		const taskId = await createTask(fixture.api);
		const { data } = await queryTask(fixture.api, taskId);
		expect(data).toEqual({
			taskId,
			state: 'completed',
			model: 'cloud-video/grok-video-3',
			resultUrls: [fixture.emulator.videoUrl(taskId)],
			createTime: expect.any(Number),
			completeTime: expect.any(Number),
		});
	});

	test('failed: failMsg and failCode', async () => {
		fixture.emulator.setOptions({ spelling: 'live' });
		const taskId = await createTask(fixture.api, { ...GROK_BODY, prompt: '[fail]' });
		const { data } = await queryTask(fixture.api, taskId);
		expect(data).toMatchObject({ taskId, state: 'failed', failMsg: 'Content policy violation', failCode: 'CONTENT_POLICY_VIOLATION' });
		expect(data).not.toHaveProperty('resultUrls');
	});
});

test('switching spelling at runtime re-spells existing tasks', async () => {
	fixture.emulator.setOptions({ pendingMs: 10_000 });
	const taskId = await createTask(fixture.api);
	expect((await queryTask(fixture.api, taskId)).data).toMatchObject({ task_id: taskId, status: 'pending' });
	fixture.emulator.setOptions({ spelling: 'live' });
	const { data } = await queryTask(fixture.api, taskId);
	expect(data).toMatchObject({ taskId, state: 'pending' });
	expect(data).not.toHaveProperty('task_id');
});
