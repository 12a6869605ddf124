import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { ON_N8N_1 } from './n8nRuntime';

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
 * exists) and the error. For the error output, n8n routes an item whose json holds only
 * `error`, `message` and `details` and keeps that json, so the task travels in `details`
 * (an item carrying an Error object instead would be cut down to `{ error }`). n8n 1.x routes
 * only `error` alone or with `message`: there the task stays behind, and the error names it.
 */
export function failedItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
	json: IDataObject = {},
): INodeExecutionData {
	const pairedItem = { item: itemIndex };
	if (error.node?.onError === 'continueErrorOutput') {
		if (ON_N8N_1) return { json: { error: error.message }, pairedItem };
		const details = Object.keys(json).length > 0 ? { details: json } : {};
		return { json: { error: error.message, ...details }, pairedItem };
	}
	return { json: { ...json, error: json.error ?? error.message }, pairedItem };
}
