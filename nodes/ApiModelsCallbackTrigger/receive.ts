import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { ANSWER_BUDGET_MS, answerCallback as answer, readCallback, RETRY_AFTER_SECONDS } from '../shared/callbacks';
import { downloadVideos, readDownloadOptions } from '../shared/downloads';
import type { VideoTask } from '../shared/task';
import { normalizeTask, TASK_STATUSES } from '../shared/task';
import { tokenProblem } from './token';
import type { Settlement } from './deliveries';
import { claimDelivery, deliveryKey, settleDelivery } from './deliveries';
import type { Verdict } from './verification';
import { verifyBefore } from './verification';
import { verifies } from './versions';

function wanted(ctx: IWebhookFunctions, task: VideoTask): boolean {
	const events = ctx.getNodeParameter('events', [...TASK_STATUSES]) as string[];
	const models = ctx.getNodeParameter('models', []) as string[];
	return events.includes(task.status) && (models.length === 0 || (task.model !== null && models.includes(task.model)));
}

/**
 * A callback is acknowledged (2xx) only once its execution is handed to n8n (the returned
 * `workflowData`, which n8n answers for after it has stored the execution) or when it is a known
 * duplicate; everything else gets a non-2xx within ANSWER_BUDGET_MS so the vendor sends it again.
 * Nothing runs after the answer: the vendor's re-sends are the retry.
 */
export async function receiveCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const deadline = Date.now() + ANSWER_BUDGET_MS;
	const refused = await tokenProblem(this);
	if (refused) return answer(this, refused.status, { received: false, message: refused.message });
	const callback = readCallback(this.getBodyData());
	if ('problem' in callback) return answer(this, 400, { received: false, message: callback.problem });

	const { taskId, status } = callback;
	const deliveryId = deliveryKey(taskId, status);
	const triggerKey = `${this.getWorkflow().id ?? ''}:${this.getNode().id}`;
	const staticData = this.getWorkflowStaticData('node');
	switch (claimDelivery(triggerKey, staticData, taskId, status)) {
		case 'done':
			return answer(this, 200, { received: true, duplicate: true, deliveryId });
		case 'inFlight':
			return answer(this, 409, { received: false, message: 'This callback is already being processed' }, 1);
		case 'busy':
			return answer(this, 503, { received: false, message: 'Too many callbacks are being verified: send it again later' }, RETRY_AFTER_SECONDS);
		case 'unknownTask':
			return answer(this, 404, { received: false, message: 'The API does not know this task' });
	}

	const settle = (settlement: Settlement) => settleDelivery(triggerKey, staticData, taskId, status, settlement);
	let task: VideoTask;
	if (verifies(this)) {
		let verdict: Verdict | undefined;
		try {
			verdict = await verifyBefore(this, callback, deadline);
		} finally {
			// A claim never outlives its call: an unexpected error must not block the re-send.
			if (!verdict) settle('released');
		}
		switch (verdict.kind) {
			case 'unknown':
				settle('unknownTask');
				return answer(this, 404, { received: false, message: 'The API does not know this task' });
			case 'contradicted':
				settle('released');
				return answer(this, 422, { received: false, message: verdict.reason });
			case 'unconfirmed': {
				settle('released');
				const seconds = Math.max(1, Math.ceil((verdict.retryAfterMs ?? RETRY_AFTER_SECONDS * 1000) / 1000));
				return answer(this, 503, { received: false, message: `Could not verify the task with the API in time: ${verdict.reason}` }, seconds);
			}
		}
		task = verdict.task;
	} else {
		task = normalizeTask(callback.data, { taskId });
	}

	settle('delivered');
	if (!wanted(this, task)) return answer(this, 200, { received: true, started: false, deliveryId });

	const item: INodeExecutionData = { json: { ...task, deliveryId } };
	const download = readDownloadOptions(this.getNodeParameter('options', {}) as IDataObject);
	if (download && task.status === 'completed' && verifies(this)) {
		// The download shares the answer budget: a longer one would let the vendor time out and re-send.
		const timeoutMs = Math.max(1, Math.min(download.timeoutMs, deadline - Date.now()));
		try {
			await downloadVideos(this, item, task, { ...download, timeoutMs });
		} catch (error) {
			item.json = { ...item.json, downloadError: (error as Error).message };
		}
	}
	return { workflowData: [[item]], webhookResponse: { received: true, started: true, deliveryId } };
}
