import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { signCallbackUrl } from '../../../shared/callbackToken';
import { throwIfCancelled } from '../../../shared/cancel';
import { mapWithConcurrency } from '../../../shared/concurrency';
import { CREDENTIAL_TYPE } from '../../../shared/constants';
import {
	CHECK_BEFORE_CREATING,
	isCreateOutcomeUnknown,
	markCreateOutcomeUnknown,
	markRaisedBeforeCreating,
} from '../../../shared/errors';
import { asNodeError } from '../../../shared/items';
import { uploadBinary } from '../../../shared/upload';
import { PollSchedule } from '../../../shared/poll';
import type { ItemOutcome, VideoTask } from '../../../shared/task';
import { normalizeTask } from '../../../shared/task';
import { createTask } from '../../../shared/taskRequests';
import type { CreateLedger } from './createLedger';
import { idempotencyKey, ledgerOf } from './createLedger';
import type { CreateRequest } from './create.request';
import { buildCreateRequest } from './create.request';
import { isParkMode, parkCallbackUrl, refuseOversizedPark, waitByParking } from './park';
import { outputItems } from './output';
import type { ResultOptions } from './resultOptions';
import { readResultOptions } from './resultOptions';

interface PlannedCreate {
	request: CreateRequest;
	key: string;
}

/** A bad item stops the node (or, under Continue On Fail, only itself); nothing was sent for it. */
function settle(ctx: IExecuteFunctions, outcomes: ItemOutcome[], itemIndex: number, error: unknown) {
	if (!ctx.continueOnFail()) throw markRaisedBeforeCreating(asNodeError(ctx, error, itemIndex));
	outcomes.push({ itemIndex, error: error as Error });
}

/** Retry On Fail after a create whose answer was lost: the task may exist, so it is not paid for again. */
function mayExistError(ctx: IExecuteFunctions, itemIndex: number, earlier: string) {
	return new NodeOperationError(
		ctx.getNode(),
		`Item ${itemIndex}: a task may already exist for this item, so it was not created again (the earlier attempt in this execution: ${earlier})`,
		{ itemIndex, description: CHECK_BEFORE_CREATING },
	);
}

function spendingGuardError(ctx: IExecuteFunctions, itemIndex: number, limit: number, committed: number) {
	return new NodeOperationError(
		ctx.getNode(),
		`Item ${itemIndex}: the spending limit of $${limit} per execution would be exceeded ($${committed.toFixed(3)} already committed)`,
		{ itemIndex, description: 'Raise Max Estimated Cost, or send fewer items' },
	);
}

/**
 * Builds and checks every item before anything is sent: a bad item or one past the spending
 * limit fails here, and items whose task this execution already created reuse it.
 */
async function planCreates(
	ctx: IExecuteFunctions,
	itemOptions: IDataObject[],
	ledger: CreateLedger,
): Promise<{ planned: PlannedCreate[]; outcomes: ItemOutcome[] }> {
	const runIndex = ctx.getWorkflowDataProxy(0).$runIndex as number;
	const planned: PlannedCreate[] = [];
	const outcomes: ItemOutcome[] = [];
	let plannedUsd = 0;
	for (const [itemIndex, options] of itemOptions.entries()) {
		try {
			const request = await buildCreateRequest(ctx, itemIndex, options);
			const key = idempotencyKey(runIndex, itemIndex, request.body);
			const known = ledger.tasks[key];
			if (known) {
				outcomes.push({ itemIndex, task: known });
				continue;
			}
			if (ledger.unknown[key]) throw mayExistError(ctx, itemIndex, ledger.unknown[key]);
			const limit = Number(options.maxCostUsd ?? 0);
			const committed = ledger.committedUsd + plannedUsd;
			if (limit > 0 && committed + request.priceUsd > limit + 1e-9) {
				throw spendingGuardError(ctx, itemIndex, limit, committed);
			}
			plannedUsd += request.priceUsd;
			planned.push({ request, key });
		} catch (error) {
			settle(ctx, outcomes, itemIndex, error);
		}
	}
	return { planned, outcomes };
}

async function sendCreate(ctx: IExecuteFunctions, request: CreateRequest): Promise<VideoTask> {
	const body = { ...request.body };
	try {
		for (const upload of request.uploads) {
			const list = [...(body[upload.key] as string[])];
			list[upload.index] = await uploadBinary(ctx, request.itemIndex, upload.property);
			body[upload.key] = list;
		}
	} catch (error) {
		throw markRaisedBeforeCreating(asNodeError(ctx, error, request.itemIndex));
	}
	const task = normalizeTask(await createTask(ctx, body, request.itemIndex), { model: String(body.model) });
	if (!task.taskId) {
		throw markCreateOutcomeUnknown(
			new NodeOperationError(ctx.getNode(), 'The API accepted the create request but returned no task ID: a task may have been created', {
				itemIndex: request.itemIndex,
				description: CHECK_BEFORE_CREATING,
			}),
		);
	}
	return task;
}

