/**
 * APIModels Callback Trigger under a flood: 1,000 callbacks mixing genuine ones, duplicated copies,
 * forgeries and malformed bodies, in a fixed pseudo-random order, sent 20 at a time through the
 * trigger's webhook() (n8n-core's WebhookContext, in process). Static data is loaded before and,
 * when changed, saved after each call, last write winning, like n8n's database copy; a 409 or 503
 * (not acknowledged for now) is re-sent later, as the vendor does. The workflow must
 * start exactly once per genuine task ending, and never for anything else.
 */
import { randomBytes } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';
import type { WebhookRequest } from '../../harness/engine';
import type { Spelling } from '../../emulator/options';
import { taskData } from '../../emulator/spellings';
import type { EmulatorTask } from '../../emulator/tasks';
import { callbackToken } from '../../nodes/shared/callbackToken';
import { outputOf, runVideo, useEmulator } from '../support/fixtures';
import { deliveriesIn, triggerFixtures } from './fixtures';

const emulator = useEmulator();
const { callbackFor, post } = triggerFixtures(emulator);
const SECRET = 'flood-secret';
const TOKEN = callbackToken(SECRET);
const TOTAL = 1000;
const CONCURRENCY = 20;
const COMPLETED_TASKS = 80;
const FAILED_TASKS = 20;
const RUNNING_TASKS = 5;

type Kind = 'genuine' | 'duplicate' | 'forged' | 'malformed';

interface Message {
	kind: Kind;
	label: string;
	request: WebhookRequest;
	/** The answer it must finally get. */
	expectedStatus: number | number[];
}

