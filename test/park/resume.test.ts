/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run on Node, outside n8n */
/**
 * Park Execution, the resume side: the execution parked by n8n-core's engine, then the emulator's
 * callbacks (the vendor's re-send schedule, scaled down) posted over loopback HTTP to a miniature
 * of n8n's waiting-webhook endpoint, which hands each to the node's webhook() with the waiting
 * execution's data, as n8n's WaitingWebhooks does, and answers 409 once the execution resumed.
 * What is checked: reads per task, what a repeated or forged call costs, exactly one resume, a
 * process that never saw the batch (restart, another webhook process), Download Video.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';
import type { Emulator } from '../../emulator/server';
import type { HarnessNode, RunResult } from '../../harness/engine';
import { readBinary, runWebhook } from '../../harness/engine';
import { videoBytes } from '../../emulator/video';
import { REREAD_AFTER_MS } from '../../nodes/ApiModelsVideo/resources/video/parkMemory';
import { credentialsFor, credentialTypes, nodeTypes, outputOf, runVideo, useEmulator, VIDEO_TYPE, videoNode } from '../support/fixtures';
import { sleep, waitFor } from '../support/timing';
import { warpTime } from '../support/timeWarp';

// Every clock twice as fast: the tasks' renders, the vendor's re-sends and the node's pauses.
warpTime(2);
const emulator = useEmulator({
	pendingMs: 0,
	processingMs: 60_000,
	callbackBackoffMs: [100, 200, 400],
	callbackBackgroundRetries: 2,
	callbackBackgroundIntervalMs: 1000,
	callbackTimeoutMs: 2000,
});

/** The APIModels Video module loaded afresh: what another (or a restarted) n8n process has in memory. */
function freshVideoNode(): INodeType {
	let fresh: INodeType | undefined;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const module = require('../../nodes/ApiModelsVideo/ApiModelsVideo.node');
		fresh = new module.ApiModelsVideo();
	});
	return fresh as INodeType;
}

/** A loopback server standing for n8n's `/webhook-waiting` endpoint. */
abstract class WaitingEndpoint {
	url = '';
	protected abstract readonly server: http.Server;

	async listen(): Promise<void> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook-waiting`;
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(resolve));
	}
}

/** n8n's `/webhook-waiting/<execution id>` for one parked execution. */
class WaitingWebhook extends WaitingEndpoint {
	readonly answers: number[] = [];
	readonly resumes: INodeExecutionData[][] = [];
	/** What the call that resumed the execution was answered. */
	readonly resumeAnswers: number[] = [];
	readonly errors: string[] = [];
	parked?: RunResult;
	private inFlight = 0;
	protected readonly server = http.createServer((req, res) => this.receive(req, res));

	constructor(
		private readonly node: HarnessNode,
		private readonly types: Record<string, INodeType> = nodeTypes,
	) {
		super();
	}

	/** Posts as the vendor does, straight: the status n8n answers. */
	async post(body: unknown): Promise<number> {
		const response = await fetch(`${this.url}/${this.parked?.executionId}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
		});
		return response.status;
	}

	private receive(req: http.IncomingMessage, res: http.ServerResponse): void {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		this.inFlight += 1;
		req.on('end', () => void this.handle(res, Buffer.concat(chunks).toString('utf8')).finally(() => (this.inFlight -= 1)));
	}

	/** No call is in the node: what a callback started after its answer (reading the batch) is done. */
	get idle(): boolean {
		return this.inFlight === 0;
	}

	private answer(res: http.ServerResponse, status: number, body: unknown): void {
		if (res.headersSent) return;
		this.answers.push(status);
		res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
	}

	private async handle(res: http.ServerResponse, raw: string): Promise<void> {
		// n8n: not parked yet (the execution is running), or resumed already.
		if (!this.parked || this.resumes.length > 0) return this.answer(res, 409, { message: 'The execution is not waiting' });
		try {
			const result = await runWebhook({
				nodeTypes: this.types,
				credentialTypes,
				credentials: credentialsFor(emulator()),
				node: this.node,
				request: { body: raw },
				executionId: this.parked.executionId,
				runExecutionData: structuredClone(this.parked.executionData),
				onAnswer: (response) => this.answer(res, response.statusCode, response.body),
			});
			if (result.workflowData) {
				this.resumes.push(result.workflowData[0]);
				this.resumeAnswers.push(res.headersSent ? res.statusCode : 200);
			}
			this.answer(res, 200, { message: 'Workflow was started' });
		} catch (error) {
			this.errors.push((error as Error).message);
			this.answer(res, 500, { message: (error as Error).message });
		}
	}
}

