import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { RETENTION_DAYS } from './constants';

/** What the API said, whichever way it said it (HTTP status or a `code` in a 200 body). */
export interface ApiFailure {
	status: number;
	body: unknown;
	taskId?: string;
	itemIndex?: number;
}

/** The API's own words: `msg`, sometimes `message` or `error`. */
export function apiMessage(body: unknown): string | undefined {
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
export function actionFor(status: number, message: string | undefined): string {
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
			return 'Rate limited by the API even after retrying: lower the concurrency or try again later';
		default:
			return status >= 500
				? `The API failed with status ${status} even after retrying: try again later`
				: `The API answered with status ${status}`;
	}
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
