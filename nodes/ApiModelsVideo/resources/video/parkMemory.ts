import type { IDataObject } from 'n8n-workflow';
import { sleep } from '../../../shared/n8nRuntime';
import type { VideoTask } from '../../../shared/task';
import { isTerminal } from '../../../shared/task';

/**
 * What one n8n process has learnt about a parked execution's tasks. n8n keeps no node state
 * between calls to a waiting execution's webhook (static data changes are not saved there), so
 * this lives in the process: a callback for a task already known to have ended costs no read,
 * and each callback reads only what the process does not know yet. A process that does not know
 * the batch (restarted, or another webhook process in queue mode) rebuilds it from its reads.
 */

/** The outcome of one status read: the task as the API reports it, or why it could not be read. */
export type Reading = { ok: true; task: VideoTask } | { ok: false; reason: string; retryAfterMs?: number };

export type ReadTask = (taskId: string) => Promise<Reading>;

/**
 * A task a callback had read less than this long ago is not read again for a callback that claims
 * it ended: a flood of forged or early calls costs at most one read per task per interval. The vendor's
 * first re-send comes 1 s after a refused callback, so a genuine one is confirmed on its re-send.
 */
export const REREAD_AFTER_MS = 1_000;

/** At most this many status reads of a task per process, the one before parking included. */
const READS_PER_TASK = 3;

/** A process's pauses before reading again a task at the batch's end (see `lookAtTail`). */
const TAIL_PAUSES_MS = [REREAD_AFTER_MS, 2_000, 4_000, 8_000];

/** How long after handing n8n the results a call reaching the node still means n8n is starting the resumed execution. */
const RESUME_SETTLE_MS = 30_000;

interface LastRead {
	at: number;
	reading: Reading;
}

export class ParkedBatch {
	/** Tasks confirmed ended by the API, by task id. */
	readonly ended = new Map<string, VideoTask>();
	/** When this process last read each task. */
	private readonly lastReadAt = new Map<string, number>();
	/** The last read a callback made of each task. */
	private readonly lastConfirmed = new Map<string, LastRead>();
	private readonly inFlight = new Map<string, Promise<Reading>>();
	private readonly taskIds: Set<string>;
	/** Status reads this process made of each task, the one before parking included. */
	private readonly reads = new Map<string, number>();
	private looking: Promise<void> = Promise.resolve();
	private nextLook?: Promise<void>;
	/** Whether this process parked the batch: in regular mode it then receives every callback. */
	private parkedHere = false;
	private resuming = false;
	private resumedAt?: number;

	constructor(
		/** The parked items' JSON, in input order: they name the tasks and are the timeout's output. */
		readonly items: IDataObject[],
	) {
		this.taskIds = new Set(items.map((item) => String(item.taskId ?? '')).filter(Boolean));
	}

	get size(): number {
		return this.items.length;
	}

	has(taskId: string): boolean {
		return this.taskIds.has(taskId);
	}

	get allEnded(): boolean {
		return this.ended.size === this.taskIds.size;
	}

	/**
	 * Whether a call of this process is resuming the execution, or handed n8n the results lately.
	 * n8n lets calls through until it has marked the execution running; one that comes later shows
	 * the resume did not take (n8n could not store it, say), so it may be tried again.
	 */
	get resumePending(): boolean {
		return this.resuming || (this.resumedAt !== undefined && Date.now() - this.resumedAt < RESUME_SETTLE_MS);
	}

	/** False when a resume is pending already: a re-sent last callback must not resume it twice. */
	startResume(): boolean {
		if (this.resumePending) return false;
		this.resuming = true;
		return true;
	}

	resumeHandedOver(): void {
		this.resuming = false;
		this.resumedAt = Date.now();
	}

	/** Records the reads this process made before parking the batch. */
	parked(readings: Map<string, Reading>): void {
		this.parkedHere = true;
		for (const [taskId, reading] of readings) this.remember(taskId, reading);
	}

	private remember(taskId: string, reading: Reading): void {
		this.reads.set(taskId, (this.reads.get(taskId) ?? 0) + 1);
		this.lastReadAt.set(taskId, Date.now());
		if (reading.ok && isTerminal(reading.task.status)) this.ended.set(taskId, reading.task);
	}

	/**
	 * The task named by a callback: from memory when it is known to have ended, from a read
	 * already under way, or from a new read unless a callback had one made within
	 * REREAD_AFTER_MS (a look's earlier read of a running task does not count: its callback is
	 * news). A read that outlasts `deadline` goes on, so the callback's re-send finds its result.
	 */
	async confirm(taskId: string, read: ReadTask, deadline: number): Promise<Reading> {
		const ended = this.ended.get(taskId);
		if (ended) return { ok: true, task: ended };
		const last = this.lastConfirmed.get(taskId);
		if (last && Date.now() - last.at < REREAD_AFTER_MS && !this.inFlight.has(taskId)) return last.reading;
		const reading =
			this.inFlight.get(taskId) ??
			this.read(taskId, read).then((answer) => {
				this.lastConfirmed.set(taskId, { at: Date.now(), reading: answer });
				return answer;
			});
		const done = new AbortController();
		const late = sleep(Math.max(0, deadline - Date.now()), done.signal).then(
			(): Reading => ({ ok: false, reason: 'the API did not answer in time' }),
			// Aborted once the read has answered: the race is decided already.
			(): Reading => ({ ok: false, reason: 'unused' }),
		);
		try {
			return await Promise.race([reading, late]);
		} finally {
			done.abort();
		}
	}

