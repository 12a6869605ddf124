import type { IDataObject } from 'n8n-workflow';
import { RequestSlots } from '../../../shared/concurrency';
import { sleep } from '../../../shared/n8nRuntime';
import type { VideoTask } from '../../../shared/task';
import { isTerminal } from '../../../shared/task';

/**
 * What one n8n process has learnt about a parked execution's tasks. n8n keeps no node state
 * between calls to a waiting execution's webhook (static data changes are not saved there), so
 * this lives in the process: a callback for a task already known to have ended costs no read,
 * and a batch is read in full at most once per process. A process that does not know the batch
 * (restarted, or another webhook process in queue mode) rebuilds it from one read per task.
 */

/** The outcome of one status read: the task as the API reports it, or why it could not be read. */
export type Reading = { ok: true; task: VideoTask } | { ok: false; reason: string; retryAfterMs?: number };

export type ReadTask = (taskId: string) => Promise<Reading>;

/**
 * A task read less than this long ago is not read again for a callback that claims it ended: a
 * flood of forged or early calls costs at most one read per task per interval. The vendor's
 * first re-send comes 1 s after a refused callback, so a genuine one is confirmed on its re-send.
 */
export const REREAD_AFTER_MS = 1_000;

/** How long after handing n8n the results a call reaching the node still means n8n is starting the resumed execution. */
const RESUME_SETTLE_MS = 30_000;

interface LastRead {
	at: number;
	reading: Reading;
}

export class ParkedBatch {
	/** Tasks confirmed ended by the API, by task id. */
	readonly ended = new Map<string, VideoTask>();
	private readonly lastRead = new Map<string, LastRead>();
	private readonly inFlight = new Map<string, Promise<Reading>>();
	private readonly taskIds: Set<string>;
	/** Reads of the whole batch this process made, by task: 1 when it answered, up to 2 when not. */
	private readonly swept = new Map<string, { attempts: number; answered: boolean }>();
	private sweeping = false;
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

	/** Records a reading made elsewhere (the read before parking). */
	remember(taskId: string, reading: Reading, at = Date.now()): void {
		this.lastRead.set(taskId, { at, reading });
		if (reading.ok && isTerminal(reading.task.status)) this.ended.set(taskId, reading.task);
	}

	/**
	 * The task named by a callback: from memory when it is known to have ended, from a read
	 * already under way, or from a new read unless one was made within REREAD_AFTER_MS. A read
	 * that outlasts `deadline` goes on, so the callback's re-send finds its result here.
	 */
	async confirm(taskId: string, read: ReadTask, deadline: number): Promise<Reading> {
		const ended = this.ended.get(taskId);
		if (ended) return { ok: true, task: ended };
		const last = this.lastRead.get(taskId);
		const recent = last && Date.now() - last.at < REREAD_AFTER_MS;
		if (recent && !this.inFlight.has(taskId)) return last.reading;
		const reading = this.inFlight.get(taskId) ?? this.read(taskId, read);
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
	 * Reads every task this process has not yet seen end, once per process (twice for a task whose
	 * first read got no answer): when callbacks pile up faster than n8n hands them to the node (it
	 * loads the whole waiting execution for each), this confirms the batch without waiting for each
	 * callback's turn, and after a restart it rebuilds what the process forgot. One sweep at a
	 * time; false when there was nothing to sweep.
	 */
	async sweep(read: ReadTask, concurrency: number, deadline: number): Promise<boolean> {
		const due = [...this.taskIds].filter((taskId) => {
			const done = this.swept.get(taskId);
			return !this.ended.has(taskId) && !done?.answered && (done?.attempts ?? 0) < 2;
		});
		if (this.sweeping || due.length === 0) return false;
		this.sweeping = true;
		const slots = new RequestSlots(concurrency);
		try {
			await Promise.all(
				due.map(async (taskId) => {
					await slots.run(async () => {
						// Confirmed or being read meanwhile (a callback of its own), or out of time.
						if (this.ended.has(taskId) || this.inFlight.has(taskId) || Date.now() >= deadline) return;
						const attempts = (this.swept.get(taskId)?.attempts ?? 0) + 1;
						const reading = await this.read(taskId, read);
						this.swept.set(taskId, { attempts, answered: reading.ok });
					});
				}),
			);
		} finally {
			this.sweeping = false;
		}
		return true;
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
