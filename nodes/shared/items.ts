import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** Any error becomes an n8n error tied to its item, so n8n shows which item failed. */
export function asNodeError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	if (error instanceof Error) return new NodeOperationError(ctx.getNode(), error, { itemIndex });
	return new NodeApiError(ctx.getNode(), { message: String(error) } as JsonObject, { itemIndex });
}

/**
 * The output item of a failed input under Continue On Fail: its own data (the task, if one
 * exists) plus the error. n8n's engine replaces the json of any item carrying `error` with
 * `{ error: message }` (WorkflowExecute.normalizeNodeErrors), so the item carries it only when
 * the node sends errors to the error output, where n8n needs it to route the item.
 */
export function failedItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
	json: IDataObject = {},
): INodeExecutionData {
	return {
		json: { ...json, error: json.error ?? error.message },
		...(error.node?.onError === 'continueErrorOutput' && { error }),
		pairedItem: { item: itemIndex },
	};
}
