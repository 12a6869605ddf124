import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { mapWithConcurrency } from '../../../shared/concurrency';
import { asNodeError, failedItem } from '../../../shared/items';
import { downloadVideos } from '../../../shared/media';
import type { PollOutcome, PollTarget } from '../../../shared/poll';
import { pollTasks } from '../../../shared/poll';
import type { ResultOptions } from './waitOptions';

/** What became of one input item: its task, or the error that ended it. */
export interface ItemOutcome extends PollOutcome {
	itemIndex: number;
}

/** Reads the task id of each item; an empty id is the user's mistake, named with its item. */
export function readTaskIds(ctx: IExecuteFunctions): Array<{ itemIndex: number; taskId?: string; error?: Error }> {
	return ctx.getInputData().map((_, itemIndex) => {
		const taskId = String(ctx.getNodeParameter('taskId', itemIndex, '') ?? '').trim();
		if (taskId) return { itemIndex, taskId };
		return {
			itemIndex,
			error: new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: Task ID is empty`, {
				itemIndex,
				description: 'Map the taskId field of a Create Video output, e.g. {{ $json.taskId }}',
			}),
		};
	});
}

/** Waits for the tasks of all items together (Wait for Completion, and Create Video's wait option). */
export async function waitForTasks(
	ctx: IExecuteFunctions,
	targets: PollTarget[],
	options: ResultOptions,
): Promise<ItemOutcome[]> {
	return await pollTasks(ctx, targets, options.poll);
}

/**
 * Turns each item's outcome into its output item, in input order with `pairedItem`: the task
 * (its video downloaded when asked), or under Continue On Fail the error; otherwise the first
 * error stops the node.
 */
export async function outputItems(
	ctx: IExecuteFunctions,
	outcomes: ItemOutcome[],
	options: ResultOptions,
): Promise<INodeExecutionData[][]> {
	const continueOnFail = ctx.continueOnFail();
	const ordered = [...outcomes].sort((a, b) => a.itemIndex - b.itemIndex);
	const results = await mapWithConcurrency(
		ordered,
		options.poll.concurrency,
		async ({ itemIndex, task, error }): Promise<INodeExecutionData> => {
			let failure = error;
			const item: INodeExecutionData = { json: { ...(task ?? {}) }, pairedItem: { item: itemIndex } };
			if (!failure && task && options.download && task.status === 'completed') {
				try {
					await downloadVideos(ctx, item, task, options.download);
				} catch (downloadError) {
					failure = downloadError as Error;
				}
			}
			if (!failure) return item;
			const nodeError = asNodeError(ctx, failure, itemIndex);
			if (!continueOnFail) throw nodeError;
			return failedItem(nodeError, itemIndex, item.json);
		},
	);
	return [results];
}
