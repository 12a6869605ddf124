import type { IExecuteFunctions } from 'n8n-workflow';
import { throwIfCancelled } from './cancel';
import { RequestSlots } from './concurrency';
import { taskFailedError, waitTimedOutError } from './errors';
import { sleep } from './n8nRuntime';
import type { ItemOutcome, VideoTask } from './task';
import { isTerminal } from './task';
import { readTaskOnce } from './taskRequests';
import { backoffMs, DEFAULT_RETRY } from './transport';

/** `timeoutMs` counts from when a task joins; `slots` bound the requests the whole node run has in flight. */
export interface PollOptions {
	intervalMs: number;
	timeoutMs: number;
	concurrency: number;
	slots?: RequestSlots;
	signal?: AbortSignal;
}

export type PollTarget = { itemIndex: number; taskId: string; model?: string };

/** `at`: when the task is next looked at (its next read, or its deadline if sooner); `errors`: transient ones in a row. */
interface Tracked extends PollTarget {
	at: number;
	deadline: number;
	errors: number;
	lastError?: Error;
	lastSeen?: VideoTask;
	outcome?: Omit<ItemOutcome, 'itemIndex'>;
}

/**
 * One continuous schedule for the status reads of a node run. Waiting tasks sit in a queue ordered
 * by when each is next due; the loop sleeps until the first is due, takes a request slot (in turn
 * with the creates and downloads that share the slots) and sends its read, whose answer puts the
 * task back one interval later or ends its wait. So each task is read at its own time, never in
 * rounds, and tasks may join while the loop runs: Create Video waits for a task from its create on.
 *
 * Transient trouble (429, 5xx, dropped or unreadable answers) only delays a task: its timeout, a
 * definite answer (404, 401, 402, a failed task) or the cancellation ends it. A 429 pauses every
 * read (for Retry-After when given), since the API limits the caller, not one task.
 */
