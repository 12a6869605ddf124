import axios from 'axios';
import { createTask, GROK_BODY, useEmulator } from './fixtures';

const fixture = useEmulator({ pendingMs: 0, processingMs: 0 });
const models = () => fixture.api.get('/api/v1/models');

test('rateLimit with retryAfterSeconds answers 429 with Retry-After, for exactly `count` requests', async () => {
	fixture.emulator.inject('models', { kind: 'rateLimit', retryAfterSeconds: 3 }, 2);
	for (let index = 0; index < 2; index++) {
		const response = await models();
		expect(response.status).toBe(429);
		expect(response.headers['retry-after']).toBe('3');
		expect(response.data).toEqual({ code: 429, msg: 'Too many requests' });
	}
	expect((await models()).status).toBe(200);
	expect(fixture.emulator.stats().faults.rateLimit).toBe(2);
	expect(fixture.emulator.stats().requests.models).toEqual({ '429': 2, '200': 1 });
});

test('rateLimit without retryAfterSeconds sends no Retry-After', async () => {
	fixture.emulator.inject('models', 'rateLimit');
	const response = await models();
	expect(response.status).toBe(429);
	expect(response.headers).not.toHaveProperty('retry-after');
});

test('serverError answers 500 and the request has no effect', async () => {
	fixture.emulator.inject('create', 'serverError');
	const response = await fixture.api.post('/api/v1/video/generations', GROK_BODY);
	expect(response.status).toBe(500);
	expect(response.data).toEqual({ code: 500, msg: 'Internal server error' });
	expect(fixture.emulator.stats().tasksCreated).toBe(0);
	expect(fixture.emulator.stats().faults.serverError).toBe(1);
});

test('slow delays the answer by delayMs, then answers normally', async () => {
	fixture.emulator.inject('models', { kind: 'slow', delayMs: 300 });
	const started = Date.now();
	const response = await models();
	expect(Date.now() - started).toBeGreaterThanOrEqual(295);
	expect(response.status).toBe(200);
	expect(response.data.data.length).toBeGreaterThan(0);
	expect(fixture.emulator.stats().faults.slow).toBe(1);
});

test('drop closes the connection without an answer', async () => {
	fixture.emulator.inject('status', 'drop');
	const taskId = await createTask(fixture.api);
	const failure = await fixture.api.get('/api/v1/video/generations', { params: { task_id: taskId } }).catch((error: unknown) => error);
	expect(axios.isAxiosError(failure) && failure.response === undefined).toBe(true);
	expect(fixture.emulator.stats().requests.status).toEqual({ dropped: 1 });
	expect(fixture.emulator.stats().faults.drop).toBe(1);
});

test('malformedJson answers 200 with a body that is not JSON', async () => {
	fixture.emulator.inject('status', 'malformedJson');
	const response = await fixture.api.get('/api/v1/video/generations', { params: { task_id: 'cl1' }, responseType: 'text' });
	expect(response.status).toBe(200);
	expect(response.headers['content-type']).toMatch(/application\/json/);
	expect(() => JSON.parse(response.data)).toThrow(SyntaxError);
	expect(fixture.emulator.stats().faults.malformedJson).toBe(1);
});

test('errorInBody answers HTTP 200 carrying an error code, 402 by default', async () => {
	fixture.emulator.inject('create', 'errorInBody');
	fixture.emulator.inject('create', { kind: 'errorInBody', code: 500, msg: 'Upstream busy' });
	const first = await fixture.api.post('/api/v1/video/generations', GROK_BODY);
	expect([first.status, first.data]).toEqual([200, { code: 402, msg: 'Insufficient credits' }]);
	const second = await fixture.api.post('/api/v1/video/generations', GROK_BODY);
	expect([second.status, second.data]).toEqual([200, { code: 500, msg: 'Upstream busy' }]);
	expect(fixture.emulator.stats().faults.errorInBody).toBe(2);
});

test('a fault hits only its route; "*" hits any route, after route-specific faults', async () => {
	fixture.emulator.inject('*', 'serverError', 2);
	fixture.emulator.inject('video', 'rateLimit');
	const taskId = await createTask(fixture.api).catch(() => 'none');
	expect(taskId).toBe('none');
	expect((await fetch(fixture.emulator.videoUrl('cl_x'))).status).toBe(429);
	expect((await models()).status).toBe(500);
	expect((await models()).status).toBe(200);
});

test('pending faults are listed with what remains, and can be cleared', async () => {
	fixture.emulator.inject('status', 'serverError', 3);
	await fixture.api.get('/api/v1/video/generations', { params: { task_id: 'cl1' } });
	expect(fixture.emulator.pendingFaults()).toEqual([{ route: 'status', fault: { kind: 'serverError' }, remaining: 2 }]);
	fixture.emulator.clearFaults();
	expect(fixture.emulator.pendingFaults()).toEqual([]);
	expect((await fixture.api.get('/api/v1/video/generations', { params: { task_id: 'cl1' } })).status).toBe(404);
});

test('faulted requests appear in the log with their fault', async () => {
	fixture.emulator.inject('models', 'serverError');
	await models();
	expect(fixture.emulator.stats().log).toEqual([expect.objectContaining({ route: 'models', status: '500', fault: 'serverError' })]);
});
