/** Created tasks and their schedule: the state is read off the clock, so no timer drives it. */
import { randomBytes } from 'node:crypto';

export type TaskStatus = 'pending' | 'processing' | 'completed' | 'failed';

export const FAILURE_MARKER = '[fail]';
export const FAILURE_MESSAGE = 'Content policy violation';
export const FAILURE_CODE = 'CONTENT_POLICY_VIOLATION';

export interface CallbackAttempt {
	/** When the attempt started, ms since the epoch. */
	at: number;
	/** first try, a backoff retry, a background retry, an extra copy after a 2xx, or not sent (not loopback). */
	kind: 'first' | 'retry' | 'background' | 'duplicate' | 'refused';
	/** The receiver's HTTP status, when it answered. */
	status?: number;
	/** Why no answer came (connection refused, timeout, ...). */
	error?: string;
}

export interface EmulatorTask {
	id: string;
	/** The model id as requested, without the `cloud-video/` prefix. */
	model: string;
	body: Record<string, unknown>;
	apiKey: string;
	createdAt: number;
	processingAt: number;
	/** When the task turns completed or failed; also its `completed_at`. */
	finishedAt: number;
	outcome: 'completed' | 'failed';
	callbackUrl?: string;
	callbacks: CallbackAttempt[];
}

export interface TaskTiming {
	pendingMs: number;
	processingMs: number;
}

/**
 * Markers anywhere in the body (normally the prompt) steer one task: `[fail]`, `[pendingMs=N]`,
 * `[processingMs=N]`, and `[finishAt=T]` (ms since the epoch), which ends it at that moment
 * whenever it was created, so that a batch created over several seconds can end in one.
 */
function markers(body: Record<string, unknown>, defaults: TaskTiming): TaskTiming & { fails: boolean; finishAt?: number } {
	const text = JSON.stringify(body);
	const timing = (name: keyof TaskTiming) => {
		const match = new RegExp(`\\[${name}=(\\d+)\\]`).exec(text);
		return match ? Number(match[1]) : defaults[name];
	};
	return {
		pendingMs: timing('pendingMs'),
		processingMs: timing('processingMs'),
		fails: text.includes(FAILURE_MARKER),
		finishAt: Number(/\[finishAt=(\d+)\]/.exec(text)?.[1] ?? Number.NaN) || undefined,
	};
}

export function statusAt(task: EmulatorTask, now: number): TaskStatus {
	if (now >= task.finishedAt) return task.outcome;
	return now >= task.processingAt ? 'processing' : 'pending';
}

export class TaskStore {
	private readonly byId = new Map<string, EmulatorTask>();

	create(body: Record<string, unknown>, apiKey: string, defaults: TaskTiming): EmulatorTask {
		const createdAt = Date.now();
		const { pendingMs, processingMs, fails, finishAt } = markers(body, defaults);
		const finishedAt = Math.max(createdAt, finishAt ?? createdAt + pendingMs + processingMs);
		const callbackUrl = typeof body.callback_url === 'string' ? body.callback_url : undefined;
		const task: EmulatorTask = {
			id: `cl${randomBytes(12).toString('hex')}`,
			model: String(body.model),
			body,
			apiKey,
			createdAt,
			processingAt: Math.min(createdAt + pendingMs, finishedAt),
			finishedAt,
			outcome: fails ? 'failed' : 'completed',
			...(callbackUrl && { callbackUrl }),
			callbacks: [],
		};
		this.byId.set(task.id, task);
		return task;
	}

	get(id: string): EmulatorTask | undefined {
		return this.byId.get(id);
	}

	list(): EmulatorTask[] {
		return structuredClone([...this.byId.values()]);
	}
}
