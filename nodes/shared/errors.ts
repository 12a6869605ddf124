import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { RETENTION_DAYS } from './constants';
import type { VideoTask } from './task';

/** What the API said, whichever way it said it (HTTP status or a `code` in a 200 body). */
export interface ApiFailure {
	status: number;
	body: unknown;
	taskId?: string;
	itemIndex?: number;
}

/** The API's own words: `msg`, sometimes `message` or `error`. */
function apiMessage(body: unknown): string | undefined {
	if (typeof body === 'string') return body.trim() || undefined;
	if (!body || typeof body !== 'object') return undefined;
	const record = body as Record<string, unknown>;
	for (const key of ['msg', 'message', 'error']) {
		const value = record[key];
		if (typeof value === 'string' && value.trim()) return value.trim();
		if (value && typeof value === 'object') {
			const nested = apiMessage(value);
			if (nested) return nested;
		}
	}
	return undefined;
}

/** A sentence per status that tells the user what to do next. */
function actionFor(status: number, message: string | undefined): string {
	switch (status) {
		case 400:
			return `The API refused the request: ${message ?? 'invalid parameters'}. Check the field it names.`;
		case 401:
		case 403:
			return 'The API key was rejected: check the APIModels API credential';
		case 402:
			return 'Insufficient credits: top up your APIModels balance, then run the workflow again';
		case 404:
			return `Task not found: it may have expired (videos are kept ${RETENTION_DAYS} days) or belong to another API key`;
		case 429:
			// Creates are retried on 429 too: the API refused them before doing anything.
			return 'Rate limited by the API even after retrying: lower the concurrency or try again later';
		default:
			return status >= 500
				? `The API failed with status ${status} even after retrying: try again later`
				: `The API answered with status ${status}`;
	}
}

/** How to find out whether a create whose answer was lost made a task: the API lists no tasks. */
export const CHECK_BEFORE_CREATING =
	'The API cannot list tasks: look for it on your APIModels dashboard, or wait for its callback if you set a Callback URL, and create it again only once you know it does not exist';

/** Errors after which a create may have made (and charged) a task, so it must not be sent again. */
const outcomeUnknown = new WeakSet<object>();

export function isCreateOutcomeUnknown(error: unknown): boolean {
	return typeof error === 'object' && error !== null && outcomeUnknown.has(error);
}

/**
 * A create request that reached the API, or may have, without a usable answer: a 5xx, a dropped
 * connection, no answer in time, an unreadable body. It is never repeated, and says so.
 */
export function createOutcomeUnknownError(
	node: INode,
	what: string,
	details: { itemIndex?: number; body?: unknown; httpCode?: number; cause?: string },
): NodeApiError {
	const message = apiMessage(details.body)?.slice(0, 200); // a proxy's page can be long
	const description = [
		details.cause ? `Network error: ${details.cause}` : undefined,
		message ? `API message: ${message}` : undefined,
		CHECK_BEFORE_CREATING,
	];
	const error = new NodeApiError(
		node,
		details.body && typeof details.body === 'object'
			? (details.body as JsonObject)
			: { message: String(details.body ?? details.cause ?? '').slice(0, 200) },
		{
			// No network code in the message: NodeApiError rewrites messages that contain one.
			message: `The create request ${what}: a task may have been created and charged, so the request was not repeated`,
			description: description.filter(Boolean).join('. '),
			httpCode: details.httpCode ? String(details.httpCode) : undefined,
			itemIndex: details.itemIndex,
		},
	);
	outcomeUnknown.add(error);
	return error;
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

/** What happened to a create whose answer never came, in words (network codes stay in the description). */
export function lostAnswerWords(code: string | undefined, timeoutMs: number): string {
	if (code && TIMEOUT_CODES.has(code)) return `got no answer within ${Math.round(timeoutMs / 1000)} s`;
	if (code) return 'lost its connection before the answer came';
	return 'ended without an answer';
}

/** Errors raised before any create request left the node: nothing can have been created or charged. */
const beforeCreating = new WeakSet<object>();

export function markRaisedBeforeCreating<T extends object>(error: T): T {
	beforeCreating.add(error);
	return error;
}

export function raisedBeforeCreating(error: unknown): boolean {
	return typeof error === 'object' && error !== null && beforeCreating.has(error);
}

/** Marks an error raised after a create was answered without a usable task (no task id). */
export function markCreateOutcomeUnknown<T extends object>(error: T): T {
	outcomeUnknown.add(error);
	return error;
}

export function toNodeApiError(node: INode, failure: ApiFailure): NodeApiError {
	const message = apiMessage(failure.body);
	const parts = [message ? `API message: ${message}` : undefined];
	if (failure.taskId) parts.push(`Task ID: ${failure.taskId}`);
	const body =
		failure.body && typeof failure.body === 'object'
			? (failure.body as JsonObject)
			: { message: String(failure.body ?? '') };
	return new NodeApiError(node, body, {
		message: withTaskId(actionFor(failure.status, message), failure.taskId),
		description: parts.filter(Boolean).join('. ') || undefined,
		httpCode: String(failure.status),
		itemIndex: failure.itemIndex,
	});
}

/** Every error raised after a task exists names it, so the user can look it up later. */
export function withTaskId(message: string, taskId: string | undefined): string {
	return taskId && !message.includes(taskId) ? `${message} (task ${taskId})` : message;
}

/** The error of a task the API reports failed; none for one that completed. */
export function taskFailedError(node: INode, task: VideoTask, itemIndex: number): NodeOperationError | undefined {
	if (task.status !== 'failed') return undefined;
	return new NodeOperationError(node, `Task ${task.taskId} failed: ${task.error}`, {
		itemIndex,
		description: 'The API reported the failure; the reason is in the error field',
	});
}

/** A task still unfinished when its wait ended, with what the last failed status checks said. */
export function waitTimedOutError(
	node: INode,
	waited: { taskId: string; itemIndex: number; lastError?: Error },
	timeoutMs: number,
): NodeOperationError {
	const minutes = Math.round((timeoutMs / 60_000) * 100) / 100;
	const lastError = waited.lastError ? ` The last status checks failed: ${waited.lastError.message}` : '';
	const message = `Task ${waited.taskId} did not finish within ${minutes} minutes. It may still finish: check it later with Get Status, or use the APIModels Callback Trigger.${lastError}`;
	return new NodeOperationError(node, withTaskId(message, waited.taskId), { itemIndex: waited.itemIndex });
}
