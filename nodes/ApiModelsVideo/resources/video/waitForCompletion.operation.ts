import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { PollTarget } from '../../../shared/poll';
import { pollTasks } from '../../../shared/poll';
import { readTaskIds } from './getStatus.operation';
import type { ItemOutcome } from './results';
import { outputItems } from './results';
import type { ResultOptions } from './waitOptions';
import { readResultOptions } from './waitOptions';

/** Waits for the tasks of all items together and outputs them in input order. */
export async function waitForTasks(
	ctx: IExecuteFunctions,
	targets: PollTarget[],
	options: ResultOptions,
): Promise<ItemOutcome[]> {
	const outcomes = await pollTasks(ctx, targets, options.poll);
	return targets.map((target, index) => ({ itemIndex: target.itemIndex, ...outcomes[index] }));
}

export async function waitForCompletion(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const options = readResultOptions(this);
	const ids = readTaskIds(this);
	const invalid = ids.filter((entry) => !entry.taskId);
	// Without Continue On Fail a missing id fails the node before minutes of waiting.
	if (invalid.length && !this.continueOnFail()) throw invalid[0].error;
	const targets = ids.flatMap(({ itemIndex, taskId }) => (taskId ? [{ itemIndex, taskId }] : []));
	const waited = await waitForTasks(this, targets, options);
	const outcomes: ItemOutcome[] = [...waited, ...invalid].sort((a, b) => a.itemIndex - b.itemIndex);
	return await outputItems(this, outcomes, options);
}
