/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the API emulator, a Node server, not n8n code */
/**
 * Callback delivery as the vendor describes it: one POST when a task ends, retried after
 * 1/2/4 s on a non-2xx or a connection failure, then a few more times in the background.
 */
import http from 'node:http';
import https from 'node:https';
import type { RuntimeOptions } from './options';
import type { Scheduler } from './scheduler';
import type { StatsRecorder } from './stats';
import type { CallbackAttempt, EmulatorTask } from './tasks';

/** Only the local machine is ever called, so a test run cannot reach out to the network. */
export function isLoopback(url: string): boolean {
	try {
		const { hostname, protocol } = new URL(url);
		if (protocol !== 'http:' && protocol !== 'https:') return false;
		return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
	} catch {
		return false;
	}
}

interface Delivery {
	status?: number;
	error?: string;
}

export class CallbackSender {
	private readonly inFlight = new Set<http.ClientRequest>();

	constructor(
		private readonly scheduler: Scheduler,
		private readonly stats: StatsRecorder,
		private readonly options: () => RuntimeOptions,
		/** The payload is rendered at send time, so it follows the spelling and shape in force then. */
		private readonly payload: (task: EmulatorTask) => unknown,
	) {}

	/** Arms delivery for the moment the task ends. */
	schedule(task: EmulatorTask): void {
		if (!task.callbackUrl) return;
		this.scheduler.after(Math.max(0, task.finishedAt - Date.now()), () => this.deliver(task));
	}

	close(): void {
		for (const request of this.inFlight) request.destroy();
	}

	private async deliver(task: EmulatorTask): Promise<void> {
		if (!isLoopback(task.callbackUrl ?? '')) {
			task.callbacks.push({ at: Date.now(), kind: 'refused', error: 'not a loopback address' });
			this.stats.callback('refused');
			return;
		}
		const { callbackBackoffMs, callbackBackgroundRetries, callbackBackgroundIntervalMs } = this.options();
		const background = Array<number>(callbackBackgroundRetries).fill(callbackBackgroundIntervalMs);
		const waits = [0, ...callbackBackoffMs, ...background];
		for (const [index, waitMs] of waits.entries()) {
			if (index > 0 && !(await this.scheduler.wait(waitMs))) return;
			const kind = index === 0 ? 'first' : index <= callbackBackoffMs.length ? 'retry' : 'background';
			if (await this.attempt(task, kind)) return this.sendDuplicates(task);
		}
	}

	private async sendDuplicates(task: EmulatorTask): Promise<void> {
		for (let copy = 0; copy < this.options().callbackDuplicates && !this.scheduler.isClosed; copy++) {
			this.stats.callback('duplicates');
			await this.attempt(task, 'duplicate');
		}
	}

	/** One POST; true on a 2xx. */
	private async attempt(task: EmulatorTask, kind: CallbackAttempt['kind']): Promise<boolean> {
		const record: CallbackAttempt = { at: Date.now(), kind };
		task.callbacks.push(record);
		this.stats.callback('attempts');
		const outcome = await this.post(task.callbackUrl ?? '', JSON.stringify(this.payload(task)));
		Object.assign(record, outcome);
		const ok = outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300;
		this.stats.callback(ok ? 'successes' : 'failures');
		return ok;
	}

	private post(url: string, body: string): Promise<Delivery> {
		const client = url.startsWith('https:') ? https : http;
		return new Promise((resolve) => {
			const request = client.request(url, {
				method: 'POST',
				agent: false,
				headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
			});
			this.inFlight.add(request);
			const done = (outcome: Delivery) => {
				this.inFlight.delete(request);
				resolve(outcome);
			};
			const timeoutMs = this.options().callbackTimeoutMs;
			request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
			request.on('error', (error) => done({ error: error.message }));
			request.on('response', (response) => {
				response.resume();
				response.on('end', () => done({ status: response.statusCode }));
				response.on('error', (error) => done({ error: error.message }));
			});
			request.end(body);
		});
	}
}
