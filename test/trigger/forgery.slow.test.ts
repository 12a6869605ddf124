/* eslint-disable @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
/**
 * APIModels Callback Trigger keeps forgeries cheap: 3,000 forged callbacks (task ids the API does not
 * know), sent 100 at a time, while the API rate-limits or answers slower than the trigger's budget,
 * and while the vendor delivers genuine callbacks. Verifications in flight are bounded (the excess
 * is answered 503 at once: what holds memory flat), an unknown task id is asked about once, and
 * every genuine task still starts exactly one execution once the API answers again. No secret
 * token is set, so the forgeries reach verification: the worst case.
 */
import { randomBytes } from 'node:crypto';
import type { Fault } from '../../emulator/faults';
import { MAX_VERIFICATIONS_IN_FLIGHT } from '../../nodes/ApiModelsCallbackTrigger/deliveries';
import { outputOf, runVideo, useEmulator } from '../support/fixtures';
import type { StartedExecution } from './webhookServer';
import { countBy, Database, until, VENDOR_CALLBACK_SCHEDULE, WebhookProcess } from './webhookServer';

const FORGED = 3000;
const SENDERS = 100;
const GENUINE = 5;
const emulator = useEmulator({
	pendingMs: 0,
	processingMs: 300,
	...VENDOR_CALLBACK_SCHEDULE,
});

async function sendForgeries(url: string, bodies: string[]): Promise<Record<string, number>> {
	const statuses: Array<number | string> = [];
	const queue = [...bodies];
	const sender = async () => {
		for (let body = queue.shift(); body; body = queue.shift()) {
			// A forger's connection failing on a loaded machine is the forger's loss, not a failure here.
			const status = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
				.then(async (response) => {
					await response.arrayBuffer();
					return response.status;
				})
				.catch(() => 'network error');
			statuses.push(status);
		}
	};
	await Promise.all(Array.from({ length: SENDERS }, sender));
	return countBy(statuses);
}

const apis: Array<[string, Fault]> = [
	['rate-limiting (429, Retry-After: 1)', { kind: 'rateLimit', retryAfterSeconds: 1 }],
	['slow (35 s an answer)', { kind: 'slow', delayMs: 35_000 }],
];

describe('APIModels Callback Trigger under 3,000 forged callbacks', () => {
	it.each(apis)('API %s: bounded queries and verifications in flight; genuine callbacks start exactly once', async (_, fault) => {
		const started: StartedExecution[] = [];
		const receiver = new WebhookProcess(emulator, new Database(), started);
		await receiver.listen();
		const forged = Array.from({ length: FORGED }, () =>
			JSON.stringify({ task_id: `cl${randomBytes(12).toString('hex')}`, status: 'completed', videos: ['https://evil.example.com/x.mp4'] }),
		);
		try {
			const created = await runVideo(
				emulator(),
				{ operation: 'create', model: 'grok-video-3', prompt: '={{ $json.prompt }}', options: { callbackUrl: receiver.url } },
				Array.from({ length: GENUINE }, (_, index) => ({ prompt: `A kingfisher ${index}` })),
			);
			const ids = outputOf(created).map((item) => String(item.json.taskId));
			emulator().inject('status', fault, 1_000_000);
			// The genuine callbacks arrive (300 ms after creation) while the flood is on.
			const answers = await sendForgeries(receiver.url, forged);
			const maxInFlight = emulator().stats().maxInFlight.status;
			emulator().clearFaults();
			// A third of them once more, against a healthy API: each admitted one is asked about once.
			const again = await sendForgeries(receiver.url, forged.slice(0, FORGED / 3));
			await until(() => started.length >= GENUINE && receiver.idle, 40_000, 'the genuine executions');
			await new Promise((resolve) => setTimeout(resolve, 500));
			const queries = emulator().stats().totals.status;
			const byTask = countBy(started.map((run) => run.taskId));
			expect(receiver.errors).toEqual([]);
			expect(Object.keys(byTask).sort()).toEqual([...ids].sort());
			expect(Object.values(byTask)).toEqual(Array(GENUINE).fill(1));
			expect(started.every((run) => ids.includes(run.taskId))).toBe(true);
			expect(queries).toBeLessThanOrEqual(FORGED);
			expect(maxInFlight).toBeLessThanOrEqual(MAX_VERIFICATIONS_IN_FLIGHT);
			// None of the forgeries was acknowledged: 503 while the API could not say, 404 once it could.
			expect(Object.keys(answers).every((status) => status === 'network error' || Number(status) >= 400)).toBe(true);
			expect(Object.keys(again).sort()).toEqual(expect.arrayContaining(['404']));
			expect(Object.keys(again).every((status) => ['404', '503', 'network error'].includes(status))).toBe(true);
		} finally {
			emulator().clearFaults();
			await receiver.close();
		}
	}, 120_000);
});
