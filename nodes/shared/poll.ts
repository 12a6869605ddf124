import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { throwIfCancelled } from './cancel';
import { RequestSlots } from './concurrency';
import { withTaskId } from './errors';
import { sleep } from './sleep';
import type { VideoTask } from './task';
import { isTerminal, normalizeTask } from './task';
import { readTaskOnce } from './taskRequests';
import type { RetryPolicy } from './transport';
import { backoffMs, DEFAULT_RETRY } from './transport';

export interface PollOptions {
	intervalMs: number;
	/** How long each task is waited for, from the moment it joins the schedule. */
	timeoutMs: number;
	concurrency: number;
	/** The bound on requests in flight, shared with whatever else the node run sends. */
	slots?: RequestSlots;
	signal?: AbortSignal;
}

export interface PollTarget {
	itemIndex: number;
	taskId: string;
	model?: string;
}

/** The end of one task's wait: the task as last seen, and an error unless it completed. */
export interface PollOutcome {
	task?: VideoTask;
	error?: Error;
}

export interface PollResult extends PollOutcome {
	itemIndex: number;
}

interface Tracked extends PollTarget {
	/** When the next status read is due; `key` is the earlier of it and the deadline. */
	dueAt: number;
	key: number;
	deadline: number;
	/** Transient errors in a row, which space this task's reads out. */
	errors: number;
	lastError?: Error;
	lastSeen?: VideoTask;
	inFlight: boolean;
	outcome?: PollOutcome;
}

/** Longest single sleep; the loop re-checks after it. */
const MAX_SLEEP_MS = 60_000;
/** The abort reason of a wake-up: one Error for all, since building one per wake-up costs more than the rest of it. */
const WOKEN = new Error('woken');

/** Tasks by the time they are next due, earliest first. */
class DueQueue {
	private readonly heap: Tracked[] = [];

	get size(): number {
		return this.heap.length;
	}

	peek(): Tracked | undefined {
		return this.heap[0];
	}

	push(entry: Tracked): void {
		entry.key = Math.min(entry.dueAt, entry.deadline);
		const { heap } = this;
		heap.push(entry);
		for (let index = heap.length - 1; index > 0; ) {
			const parent = (index - 1) >> 1;
			if (heap[parent].key <= heap[index].key) break;
			[heap[parent], heap[index]] = [heap[index], heap[parent]];
			index = parent;
		}
	}

	pop(): Tracked | undefined {
		const { heap } = this;
		const top = heap[0];
		const last = heap.pop();
		if (heap.length > 0 && last) {
			heap[0] = last;
			for (let index = 0; ; ) {
				const left = 2 * index + 1;
				const right = left + 1;
				let smallest = index;
				if (left < heap.length && heap[left].key < heap[smallest].key) smallest = left;
				if (right < heap.length && heap[right].key < heap[smallest].key) smallest = right;
				if (smallest === index) break;
				[heap[smallest], heap[index]] = [heap[index], heap[smallest]];
				index = smallest;
			}
		}
		return top;
	}
}

/**
 * One continuous schedule for the status reads of a node run: each task is read at its own due
 * time (first when it can first be done, then once per interval), never in rounds, with at most
 * the slots' bound of requests in flight. Tasks join while the schedule runs, so Create Video
 * starts waiting for a task as soon as its create returns.
 *
 * Transient trouble (429, 5xx, dropped or unreadable answers) only delays a task: its timeout,
 * a definite answer (404, 401, 402, a failed task) or the cancellation ends it. A 429 pauses the
 * whole schedule (for Retry-After when given), since the API limits the caller, not one task.
 */