/** mulberry32: a small seeded generator, so every run sends the same flood. */
function seeded(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe('APIModels Callback Trigger under a flood of 1,000 callbacks', () => {
	it('starts the workflow exactly once per genuine task ending', async () => {
		const random = seeded(20250101);
		const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];

		// Tasks: completed, failed, and some still running.
		emulator().setOptions({ pendingMs: 0, processingMs: 0 });
		const prompts = [
			...Array.from({ length: COMPLETED_TASKS }, (_, i) => `Scene ${i}`),
			...Array.from({ length: FAILED_TASKS }, (_, i) => `Scene ${i} [fail]`),
			...Array.from({ length: RUNNING_TASKS }, (_, i) => `Scene ${i} [processingMs=600000]`),
		];
		const created = await runVideo(
			emulator(),
			{ operation: 'create', model: 'grok-video-3', prompt: '={{ $json.prompt }}' },
			prompts.map((prompt) => ({ prompt })),
		);
		const ids = new Set(outputOf(created).map((item) => String(item.json.taskId)));
		const tasks = emulator().tasks().filter((task) => ids.has(task.id));
		const ended = tasks.filter((task) => task.finishedAt <= Date.now());
		const completed = ended.filter((task) => task.outcome === 'completed');
		const failed = ended.filter((task) => task.outcome === 'failed');
		const running = tasks.filter((task) => task.finishedAt > Date.now());
		expect([completed.length, failed.length, running.length]).toEqual([COMPLETED_TASKS, FAILED_TASKS, RUNNING_TASKS]);

		const url = (task: EmulatorTask) => emulator().videoUrl(task.id);
		const tokened = (body: unknown): WebhookRequest =>
			random() < 0.5 ? { body, query: { token: TOKEN } } : { body, headers: { 'X-APIModels-Token': TOKEN } };
		const genuineBody = (task: EmulatorTask) => {
			const body = callbackFor(task, { spelling: pick<Spelling>(['seed', 'live']), wrapped: random() < 0.5 });
			return random() < 0.5 ? JSON.stringify(body) : body;
		};
		const newId = () => `cl${randomBytes(12).toString('hex')}`;

		const messages: Message[] = [];
		const add = (kind: Kind, label: string, request: WebhookRequest, expectedStatus: number | number[] = 200) =>
			messages.push({ kind, label, request, expectedStatus });

		for (const task of ended) add('genuine', 'genuine', tokened(genuineBody(task)));
		for (let i = 0; i < 350; i++) add('duplicate', 'duplicate', tokened(genuineBody(pick(ended))));

		// A forgery of a delivered task's own ending is a known duplicate once the genuine one is in
		// (200, nothing started); before that, verification refuses it (422).
		const SAME_KEY_AS_GENUINE = [200, 422];
		const forgeries: Array<[string, () => WebhookRequest, number | number[]]> = [
			['unknown task', () => tokened({ task_id: newId(), status: 'completed', videos: ['https://evil.example.com/a.mp4'] }), 404],
			['other video URL', () => {
				const task = pick(completed);
				return tokened({ code: 200, msg: 'success', data: { ...taskData(task, 'completed', 'seed', url(task)), videos: ['https://evil.example.com/b.mp4'] } });
			}, SAME_KEY_AS_GENUINE],
			['extra video URL', () => {
				const task = pick(completed);
				return tokened({ taskId: task.id, state: 'completed', resultUrls: [url(task), 'https://evil.example.com/c.mp4'] });
			}, SAME_KEY_AS_GENUINE],
			['failed task claimed completed', () => {
				const task = pick(failed);
				return tokened(taskData(task, 'completed', 'live', url(task)));
			}, 422],
			['completed task claimed failed', () => {
				const task = pick(completed);
				return tokened({ code: 200, msg: 'success', data: taskData(task, 'failed', 'seed', url(task)) });
			}, 422],
			['running task claimed completed', () => {
				const task = pick(running);
				return tokened(taskData(task, 'completed', 'seed', url(task)));
			}, 422],
			['genuine body, no token', () => ({ body: genuineBody(pick(ended)) }), 401],
			['genuine body, wrong token', () => ({ body: genuineBody(pick(ended)), query: { token: 'guess' } }), 403],
		];
		for (let i = 0; i < 300; i++) {
			const [label, make, status] = forgeries[i % forgeries.length];
			add('forged', label, make(), status);
		}

		const malformed: Array<[string, () => unknown]> = [
			['not JSON', () => 'the video is ready'],
			['truncated JSON', () => '{"code":200,"data":{"task_id":"cl'],
			['JSON array', () => [{ task_id: pick(ended).id, status: 'completed' }]],
			['no task id', () => ({ code: 200, msg: 'success', data: { status: 'completed', videos: [url(pick(completed))] } })],
			['still processing', () => ({ task_id: pick(ended).id, status: 'processing' })],
			['unknown status', () => ({ taskId: pick(ended).id, state: 'teleported' })],
			['empty body', () => undefined],
		];
		for (let i = 0; messages.length < TOTAL; i++) {
			const [label, make] = malformed[i % malformed.length];
			add('malformed', label, tokened(make()), 400);
		}
		expect(messages).toHaveLength(TOTAL);

		// Shuffle (Fisher-Yates with the seeded generator).
		for (let i = messages.length - 1; i > 0; i--) {
			const j = Math.floor(random() * (i + 1));
			[messages[i], messages[j]] = [messages[j], messages[i]];
		}

		// Send: CONCURRENCY workers take the next message; a 409 or 503 goes to the back of the line.
		const queue = [...messages];
		let staticData: IDataObject = {};
		const started: string[] = [];
		const finalStatus = new Map<Message, number>();
		const errors: string[] = [];
		let posts = 0;
		let verified = 0;
		const worker = async () => {
			for (let message = queue.shift(); message; message = queue.shift()) {
				posts += 1;
				if (posts > TOTAL * 3) throw new Error('too many re-sends');
				try {
					const loaded = JSON.stringify(staticData);
					const { body: sent, ...request } = message.request;
					const result = await post(sent, { secret: SECRET, request, staticData: JSON.parse(loaded) as IDataObject });
					// n8n saves static data after a call only when the call changed it.
					if (JSON.stringify(result.staticData) !== loaded) staticData = result.staticData;
					const status = result.response.statusCode;
					// A call that hands over an execution writes no answer: n8n answers 200.
					const body = (result.response.body ?? {}) as IDataObject;
					if (!(status === 200 && body.duplicate) && [200, 404, 422].includes(status)) verified += 1;
					for (const item of (result.workflowData ?? []).flat()) started.push(`${item.json.taskId}:${item.json.status}`);
					// Not acknowledged for now (a copy in flight, or no verification slot): sent again.
					if (status === 409 || status === 503) queue.push(message);
					else finalStatus.set(message, status);
				} catch (error) {
					errors.push(`${message.label}: ${(error as Error).message}`);
				}
			}
		};
		await Promise.all(Array.from({ length: CONCURRENCY }, worker));

		const expected = ended.map((task) => `${task.id}:${task.outcome}`).sort();
		expect(errors).toEqual([]);
		expect(started.sort()).toEqual(expected);
		expect(started.length).toBe(COMPLETED_TASKS + FAILED_TASKS);
		// Despite last-write-wins saves, the static data ends up remembering every genuine ending.
		const persisted = deliveriesIn(staticData).slice().sort();
		expect(persisted).toEqual(expected);
		// Every message got the answer its kind deserves (after any re-sends of a 409 or 503).
		const wrong = messages
			.filter((message) => ![message.expectedStatus].flat().includes(finalStatus.get(message) ?? 0))
			.map((message) => `${message.kind}/${message.label}: ${finalStatus.get(message)}`);
		expect(wrong).toEqual([]);
		// Only newly claimed callbacks ask the API, once each (confirmed 200, unknown 404, contradicted
		// 422): refused bodies and tokens, copies refused while another is verified (409), callbacks
		// beyond the verification slots (503) and known duplicates never do.
		expect(emulator().stats().totals.status).toBe(verified);
		expect(ended.every((task) => (emulator().stats().polls[task.id] ?? 0) >= 1)).toBe(true);
	});
});
