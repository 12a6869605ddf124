import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

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
