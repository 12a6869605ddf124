import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import {
	ANSWER_BUDGET_MS,
	answerCallback,
	readCallback,
	RETRY_AFTER_SECONDS,
} from '../../../shared/callbacks';
import { mapWithConcurrency } from '../../../shared/concurrency';
import { downloadVideos, readDownloadOptions } from '../../../shared/downloads';
import type { ItemOutcome, VideoTask } from '../../../shared/task';
import { isTerminal } from '../../../shared/task';
import { readTaskOnce } from '../../../shared/taskRequests';
import { outputItems } from './output';
import type { ResultOptions } from './resultOptions';

/**
 * Park Execution: instead of polling, the execution is put into n8n's waiting state (as n8n's
 * Wait node does) and each task's callback goes to this execution's resume URL. n8n stores the
 * waiting execution in its database: it holds no worker and no memory, survives restarts, and
 * the callbacks reach `webhook()` below in whichever webhook process receives them.
 *
 * While parked, static data does not persist between webhook calls, so nothing is remembered
 * between callbacks: the parked items name the tasks, and each callback re-reads their states
 * from the API. The callback that finds them all ended resumes the execution with the results.
 */
export const parkWebhook: IWebhookDescription = {
	name: 'default',
	httpMethod: 'POST',
	responseMode: 'onReceived',
	// No suffix: the callback URL is the execution's resume URL itself, `{{ $execution.resumeUrl }}`.
	path: '',
	restartWebhook: true,
};

/** Status reads one callback makes at once. */
const READ_CONCURRENCY = 5;

export function isParkMode(options: IDataObject | undefined): boolean {
	return options?.waitMode === 'park';
}

/** Where this execution's callbacks go: its resume URL (n8n signs it with a `signature` query parameter). */
export function parkCallbackUrl(ctx: IExecuteFunctions): string {
	return String((ctx.getWorkflowDataProxy(0).$execution as { resumeUrl: string }).resumeUrl);
}

function timedOutMessage(timeoutMs: number): string {
	const minutes = Math.round((timeoutMs / 60_000) * 100) / 100;
	return `Still running when the wait ended after ${minutes} minutes: the task may still finish (Get Status later)`;
}

/**
 * Parks the execution until the tasks' callbacks, or the timeout. At the timeout n8n does not run
 * the node again: it passes on the node's input, so the input is replaced here by the items that
 * name the tasks and say that they timed out (`timedOut: true`). A callback's resume replaces them
 * with the results.
 */
async function parkExecution(
	ctx: IExecuteFunctions,
	outcomes: ItemOutcome[],
	timeoutMs: number,
): Promise<INodeExecutionData[][]> {
	const parked = [...outcomes]
		.sort((a, b) => a.itemIndex - b.itemIndex)
		.map(({ itemIndex, task, error }): INodeExecutionData => ({
			json: task ? { ...task, timedOut: true, error: timedOutMessage(timeoutMs) } : { error: error?.message ?? 'No task' },
			pairedItem: { item: itemIndex },
		}));
	await ctx.putExecutionToWait(new Date(Date.now() + timeoutMs));
	const entry = ctx.getExecuteData();
	// A new `data` object, so the previous node's output (which `data.main[0]` points at) stays as it was.
	entry.data = { ...entry.data, main: [parked] };
	return [parked];
}

/**
 * Wait Mode "Park Execution": reads each task once (tasks that have already ended need no
 * callback: if all have, the node outputs them at once), then parks.
 */
export async function waitByParking(
	ctx: IExecuteFunctions,
	outcomes: ItemOutcome[],
	options: ResultOptions,
): Promise<INodeExecutionData[][]> {
	const { concurrency, signal, timeoutMs } = options.poll;
	const current = await mapWithConcurrency(outcomes, concurrency, async (outcome): Promise<ItemOutcome> => {
		if (!outcome.task) return outcome;
		const { taskId, model } = outcome.task;
		const read = await readTaskOnce(ctx, { taskId, model: model ?? undefined, itemIndex: outcome.itemIndex, signal });
		return read.ok ? { ...outcome, task: read.task } : outcome;
	});
	if (current.every(({ task }) => !task || isTerminal(task.status))) return await outputItems(ctx, current, options);
	return await parkExecution(ctx, current, timeoutMs);
}

/** The parked items, read back in the webhook call (n8n hands it the parked node's input). */
function parkedItems(ctx: IWebhookFunctions): IDataObject[] {
	// evaluateExpression adds the leading `=` itself.
	const items = ctx.evaluateExpression('{{ $input.all().map((item) => item.json) }}', 0);
	return Array.isArray(items) ? (items as IDataObject[]) : [];
}

