import { createTask, useEmulator } from './fixtures';
import { sleep } from '../support/timing';

const fixture = useEmulator({ pendingMs: 0, processingMs: 0 });
const poll = (taskId: string) => fixture.api.get('/api/v1/video/generations', { params: { task_id: taskId } });

test('counts requests by route and status, totals, tasks created and polls per task', async () => {
	const first = await createTask(fixture.api);
	const second = await createTask(fixture.api);
	await fixture.api.post('/api/v1/video/generations', { model: 'grok-video-3' });
	await poll(first);
	await poll(first);
	await poll(second);
	await poll('cl_missing');
	const stats = fixture.emulator.stats();
	expect(stats.requests.create).toEqual({ '200': 2, '400': 1 });
	expect(stats.requests.status).toEqual({ '200': 3, '404': 1 });
	expect(stats.totals).toMatchObject({ create: 3, status: 4, models: 0 });
	expect(stats.tasksCreated).toBe(2);
	expect(stats.polls).toEqual({ [first]: 2, [second]: 1, cl_missing: 1 });
});

test('logs each request with its arrival time, so tests can bound when requests came', async () => {
	const before = Date.now();
	await fixture.api.get('/api/v1/models');
	const cancelledAt = Date.now();
	await sleep(20);
	await fixture.api.get('/api/v1/models?again=1');
	const { log, lastRequestAt } = fixture.emulator.stats();
	expect(log.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
		['GET', '/api/v1/models', '200'],
		['GET', '/api/v1/models?again=1', '200'],
	]);
	expect(log[0].at).toBeGreaterThanOrEqual(before);
	expect(log[0].at).toBeLessThanOrEqual(cancelledAt);
	expect(log[1].at).toBeGreaterThan(cancelledAt);
	expect(log[1].finishedAt).toBeGreaterThanOrEqual(log[1].at);
	expect(lastRequestAt.models).toBe(log[1].at);
});

test('the log keeps the latest requestLogLimit entries', async () => {
	fixture.emulator.setOptions({ requestLogLimit: 2 });
	for (const index of [1, 2, 3]) await fixture.api.get(`/api/v1/models?n=${index}`);
	expect(fixture.emulator.stats().log.map((entry) => entry.path)).toEqual(['/api/v1/models?n=2', '/api/v1/models?n=3']);
});

test('maxInFlight records how many requests of a route overlapped', async () => {
	// Long enough that the four reads overlap even when a busy machine sends them apart.
	fixture.emulator.setOptions({ latencyMs: 1000 });
	const taskId = await createTask(fixture.api);
	await Promise.all([poll(taskId), poll(taskId), poll(taskId), poll(taskId)]);
	await poll(taskId);
	const stats = fixture.emulator.stats();
	expect(stats.maxInFlight.status).toBe(4);
	expect(stats.maxInFlight.create).toBe(1);
	expect(stats.maxInFlight['*']).toBe(4);
	expect(stats.inFlight.status).toBe(0);
	const statusLog = stats.log.filter((entry) => entry.route === 'status');
	expect(statusLog[0].finishedAt).toBeGreaterThan(statusLog[3].at);
});

test('inFlight shows requests still being answered', async () => {
	fixture.emulator.setOptions({ latencyMs: 200 });
	const pending = fixture.api.get('/api/v1/models');
	await sleep(50);
	expect(fixture.emulator.stats().inFlight).toMatchObject({ models: 1, '*': 1 });
	await pending;
	expect(fixture.emulator.stats().inFlight).toMatchObject({ models: 0, '*': 0 });
});

test('resetStats zeroes the counters; a request in flight across the reset lands in the new ones', async () => {
	await createTask(fixture.api);
	fixture.emulator.setOptions({ latencyMs: 100 });
	const pending = fixture.api.get('/api/v1/models');
	await sleep(30);
	fixture.emulator.resetStats();
	await pending;
	const stats = fixture.emulator.stats();
	expect(stats.tasksCreated).toBe(0);
	expect(stats.requests.create).toEqual({});
	expect(stats.requests.models).toEqual({ '200': 1 });
	expect(stats.inFlight['*']).toBe(0);
});

test('stats() is a snapshot that later requests do not change', async () => {
	const before = fixture.emulator.stats();
	await fixture.api.get('/api/v1/models');
	expect(before.totals.models).toBe(0);
});
