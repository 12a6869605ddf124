/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- tests run on Node, outside n8n */
/**
 * APIModels Video Trigger receiving the emulator's own callbacks: Create Video (through n8n's
 * engine) creates tasks with a Callback URL pointing at a small loopback HTTP server standing in
 * for n8n's webhook server. It hands each POST to the trigger's webhook() (n8n-core's
 * WebhookContext) and writes the trigger's answer back the moment the node writes it, as n8n
 * does with a node that answers itself. Workflow static data is loaded before and, when
 * changed, saved after each call, last write winning, like n8n's database copy. The emulator
 * sends each callback, re-sends it on a non-2xx and then sends extra duplicate copies.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INodeType, IWebhookFunctions } from 'n8n-workflow';
import { ApiModelsVideoTrigger } from '../../nodes/ApiModelsVideoTrigger/ApiModelsVideoTrigger.node';
import type { CallbackShape, Spelling } from '../../emulator/options';
import type { EmulatorTask } from '../../emulator/tasks';
import { outputOf, runVideo, useEmulator } from './fixtures';
import { deliveriesIn, triggerFixtures } from './triggerFixtures';

const emulator = useEmulator({ callbackBackoffMs: [50, 100, 200], callbackBackgroundRetries: 0 });
const { post } = triggerFixtures(emulator);
const TOKEN = 'callback-token';
const DUPLICATES = 3;

interface Started {
	taskId: string;
	status: string;
	json: IDataObject;
}

/** n8n's webhook server in miniature, for one APIModels Video Trigger node. */
class WebhookServer {
	readonly started: Started[] = [];
	readonly errors: string[] = [];
	readonly answers: number[] = [];
	private staticData: IDataObject = {};
	private inFlight = 0;
	private queue: Promise<void> = Promise.resolve();
	private server = http.createServer((req, res) => this.receive(req, res));
	private readonly inner = new ApiModelsVideoTrigger();
	url = '';

	constructor(
		private readonly sequential: boolean,
		private readonly parameters: IDataObject,
	) {}

