import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { pauseUnlessCancelled, throwIfCancelled } from './cancel';
import { mapWithConcurrency } from './concurrency';
import { withTaskId } from './errors';
import type { VideoTask } from './task';
import { isTerminal, normalizeTask } from './task';
import { readTaskOnce } from './taskRequests';
import { backoffMs, DEFAULT_RETRY } from './transport';

export interface PollOptions {
	intervalMs: number;
	timeoutMs: number;
	concurrency: number;
	/** Transient errors in a row (429, 5xx, dropped connections) before a task is reported. */
	maxConsecutiveErrors: number;
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

interface Tracked extends PollTarget {
	nextPollAt: number;
	consecutiveErrors: number;
	outcome?: PollOutcome;
	lastSeen?: VideoTask;
}

/**
 * Waits for every task at once on one shared schedule: each due task is polled (at most
 * `concurrency` requests in flight), then the loop sleeps until the next task is due. A batch
 * therefore takes as long as its slowest task plus one interval, not the sum of all tasks.
 */
export async function pollTasks(
	ctx: IExecuteFunctions,
	targets: PollTarget[],
	options: PollOptions,
): Promise<PollOutcome[]> {
	const started = Date.now();
	const deadline = started + options.timeoutMs;
	const tracked: Tracked[] = targets.map((target) => ({
		...target,
		nextPollAt: started,
		consecutiveErrors: 0,
	}));
	const node = ctx.getNode();

	const pollOne = async (entry: Tracked) => {
		const result = await readTaskOnce(ctx, { ...entry, signal: options.signal });
		if (result.ok) {
			entry.consecutiveErrors = 0;
			const task = normalizeTask(result.body, entry);
			entry.lastSeen = task;
			if (task.status === 'failed') {
				entry.outcome = {
					task,
					error: new NodeOperationError(node, `Task ${entry.taskId} failed: ${task.error}`, {
						itemIndex: entry.itemIndex,
						description: 'The API reported the failure; the reason is in the error field',
					}),
				};
			} else if (isTerminal(task.status)) {
				entry.outcome = { task };
			}
			entry.nextPollAt = Date.now() + options.intervalMs;
			return;
		}
		entry.consecutiveErrors++;
		if (!result.retryable || entry.consecutiveErrors > options.maxConsecutiveErrors) {
			entry.outcome = { task: entry.lastSeen, error: result.error };
			return;
		}
		const delay = backoffMs(entry.consecutiveErrors - 1, DEFAULT_RETRY, result.retryAfterMs);
		entry.nextPollAt = Date.now() + Math.max(delay, options.intervalMs);
	};

	for (;;) {
		throwIfCancelled(ctx, options.signal);
		const open = tracked.filter((entry) => !entry.outcome);
		if (open.length === 0) break;
		const now = Date.now();
		if (now >= deadline) {
			for (const entry of open) entry.outcome = timedOut(ctx, entry, options.timeoutMs);
			break;
		}
		const due = open.filter((entry) => entry.nextPollAt <= now);
		await mapWithConcurrency(due, options.concurrency, pollOne);
		throwIfCancelled(ctx, options.signal);
		const waiting = tracked.filter((entry) => !entry.outcome);
		if (waiting.length === 0) break;
		const nextDue = Math.min(...waiting.map((entry) => entry.nextPollAt), deadline);
		await pauseUnlessCancelled(ctx, nextDue - Date.now(), options.signal);
	}
	return tracked.map((entry) => entry.outcome as PollOutcome);
}

function timedOut(ctx: IExecuteFunctions, entry: Tracked, timeoutMs: number): PollOutcome {
	const minutes = Math.round((timeoutMs / 60_000) * 100) / 100;
	return {
		task: entry.lastSeen,
		error: new NodeOperationError(
			ctx.getNode(),
			withTaskId(
				`Task ${entry.taskId} did not finish within ${minutes} minutes. It may still finish: check it later with Get Status, or use the APIModels Video Trigger`,
				entry.taskId,
			),
			{ itemIndex: entry.itemIndex },
		),
	};
}