type Reading = { ok: true; task: VideoTask } | { ok: false; reason: string; retryAfterMs?: number };

/** Reads tasks one request each, at most READ_CONCURRENCY at once, all aborted at `deadline`. */
async function readTasks(
	ctx: IWebhookFunctions,
	taskIds: string[],
	deadline: number,
	stopEarly: (task: VideoTask) => boolean,
): Promise<Reading[]> {
	const stop = new AbortController();
	const signal = AbortSignal.any([stop.signal, AbortSignal.timeout(Math.max(1, deadline - Date.now()))]);
	return await mapWithConcurrency(taskIds, READ_CONCURRENCY, async (taskId): Promise<Reading> => {
		if (signal.aborted) return { ok: false, reason: 'not read: the answer budget ran out or another task is still running' };
		const result = await readTaskOnce(ctx, { taskId, signal });
		if (!result.ok) return { ok: false, reason: result.error.message, retryAfterMs: result.retryAfterMs };
		if (stopEarly(result.task)) stop.abort();
		return { ok: true, task: result.task };
	});
}

/** Executions this process has resumed: a re-sent last callback must not resume one twice. */
const resumed = new Set<string>();
const REMEMBERED_RESUMES = 1000;

function markResumed(executionId: string): boolean {
	if (resumed.has(executionId)) return false;
	resumed.add(executionId);
	for (const oldest of resumed) {
		if (resumed.size <= REMEMBERED_RESUMES) break;
		resumed.delete(oldest);
	}
	return true;
}

/**
 * A callback to a parked execution. Its body is only a hint: the states come from the API. Until
 * every task has ended the execution stays parked (answer 200); when the API cannot answer in
 * time, 503 makes the vendor send the callback again; when all have ended the execution resumes
 * with every item's result, and n8n answers once it has stored the resumed execution.
 */
export async function resumeOnCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const deadline = Date.now() + ANSWER_BUDGET_MS;
	const callback = readCallback(this.getBodyData());
	if ('problem' in callback) return answerCallback(this, 400, { received: false, message: callback.problem });
	const parked = parkedItems(this);
	const taskIds = parked.map((item) => String(item.taskId ?? '')).filter(Boolean);
	if (!taskIds.includes(callback.taskId)) {
		return answerCallback(this, 404, { received: false, message: 'This execution waits for no such task' });
	}

	// The callback's own task first, then the others, stopping at the first one still running.
	const order = [callback.taskId, ...taskIds.filter((id) => id !== callback.taskId)];
	const readings = await readTasks(this, order, deadline, (task) => !isTerminal(task.status));
	const failed = readings.find((reading): reading is Extract<Reading, { ok: false }> => !reading.ok);
	const running = readings.filter((reading) => reading.ok && !isTerminal(reading.task.status));
	const [own] = readings;
	if (own.ok && !isTerminal(own.task.status)) {
		return answerCallback(this, 422, { received: false, message: `The API reports the task ${own.task.status}` });
	}
	if (running.length > 0) return answerCallback(this, 200, { received: true, resumed: false });
	if (failed) {
		const seconds = Math.max(1, Math.ceil((failed.retryAfterMs ?? RETRY_AFTER_SECONDS * 1000) / 1000));
		return answerCallback(this, 503, { received: false, message: `Could not read the tasks in time: ${failed.reason}` }, seconds);
	}
	if (!markResumed(this.getExecutionId() ?? '')) {
		return answerCallback(this, 409, { received: false, message: 'This execution is being resumed already' });
	}

	const byId = new Map(readings.flatMap((reading) => (reading.ok ? [[reading.task.taskId, reading.task] as const] : [])));
	const results: INodeExecutionData[] = parked.map((json, index) => {
		const task = byId.get(String(json.taskId ?? ''));
		return { json: task ? { ...task, timedOut: false } : json, pairedItem: { item: index } };
	});
	const download = readDownloadOptions(this.getNodeParameter('options', {}) as IDataObject);
	if (download) {
		// Downloads may outlast the vendor's 10 s: answer now, so the last callback is not re-sent
		// while the videos are fetched (a re-send could resume the execution a second time).
		answerCallback(this, 200, { received: true, resumed: true });
		await mapWithConcurrency(results, READ_CONCURRENCY, async (item) => {
			const task = byId.get(String(item.json.taskId ?? ''));
			if (!task || task.status !== 'completed') return;
			try {
				await downloadVideos(this, item, task, download);
			} catch (error) {
				item.json = { ...item.json, downloadError: (error as Error).message };
			}
		});
		return { noWebhookResponse: true, workflowData: [results] };
	}
	return { workflowData: [results] };
}
