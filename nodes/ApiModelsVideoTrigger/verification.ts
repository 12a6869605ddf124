import type { IWebhookFunctions } from 'n8n-workflow';
import { API_PATHS } from '../shared/constants';
import type { VideoTask } from '../shared/task';
import { isTerminal, normalizeTask } from '../shared/task';
import type { RetryPolicy } from '../shared/transport';
import { apiRequest } from '../shared/transport';
import type { Callback } from './callback';

const VERIFICATION_RETRY: RetryPolicy = { maxRetries: 8, baseDelayMs: 1_000, maxDelayMs: 60_000 };

function sameUrls(claimed: string[], actual: string[]): boolean {
	return claimed.length === 0 || (claimed.length === actual.length && claimed.every((url) => actual.includes(url)));
}

/**
 * Asks the API for the task a callback names. Callbacks are unsigned, so the workflow gets
 * the API's answer, and nothing when the API does not know the task, reports it still
 * running, or contradicts the callback's state or video URLs.
 */
export async function verifyTask(ctx: IWebhookFunctions, callback: Callback): Promise<VideoTask | undefined> {
	let answer;
	try {
		answer = await apiRequest(ctx, {
			method: 'GET',
			path: API_PATHS.generations,
			qs: { task_id: callback.taskId },
			kind: 'read',
			taskId: callback.taskId,
			timeoutMs: 30_000,
			// The callback is already answered and will not come again: keep trying for minutes.
			retry: VERIFICATION_RETRY,
		});
	} catch {
		return undefined; // unknown task (404) or an API that cannot confirm it: start nothing
	}
	const task = normalizeTask(answer, { taskId: callback.taskId });
	const claimed = normalizeTask(callback.data, { taskId: callback.taskId });
	const consistent =
		task.taskId === callback.taskId &&
		isTerminal(task.status) &&
		task.status === callback.status &&
		sameUrls(claimed.videoUrls, task.videoUrls);
	return consistent ? task : undefined;
}
