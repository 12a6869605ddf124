/** Building blocks of the workflows the real-n8n checks import (the e2e suite, the queue stage, the park bench). */
import { randomUUID } from 'node:crypto';
import type { Workflow, WorkflowNode } from './examples';
import type { BinaryMeta } from './instance';

export function node(name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, x: number): WorkflowNode {
	return { id: randomUUID(), name, type, typeVersion, position: [x, 0], parameters };
}

/** The nodes linked one after the other, main output to main input. */
export function chain(id: string, name: string, nodes: WorkflowNode[]): Workflow {
	const connections: Workflow['connections'] = {};
	for (let index = 0; index + 1 < nodes.length; index++) {
		connections[nodes[index].name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** A Webhook node at `/webhook/<path>` that answers at once and starts the workflow with the body. */
export function webhookStart(path: string): WorkflowNode {
	return {
		...node('Start', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} }, 0),
		webhookId: randomUUID(),
	};
}

export const PACKAGE = 'n8n-nodes-apimodels';

/** What `reportNode` posts: the execution's items, each with its binary's metadata (inline bytes in n8n 1.x's memory mode). */
export interface BatchReport {
	executionId: string;
	items: Array<{ json: Record<string, unknown>; binary: BinaryMeta | null }>;
}

/** One report per execution to a test's collector: every item's json and its binary's metadata. */
export function reportNode(collectorUrl: string, x: number): WorkflowNode {
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
	credential: { id: string; name: string };
	/** How Create Video waits: polling, or parked. */
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
	create.credentials = { apiModelsApi: { id: options.credential.id, name: options.credential.name } };
	return chain(id, `Batch: ${path}`, [
		webhookStart(path),
		node('Prompts', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'body.prompts', options: {} }, 240),
		create,
		reportNode(collectorUrl, 720),
	]);
}
