import { createTask, GROK_BODY, queryTask, useEmulator } from './fixtures';
import { sleep } from '../support/timing';

const PENDING_MS = 1000;
const PROCESSING_MS = 250;
const fixture = useEmulator({ pendingMs: PENDING_MS, processingMs: PROCESSING_MS });

/** Sleeps until `ms` after the task's creation, by the emulator's own `created_at`. */
async function untilAge(createdAt: number, ms: number): Promise<void> {
	await sleep(Math.max(0, createdAt + ms - Date.now()));
}

test('create answers pending with the task id and the prefixed model', async () => {
	const { status, data } = await fixture.api.post('/api/v1/video/generations', GROK_BODY);
	expect(status).toBe(200);
	expect(data).toEqual({
		code: 200,
		msg: 'success',
		data: { task_id: expect.stringMatching(/^cl[0-9a-f]{24}$/), status: 'pending', model: 'cloud-video/grok-video-3', created_at: expect.any(Number) },
	});
});

test('a task is pending, then processing, then completed, on the configured clock', async () => {
	const before = Date.now();
	const taskId = await createTask(fixture.api);
	const first = (await queryTask(fixture.api, taskId)).data as Record<string, number>;
	expect(first.status).toBe('pending');
	expect(first.created_at).toBeGreaterThanOrEqual(before);
	expect(first.created_at).toBeLessThanOrEqual(Date.now());

	await untilAge(first.created_at, PENDING_MS + 100);
	expect((await queryTask(fixture.api, taskId)).data).toMatchObject({ status: 'processing' });

	await untilAge(first.created_at, PENDING_MS + PROCESSING_MS + 20);
	expect((await queryTask(fixture.api, taskId)).data).toEqual({
		task_id: taskId,
		status: 'completed',
		model: 'cloud-video/grok-video-3',
		videos: [fixture.emulator.videoUrl(taskId)],
		created_at: first.created_at,
		completed_at: first.created_at + PENDING_MS + PROCESSING_MS,
	});
});

test('the [fail] marker ends the task failed with Content policy violation', async () => {
	const taskId = await createTask(fixture.api, { ...GROK_BODY, prompt: 'a riot [fail]' });
	await sleep(PENDING_MS + PROCESSING_MS + 20);
	const { data } = await queryTask(fixture.api, taskId);
	expect(data).toEqual({
		task_id: taskId,
		status: 'failed',
		model: 'cloud-video/grok-video-3',
		error: 'Content policy violation',
		created_at: expect.any(Number),
		completed_at: expect.any(Number),
	});
});

test('the [fail] marker works for models without a prompt', async () => {
	const taskId = await createTask(fixture.api, {
		model: 'kling-motion-control',
		input_urls: ['https://x.test/a.png?[fail]'],
		video_urls: ['https://x.test/m.mp4'],
	});
	await sleep(PENDING_MS + PROCESSING_MS + 20);
	expect((await queryTask(fixture.api, taskId)).data).toMatchObject({ status: 'failed', model: 'cloud-video/kling-motion-control' });
});

test('prompt markers set one task\'s timing', async () => {
	const taskId = await createTask(fixture.api, { ...GROK_BODY, prompt: 'slow one [pendingMs=0] [processingMs=60000]' });
	expect((await queryTask(fixture.api, taskId)).data).toMatchObject({ status: 'processing' });
	await sleep(PENDING_MS + PROCESSING_MS + 20);
	expect((await queryTask(fixture.api, taskId)).data).toMatchObject({ status: 'processing' });
});

test('the [finishAt=T] marker ends tasks created at different times at the same moment', async () => {
	const finishAt = Date.now() + 2000; // well after the second create, even on a loaded machine
	const first = await createTask(fixture.api, { ...GROK_BODY, prompt: `batch [finishAt=${finishAt}]` });
	await sleep(100);
	const second = await createTask(fixture.api, { ...GROK_BODY, prompt: `batch [finishAt=${finishAt}]` });
	const ends = fixture.emulator.tasks().filter((task) => [first, second].includes(task.id)).map((task) => task.finishedAt);
	expect(ends).toEqual([finishAt, finishAt]);
	await sleep(Math.max(0, finishAt - Date.now() + 20));
	expect((await queryTask(fixture.api, second)).data).toMatchObject({ status: 'completed', completed_at: finishAt });
});

test('timing changed at runtime applies to tasks created afterwards', async () => {
	const before = await createTask(fixture.api);
	fixture.emulator.setOptions({ pendingMs: 0, processingMs: 0 });
	const after = await createTask(fixture.api);
	expect((await queryTask(fixture.api, after)).data).toMatchObject({ status: 'completed' });
	expect((await queryTask(fixture.api, before)).data).toMatchObject({ status: 'pending' });
});

test('tasks() lists each created task with its body', async () => {
	const taskId = await createTask(fixture.api);
	expect(fixture.emulator.tasks()).toEqual([
		expect.objectContaining({ id: taskId, model: 'grok-video-3', body: GROK_BODY, apiKey: fixture.emulator.apiKey, callbacks: [] }),
	]);
});
