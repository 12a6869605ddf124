/** The workflows the queue-mode stage imports: built here, since they exist for these checks only. */
import { randomUUID } from 'node:crypto';
import type { Workflow } from '../../../harness/n8n/examples';
import { chain, node, PACKAGE, reportNode } from '../../../harness/n8n/workflows';

export const QUEUE_CREDENTIAL = { id: 'apiModelsQueue', name: 'APIModels (queue stage)' };

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
	return { workflow: chain(id, 'Queue stage: trigger', [trigger, reportNode(collectorUrl, 240)]), webhookId: trigger.webhookId };
}
