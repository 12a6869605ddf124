/** The workflows the queue-mode stage imports: built here, since they exist for these checks only. */
import { randomUUID } from 'node:crypto';
import type { Workflow, WorkflowNode } from '../../../harness/n8n/examples';
import { chain, node, webhookStart } from '../../../harness/n8n/workflows';

export const QUEUE_CREDENTIAL = { id: 'apiModelsQueue', name: 'APIModels (queue stage)' };
const PACKAGE = 'n8n-nodes-apimodels';

/** One report per execution to the suite's collector: every item's json and its binary's metadata. */
function report(collectorUrl: string, x: number): WorkflowNode {
	return {
		...node('Report', 'n8n-nodes-base.httpRequest', 4.2, {
			method: 'POST',
			url: collectorUrl,
			sendBody: true,
			specifyBody: 'json',
			jsonBody:
				'={{ JSON.stringify({ executionId: $execution.id, items: $input.all().map((item) => ({ json: item.json, binary: item.binary?.data ?? null })) }) }}',
			options: {},
		}, x),
		executeOnce: true,
	};
}

export interface BatchOptions {
	/** How Create Video waits: polling on a worker, or parked. */
	waitMode: 'poll' | 'park';
	download: boolean;
	timeoutMinutes?: number;
}

/**
 * POST `{ prompts: [{ prompt }, ...] }` to `/webhook/<path>`: Create Video makes one task per
 * prompt and waits for them all, then the workflow reports its items.
 */
export function batchWorkflow(id: string, path: string, collectorUrl: string, options: BatchOptions): Workflow {
	const create = node('Create Video', `${PACKAGE}.apiModelsVideo`, 1, {
		resource: 'video',
		operation: 'create',
		model: 'grok-video-3',
		prompt: '={{ $json.prompt }}',
		options: {
			waitForCompletion: true,
			waitMode: options.waitMode,
			pollIntervalSeconds: 1,
			timeoutMinutes: options.timeoutMinutes ?? 10,
			downloadVideo: options.download,
		},
	}, 480);
	create.credentials = { apiModelsApi: QUEUE_CREDENTIAL };
	return chain(id, `Queue stage: ${path}`, [
		webhookStart(path),
		node('Prompts', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'body.prompts', options: {} }, 240),
		create,
		report(collectorUrl, 720),
	]);
}

export const TRIGGER_TOKEN = 'queue-stage-token';

/** The trigger, with a secret token, reporting each execution it starts. */
export function triggerWorkflow(id: string, collectorUrl: string): { workflow: Workflow; webhookId: string } {
	const trigger = {
		...node('APIModels Callback Trigger', `${PACKAGE}.apiModelsCallbackTrigger`, 1, {
			verify: true,
			secretToken: TRIGGER_TOKEN,
			events: ['completed', 'failed'],
			models: [],
			options: {},
		}, 0),
		webhookId: randomUUID(),
		credentials: { apiModelsApi: QUEUE_CREDENTIAL },
	};
	return { workflow: chain(id, 'Queue stage: trigger', [trigger, report(collectorUrl, 240)]), webhookId: trigger.webhookId };
}
