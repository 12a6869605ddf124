import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { ItemOutcome } from '../../../shared/task';
import { mapWithConcurrency } from '../../../shared/concurrency';
import { readTask } from '../../../shared/taskRequests';
import { outputItems } from './output';
import { readResultOptions } from './resultOptions';
import { readTaskIds } from './taskIds';

/** Get Status: each item's task as the API reports it now (transient errors retried). */
export async function getStatus(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const options = readResultOptions(this, this.getNodeParameter('options', 0, {}) as IDataObject);
	const outcomes = await mapWithConcurrency(
		readTaskIds(this),
		options.poll.concurrency,
		async ({ itemIndex, taskId, error }): Promise<ItemOutcome> => {
			if (!taskId) return { itemIndex, error };
			try {
				return { itemIndex, task: await readTask(this, { taskId, itemIndex, signal: options.poll.signal }) };
			} catch (requestError) {
				return { itemIndex, error: requestError as Error };
			}
		},
	);
	return await outputItems(this, outcomes, options);
}