export class PollSchedule {
	/** Every task in the order it joined, for the results. */
	private readonly entries: Tracked[] = [];
	/** Tasks waiting for their next look, earliest `at` first; a task being read is not in it. */
	private readonly queue: Tracked[] = [];
	private readonly slots: RequestSlots;
	/** Whether the loop holds a slot for the next read. */
	private holding = false;
	private open = 0;
	private closed = false;
	private stopped = false;
	private readonly pause = { until: 0, startedAt: 0, inARow: 0 };
	/** Aborted to wake the sleeping loop early; `sleepsUntil` is when it wakes by itself. */
	private bell = new AbortController();
	private sleepsUntil = 0;
	readonly done: Promise<ItemOutcome[]>;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly options: PollOptions,
	) {
		this.slots = options.slots ?? new RequestSlots(options.concurrency);
		const ring = () => this.bell.abort();
		options.signal?.addEventListener('abort', ring);
		this.done = this.run().finally(() => {
			options.signal?.removeEventListener('abort', ring);
			this.letGoOfSlot();
		});
		// Whoever owns the schedule awaits `done`, maybe only after its own work; no unhandled rejection meanwhile.
		this.done.catch(() => undefined);
	}

	/** Starts waiting for a task: its first read at `firstReadAt`, its timeout counted from now. */
	add(target: PollTarget, firstReadAt = Date.now()): void {
		const entry: Tracked = { ...target, at: 0, deadline: Date.now() + this.options.timeoutMs, errors: 0 };
		this.entries.push(entry);
		this.open++;
		this.enqueue(entry, firstReadAt);
	}

	/** No more tasks will join: `done` resolves once every task has ended. */
	close(): void {
		this.closed = true;
		this.bell.abort();
	}

	/** Ends the schedule now, e.g. when the node fails elsewhere; the reads in flight finish unheard. */
	stop(): void {
		this.stopped = true;
		this.bell.abort();
	}

	private async run(): Promise<ItemOutcome[]> {
		for (;;) {
			throwIfCancelled(this.ctx, this.options.signal);
			if (this.stopped || (this.closed && this.open === 0)) break;
			const now = Date.now();
			const next = this.queue[0];
			if (next && now >= next.deadline) {
				this.queue.shift();
				this.settle(next, { task: next.lastSeen, error: waitTimedOutError(this.ctx.getNode(), next, this.options.timeoutMs) });
			} else if (next && next.at <= now && now < this.pause.until) {
				this.queue.shift();
				this.enqueue(next, this.pause.until);
			} else if (!next || next.at > now) {
				this.letGoOfSlot();
				await this.sleepUntil(next?.at ?? Number.POSITIVE_INFINITY);
			} else if (this.holding) {
				this.holding = false;
				this.queue.shift();
				void this.read(next, now);
			} else {
				await this.slots.acquire(); // in turn with the creates and downloads; then the loop looks again
				this.holding = true;
			}
		}
		return this.entries.map(({ itemIndex, outcome }) => ({ itemIndex, ...outcome }));
	}

	/** Puts a task in the queue, to be read at `readAt` or timed out at its deadline. */
	private enqueue(entry: Tracked, readAt: number): void {
		entry.at = Math.min(readAt, entry.deadline);
		let index = this.queue.length;
		while (index > 0 && this.queue[index - 1].at > entry.at) index--;
		this.queue.splice(index, 0, entry);
		if (entry.at < this.sleepsUntil) this.bell.abort();
	}

	/** A slot no read needs now goes back to the creates and downloads. */
	private letGoOfSlot(): void {
		if (this.holding) this.slots.release();
		this.holding = false;
	}

	private async sleepUntil(at: number): Promise<void> {
		const ms = Math.min(at - Date.now(), 60_000); // a timer cannot sleep forever: the loop looks again after it
		if (ms > 0 && !this.bell.signal.aborted) {
			this.sleepsUntil = Date.now() + ms;
			// Rejects when rung (a cancellation rings too): the loop finds out why.
			await sleep(ms, this.bell.signal).catch(() => undefined);
			this.sleepsUntil = 0;
		}
		if (this.bell.signal.aborted) this.bell = new AbortController();
	}

	private async read(entry: Tracked, sentAt: number): Promise<void> {
		try {
			const result = await readTaskOnce(this.ctx, { ...entry, signal: this.options.signal });
			if (this.stopped) return;
			const now = Date.now();
			let readAt = now + this.options.intervalMs;
			if (result.ok) {
				const { task } = result;
				Object.assign(entry, { errors: 0, lastError: undefined, lastSeen: task });
				if (sentAt >= this.pause.startedAt) this.pause.inARow = 0;
				if (isTerminal(task.status)) return this.settle(entry, { task, error: taskFailedError(this.ctx.getNode(), task, entry.itemIndex) });
			} else if (!result.retryable) {
				// A definite answer (404, 401, 402, ...): waiting longer cannot change it.
				return this.settle(entry, { task: entry.lastSeen, error: result.error });
			} else {
				Object.assign(entry, { errors: entry.errors + 1, lastError: result.error });
				if (result.status === 429) this.rateLimited(sentAt, now, result.retryAfterMs);
				// A task whose reads keep failing is read less often, down to once per four intervals.
				const spacing = { ...DEFAULT_RETRY, maxDelayMs: Math.min(DEFAULT_RETRY.maxDelayMs, 4 * this.options.intervalMs) };
				readAt = Math.max(now + backoffMs(entry.errors - 1, spacing, result.retryAfterMs), readAt, this.pause.until);
			}
			if (now < entry.deadline) return this.enqueue(entry, readAt);
			this.settle(entry, { task: entry.lastSeen, error: waitTimedOutError(this.ctx.getNode(), entry, this.options.timeoutMs) });
		} catch (error) {
			this.settle(entry, { task: entry.lastSeen, error: error as Error });
		} finally {
			this.slots.release();
		}
	}

	/** Pauses every read: for Retry-After, or a back-off that grows while 429s keep coming. */
	private rateLimited(sentAt: number, now: number, retryAfter: number | undefined): void {
		// Reads sent before the current pause began were answered for the same overload.
		if (sentAt < this.pause.startedAt) return;
		this.pause.inARow++;
		this.pause.startedAt = now;
		this.pause.until = Math.max(this.pause.until, now + (retryAfter ?? backoffMs(this.pause.inARow - 1, DEFAULT_RETRY)));
	}

	private settle(entry: Tracked, outcome: Omit<ItemOutcome, 'itemIndex'>): void {
		entry.outcome = outcome;
		this.open--;
		if (this.closed && this.open === 0) this.bell.abort();
	}
}

/** Waits for tasks that already exist (Wait for Completion): every first read is due at once. */
export async function pollTasks(ctx: IExecuteFunctions, targets: PollTarget[], options: PollOptions): Promise<ItemOutcome[]> {
	const schedule = new PollSchedule(ctx, options);
	for (const target of targets) schedule.add(target);
	schedule.close();
	return await schedule.done;
}
