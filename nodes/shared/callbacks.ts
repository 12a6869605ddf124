import type { IDataObject, IHookFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import type { TaskStatus } from './task';
import { isTerminal, readStatus, readTaskId, unwrapData } from './task';

/**
 * The vendor waits 10 s for each callback attempt and re-sends after a non-2xx or a timeout.
 * Callback receivers (the trigger, a parked execution) answer within this budget, counted from
 * when the node is called, leaving the rest of the vendor's wait for what n8n does before (loading
 * the workflow) and after (storing the execution) on a loaded webhook process, so that an attempt
 * never times out at the vendor while its work goes on here.
 */
export const ANSWER_BUDGET_MS = 5_000;

/** Seconds the vendor is asked to wait before re-sending when the API could not confirm in time. */
export const RETRY_AFTER_SECONDS = 5;

/** A callback body that names a task in a terminal state, in either spelling and shape. */
export interface Callback {
	taskId: string;
	status: TaskStatus;
	data: IDataObject;
}

export function readCallback(body: unknown): Callback | { problem: string } {
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		return { problem: 'The body must be a JSON object' };
	}
	const data = unwrapData(body);
	const taskId = readTaskId(data);
	if (!taskId) return { problem: 'The body names no task (task_id or taskId)' };
	const status = readStatus(data);
	if (!status || !isTerminal(status)) {
		return { problem: 'The body carries no final status (completed or failed)' };
	}
	return { taskId, status, data };
}

/** Answers the callback from the node itself (n8n then sends nothing more). */
export function answerCallback(
	ctx: IWebhookFunctions,
	status: number,
	body: IDataObject,
	retryAfterSeconds?: number,
): IWebhookResponseData {
	const response = ctx.getResponseObject();
	if (retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(retryAfterSeconds));
	response.status(status).json(body);
	return { noWebhookResponse: true };
}

/**
 * The webhook lifecycle n8n asks of nodes with webhooks. The API takes a callback URL per task and
 * has nothing to register, so publishing and unpublishing have nothing to do there.
 */
export const nothingToRegister = {
	default: {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async create(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			return true;
		},
	},
};
