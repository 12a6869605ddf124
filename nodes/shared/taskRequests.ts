import type { IDataObject } from 'n8n-workflow';
import { API_PATHS } from './constants';
import type { VideoTask } from './task';
import { normalizeTask } from './task';
import type { ApiContext, ApiRequest, Failure, RetryPolicy } from './transport';
import { apiRequest, attemptRequest } from './transport';

export interface TaskRead {
	taskId: string;
	/** The model the task was created with, for answers that leave it out. */
	model?: string;
	itemIndex?: number;
	signal?: AbortSignal;
	retry?: RetryPolicy;
}

/** The status request of a task: free, so safe to repeat. */
function statusRequest({ taskId, itemIndex, signal, retry }: TaskRead): ApiRequest {
	return {
		method: 'GET',
		path: API_PATHS.generations,
		qs: { task_id: taskId },
		repeatable: true,
		taskId,
		itemIndex,
		timeoutMs: 30_000,
		signal,
		retry,
	};
}

/** One status read, judged but not retried: its caller decides when to try again. */
export async function readTaskOnce(ctx: ApiContext, read: TaskRead): Promise<{ ok: true; task: VideoTask } | Failure> {
	const attempt = await attemptRequest(ctx, statusRequest(read));
	return attempt.ok ? { ok: true, task: normalizeTask(attempt.body, read) } : attempt;
}

/** A task as the API reports it now, transient errors retried (Get Status, the trigger's verification). */
export async function readTask(ctx: ApiContext, read: TaskRead): Promise<VideoTask> {
	const body = await apiRequest(ctx, statusRequest(read));
	return normalizeTask(body, read);
}

/** Sends a create body; a paid request, so only repeated when it certainly did not arrive. */
export async function createTask(ctx: ApiContext, body: IDataObject, itemIndex: number): Promise<IDataObject> {
	return await apiRequest(ctx, {
		method: 'POST',
		path: API_PATHS.generations,
		body,
		repeatable: false,
		itemIndex,
	});
}
