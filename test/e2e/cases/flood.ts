/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
/**
 * 1000 callbacks against the running trigger, in a shuffled mix: genuine ones (each sent several
 * times, in three body shapes), forged ones (unknown tasks, wrong states, foreign video URLs) and
 * malformed ones. Genuine copies refused with a non-2xx are re-sent, as the vendor re-sends.
 * Only genuine task endings may start executions: exactly one each.
 */
import assert from 'node:assert/strict';
import { createTask, queryTask, reportsFor } from './trigger';
import type { TriggerContext } from './trigger';

const TOTAL = 1000;
const CONCURRENCY = 25;
const COMPLETED_TASKS = 20;
const FAILED_TASKS = 10;
const COPIES_PER_TASK = 8;
const FORGED = 160;
const GENUINE_RESENDS = 10;

type Kind = 'genuine' | 'forged' | 'malformed';

interface Shot {
	kind: Kind;
	body: string;
	contentType: string;
}

/** A small seeded generator, so a failing order can be reproduced. */
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return state / 2147483648;
	};
}

/** The same task in the vendor's other spelling (taskId/state/resultUrls/failMsg/...). */
function liveSpelling(data: Record<string, unknown>): Record<string, unknown> {
	const { task_id, status, videos, error, created_at, completed_at, ...rest } = data;
	return {
		...rest,
		taskId: task_id,
		state: status,
		...(videos !== undefined && { resultUrls: videos }),
		...(error !== undefined && { failMsg: error }),
		createTime: created_at,
		...(completed_at !== undefined && { completeTime: completed_at }),
	};
}

const json = (value: unknown): Shot['body'] => JSON.stringify(value);

function genuineShots(tasks: Array<Record<string, unknown>>): Shot[] {
	return tasks.flatMap((data) =>
		Array.from({ length: COPIES_PER_TASK }, (_, copy) => {
			const shapes = [{ code: 200, msg: 'success', data }, data, { code: 200, msg: 'success', data: liveSpelling(data) }];
			return { kind: 'genuine' as const, body: json(shapes[copy % shapes.length]), contentType: 'application/json' };
		}),
	);
}

function forgedShots(tasks: Array<Record<string, unknown>>, emulatorUrl: string, next: () => number): Shot[] {
	const pick = () => tasks[Math.floor(next() * tasks.length)];
	const forgeries: Array<() => unknown> = [
		// A task the API never made.
		() => ({ code: 200, msg: 'success', data: { task_id: `clforged${Math.floor(next() * 1e9)}`, status: 'completed', videos: ['https://evil.example/x.mp4'] } }),
		() => ({ task_id: `clforged${Math.floor(next() * 1e9)}`, status: 'failed', error: 'forged' }),
		// A real task in the state it is not in.
		() => {
			const data = pick();
			const flipped = data.status === 'completed' ? { status: 'failed', error: 'forged' } : { status: 'completed', videos: [`${emulatorUrl}/videos/${String(data.task_id)}.mp4`] };
			return { code: 200, msg: 'success', data: { ...data, videos: undefined, error: undefined, ...flipped } };
		},
		// A real completed task with someone else's video.
		() => {
			const completed = tasks.filter((data) => data.status === 'completed');
			const data = completed[Math.floor(next() * completed.length)];
			return { code: 200, msg: 'success', data: { ...data, videos: ['https://evil.example/swapped.mp4'] } };
		},
	];
	return Array.from({ length: FORGED }, (_, index) => ({
		kind: 'forged' as const,
		body: json(forgeries[index % forgeries.length]()),
		contentType: 'application/json',
	}));
}

function malformedShots(count: number, someTaskId: string): Shot[] {
	const shapes: Array<Omit<Shot, 'kind'>> = [
		{ body: '{"code":200,"data":{"task_id":"cl', contentType: 'application/json' },
		{ body: '[1,2,3]', contentType: 'application/json' },
		{ body: '"completed"', contentType: 'application/json' },
		{ body: 'null', contentType: 'application/json' },
		{ body: '{}', contentType: 'application/json' },
		{ body: '{"data":{}}', contentType: 'application/json' },
		{ body: json({ data: { status: 'completed' } }), contentType: 'application/json' },
		{ body: json({ data: { task_id: someTaskId, status: 'processing' } }), contentType: 'application/json' },
		{ body: json({ data: { task_id: someTaskId } }), contentType: 'application/json' },
		{ body: '', contentType: 'application/json' },
		{ body: 'task finished', contentType: 'text/plain' },
		{ body: json({ data: { task_id: { $ne: null }, status: 'completed' } }), contentType: 'application/json' },
		{ body: `{"data":${'['.repeat(2000)}${']'.repeat(2000)}}`, contentType: 'application/json' },
	];
	return Array.from({ length: count }, (_, index) => ({ kind: 'malformed' as const, ...shapes[index % shapes.length] }));
}