export class PollSchedule {
	/** Every task in the order it joined; deadlines grow in that order. */
	private readonly entries: Tracked[] = [];
	private readonly queue = new DueQueue();
	private readonly slots: RequestSlots;
	/** entries[expiryIndex] is the open task whose deadline comes next. */
	private expiryIndex = 0;
	private open = 0;
	private closed = false;
	private stopped = false;
	private pausedUntil = 0;
	private pauseStartedAt = 0;
	/** 429s in a row, across the schedule: each one sent after the last pause lengthens the next. */
	private rateLimits = 0;
	private woken = false;
	private wakeup?: AbortController;
	/** When the sleeping loop wakes by itself; events due before that wake it. */
	private sleepingUntil = 0;
	/** A slot handed over by the slots' queue, not yet used; `asking` while waiting in that queue. */
	private granted = false;
	private asking = false;
	private ended = false;
	/** Every task's result, in the order the tasks joined. */
	readonly done: Promise<PollResult[]>;
	/** A task whose reads keep failing is read less often, down to once per 4 intervals (at most 30 s apart). */
	private readonly readRetry: RetryPolicy;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly options: PollOptions,
	) {
		this.slots = options.slots ?? new RequestSlots(options.concurrency);
		this.readRetry = { ...DEFAULT_RETRY, maxDelayMs: Math.min(DEFAULT_RETRY.maxDelayMs, 4 * options.intervalMs) };
		this.done = this.run().finally(() => {
			this.ended = true;
			this.returnSlot();
		});
		// Whoever owns the schedule awaits `done`, maybe only after its own work; no unhandled rejection meanwhile.
		this.done.catch(() => undefined);
	}

	/** Starts waiting for a task: its first read at `firstReadAt`, its timeout counted from now. */
	add(target: PollTarget, firstReadAt = Date.now()): void {
		const now = Date.now();
		const entry: Tracked = {
			...target,
			dueAt: firstReadAt,
			key: firstReadAt,
			deadline: now + this.options.timeoutMs,
			errors: 0,
			inFlight: false,
		};
		this.entries.push(entry);
		this.open++;
		this.queue.push(entry);
		this.wakeBefore(entry.key);
	}

	/** No more tasks will join: `done` resolves once every task has ended. */
	close(): void {
		this.closed = true;
		this.wake();
	}

	/** Ends the schedule now, e.g. when the node fails elsewhere; the reads in flight are left to finish unheard. */
	stop(): void {
		this.stopped = true;
		this.wake();
	}

	private wake(): void {
		this.woken = true;
		this.wakeup?.abort(WOKEN);
	}

	/** Wakes the loop only if it would sleep past `at`: most events need no early wake-up. */
	private wakeBefore(at: number): void {
		if (at < this.sleepingUntil) this.wake();
	}

	private async run(): Promise<PollResult[]> {
		const { signal } = this.options;
		for (;;) {
			throwIfCancelled(this.ctx, signal);
			if (this.stopped) break;
			this.woken = false;
			const now = Date.now();
			this.expire(now);
			this.launchDue(now);
			if (this.closed && this.open === 0) break;
			await this.sleepUntil(this.nextWake(now));
		}
		return this.entries.map(({ itemIndex, outcome }) => ({ itemIndex, ...outcome }));
	}

	/** Ends the tasks whose time is up; one with a read in flight ends when the answer comes. */
	private expire(now: number): void {
		for (; this.expiryIndex < this.entries.length; this.expiryIndex++) {
			const entry = this.entries[this.expiryIndex];
			if (entry.outcome || entry.inFlight) continue;
			if (now < entry.deadline) break;
			this.settle(entry, this.timedOut(entry));
		}
	}

	/** Sends every read that is due, while slots are free and no 429 pause holds. */
	private launchDue(now: number): void {
		for (let top = this.queue.peek(); top; top = this.queue.peek()) {
			if (top.outcome) {
				this.queue.pop();
				continue;
			}
			if (top.key > now) break;
			if (now >= top.deadline) {
				this.queue.pop();
				this.settle(top, this.timedOut(top));
				continue;
			}
			if (now < this.pausedUntil) {
				this.queue.pop();
				top.dueAt = this.pausedUntil;
				this.queue.push(top);
				continue;
			}
			if (!this.takeSlot()) return;
			this.queue.pop();
			void this.read(top, now);
		}
		// Nothing due now: a slot kept for it goes back to the creates and downloads.
		this.returnSlot();
	}

	/**
	 * A slot for the next read, or false after joining the slots' queue, whose turn wakes the
	 * loop: reads and creates take turns, so a read falls due at its time even mid-creates.
	 */
	private takeSlot(): boolean {
		if (this.granted) {
			this.granted = false;
			return true;
		}
		if (this.slots.tryAcquire()) return true;
		if (!this.asking) {
			this.asking = true;
			void this.slots.acquire().then(() => {
				this.asking = false;
				this.granted = true;
				if (this.ended) this.returnSlot();
				else this.wake();
			});
		}
		return false;
	}

	private returnSlot(): void {
		if (!this.granted) return;
		this.granted = false;
		this.slots.release();
	}

	private nextWake(now: number): number {
		let at = Number.POSITIVE_INFINITY;
		const top = this.queue.peek();
		// A due task with no free slot waits for its turn in the slots' queue, which wakes the loop.
		if (top && top.key > now) at = top.key;
		const next = this.entries[this.expiryIndex];
		if (next) at = Math.min(at, next.deadline);
		return at;
	}

	private async sleepUntil(at: number): Promise<void> {
		if (this.woken) return;
		const ms = Math.min(at - Date.now(), MAX_SLEEP_MS);
		if (ms <= 0) return;
		const wakeup = new AbortController();
		this.wakeup = wakeup;
		this.sleepingUntil = Date.now() + ms;
		const { signal } = this.options;
		const cancel = () => wakeup.abort(WOKEN);
		signal?.addEventListener('abort', cancel);
		try {
			await sleep(ms, wakeup.signal);
		} catch {
			// Woken early, or cancelled: the loop finds out which.
		} finally {
			signal?.removeEventListener('abort', cancel);
			this.wakeup = undefined;
			this.sleepingUntil = 0;
		}
	}

	private async read(entry: Tracked, sentAt: number): Promise<void> {
		entry.inFlight = true;
		try {
			const result = await readTaskOnce(this.ctx, { ...entry, signal: this.options.signal });
			entry.inFlight = false;
			if (entry.outcome || this.stopped) return;
			const now = Date.now();
			if (result.ok) {
				entry.errors = 0;
				entry.lastError = undefined;
				if (sentAt >= this.pauseStartedAt) this.rateLimits = 0;
				const task = normalizeTask(result.body, entry);
				entry.lastSeen = task;
				if (task.status === 'failed') return this.settle(entry, { task, error: this.failure(entry, task) });
				if (isTerminal(task.status)) return this.settle(entry, { task });
				entry.dueAt = now + this.options.intervalMs;
			} else if (!result.retryable) {
				// A definite answer (404, 401, 402, ...): waiting longer cannot change it.
				return this.settle(entry, { task: entry.lastSeen, error: result.error });
			} else {
				entry.errors++;
				entry.lastError = result.error;
				if (result.status === 429) this.rateLimited(sentAt, now, result.retryAfterMs);
				const backoff = backoffMs(entry.errors - 1, this.readRetry, result.retryAfterMs);
				entry.dueAt = Math.max(now + Math.max(backoff, this.options.intervalMs), this.pausedUntil);
			}
			if (now >= entry.deadline) return this.settle(entry, this.timedOut(entry));
			this.queue.push(entry);
		} catch (error) {
			this.settle(entry, { task: entry.lastSeen, error: error as Error });
		} finally {
			entry.inFlight = false;
			// A freed slot reaches a waiting schedule through the slots' queue; only an earlier due time wakes it.
			this.slots.release();
			if (!entry.outcome) this.wakeBefore(entry.key);
		}
	}

	/** Pauses every read: for Retry-After, or a back-off that grows while 429s keep coming. */
	private rateLimited(sentAt: number, now: number, retryAfter: number | undefined): void {
		// Reads sent before the current pause began were answered for the same overload.
		if (sentAt < this.pauseStartedAt) return;
		this.rateLimits++;
		const pause = retryAfter ?? backoffMs(this.rateLimits - 1, DEFAULT_RETRY);
		this.pauseStartedAt = now;
		this.pausedUntil = Math.max(this.pausedUntil, now + pause);
	}

	private settle(entry: Tracked, outcome: PollOutcome): void {
		if (entry.outcome) return;
		entry.outcome = outcome;
		this.open--;
		if (this.closed && this.open === 0) this.wake();
	}

	private failure(entry: Tracked, task: VideoTask): Error {
		return new NodeOperationError(this.ctx.getNode(), `Task ${entry.taskId} failed: ${task.error}`, {
			itemIndex: entry.itemIndex,
			description: 'The API reported the failure; the reason is in the error field',
		});
	}

	private timedOut(entry: Tracked): PollOutcome {
		const minutes = Math.round((this.options.timeoutMs / 60_000) * 100) / 100;
		const lastError = entry.lastError ? ` The last status checks failed: ${entry.lastError.message}` : '';
		return {
			task: entry.lastSeen,
			error: new NodeOperationError(
				this.ctx.getNode(),
				withTaskId(
					`Task ${entry.taskId} did not finish within ${minutes} minutes. It may still finish: check it later with Get Status, or use the APIModels Callback Trigger.${lastError}`,
					entry.taskId,
				),
				{ itemIndex: entry.itemIndex },
			),
		};
	}
}

/** Waits for tasks that already exist (Wait for Completion): every first read is due at once. */
export async function pollTasks(
	ctx: IExecuteFunctions,
	targets: PollTarget[],
	options: PollOptions,
): Promise<PollResult[]> {
	const schedule = new PollSchedule(ctx, options);
	for (const target of targets) schedule.add(target);
	schedule.close();
	return await schedule.done;
}
