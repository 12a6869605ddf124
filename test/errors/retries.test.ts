/* eslint-disable @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
import type { Emulator } from '../../emulator/server';
import { startEmulator } from '../../emulator/server';
import { errorOf, grok, outputOf, runVideo, useEmulator } from '../support/fixtures';
import { warpTime } from '../support/timeWarp';

warpTime(10);

const emulator = useEmulator();

async function createdTaskId(): Promise<string> {
	return outputOf(await runVideo(emulator(), grok()))[0].json.taskId as string;
}

describe('Get Status retries what is transient', () => {
	it.each([
		['429 with Retry-After', { kind: 'rateLimit' as const, retryAfterSeconds: 0 }],
		['429 without Retry-After', { kind: 'rateLimit' as const }],
		['500', { kind: 'serverError' as const }],
		['a dropped connection', { kind: 'drop' as const }],
		['malformed JSON', { kind: 'malformedJson' as const }],
	])('survives %s', async (_what, fault) => {
		const taskId = await createdTaskId();
		emulator().resetStats();
		emulator().inject('status', fault, 2);
		const result = await runVideo(emulator(), { operation: 'getStatus', taskId });
		expect(result.error).toBeUndefined();
		expect(outputOf(result)[0].json.taskId).toBe(taskId);
		expect(emulator().stats().totals.status).toBe(3);
	});

	it('honours Retry-After', async () => {
		const taskId = await createdTaskId();
		emulator().inject('status', { kind: 'rateLimit', retryAfterSeconds: 1 }, 1);
		const started = Date.now();
		await runVideo(emulator(), { operation: 'getStatus', taskId });
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
	});

	it('gives up after a bounded number of attempts and reports the status', async () => {
		const taskId = await createdTaskId();
		emulator().resetStats();
		emulator().inject('status', { kind: 'serverError' }, 50);
		const result = await runVideo(emulator(), { operation: 'getStatus', taskId });
		expect(errorOf(result)).toContain('status 500');
		expect(errorOf(result)).toContain(taskId);
		expect(emulator().stats().totals.status).toBe(5);
	}, 30_000);
});

describe('a create request is never blindly repeated', () => {
	it('retries a 429, which the API refused before doing anything', async () => {
		emulator().inject('create', { kind: 'rateLimit', retryAfterSeconds: 0 }, 2);
		const result = await runVideo(emulator(), grok());
		expect(result.error).toBeUndefined();
		expect(emulator().stats().totals.create).toBe(3);
		expect(emulator().stats().tasksCreated).toBe(1);
	});

	it.each([
		['a 500', { kind: 'serverError' as const }, 'status 500'],
		['a dropped connection', { kind: 'drop' as const }, 'was not repeated'],
		['a malformed answer', { kind: 'malformedJson' as const }, 'was not repeated'],
	])('does not repeat after %s, which may have created a task', async (_what, fault, words) => {
		emulator().inject('create', fault, 1);
		const result = await runVideo(emulator(), grok());
		expect(errorOf(result)).toContain(words);
		expect(emulator().stats().totals.create).toBe(1);
	});

	it('retries a refused connection: nothing reached the API', async () => {
		// Reserve a free port, leave it closed, and open an API there only after the first attempt.
		const probe = await startEmulator();
		const port = probe.port;
		await probe.close();
		let late: Emulator | undefined;
		const opening = new Promise<void>((resolve) =>
			setTimeout(async () => {
				late = await startEmulator({ port });
				resolve();
			}, 300),
		);
		const result = await runVideo(emulator(), grok(), [{}], {
			credentials: { apiModelsApi: { apiKey: emulator().apiKey, baseUrl: `http://127.0.0.1:${port}` } },
		});
		await opening;
		try {
			expect(result.error).toBeUndefined();
			expect(late?.stats().tasksCreated).toBe(1);
		} finally {
			await late?.close();
		}
	}, 30_000);

	it('reports a refused connection with what to check once retries run out', async () => {
		const probe = await startEmulator();
		const port = probe.port;
		await probe.close();
		const result = await runVideo(emulator(), grok(), [{}], {
			credentials: { apiModelsApi: { apiKey: emulator().apiKey, baseUrl: `http://127.0.0.1:${port}` } },
		});
		expect(errorOf(result)).toContain(`Could not reach the APIModels API at http://127.0.0.1:${port}`);
		expect((result.error as { description?: string }).description).toContain('ECONNREFUSED');
	}, 30_000);
});
