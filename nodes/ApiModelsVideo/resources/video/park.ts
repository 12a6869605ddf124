import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import {
	ANSWER_BUDGET_MS,
	answerCallback,
	readCallback,
	RETRY_AFTER_SECONDS,
} from '../../../shared/callbacks';
import { mapWithConcurrency } from '../../../shared/concurrency';
import { downloadVideos, readDownloadOptions } from '../../../shared/downloads';
import type { ItemOutcome } from '../../../shared/task';
import { isTerminal } from '../../../shared/task';
import { readTaskOnce } from '../../../shared/taskRequests';
import type { ParkedBatch, Reading, ReadTask } from './parkMemory';
import { parkedBatch } from './parkMemory';
import { outputItems } from './output';
import type { ResultOptions } from './resultOptions';
import { chosenConcurrency } from './resultOptions';

/**
 * Park Execution: instead of polling, the execution is put into n8n's waiting state (as n8n's
 * Wait node does) and each task's callback goes to this execution's resume URL. n8n stores the
 * waiting execution in its database: it holds no worker and no memory, survives restarts, and
 * the callbacks reach `webhook()` below in whichever webhook process receives them.
 *
 * The parked items name the tasks. Each callback confirms its own task with the API (once: the
 * process remembers what it confirmed, see parkMemory.ts), then reads the tasks the process does
 * not know ended; the call that finds every task ended resumes the execution.
 */
export const parkWebhook: IWebhookDescription = {
	name: 'default',
	httpMethod: 'POST',
	responseMode: 'onReceived',
	// No suffix: the callback URL is the execution's resume URL itself, `{{ $execution.resumeUrl }}`.
	path: '',
	restartWebhook: true,
};

/**
 * How long reads may go on: a process's read of the whole batch, after its callback was answered,
 * and a callback's read of its own task, which may outlast the callback's answer budget (the
 * callback is then answered 503, and its re-send finds the result in memory).
 */
const READ_BUDGET_MS = 30_000;

export function isParkMode(options: IDataObject | undefined): boolean {
	return options?.waitMode === 'park';
}

/**
 * The largest batch one execution parks. n8n loads the whole waiting execution for every call to
 * its resume URL, one task's callback each; beyond this many, a batch's callbacks ending together
 * pile up in n8n faster than it answers them (docs/park-execution.md has the measurements).
 */
export const MAX_PARKED_TASKS = 50;

/** Refuses, before any task is created or read, a batch too large to park. */
export function refuseOversizedPark(ctx: IExecuteFunctions): void {
	const items = ctx.getInputData().length;
	if (items <= MAX_PARKED_TASKS) return;
	throw new NodeOperationError(ctx.getNode(), `Park Execution waits for at most ${MAX_PARKED_TASKS} tasks in one execution, and this run has ${items} items`, {
		description: `Nothing was created. Use Wait Mode "Poll", split the items into batches of at most ${MAX_PARKED_TASKS} (Loop Over Items), or let the APIModels Callback Trigger receive each task's callback in its own execution.`,
	});
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
	readings: Map<string, Reading>,
): Promise<INodeExecutionData[][]> {
	const parked = [...outcomes]
		.sort((a, b) => a.itemIndex - b.itemIndex)
		.map(({ itemIndex, task, error }): INodeExecutionData => ({
			json: task ? { ...task, timedOut: true, error: timedOutMessage(timeoutMs) } : { error: error?.message ?? 'No task' },
			pairedItem: { item: itemIndex },
		}));
	await ctx.putExecutionToWait(new Date(Date.now() + timeoutMs));
	// The reads just made count for the callbacks this process receives (all of them in regular mode).
	const batch = parkedBatch(ctx.getExecutionId(), () => parked.map((item) => item.json));
	batch.parked(readings);
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
	const readings = new Map<string, Reading>();
	const current = await mapWithConcurrency(outcomes, concurrency, async (outcome): Promise<ItemOutcome> => {
		if (!outcome.task) return outcome;
		const { taskId, model } = outcome.task;
		const reading = await readOnce(ctx, taskId, { model: model ?? undefined, itemIndex: outcome.itemIndex, signal });
		readings.set(taskId, reading);
		return reading.ok ? { ...outcome, task: reading.task } : outcome;
	});
	if (current.every(({ task }) => !task || isTerminal(task.status))) return await outputItems(ctx, current, options);
	return await parkExecution(ctx, current, timeoutMs, readings);
}

/** One status read, judged but not retried: a refused callback is sent again by the vendor. */
async function readOnce(
	ctx: IExecuteFunctions | IWebhookFunctions,
	taskId: string,
	{ model, itemIndex, signal }: { model?: string; itemIndex?: number; signal?: AbortSignal },
): Promise<Reading> {
	const result = await readTaskOnce(ctx, { taskId, model, itemIndex, signal });
	return result.ok ? result : { ok: false, reason: result.error.message, retryAfterMs: result.retryAfterMs };
}