	async listen(): Promise<void> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook/harness-webhook/callback`;
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(resolve));
	}

	get idle(): boolean {
		return this.inFlight === 0;
	}

	/** The trigger, writing its answer to the real HTTP response as soon as it answers. */
	private answeringTrigger(res: http.ServerResponse): INodeType {
		const { inner, answers } = this;
		const trigger = Object.create(inner) as ApiModelsVideoTrigger;
		trigger.webhook = async function (this: IWebhookFunctions) {
			const response = this.getResponseObject();
			let statusCode = 200;
			const status = response.status.bind(response);
			const send = response.send.bind(response);
			response.status = ((code: number) => {
				statusCode = code;
				return status(code);
			}) as typeof response.status;
			response.send = ((body?: unknown) => {
				answers.push(statusCode);
				res.writeHead(statusCode, { 'content-type': 'application/json' }).end(JSON.stringify(body));
				return send(body);
			}) as typeof response.send;
			return await inner.webhook.call(this);
		};
		return trigger;
	}

	private receive(req: http.IncomingMessage, res: http.ServerResponse): void {
		this.inFlight += 1;
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const handle = () => this.handle(req, res, Buffer.concat(chunks)).finally(() => (this.inFlight -= 1));
			if (this.sequential) this.queue = this.queue.then(handle);
			else void handle();
		});
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): Promise<void> {
		const url = new URL(req.url ?? '/', this.url);
		const loaded = JSON.stringify(this.staticData);
		try {
			const result = await post(raw, {
				parameters: this.parameters,
				trigger: this.answeringTrigger(res),
				request: { method: req.method, headers: req.headers as Record<string, string>, query: Object.fromEntries(url.searchParams) },
				staticData: JSON.parse(loaded) as IDataObject,
			});
			// n8n saves static data after a call only when the call changed it.
			if (JSON.stringify(result.staticData) !== loaded) this.staticData = result.staticData;
			for (const item of (result.workflowData ?? []).flat()) {
				this.started.push({ taskId: String(item.json.taskId), status: String(item.json.status), json: item.json });
			}
			if (!res.headersSent) {
				this.errors.push(`no answer written (recorded ${result.response.statusCode})`);
				res.writeHead(result.response.statusCode).end(JSON.stringify(result.response.body ?? ''));
			}
		} catch (error) {
			this.errors.push((error as Error).message);
			if (!res.headersSent) res.writeHead(500).end();
		}
	}

	deliveries(): string[] {
		return deliveriesIn(this.staticData);
	}
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('timed out waiting for the callbacks to settle');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** Every task's callback and its duplicate copies are answered, and the server is idle. */
function settled(tasks: EmulatorTask[], receiver: WebhookServer): boolean {
	const byId = new Map(emulator().tasks().map((task) => [task.id, task]));
	return (
		receiver.idle &&
		tasks.every((task) => {
			const attempts = byId.get(task.id)?.callbacks ?? [];
			const duplicates = attempts.filter((attempt) => attempt.kind === 'duplicate');
			return duplicates.length === DUPLICATES && attempts.every((attempt) => attempt.status !== undefined || attempt.error !== undefined);
		})
	);
}

const PROMPTS = ['A red fox', 'A blue whale [fail]', 'A green parrot', 'A snow owl [fail]', 'A grey wolf'];

const cases = (['seed', 'live'] as Spelling[]).flatMap((spelling) =>
	(['wrapped', 'bare'] as CallbackShape[]).flatMap((callbackShape) =>
		[true, false].map((sequential) => ({ spelling, callbackShape, sequential, mode: sequential ? 'one at a time' : 'concurrently' })),
	),
);

describe('APIModels Video Trigger receiving the emulator\'s callbacks', () => {
	it.each(cases)(
		'$spelling spelling, $callbackShape, handled $mode: exactly one execution per finished task',
		async ({ spelling, callbackShape, sequential }) => {
			// Concurrently, API latency makes the copies arrive while the first is still being verified.
			emulator().setOptions({ spelling, callbackShape, callbackDuplicates: DUPLICATES, latencyMs: sequential ? 0 : 150 });
			const receiver = new WebhookServer(sequential, { secretToken: TOKEN });
			await receiver.listen();
			try {
				const created = await runVideo(
					emulator(),
					{
						operation: 'create',
						model: 'grok-video-3',
						prompt: '={{ $json.prompt }}',
						options: { callbackUrl: `${receiver.url}?token=${TOKEN}` },
					},
					PROMPTS.map((prompt) => ({ prompt })),
				);
				const ids = outputOf(created).map((item) => String(item.json.taskId));
				expect(ids).toHaveLength(PROMPTS.length);
				const tasks = emulator().tasks().filter((task) => ids.includes(task.id));
				await until(() => settled(tasks, receiver));

				expect(receiver.errors).toEqual([]);
				const expected = tasks.map((task) => `${task.id}:${task.outcome}`).sort();
				expect(receiver.started.map((run) => `${run.taskId}:${run.status}`).sort()).toEqual(expected);
				for (const run of receiver.started) {
					const task = tasks.find((candidate) => candidate.id === run.taskId) as EmulatorTask;
					expect(run.json).toMatchObject({
						model: 'grok-video-3',
						videoUrls: task.outcome === 'completed' ? [emulator().videoUrl(task.id)] : [],
						error: task.outcome === 'failed' ? 'Content policy violation' : null,
					});
				}

				// What the emulator saw: each first POST answered 200; copies 200 (duplicate) or,
				// while the first was still being verified, 409.
				const attempts = emulator().tasks().filter((task) => ids.includes(task.id)).flatMap((task) => task.callbacks);
				expect(attempts.filter((attempt) => attempt.kind === 'first').map((attempt) => attempt.status)).toEqual(
					Array(PROMPTS.length).fill(200),
				);
				expect(attempts.filter((attempt) => ![200, 409].includes(attempt.status ?? 0))).toEqual([]);
				expect(receiver.answers.length).toBe(attempts.length);
				if (sequential) expect(attempts.every((attempt) => attempt.status === 200)).toBe(true);
				else expect(receiver.answers).toContain(409); // copies did overlap
				// The saved static data remembers every ending, whatever order the saves came in.
				expect(receiver.deliveries()).toEqual(expect.arrayContaining(expected));
				console.log(
					`callbacks ${spelling}/${callbackShape}/${sequential ? 'sequential' : 'concurrent'}: ` +
						`${attempts.length} POSTs for ${tasks.length} tasks, answers ${JSON.stringify(countBy(receiver.answers))}, ` +
						`${receiver.started.length} executions`,
				);
			} finally {
				await receiver.close();
			}
		},
	);

	it('a callback without the token is refused and re-sent by the vendor, starting nothing', async () => {
		emulator().setOptions({ callbackDuplicates: 0 });
		const receiver = new WebhookServer(false, { secretToken: TOKEN });
		await receiver.listen();
		try {
			const created = await runVideo(emulator(), {
				operation: 'create',
				model: 'grok-video-3',
				prompt: 'A tokenless fox',
				options: { callbackUrl: receiver.url },
			});
			const [id] = outputOf(created).map((item) => String(item.json.taskId));
			await until(() => (emulator().tasks().find((task) => task.id === id)?.callbacks.filter((a) => a.status).length ?? 0) === 4);
			await until(() => receiver.idle);
			const attempts = emulator().tasks().find((task) => task.id === id)?.callbacks ?? [];
			expect(attempts.map((attempt) => [attempt.kind, attempt.status])).toEqual([
				['first', 401],
				['retry', 401],
				['retry', 401],
				['retry', 401],
			]);
			expect(receiver.started).toEqual([]);
			expect(emulator().stats().totals.status).toBe(0);
		} finally {
			await receiver.close();
		}
	});
});

function countBy(values: number[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
	return counts;
}