/**
 * Creates the planned tasks side by side (a bounded number at once, sharing the node run's
 * request slots with the status reads), handing each created task to `created` at once. After a
 * failure without Continue On Fail no new request starts; the ones in flight finish and are
 * recorded, so Retry On Fail reuses them. A cancelled execution stops paying for the remaining items.
 */
async function sendCreates(
	ctx: IExecuteFunctions,
	planned: PlannedCreate[],
	ledger: CreateLedger,
	options: ResultOptions,
	created: (outcome: ItemOutcome) => void = () => undefined,
): Promise<ItemOutcome[]> {
	const { signal, concurrency, slots } = options.poll;
	const outcomes: ItemOutcome[] = [];
	const failures: Array<{ itemIndex: number; error: unknown }> = [];
	await mapWithConcurrency(planned, concurrency, async (plan) => await slots.run(async () => {
		const { request, key } = plan;
		if (signal?.aborted || failures.length > 0) return;
		// Counted once sent: a request that fails may still have been charged.
		ledger.committedUsd += request.priceUsd;
		try {
			const task = await sendCreate(ctx, request);
			ledger.tasks[key] = task;
			outcomes.push({ itemIndex: request.itemIndex, task });
			created({ itemIndex: request.itemIndex, task });
		} catch (error) {
			if (isCreateOutcomeUnknown(error)) ledger.unknown[key] = (error as Error).message;
			if (ctx.continueOnFail()) outcomes.push({ itemIndex: request.itemIndex, error: error as Error });
			else failures.push({ itemIndex: request.itemIndex, error });
		}
	}));
	throwIfCancelled(ctx, signal);
	if (failures.length > 0) {
		const [first] = failures.sort((a, b) => a.itemIndex - b.itemIndex);
		throw asNodeError(ctx, first.error, first.itemIndex);
	}
	return outcomes;
}

/**
 * Create Video with Wait for Completion: each task joins the wait schedule as soon as its create
 * returns, first read one interval later (the soonest it can be done; the catalogue knows no
 * render times), so waiting overlaps the creates still running. Tasks this execution created
 * before (Retry On Fail) are read at once. Items that failed keep their error.
 */
async function createAndWait(
	ctx: IExecuteFunctions,
	planned: PlannedCreate[],
	outcomes: ItemOutcome[],
	ledger: CreateLedger,
	options: ResultOptions,
): Promise<ItemOutcome[]> {
	const schedule = new PollSchedule(ctx, options.poll);
	const join = ({ itemIndex, task }: ItemOutcome, firstReadAt?: number) => {
		if (task) schedule.add({ itemIndex, taskId: task.taskId, model: task.model ?? undefined }, firstReadAt);
	};
	for (const known of outcomes) join(known);
	const sending = sendCreates(ctx, planned, ledger, options, (created) =>
		join(created, Date.now() + options.poll.intervalMs),
	);
	// A failed or cancelled create phase ends the reads too; its error still reaches the caller below.
	sending.catch(() => schedule.stop());
	const sent = await sending;
	schedule.close();
	const waited = await schedule.done;
	return [...waited, ...[...outcomes, ...sent].filter((outcome) => !outcome.task)];
}

/**
 * Callback URLs carry the token the APIModels Callback Trigger checks, derived from the
 * credential's Callback Secret, so the user never copies the secret into a workflow.
 */
async function withCallbackTokens(ctx: IExecuteFunctions, panelOptions: IDataObject[]): Promise<IDataObject[]> {
	const urlOf = (options: IDataObject) => String(options.callbackUrl ?? '').trim();
	if (!panelOptions.some(urlOf)) return panelOptions;
	const secret = String((await ctx.getCredentials(CREDENTIAL_TYPE)).callbackSecret ?? '');
	if (!secret) return panelOptions;
	return panelOptions.map((options) => (urlOf(options) ? { ...options, callbackUrl: signCallbackUrl(urlOf(options), secret) } : options));
}

/** Create Video: plan every item, send the creates, and wait for them when asked. */
export async function createVideos(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const panelOptions = this.getInputData().map(
		(_, itemIndex) => this.getNodeParameter('options', itemIndex, {}) as IDataObject,
	);
	const first = panelOptions[0] ?? {};
	const park = Boolean(first.waitForCompletion) && isParkMode(first);
	if (park) refuseOversizedPark(this);
	// Parked, the tasks' callbacks are what resume the execution: they go to its resume URL.
	const parkUrl = park ? parkCallbackUrl(this) : undefined;
	const itemOptions = parkUrl
		? panelOptions.map((options) => ({ ...options, callbackUrl: parkUrl }))
		: await withCallbackTokens(this, panelOptions);
	const resultOptions = readResultOptions(this, first);
	const ledger = ledgerOf(this);
	const { planned, outcomes } = await planCreates(this, itemOptions, ledger);
	if (park) {
		const created = [...outcomes, ...(await sendCreates(this, planned, ledger, resultOptions))];
		return await waitByParking(this, created, resultOptions);
	}
	const finished = first.waitForCompletion
		? await createAndWait(this, planned, outcomes, ledger, resultOptions)
		: [...outcomes, ...(await sendCreates(this, planned, ledger, resultOptions))];
	return await outputItems(this, finished, resultOptions);
}