function readerFor(ctx: IWebhookFunctions, timeoutMs: number): ReadTask {
	return async (taskId) => await readOnce(ctx, taskId, { signal: AbortSignal.timeout(Math.max(1, timeoutMs)) });
}

/** The parked items, read back in the webhook call (n8n hands it the parked node's input). */
function parkedItems(ctx: IWebhookFunctions): IDataObject[] {
	// evaluateExpression adds the leading `=` itself.
	const items = ctx.evaluateExpression('{{ $input.all().map((item) => item.json) }}', 0);
	return Array.isArray(items) ? (items as IDataObject[]) : [];
}

/**
 * A callback to a parked execution. Its body is only a hint: the states come from the API. The
 * callback's own task is confirmed (a read, unless this process knows it ended) before it is
 * answered 200; when the API cannot answer in time, 503 makes the vendor send it again. After its
 * answer, it reads the tasks this process does not know ended (`lookAround`), so that neither a
 * pile of callbacks waiting their turn in n8n nor callbacks another webhook process confirmed
 * hold the resume back. The call that finds every task ended resumes the execution with every
 * item's result.
 */
export async function resumeOnCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const deadline = Date.now() + ANSWER_BUDGET_MS;
	const callback = readCallback(this.getBodyData());
	if ('problem' in callback) return answerCallback(this, 400, { received: false, message: callback.problem });
	const executionId = this.getExecutionId() ?? '';
	const batch = parkedBatch(executionId, () => parkedItems(this));
	if (!batch.has(callback.taskId)) {
		return answerCallback(this, 404, { received: false, message: 'This execution waits for no such task' });
	}
	// A callback that reaches the node while n8n starts the resumed execution: its re-send gets n8n's 409.
	if (batch.resumePending) return beingResumed(this);

	const own = await batch.confirm(callback.taskId, readerFor(this, READ_BUDGET_MS), deadline);
	if (!own.ok) {
		const seconds = Math.max(1, Math.ceil((own.retryAfterMs ?? RETRY_AFTER_SECONDS * 1000) / 1000));
		return answerCallback(this, 503, { received: false, message: `Could not read the task in time: ${own.reason}` }, seconds);
	}
	if (!isTerminal(own.task.status)) {
		return answerCallback(this, 422, { received: false, message: `The API reports the task ${own.task.status}` });
	}
	if (batch.allEnded) return await resume(this, batch, false);

	const options = this.getNodeParameter('options', {}) as IDataObject;
	const looking = batch.lookAround(readerFor(this, READ_BUDGET_MS), chosenConcurrency(options, batch.size), Date.now() + READ_BUDGET_MS);
	answerCallback(this, 200, { received: true, resumed: false });
	await looking;
	if (!batch.allEnded) return { noWebhookResponse: true };
	return await resume(this, batch, true);
}

/**
 * Resumes the execution with every item's result, one call at a time per process (n8n itself
 * refuses a second resume of the same execution: it moves it from waiting to running with a
 * conditional update).
 */
async function resume(
	ctx: IWebhookFunctions,
	batch: ParkedBatch,
	answered: boolean,
): Promise<IWebhookResponseData> {
	if (!batch.startResume()) return answered ? { noWebhookResponse: true } : beingResumed(ctx);
	const results: INodeExecutionData[] = batch.items.map((json, index) => {
		const task = batch.ended.get(String(json.taskId ?? ''));
		return { json: task ? { ...task, timedOut: false } : json, pairedItem: { item: index } };
	});
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const download = readDownloadOptions(options);
	if (!download) {
		batch.resumeHandedOver();
		return answered ? { noWebhookResponse: true, workflowData: [results] } : { workflowData: [results] };
	}
	// Downloads may outlast the vendor's 10 s: answer now, so the last callback is not re-sent
	// while the videos are fetched (a re-send could resume the execution a second time).
	if (!answered) answerCallback(ctx, 200, { received: true, resumed: true });
	await mapWithConcurrency(results, chosenConcurrency(options, results.length), async (item) => {
		const task = batch.ended.get(String(item.json.taskId ?? ''));
		if (!task || task.status !== 'completed') return;
		try {
			await downloadVideos(ctx, item, task, download);
		} catch (error) {
			item.json = { ...item.json, downloadError: (error as Error).message };
		}
	});
	batch.resumeHandedOver();
	return { noWebhookResponse: true, workflowData: [results] };
}

function beingResumed(ctx: IWebhookFunctions): IWebhookResponseData {
	return answerCallback(ctx, 503, { received: false, message: 'This execution is being resumed' }, RETRY_AFTER_SECONDS);
}