/** Two webhook processes behind a balancer that hands the calls to each in turn, as queue mode's load balancer may. */
class Balancer extends WaitingEndpoint {
	parked?: RunResult;
	private turn = 0;
	protected readonly server = http.createServer((req, res) => void this.forward(req, res));

	constructor(readonly processes: WaitingWebhook[]) {
		super();
	}

	get resumes(): INodeExecutionData[][] {
		return this.processes.flatMap((each) => each.resumes);
	}

	private async forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		// n8n's execution is shared: once one process resumed it, every call gets 409.
		if (this.resumes.length > 0) return void res.writeHead(409).end();
		const target = this.processes[this.turn++ % this.processes.length];
		const answer = await fetch(`${target.url}${req.url?.replace(/^\/webhook-waiting/, '')}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: Buffer.concat(chunks),
		});
		res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
	}
}

const PARK = { waitForCompletion: true, waitMode: 'park', timeoutMinutes: 30 };

/** Parks Create Video over `prompts` with its callbacks going to `endpoint`; answers the task ids. */
async function park(endpoint: { url: string; parked?: RunResult }, prompts: string[], options: IDataObject = {}): Promise<string[]> {
	const parameters = { operation: 'create', model: 'grok-video-3', prompt: '={{ $json.prompt }}', options: { ...PARK, ...options } };
	const result = await runVideo(emulator(), parameters, prompts.map((prompt) => ({ prompt })), {
		webhookWaitingBaseUrl: endpoint.url,
	});
	expect(result.status).toBe('waiting');
	endpoint.parked = result;
	return outputOf(result).map((item) => String(item.json.taskId));
}

const reads = (api: Emulator) => api.stats().polls;
const callbackBody = (taskId: string, status = 'completed') => ({ code: 200, msg: 'success', data: { task_id: taskId, status } });

const endpoints: WaitingWebhook[] = [];
async function endpoint(types?: Record<string, INodeType>, options: IDataObject = {}): Promise<WaitingWebhook> {
	const node = videoNode({ operation: 'create', model: 'grok-video-3', prompt: '={{ $json.prompt }}', options: { ...PARK, ...options } });
	const created = new WaitingWebhook(node, types);
	await created.listen();
	endpoints.push(created);
	return created;
}
afterEach(async () => {
	await Promise.all(endpoints.splice(0).map(async (each) => await each.close()));
});

describe('Park Execution: resumed by the callbacks', () => {
	it('resumes once with every result, at most 3 reads per task, re-sent and duplicate callbacks included', async () => {
		emulator().setOptions({ callbackDuplicates: 2 });
		const waiting = await endpoint();
		const prompts = Array.from({ length: 6 }, (_, index) => `Scene ${index} [processingMs=${2000 + 40 * index}]`);
		const taskIds = await park(waiting, prompts);
		await waitFor(() => waiting.resumes.length > 0, 30_000);
		// Let the duplicates and re-sends arrive: none may resume it again.
		const ours = () => emulator().tasks().filter((task) => taskIds.includes(task.id));
		await waitFor(() => ours().every((task) => task.callbacks.length >= 3), 30_000);

		expect(waiting.resumes).toHaveLength(1);
		expect(waiting.errors).toEqual([]);
		const [items] = waiting.resumes;
		expect(items.map((item) => [item.json.status, item.json.timedOut])).toEqual(prompts.map(() => ['completed', false]));
		expect(items.map((item) => item.json.taskId)).toEqual(taskIds);
		expect(items.map((item) => item.pairedItem)).toEqual(prompts.map((_, item) => ({ item })));
		const perTask = taskIds.map((taskId) => reads(emulator())[taskId]);
		expect(Math.max(...perTask)).toBeLessThanOrEqual(3);
		expect(ours()).toHaveLength(6);
		expect(emulator().stats().requests.create).toEqual({ 200: 6 });
	});

	it('answers a repeated callback from memory and a forged one with at most one read', async () => {
		const waiting = await endpoint();
		const [quick, slow] = await park(waiting, ['Quick [processingMs=200]', 'Slow [processingMs=60000]']);
		await waitFor(() => waiting.answers.includes(200) && waiting.idle, 30_000);
		const before = { ...reads(emulator()) };

		// Repeated: its task is known to have ended.
		expect(await waiting.post(callbackBody(quick))).toBe(200);
		// Forged: a task this execution does not wait for, a body naming no task, a body with no final status.
		expect(await waiting.post(callbackBody('cl_forged'))).toBe(404);
		expect(await waiting.post({ hello: 'world' })).toBe(400);
		expect(await waiting.post(callbackBody(slow, 'processing'))).toBe(400);
		expect(reads(emulator())).toEqual(before);

		// Forged "completed" for a running task: one read, none while it is recent, then one again.
		expect(await waiting.post(callbackBody(slow))).toBe(422);
		expect(await waiting.post(callbackBody(slow))).toBe(422);
		expect(reads(emulator())).toEqual({ ...before, [slow]: before[slow] + 1 });
		await sleep(REREAD_AFTER_MS);
		expect(await waiting.post(callbackBody(slow))).toBe(422);
		expect(await waiting.post(callbackBody(slow))).toBe(422);
		expect(reads(emulator())).toEqual({ ...before, [slow]: before[slow] + 2 });
		expect(waiting.resumes).toEqual([]);
	});

	it('a process that never saw the batch rebuilds it from one read per task it does not know', async () => {
		const waiting = await endpoint({ [VIDEO_TYPE]: freshVideoNode() });
		const prompts = Array.from({ length: 5 }, (_, index) => `Elsewhere ${index} [processingMs=2000]`);
		await park(waiting, prompts);
		const parkedReads = { ...reads(emulator()) };
		await waitFor(() => waiting.resumes.length > 0, 30_000);

		expect(waiting.resumes).toHaveLength(1);
		expect(waiting.resumes[0].every((item) => item.json.status === 'completed')).toBe(true);
		// One read each before parking, then one each by the process that got the callbacks.
		for (const [taskId, count] of Object.entries(reads(emulator()))) expect(count - (parkedReads[taskId] ?? 0)).toBe(1);
		expect(waiting.answers).not.toContain(500);
	});

	it.each([
		['in item order', (index: number) => index],
		['in reverse order', (index: number) => 5 - index],
		['out of order', (index: number) => [3, 0, 5, 1, 4, 2][index]],
	])('two webhook processes, each getting every other callback, tasks ending %s: the one with the last learns what the other confirmed', async (_, rank) => {
		const processes = [await endpoint({ [VIDEO_TYPE]: freshVideoNode() }), await endpoint({ [VIDEO_TYPE]: freshVideoNode() })];
		const balancer = new Balancer(processes);
		await balancer.listen();
		try {
			// Ending one after another, so each process reads the batch while most tasks still run.
			const prompts = Array.from({ length: 6 }, (_, index) => `Spread ${index} [processingMs=${2000 + 300 * rank(index)}]`);
			const taskIds = await park(balancer, prompts);
			for (const each of processes) each.parked = balancer.parked;
			const parkedReads = { ...reads(emulator()) };
			await waitFor(() => balancer.resumes.length > 0, 30_000);

			expect(balancer.resumes).toHaveLength(1);
			expect(balancer.resumes[0].map((item) => [item.json.taskId, item.json.status, item.json.timedOut])).toEqual(taskIds.map((taskId) => [taskId, 'completed', false]));
			// Each task read at most 3 times by each process.
			for (const taskId of taskIds) expect(reads(emulator())[taskId] - parkedReads[taskId]).toBeLessThanOrEqual(2 * 3);
			expect(processes.flatMap((each) => each.answers)).not.toContain(500);
		} finally {
			await balancer.close();
		}
	});

	it('Download Video: the resumed items carry the videos', async () => {
		const waiting = await endpoint(undefined, { downloadVideo: true });
		await park(waiting, ['Film A [processingMs=2000]', 'Film B [processingMs=2050]'], { downloadVideo: true });
		await waitFor(() => waiting.resumes.length > 0, 30_000);

		const [items] = waiting.resumes;
		expect(items).toHaveLength(2);
		for (const item of items) {
			expect(item.json).toMatchObject({ status: 'completed', timedOut: false });
			expect(await readBinary(item)).toEqual(videoBytes({ label: String(item.json.taskId), sizeBytes: 0 }));
		}
		// The last callback was answered before the downloads, so it is not re-sent meanwhile (an
		// earlier callback may get a 503 when a loaded machine makes its own read outlast the budget).
		expect(waiting.resumeAnswers).toEqual([200]);
	});

	it('a failed task ends the wait like a completed one, as an item with its error', async () => {
		const waiting = await endpoint();
		await park(waiting, ['Fine [processingMs=2000]', 'Refused [fail][processingMs=2000]']);
		await waitFor(() => waiting.resumes.length > 0, 30_000);
		expect(waiting.resumes[0].map((item) => item.json.status)).toEqual(['completed', 'failed']);
		expect(waiting.resumes[0][1].json.error).toEqual(expect.any(String));
		expect(outputOf(waiting.parked as RunResult).every((item) => item.json.timedOut === true)).toBe(true);
	});
});
