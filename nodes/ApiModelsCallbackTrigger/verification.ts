import type { IWebhookFunctions } from 'n8n-workflow';
import type { VideoTask } from '../shared/task';
import { isTerminal, normalizeTask } from '../shared/task';
import { readTaskOnce } from '../shared/taskRequests';
import type { RetryPolicy } from '../shared/transport';
import { backoffMs } from '../shared/transport';
import type { Callback } from '../shared/callbacks';
import { sleep } from '../shared/n8nRuntime';

/** Below this, another attempt at the API could not finish in time: answer instead. */
const SHORTEST_ATTEMPT_MS = 300;

/** Retries inside the budget: a few quick ones; the vendor's re-sends are the long-term retry. */
const BUDGET_RETRY: RetryPolicy = { maxRetries: 5, baseDelayMs: 250, maxDelayMs: 4_000 };

/**
 * `confirmed`: the API reports the state the callback claims. `unknown`: the API does not know the
 * task (404), so it is forged or belongs to another key. `contradicted`: the API reports another
 * state or other videos. `unconfirmed`: the API could not say within the budget.
 */
export type Verdict =
	| { kind: 'confirmed'; task: VideoTask }
	| { kind: 'unknown' }
	| { kind: 'contradicted'; reason: string }
	| { kind: 'unconfirmed'; reason: string; retryAfterMs?: number };

function sameUrls(claimed: string[], actual: string[]): boolean {
	return claimed.length === 0 || (claimed.length === actual.length && claimed.every((url) => actual.includes(url)));
}

function judge(answer: VideoTask, callback: Callback): Verdict {
	const claimed = normalizeTask(callback.data, { taskId: callback.taskId });
	if (answer.taskId !== callback.taskId) return { kind: 'contradicted', reason: 'The API answered for another task' };
	if (!isTerminal(answer.status)) return { kind: 'contradicted', reason: `The API reports the task ${answer.status}` };
	if (answer.status !== callback.status) {
		return { kind: 'contradicted', reason: `The API reports the task ${answer.status}, not ${callback.status}` };
	}
	if (!sameUrls(claimed.videoUrls, answer.videoUrls)) {
		return { kind: 'contradicted', reason: 'The video URLs differ from the API\'s' };
	}
	return { kind: 'confirmed', task: answer };
}

/**
 * Asks the API for the task a callback names, giving up at `deadline`: every request is aborted
 * then, so nothing of the verification outlives the answer to the callback.
 */
export async function verifyBefore(ctx: IWebhookFunctions, callback: Callback, deadline: number): Promise<Verdict> {
	const signal = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
	let lastReason = 'The API did not answer in time';
	for (let attempt = 0; ; attempt++) {
		if (deadline - Date.now() < SHORTEST_ATTEMPT_MS) return { kind: 'unconfirmed', reason: lastReason };
		const result = await readTaskOnce(ctx, { taskId: callback.taskId, signal });
		if (result.ok) return judge(result.task, callback);
		if ((result.error as { httpCode?: string | null }).httpCode === '404') return { kind: 'unknown' };
		lastReason = result.error.message;
		const wait = backoffMs(attempt, BUDGET_RETRY, result.retryAfterMs);
		const tooLate = Date.now() + wait + SHORTEST_ATTEMPT_MS > deadline;
		if (!result.retryable || attempt >= BUDGET_RETRY.maxRetries || tooLate || signal.aborted) {
			return { kind: 'unconfirmed', reason: lastReason, retryAfterMs: result.retryAfterMs };
		}
		await sleep(wait, signal).catch(() => undefined);
	}
}
