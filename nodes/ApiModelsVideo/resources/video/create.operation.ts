import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { findModel } from '../../models';
import { throwIfCancelled } from '../../../shared/cancel';
import { mapWithConcurrency } from '../../../shared/concurrency';
import { API_PATHS } from '../../../shared/constants';
import { asNodeError } from '../../../shared/items';
import { uploadBinary } from '../../../shared/media';
import type { VideoTask } from '../../../shared/task';
import { normalizeTask } from '../../../shared/task';
import { apiRequest } from '../../../shared/transport';
import type { CreateRequest } from './create.request';
import { buildCreateRequest } from './create.request';
import type { ItemOutcome } from './results';
import { outputItems } from './results';
import { waitForTasks } from './waitForCompletion.operation';
import { readResultOptions } from './waitOptions';

/** Tasks this node created in the current execution, kept in its static data for Retry On Fail. */
interface CreatedTasks extends IDataObject {
	executionId: string;
	tasks: Record<string, VideoTask>;
	committedUsd: number;
}

function ledgerOf(ctx: IExecuteFunctions): CreatedTasks {
	const staticData = ctx.getWorkflowStaticData('node');
	const executionId = ctx.getExecutionId() ?? 'manual';
	const current = staticData.createdTasks as CreatedTasks | undefined;
	// Only the running execution matters: older entries are dropped so the data stays small.
	if (current?.executionId !== executionId) {
		staticData.createdTasks = { executionId, tasks: {}, committedUsd: 0 };
	}
	return staticData.createdTasks as CreatedTasks;
}

/** Same execution, node run, item and body: the same task, so n8n's Retry On Fail never pays twice. */
function idempotencyKey(ctx: IExecuteFunctions, request: CreateRequest): string {
	const runIndex = ctx.getWorkflowDataProxy(0).$runIndex as number;
	return createHash('sha256')
		.update(JSON.stringify([runIndex, request.itemIndex, request.body]))
		.digest('hex');
}

async function sendCreate(ctx: IExecuteFunctions, request: CreateRequest): Promise<VideoTask> {
	const body = { ...request.body };
	for (const upload of request.uploads) {
		const list = [...(body[upload.key] as string[])];
		list[upload.index] = await uploadBinary(ctx, request.itemIndex, upload.property);
		body[upload.key] = list;
	}
	const answer = await apiRequest(ctx, {
		method: 'POST',
		path: API_PATHS.generations,
		body,
		kind: 'create',
		itemIndex: request.itemIndex,
	});
	const task = normalizeTask(answer, { model: String(body.model) });
	if (!task.taskId) {
		throw new NodeOperationError(ctx.getNode(), 'The API accepted the request but returned no task ID', {
			itemIndex: request.itemIndex,
			description: 'Check your APIModels dashboard before running again: a task may have been created',
		});
	}
	return task;
}

function spendingGuardError(ctx: IExecuteFunctions, itemIndex: number, limit: number, committed: number) {
	return new NodeOperationError(
		ctx.getNode(),
		`Item ${itemIndex}: the spending limit of $${limit} per execution would be exceeded ($${committed.toFixed(3)} already committed)`,
		{ itemIndex, description: 'Raise Max Estimated Cost per Execution, or send fewer items' },
	);
}

/**
 * Create Video: every item is built and checked first, so bad input stops the node before
 * any paid request; then the tasks are created (a bounded number at once) and, when asked,
 * waited for together.
 */
export async function createVideos(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const ledger = ledgerOf(this);
	const outcomes: ItemOutcome[] = [];
	const toSend: Array<{ request: CreateRequest; key: string; priceUsd: number }> = [];
	// What this run would add to the execution's committed spend, checked before anything is sent.
	let plannedUsd = 0;

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const request = buildCreateRequest(this, itemIndex);
			const key = idempotencyKey(this, request);
			const known = ledger.tasks[key];
			if (known) {
				outcomes.push({ itemIndex, task: known });
				continue;
			}
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const limit = Number(options.maxCostUsd ?? 0);
			const priceUsd = findModel(String(request.body.model))?.priceUsd ?? 0;
			const committed = ledger.committedUsd + plannedUsd;
			if (limit > 0 && committed + priceUsd > limit + 1e-9) {
				throw spendingGuardError(this, itemIndex, limit, committed);
			}
			plannedUsd += priceUsd;
			toSend.push({ request, key, priceUsd });
		} catch (error) {
			if (!continueOnFail) throw asNodeError(this, error, itemIndex);
			outcomes.push({ itemIndex, error: error as Error });
		}
	}

	const resultOptions = readResultOptions(this);
	const signal = this.getExecutionCancelSignal();
	const failures: Array<{ itemIndex: number; error: unknown }> = [];
	// Tasks are created side by side; after a failure without Continue On Fail no new request
	// starts, and the ones in flight finish and are remembered, so Retry On Fail reuses them.
	await mapWithConcurrency(toSend, resultOptions.poll.concurrency, async ({ request, key, priceUsd }) => {
		const { itemIndex } = request;
		// A cancelled execution must not go on paying for the remaining items.
		if (signal?.aborted || failures.length > 0) return;
		// Counted once sent: a request that fails may still have been charged.
		ledger.committedUsd += priceUsd;
		try {
			const task = await sendCreate(this, request);
			ledger.tasks[key] = task;
			outcomes.push({ itemIndex, task });
		} catch (error) {
			if (continueOnFail) outcomes.push({ itemIndex, error: error as Error });
			else failures.push({ itemIndex, error });
		}
	});
	throwIfCancelled(this, signal);
	if (failures.length > 0) {
		const [first] = failures.sort((a, b) => a.itemIndex - b.itemIndex);
		throw asNodeError(this, first.error, first.itemIndex);
	}
	outcomes.sort((a, b) => a.itemIndex - b.itemIndex);

	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	if (!options.waitForCompletion) return await outputItems(this, outcomes, resultOptions);

	const created = outcomes.filter((outcome) => outcome.task);
	const waited = await waitForTasks(
		this,
		created.map(({ itemIndex, task }) => ({
			itemIndex,
			taskId: (task as VideoTask).taskId,
			model: (task as VideoTask).model ?? undefined,
		})),
		resultOptions,
	);
	const merged = [...waited, ...outcomes.filter((outcome) => !outcome.task)].sort(
		(a, b) => a.itemIndex - b.itemIndex,
	);
	return await outputItems(this, merged, resultOptions);
}
