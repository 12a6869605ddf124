/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the API emulator, a Node server, not n8n code */
/**
 * An HTTP emulator of the apimodels.app Video Generation API for tests, benchmarks and the
 * e2e suite: tasks, models, uploads, result videos, callbacks, injected faults and counters.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callbackPayload, createTask, listModels, queryTask } from './api';
import { CallbackSender } from './callbacks';
import type { EmulatorContext } from './context';
import { videoSpecOf, videoUrlOf } from './context';
import { CONTROL_PREFIX, handleControl } from './control';
import type { AnswerLosingFault, ApiRoute, BareFaultKind, Fault, FaultRoute, PendingFault } from './faults';
import { actsFirst, answerFault, FaultQueue, HeldAnswer, isDownloadFault } from './faults';
import { baseUrlOf, BodyError, sendError } from './http';
import { answerDownloadFault, serveUpload, serveVideo, uploadFile } from './media';
import type { EmulatorOptions, RuntimeOptions } from './options';
import { defaultRuntimeOptions, mergeOptions } from './options';
import { Scheduler } from './scheduler';
import type { EmulatorStats } from './stats';
import { StatsRecorder } from './stats';
import type { EmulatorTask } from './tasks';
import { TaskStore } from './tasks';
import { UploadStore } from './uploads';
import type { VideoSpec } from './video';

export interface Emulator {
	/** Base URL, e.g. `http://127.0.0.1:40123`; use it as the credential's Base URL. */
	url: string;
	port: number;
	/** The first of `apiKeys`. */
	apiKey: string;
	/** Stops listening, drops open connections and cancels every pending callback. */
	close(): Promise<void>;
	stats(): EmulatorStats;
	resetStats(): void;
	/** Makes the next `count` requests of `route` ('*' for any) misbehave. */
	inject(route: FaultRoute, fault: Fault | BareFaultKind, count?: number): void;
	pendingFaults(): PendingFault[];
	clearFaults(): void;
	options(): RuntimeOptions;
	/** Changes options at runtime; timing applies to tasks created afterwards. Returns the options now in force. */
	setOptions(patch: Partial<RuntimeOptions>): RuntimeOptions;
	/** Stats, faults and options back to how the emulator started; tasks and uploads stay. */
	reset(): void;
	tasks(): EmulatorTask[];
	videoUrl(taskId: string): string;
	/** What `GET videoUrl(taskId)` answers now; pass it to `videoSha256`, `videoBytes` or `videoLength`. */
	videoSpec(taskId: string): VideoSpec;
}

type Handler = (context: EmulatorContext, req: IncomingMessage, res: ServerResponse, url: URL) => unknown;

const handlers: Record<ApiRoute, Handler> = {
	create: createTask,
	status: queryTask,
	models: listModels,
	files: uploadFile,
	video: serveVideo,
	uploads: serveUpload,
	unknown: (_context, _req, res) => sendError(res, 404, 'Not found'),
};

function routeOf(method: string, pathname: string): ApiRoute {
	const read = method === 'GET' || method === 'HEAD';
	if (pathname === '/api/v1/video/generations') return method === 'POST' ? 'create' : read ? 'status' : 'unknown';
	if (pathname === '/api/v1/models' && read) return 'models';
	if (pathname === '/api/v1/files' && method === 'POST') return 'files';
	if (/^\/videos\/[^/]+\.mp4$/.test(pathname) && read) return 'video';
	if (/^\/files\/[^/]+\/[^/]*$/.test(pathname) && read) return 'uploads';
	return 'unknown';
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve((server.address() as AddressInfo).port);
		});
	});
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const initial = mergeOptions(defaultRuntimeOptions, options);
	let current = initial;
	const host = options.host ?? '127.0.0.1';
	const server = http.createServer();
	const port = await listen(server, options.port ?? 0, host);
	const baseUrl = baseUrlOf(host, port);
	const scheduler = new Scheduler();
	const stats = new StatsRecorder(() => current.requestLogLimit);
	const faults = new FaultQueue();
	const tasks = new TaskStore();
	const uploads = new UploadStore();
	const callbacks = new CallbackSender(scheduler, stats, () => current, (task) => callbackPayload(context, task));
	const context: EmulatorContext = { options: () => current, baseUrl, tasks, uploads, stats, callbacks };

	const emulator: Emulator = {
		url: baseUrl,
		port,
		apiKey: initial.apiKeys[0],
		async close() {
			scheduler.close();
			callbacks.close();
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			server.closeAllConnections();
			await closed;
			await uploads.close();
		},
		stats: () => stats.snapshot(),
		resetStats: () => stats.reset(),
		inject: (route, fault, count = 1) => faults.add(route, fault, count),
		pendingFaults: () => faults.list(),
		clearFaults: () => faults.clear(),
		options: () => structuredClone(current),
		setOptions(patch) {
			current = mergeOptions(current, patch);
			return emulator.options();
		},
		reset() {
			stats.reset();
			faults.clear();
			current = initial;
		},
		tasks: () => tasks.list(),
		videoUrl: (taskId) => videoUrlOf(baseUrl, taskId),
		videoSpec: (taskId) => videoSpecOf(context, taskId),
	};

	async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const route = routeOf(req.method ?? 'GET', url.pathname);
		const finish = stats.begin(route, req.method ?? 'GET', `${url.pathname}${url.search}`);
		const fault = faults.take(route);
		if (fault) stats.faultApplied(fault.kind);
		res.once('close', () => {
			const answered = res.writableFinished ? String(res.statusCode) : 'aborted';
			finish(fault?.kind === 'drop' ? 'dropped' : answered, fault?.kind);
		});
		if (actsFirst(fault)) return await actThenLoseAnswer(fault as AnswerLosingFault, req, res, url, route);
		const delayMs = current.latencyMs + (fault?.kind === 'slow' ? fault.delayMs : 0);
		if (delayMs > 0 && !(await scheduler.wait(delayMs))) return;
		if (fault && isDownloadFault(fault)) return await answerDownloadFault(context, fault, req, res, url, scheduler);
		if (fault && fault.kind !== 'slow') return answerFault(fault, res);
		await handlers[route](context, req, res, url);
	}

	/** The route acts (a create makes its task), then its answer is replaced, or held back and sent late. */
	async function actThenLoseAnswer(fault: AnswerLosingFault, req: IncomingMessage, res: ServerResponse, url: URL, route: ApiRoute) {
		const held = new HeldAnswer();
		await handlers[route](context, req, held as unknown as ServerResponse, url);
		const delayMs = current.latencyMs + (fault.kind === 'slow' ? fault.delayMs : 0);
		if (delayMs > 0 && !(await scheduler.wait(delayMs))) return;
		if (fault.kind === 'slow') return held.replay(res);
		answerFault(fault, res);
	}

	server.on('request', (req: IncomingMessage, res: ServerResponse) => {
		const url = new URL(req.url ?? '/', baseUrl);
		const handling = url.pathname.startsWith(CONTROL_PREFIX)
			? handleControl(emulator, req, res, url)
			: handleApi(req, res, url);
		handling.catch((error: Error) => {
			if (res.headersSent) return void res.destroy();
			if (error instanceof BodyError) return sendError(res, error.status, error.message);
			sendError(res, 500, `Emulator error: ${error.message}`);
		});
	});
	return emulator;
}
