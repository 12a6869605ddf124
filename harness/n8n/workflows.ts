/** Building blocks of the workflows the real-n8n checks import (the queue stage, the park bench). */
import { randomUUID } from 'node:crypto';
import type { Workflow, WorkflowNode } from './examples';

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
