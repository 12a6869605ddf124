import type { AxiosInstance } from 'axios';
import axios from 'axios';
import { createTask, queryTask, useEmulator } from './fixtures';

const fixture = useEmulator({ pendingMs: 0, processingMs: 0 });
let control: AxiosInstance;
beforeEach(() => {
	control = axios.create({ baseURL: `${fixture.emulator.url}/__emulator`, validateStatus: () => true });
});

test('POST /faults injects a fault (bare kind or object) for the next `count` requests', async () => {
	const added = await control.post('/faults', { route: 'models', fault: { kind: 'rateLimit', retryAfterSeconds: 1 }, count: 2 });
	expect(added.data).toEqual([{ route: 'models', fault: { kind: 'rateLimit', retryAfterSeconds: 1 }, remaining: 2 }]);
	await control.post('/faults', { route: 'status', fault: 'drop' });
	expect((await control.get('/faults')).data).toHaveLength(2);
	expect((await fixture.api.get('/api/v1/models')).status).toBe(429);
	expect((await control.delete('/faults')).data).toEqual([]);
	expect((await fixture.api.get('/api/v1/models')).status).toBe(200);
});

test('POST /faults refuses an unknown route or fault with 400', async () => {
	expect((await control.post('/faults', { route: 'everything', fault: 'drop' })).status).toBe(400);
	const response = await control.post('/faults', { route: 'models', fault: { kind: 'teapot' } });
	expect(response.status).toBe(400);
	expect(response.data.code).toBe(400);
});

test('POST /options changes spelling and timing at runtime; GET /options reads them', async () => {
	const changed = await control.post('/options', { spelling: 'live', pendingMs: 5000 });
	expect(changed.data).toMatchObject({ spelling: 'live', pendingMs: 5000, processingMs: 0 });
	expect((await control.get('/options')).data).toEqual(changed.data);
	const taskId = await createTask(fixture.api);
	expect((await queryTask(fixture.api, taskId)).data).toMatchObject({ taskId, state: 'pending' });
});

test('POST /options refuses unknown or ill-typed options with 400', async () => {
	expect((await control.post('/options', { spelling: 'british' })).status).toBe(400);
	expect((await control.post('/options', { port: 1234 })).status).toBe(400);
	expect((await control.post('/options', 'not json', { headers: { 'Content-Type': 'application/json' }, transformRequest: [(data: string) => data] })).data).toEqual({ code: 400, msg: 'Invalid JSON body' });
});

test('GET /stats is emulator.stats(), and control requests are not counted', async () => {
	await fixture.api.get('/api/v1/models');
	const { data } = await control.get('/stats');
	expect(data).toEqual(JSON.parse(JSON.stringify(fixture.emulator.stats())));
	expect(data.totals.models).toBe(1);
	expect(data.inFlight['*']).toBe(0);
});

test('DELETE /stats resets the counters', async () => {
	await fixture.api.get('/api/v1/models');
	expect((await control.delete('/stats')).data.totals.models).toBe(0);
});

test('POST /reset clears stats and faults and restores the starting options', async () => {
	await control.post('/options', { spelling: 'live' });
	await control.post('/faults', { route: '*', fault: 'serverError', count: 5 });
	await fixture.api.get('/api/v1/models');
	const { data } = await control.post('/reset');
	expect(data.options.spelling).toBe('seed');
	expect(fixture.emulator.pendingFaults()).toEqual([]);
	expect(fixture.emulator.stats().totals.models).toBe(0);
});

test('GET /tasks lists created tasks with their bodies', async () => {
	const taskId = await createTask(fixture.api);
	expect((await control.get('/tasks')).data).toEqual([expect.objectContaining({ id: taskId, model: 'grok-video-3' })]);
});

test('an unknown control path answers 404', async () => {
	expect((await control.get('/nothing')).status).toBe(404);
});