	/**
	 * After a callback confirmed its own task, reads the tasks this process does not know ended,
	 * so that the process holding the last callback can resume: when callbacks pile up faster than
	 * n8n hands them to the node (it loads the whole waiting execution for each), after a restart,
	 * and when another webhook process confirmed some of them. Looks run one after another.
	 */
	async lookAround(read: ReadTask, concurrency: number, deadline: number): Promise<void> {
		// A call that comes while a look waits its turn shares it: however many calls come, one look runs and one waits.
		this.nextLook ??= this.looking.then(async () => {
			this.nextLook = undefined;
			if (await this.look(read, concurrency, deadline)) await this.lookAtTail(read, deadline);
		});
		const look = this.nextLook;
		this.looking = look.catch(() => undefined);
		await look;
	}

	private unknown(taskId: string): boolean {
		return !this.ended.has(taskId) && !this.inFlight.has(taskId);
	}

	private readsOf(taskId: string): number {
		return this.reads.get(taskId) ?? 0;
	}

	/**
	 * Reads, least read first (then in item order, roughly the order the tasks end), the tasks it
	 * may still read within READS_PER_TASK while leaving the task's own callback a read. It reads
	 * in growing groups (1, 2, 4, up to `concurrency`) and stops after a group with a task still
	 * running, so a look while the batch renders costs a read or two, one after it ended reads it
	 * all, and the reads spent on running tasks rotate among them. True when it found none running.
	 */
	private async look(read: ReadTask, concurrency: number, deadline: number): Promise<boolean> {
		const readable = (taskId: string) => this.unknown(taskId) && this.readsOf(taskId) < READS_PER_TASK - 1;
		let due = [...this.taskIds].filter(readable).sort((a, b) => this.readsOf(a) - this.readsOf(b));
		for (let group = 1; Date.now() < deadline; group = Math.min(group * 2, concurrency)) {
			due = due.filter(readable);
			if (due.length === 0) return true;
			const readings = await Promise.all(due.splice(0, group).map(async (taskId) => await this.read(taskId, read)));
			if (readings.some((reading) => !reading.ok || !isTerminal(reading.task.status))) return false;
		}
		return false;
	}

	/**
	 * A process that did not park the batch (another webhook process, or after a restart) may not
	 * get the callbacks of the tasks it has read up to its limit. When everything else it could
	 * read has ended, the batch is at its end: it reads those tasks once more, longest unread
	 * first, and one found running again after TAIL_PAUSES_MS (two last tasks often end together,
	 * their callbacks in different processes), until one still runs after them. The process
	 * that parked the batch gets every callback (regular mode), so it never gets here.
	 */
	private async lookAtTail(read: ReadTask, deadline: number): Promise<void> {
		if (this.parkedHere) return;
		const lastAt = (taskId: string) => this.lastReadAt.get(taskId) ?? 0;
		const tail = [...this.taskIds].filter((taskId) => this.unknown(taskId)).sort((a, b) => lastAt(a) - lastAt(b));
		for (const taskId of tail) {
			for (const [attempt, pause] of TAIL_PAUSES_MS.entries()) {
				const wait = lastAt(taskId) + pause - Date.now();
				if (Date.now() + Math.max(0, wait) >= deadline) return;
				if (wait > 0) await sleep(wait);
				if (!this.unknown(taskId)) break;
				const reading = await this.read(taskId, read);
				if (reading.ok && isTerminal(reading.task.status)) break;
				if (attempt === TAIL_PAUSES_MS.length - 1) return;
			}
		}
	}

	private async read(taskId: string, read: ReadTask): Promise<Reading> {
		const pending = read(taskId).then((reading) => {
			this.remember(taskId, reading);
			this.inFlight.delete(taskId);
			return reading;
		});
		this.inFlight.set(taskId, pending);
		return await pending;
	}
}

/**
 * Batches by execution id, least recently used first. Bounded by the tasks they hold, so a
 * process serving many parked executions keeps a few megabytes at most; a forgotten batch is
 * rebuilt by its next callback.
 */
const batches = new Map<string, ParkedBatch>();
const REMEMBERED_TASKS = 20_000;

export function parkedBatch(executionId: string, items: () => IDataObject[]): ParkedBatch {
	const known = batches.get(executionId);
	const batch = known ?? new ParkedBatch(items());
	// Re-inserted, so it becomes the most recently used.
	batches.delete(executionId);
	batches.set(executionId, batch);
	let held = 0;
	for (const each of batches.values()) held += each.size;
	for (const [id, oldest] of batches) {
		if (held <= REMEMBERED_TASKS || oldest === batch) break;
		batches.delete(id);
		held -= oldest.size;
	}
	return batch;
}
