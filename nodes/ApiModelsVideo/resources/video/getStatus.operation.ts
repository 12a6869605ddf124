import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { mapWithConcurrency } from '../../../shared/concurrency';
import { API_PATHS } from '../../../shared/constants';
import { normalizeTask } from '../../../shared/task';
import { apiRequest } from '../../../shared/transport';
import type { ItemOutcome } from './results';
import { outputItems } from './results';
import { readResultOptions } from './waitOptions';

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

/** Get Status: each item's task as the API reports it now (transient errors retried). */
export async function getStatus(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const options = readResultOptions(this);
	const outcomes = await mapWithConcurrency(
		readTaskIds(this),
		options.poll.concurrency,
		async ({ itemIndex, taskId, error }): Promise<ItemOutcome> => {
			if (!taskId) return { itemIndex, error };
			try {
				const body = await apiRequest(this, {
					method: 'GET',
					path: API_PATHS.generations,
					qs: { task_id: taskId },
					kind: 'read',
					taskId,
					itemIndex,
					timeoutMs: 30_000,
					signal: options.poll.signal,
				});
				return { itemIndex, task: normalizeTask(body, { taskId }) };
			} catch (requestError) {
				return { itemIndex, error: requestError as Error };
			}
		},
	);
	return await outputItems(this, outcomes, options);
}
