import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { mapWithConcurrency } from '../../../shared/concurrency';
import { asNodeError, failedItem } from '../../../shared/items';
import { downloadVideos } from '../../../shared/downloads';
import type { ItemOutcome } from '../../../shared/task';
import type { ResultOptions } from './resultOptions';

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
