/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
/**
 * n8n's webhook server in miniature, for one APIModels Callback Trigger node: a loopback HTTP server
 * that hands each POST to the trigger's webhook() through n8n-core's WebhookContext and answers as
 * n8n 2.40 does. A node that writes its own answer has it sent the moment it writes it; a node that
 * returns `workflowData` without answering gets n8n's 200 once the call has returned (n8n has
 * stored the execution by then). Workflow static data lives in a `Database` shared by every
 * "process": loaded before each call and, when changed, saved whole after it, the last save
 * winning, as n8n does with no lock. Each WebhookProcess has its own copy of the trigger module,
 * so its in-memory state is its own, as in a separate n8n webhook process.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INodeType, IWebhookFunctions } from 'n8n-workflow';
import type { Emulator } from '../../emulator/server';
import { deliveriesIn, triggerFixtures } from './fixtures';

/** The one workflow's static data, as n8n's database holds it. */
/** The vendor's callback schedule: 1, 2, 4 s, then background attempts (every 3 s here, to keep tests short). */
export const VENDOR_CALLBACK_SCHEDULE = {
	callbackBackoffMs: [1000, 2000, 4000],
	callbackBackgroundRetries: 10,
	callbackBackgroundIntervalMs: 3000,
};

export class Database {
	staticData: IDataObject = {};
	saves = 0;
}

export interface StartedExecution {
	taskId: string;
	status: string;
	json: IDataObject;
	/** Which process started it. */
	process: string;
}

/** A trigger module loaded afresh: what a separate (or restarted) n8n process has in memory. */
export function freshTrigger(): INodeType {
	let fresh: INodeType | undefined;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const module = require('../../nodes/ApiModelsCallbackTrigger/ApiModelsCallbackTrigger.node');
		fresh = new module.ApiModelsCallbackTrigger();
	});
	return fresh as INodeType;
}

export class WebhookProcess {
	readonly answers: number[] = [];
	readonly errors: string[] = [];
	private inFlight = 0;
	private queue: Promise<void> = Promise.resolve();
	private server = http.createServer((req, res) => this.receive(req, res));
	private readonly inner = freshTrigger();
	url = '';

	readonly name: string;
	private readonly parameters: IDataObject;
	private readonly secret?: string;
	private readonly sequential: boolean;

	constructor(
		private readonly emulator: () => Emulator,
		private readonly database: Database,
		private readonly started: StartedExecution[],
		{
			parameters = {},
			secret,
			name = 'webhook-1',
			sequential = false,
		}: { parameters?: IDataObject; secret?: string; name?: string; sequential?: boolean } = {},
	) {
		this.parameters = parameters;
		this.secret = secret;
		this.name = name;
		// One call at a time, or (as n8n does) each call as it arrives.
		this.sequential = sequential;
	}

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

	/** The trigger, writing its own answer to the real HTTP response as soon as it writes it. */
	private answeringTrigger(res: http.ServerResponse): INodeType {
		const { inner, answers } = this;
		const trigger = Object.create(inner) as INodeType;
		trigger.webhook = async function (this: IWebhookFunctions) {
			const response = this.getResponseObject();
			let statusCode = 200;
			const headers: Record<string, string> = {};
			const status = response.status.bind(response);
			const setHeader = response.setHeader.bind(response);
			const send = response.send.bind(response);
			response.status = ((code: number) => {
				statusCode = code;
				return status(code);
			}) as typeof response.status;
			response.setHeader = ((name: string, value: string) => {
				headers[name] = value;
				return setHeader(name, value);
			}) as typeof response.setHeader;
			response.send = ((body?: unknown) => {
				answers.push(statusCode);
				res.writeHead(statusCode, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(body));
				return send(body);
			}) as typeof response.send;
			return await (inner.webhook as (this: IWebhookFunctions) => ReturnType<NonNullable<INodeType['webhook']>>).call(this);
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
		const loaded = JSON.stringify(this.database.staticData);
		try {
			const result = await triggerFixtures(this.emulator).post(raw, {
				parameters: this.parameters,
				secret: this.secret,
				trigger: this.answeringTrigger(res),
				request: { method: req.method, headers: req.headers as Record<string, string>, query: Object.fromEntries(url.searchParams) },
				staticData: JSON.parse(loaded) as IDataObject,
			});
			if (JSON.stringify(result.staticData) !== loaded) {
				this.database.staticData = result.staticData;
				this.database.saves += 1;
			}
			for (const item of (result.workflowData ?? []).flat()) {
				this.started.push({ taskId: String(item.json.taskId), status: String(item.json.status), json: item.json, process: this.name });
			}
			if (!res.headersSent) {
				if (!result.workflowData) this.errors.push(`returned neither an answer nor an execution (${result.response.statusCode})`);
				this.answers.push(200);
				res.writeHead(200, { 'content-type': 'application/json' }).end('{"message":"Workflow was started"}');
			}
		} catch (error) {
			this.errors.push((error as Error).message);
			if (!res.headersSent) res.writeHead(500).end();
		}
	}

	deliveries(): string[] {
		return deliveriesIn(this.database.staticData);
	}
}

export async function until(condition: () => boolean, timeoutMs = 10_000, what = 'the callbacks to settle'): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

export function countBy(values: Array<number | string>): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
	return counts;
}
