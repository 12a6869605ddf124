import { isLoopback } from '../../emulator/callbacks';
import type { Receiver } from './fixtures';
import { createTask, GROK_BODY, queryTask, startReceiver, useEmulator } from './fixtures';
import { sleep, waitFor } from '../support/timing';

const BACKOFF_MS = [100, 200, 400];
const fixture = useEmulator({ pendingMs: 10, processingMs: 10, callbackBackoffMs: BACKOFF_MS, callbackBackgroundRetries: 0 });

let receiver: Receiver | undefined;
afterEach(() => receiver?.close());

async function receive(statuses: number[] = []): Promise<Receiver> {
	receiver = await startReceiver(statuses);
	return receiver;
}

const withCallback = (url: string, prompt = GROK_BODY.prompt) => ({ ...GROK_BODY, prompt, callback_url: url });

test('a finished task POSTs its query answer as JSON to callback_url, once', async () => {
	const { url, hits } = await receive();
	const taskId = await createTask(fixture.api, withCallback(url));
	await waitFor(() => hits.length === 1);
	expect(hits[0].headers['content-type']).toBe('application/json');
	expect(hits[0].body).toEqual(await queryTask(fixture.api, taskId));
	expect(hits[0].body).toMatchObject({ code: 200, data: { task_id: taskId, status: 'completed' } });
	await sleep(BACKOFF_MS[0] + 50);
	expect(hits).toHaveLength(1);
	expect(fixture.emulator.stats().callbacks).toEqual({ attempts: 1, successes: 1, failures: 0, refused: 0, duplicates: 0 });
});

test('callbackShape bare sends the data object alone, in the spelling in force', async () => {
	fixture.emulator.setOptions({ callbackShape: 'bare', spelling: 'live' });
	const { url, hits } = await receive();
	const taskId = await createTask(fixture.api, withCallback(url, '[fail]'));
	await waitFor(() => hits.length === 1);
	expect(hits[0].body).toEqual((await queryTask(fixture.api, taskId)).data);
	expect(hits[0].body).toMatchObject({ taskId, state: 'failed', failMsg: 'Content policy violation' });
});

test('a 500 is retried after 100/200/400 ms (the scaled 1/2/4 s) until a 2xx', async () => {
	const { url, hits } = await receive([500, 500, 500]);
	const taskId = await createTask(fixture.api, withCallback(url));
	await waitFor(() => fixture.emulator.stats().callbacks.successes === 1);
	expect(hits).toHaveLength(4);
	const gaps = hits.slice(1).map((hit, index) => hit.at - hits[index].at);
	gaps.forEach((gap, index) => expect(gap).toBeGreaterThanOrEqual(BACKOFF_MS[index] - 5));
	const [task] = fixture.emulator.tasks();
	expect(task.id).toBe(taskId);
	expect(task.callbacks.map(({ kind, status }) => [kind, status])).toEqual([
		['first', 500],
		['retry', 500],
		['retry', 500],
		['retry', 200],
	]);
	expect(fixture.emulator.stats().callbacks).toMatchObject({ attempts: 4, successes: 1, failures: 3 });
});

test('delivery stops at the first 2xx', async () => {
	const { url, hits } = await receive([503]);
	await createTask(fixture.api, withCallback(url));
	await waitFor(() => hits.length === 2);
	await sleep(BACKOFF_MS[1] + 100);
	expect(hits).toHaveLength(2);
});

test('after the backoff schedule, background retries follow at callbackBackgroundIntervalMs', async () => {
	fixture.emulator.setOptions({ callbackBackoffMs: [20, 20, 20], callbackBackgroundRetries: 2, callbackBackgroundIntervalMs: 150 });
	const { url, hits } = await receive([500, 500, 500, 500, 500]);
	await createTask(fixture.api, withCallback(url));
	await waitFor(() => hits.length === 6);
	expect(hits[4].at - hits[3].at).toBeGreaterThanOrEqual(145);
	expect(hits[5].at - hits[4].at).toBeGreaterThanOrEqual(145);
	const kinds = fixture.emulator.tasks()[0].callbacks.map((attempt) => attempt.kind);
	expect(kinds).toEqual(['first', 'retry', 'retry', 'retry', 'background', 'background']);
	await sleep(200);
	expect(hits).toHaveLength(6);
});

test('a connection failure counts as a failed attempt and is retried', async () => {
	const closed = await receive();
	await closed.close();
	fixture.emulator.setOptions({ callbackBackoffMs: [20] });
	await createTask(fixture.api, withCallback(closed.url));
	await waitFor(() => fixture.emulator.stats().callbacks.failures === 2);
	const attempts = fixture.emulator.tasks()[0].callbacks;
	expect(attempts.map((attempt) => attempt.kind)).toEqual(['first', 'retry']);
	expect(attempts[0].error).toMatch(/ECONNREFUSED/);
	expect(fixture.emulator.stats().callbacks.attempts).toBe(2);
});

test('an attempt without an answer times out after callbackTimeoutMs and is retried', async () => {
	fixture.emulator.setOptions({ callbackTimeoutMs: 100, callbackBackoffMs: [20] });
	const { url, hits } = await receive([0]);
	await createTask(fixture.api, withCallback(url));
	await waitFor(() => hits.length === 2);
	expect(fixture.emulator.tasks()[0].callbacks[0].error).toBe('no answer within 100 ms');
	expect(hits[1].at - hits[0].at).toBeGreaterThanOrEqual(115);
});

test('callbackDuplicates sends extra copies after a 2xx', async () => {
	fixture.emulator.setOptions({ callbackDuplicates: 2 });
	const { url, hits } = await receive();
	await createTask(fixture.api, withCallback(url));
	await waitFor(() => fixture.emulator.stats().callbacks.successes === 3);
	expect(hits).toHaveLength(3);
	expect(hits[1].body).toEqual(hits[0].body);
	expect(hits[2].body).toEqual(hits[0].body);
	expect(fixture.emulator.stats().callbacks).toMatchObject({ attempts: 3, successes: 3, duplicates: 2 });
});

test('a callback_url off this machine is refused and recorded, never called', async () => {
	await createTask(fixture.api, withCallback('https://hooks.example.com/video'));
	await waitFor(() => fixture.emulator.stats().callbacks.refused === 1);
	expect(fixture.emulator.stats().callbacks.attempts).toBe(0);
	expect(fixture.emulator.tasks()[0].callbacks).toEqual([expect.objectContaining({ kind: 'refused' })]);
});

test.each([
	['http://127.0.0.1:9/x', true],
	['http://127.4.5.6/x', true],
	['http://localhost:5678/webhook', true],
	['http://[::1]:5678/webhook', true],
	['http://10.0.0.1/x', false],
	['http://128.0.0.1/x', false],
	['https://localhost.example.com/x', false],
	['ftp://127.0.0.1/x', false],
])('isLoopback(%s) is %s', (url, expected) => {
	expect(isLoopback(url)).toBe(expected);
});

test('close() cancels pending retries', async () => {
	const { url, hits } = await receive([500, 500]);
	await createTask(fixture.api, withCallback(url));
	await waitFor(() => hits.length === 1);
	await fixture.emulator.close();
	await sleep(BACKOFF_MS[0] + 100);
	expect(hits).toHaveLength(1);
});
