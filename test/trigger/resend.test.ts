/* eslint-disable @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
/**
 * APIModels Callback Trigger acknowledges only what is safe: the vendor re-sends a callback (1, 2, 4 s,
 * then in the background) until it gets a 2xx, giving each attempt 10 s. With the API rate-limiting
 * or down for longer than one attempt, the trigger must answer non-2xx before the vendor gives up, start
 * nothing, keep nothing running after its answer, and start the execution once the API confirms.
 * The emulator is the vendor here, re-sender included; the trigger runs in n8n-core's
 * WebhookContext behind a loopback server that answers as n8n does (see webhookServer.ts).
 */
import type { Fault } from '../../emulator/faults';
import { outputOf, runVideo, useEmulator } from '../support/fixtures';
import type { StartedExecution } from './webhookServer';
import { countBy, Database, until, VENDOR_CALLBACK_SCHEDULE, WebhookProcess } from './webhookServer';
import { warpTime } from '../support/timeWarp';

warpTime(5);

const SECRET = 'resend-secret';
const TASKS = 4;
/** The vendor's schedule: 1, 2, 4 s, then more; 10 s per attempt. Background attempts every 3 s here. */
const emulator = useEmulator({
	pendingMs: 0,
	processingMs: 0,
	...VENDOR_CALLBACK_SCHEDULE,
	callbackTimeoutMs: 10_000,
});

const outages: Array<[string, Fault, number]> = [
	['rate-limiting (429, Retry-After: 1)', { kind: 'rateLimit', retryAfterSeconds: 1 }, 12_000],
	['rate-limiting (429, no Retry-After)', { kind: 'rateLimit' }, 9_000],
	['down (connections dropped)', { kind: 'drop' }, 12_000],
	['answering slower than the budget (35 s)', { kind: 'slow', delayMs: 35_000 }, 9_000],
];

describe('APIModels Callback Trigger against an API that cannot confirm for a while', () => {
	it.each(outages)('API %s: the vendor\'s re-sends end with exactly one execution per task', async (_name, fault, outageMs) => {
		const started: StartedExecution[] = [];
		const receiver = new WebhookProcess(emulator, new Database(), started, { secret: SECRET });
		await receiver.listen();
		try {
			emulator().inject('status', fault, 1_000_000);
			const outageStart = Date.now();
			const created = await runVideo(
				emulator(),
				{ operation: 'create', model: 'grok-video-3', prompt: '={{ $json.prompt }}', options: { callbackUrl: receiver.url } },
				Array.from({ length: TASKS }, (_, index) => ({ prompt: `A heron ${index}` })),
				{ callbackSecret: SECRET },
			);
			const ids = outputOf(created).map((item) => String(item.json.taskId));
			const attemptsOf = () => emulator().tasks().filter((task) => ids.includes(task.id)).flatMap((task) => task.callbacks);
			await until(() => Date.now() - outageStart >= outageMs, outageMs + 1000, 'the outage');
			// During the outage: every attempt was answered, none with a 2xx, nothing started.
			const during = attemptsOf();
			expect(started).toEqual([]);
			expect(during.filter((attempt) => (attempt.status ?? 0) >= 200 && (attempt.status ?? 0) < 300)).toEqual([]);
			emulator().clearFaults();

			await until(() => started.length >= TASKS && receiver.idle, 30_000, 'the executions');
			await until(() => ids.every((id) => emulator().tasks().find((task) => task.id === id)?.callbacks.some((a) => a.status === 200)), 20_000);
			const attempts = attemptsOf();
			const answered = attempts.filter((attempt) => attempt.status !== undefined);
			const byTask = countBy(started.map((run) => run.taskId));
			expect(receiver.errors).toEqual([]);
			expect(Object.keys(byTask).sort()).toEqual([...ids].sort());
			expect(Object.values(byTask)).toEqual(Array(TASKS).fill(1));
			// Every attempt was answered before the vendor's 10 s ran out.
			expect(attempts.filter((attempt) => attempt.error)).toEqual([]);
			// Non-2xx while the API could not confirm: 503 with a Retry-After.
			expect(answered.every((attempt) => attempt.status === 200 || attempt.status === 503)).toBe(true);
		} finally {
			emulator().clearFaults();
			await receiver.close();
		}
	}, 90_000);

	it('answers 503 within the budget and asks the API nothing after answering', async () => {
		const started: StartedExecution[] = [];
		const receiver = new WebhookProcess(emulator, new Database(), started);
		await receiver.listen();
		try {
			emulator().setOptions({ callbackBackoffMs: [], callbackBackgroundRetries: 0 });
			emulator().inject('status', { kind: 'rateLimit', retryAfterSeconds: 1 }, 1_000_000);
			const created = await runVideo(emulator(), { operation: 'create', model: 'grok-video-3', prompt: 'A lone heron', options: { callbackUrl: receiver.url } });
			const [id] = outputOf(created).map((item) => String(item.json.taskId));
			const task = () => emulator().tasks().find((candidate) => candidate.id === id);
			await until(() => task()?.callbacks[0]?.status !== undefined, 15_000, 'the answer');
			const [attempt] = task()?.callbacks ?? [];
			expect(attempt.status).toBe(503);
			expect(attempt.error).toBeUndefined();
			const queriesAtAnswer = emulator().stats().totals.status;
			await new Promise((resolve) => setTimeout(resolve, 3000));
			expect(emulator().stats().totals.status).toBe(queriesAtAnswer);
			expect(emulator().stats().inFlight.status).toBe(0);
			expect(started).toEqual([]);
		} finally {
			emulator().clearFaults();
			await receiver.close();
		}
	}, 30_000);
});