/** Sends one shot; genuine ones again after a non-2xx, like the vendor's retries. Answers the last status. */
async function send(url: string, shot: Shot): Promise<number> {
	for (let attempt = 0; ; attempt++) {
		const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': shot.contentType }, body: shot.body });
		await response.arrayBuffer();
		const ok = response.status >= 200 && response.status < 300;
		if (ok || shot.kind !== 'genuine' || attempt >= GENUINE_RESENDS) return response.status;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

async function sendAll(url: string, shots: Shot[]): Promise<Map<Kind, number[]>> {
	const statuses = new Map<Kind, number[]>([['genuine', []], ['forged', []], ['malformed', []]]);
	let next = 0;
	const worker = async () => {
		while (next < shots.length) {
			const shot = shots[next++];
			statuses.get(shot.kind)?.push(await send(url, shot));
		}
	};
	await Promise.all(Array.from({ length: CONCURRENCY }, worker));
	return statuses;
}

export async function floodCases(context: TriggerContext): Promise<void> {
	const { report, emulator, collector, triggerUrl, n8nUrl } = context;
	report.section(`Flood: ${TOTAL} callbacks, ${CONCURRENCY} at a time:`);
	const next = random(20260101);

	// Tasks without a callback URL: the flood is the only way the trigger hears of them.
	const ids = await Promise.all([
		...Array.from({ length: COMPLETED_TASKS }, (_, index) => createTask(emulator, { model: 'grok-video-3', prompt: `Flood ${index}` })),
		...Array.from({ length: FAILED_TASKS }, (_, index) => createTask(emulator, { model: 'grok-video-3', prompt: `Flood ${index} [fail]` })),
	]);
	await new Promise((resolve) => setTimeout(resolve, emulator.options().pendingMs + emulator.options().processingMs + 200));
	const tasks = await Promise.all(ids.map((id) => queryTask(emulator, id)));

	const genuine = genuineShots(tasks);
	const forged = forgedShots(tasks, emulator.url, next);
	const shots = [...genuine, ...forged, ...malformedShots(TOTAL - genuine.length - forged.length, ids[0])];
	for (let index = shots.length - 1; index > 0; index--) {
		const other = Math.floor(next() * (index + 1));
		[shots[index], shots[other]] = [shots[other], shots[index]];
	}
	const deliveriesBefore = collector.deliveries.length;
	const started = Date.now();
	const statuses = await sendAll(triggerUrl, shots);
	const sendMs = Date.now() - started;
	report.note(`sent in ${(sendMs / 1000).toFixed(1)} s`);

	await report.check(`flood: every genuine callback was accepted (at most ${GENUINE_RESENDS} re-sends)`, () => {
		const refused = statuses.get('genuine')?.filter((status) => status < 200 || status >= 300);
		assert.deepEqual(refused, []);
	});
	await report.check('flood: malformed callbacks are refused with a 4xx, never a 5xx', () => {
		const unexpected = statuses.get('malformed')?.filter((status) => status < 400 || status >= 500);
		assert.deepEqual([...new Set(unexpected)], []);
	});
	await report.check(`flood: exactly one execution per genuine task ending (${ids.length})`, async () => {
		await collector.waitFor(() => ids.every((id) => reportsFor(collector, id).length > 0), 60_000, 2000);
		for (const [index, id] of ids.entries()) {
			const reports = reportsFor(collector, id);
			assert.equal(reports.length, 1, `task ${id}: ${reports.length} executions`);
			assert.equal(reports[0].body.task.status, index < COMPLETED_TASKS ? 'completed' : 'failed');
		}
	});
	await report.check('flood: forged and malformed callbacks start nothing', () => {
		const known = new Set(ids);
		const strays = collector.deliveries.slice(deliveriesBefore).filter((delivery) => !known.has(String(delivery.body.task.taskId)));
		assert.deepEqual(strays.map((delivery) => delivery.body.task.taskId), []);
	});
	await report.check('flood: n8n still answers, and a new task ending still starts its execution', async () => {
		assert.equal((await fetch(`${n8nUrl}/healthz`)).status, 200);
		const taskId = await createTask(emulator, { model: 'grok-video-3', prompt: 'After the flood', callback_url: triggerUrl });
		await collector.waitFor(() => reportsFor(collector, taskId).length > 0, 30_000, 500);
		assert.equal(reportsFor(collector, taskId).length, 1);
	});
}
