/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling that drives n8n from outside */
/** The workflows in examples/, and what both the e2e suite and `npm run dev` import with them. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './package';

const EXAMPLES_DIR = path.join(ROOT, 'examples');

/** Every example's nodes reference this credential, so importing it makes them runnable. */
export const CREDENTIAL = { id: 'apiModelsEmulator', name: 'APIModels account', type: 'apiModelsApi' };

/** The n8n address the examples' callback URL is written for: `npm run dev`'s default. */
const EXAMPLES_N8N_URL = 'http://127.0.0.1:5678';
/** The callback trigger's type as workflows name it. */
export const TRIGGER_TYPE = 'n8n-nodes-apimodels.apiModelsCallbackTrigger';

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the parameters of any node type, read and rewritten freely
	parameters: Record<string, any>;
	webhookId?: string;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: string;
	executeOnce?: boolean;
}

export interface Workflow {
	id: string;
	name: string;
	active: boolean;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
	[key: string]: unknown;
}

/** The examples by file name without `.json`, e.g. `1-text-to-video-grok`. */
export function loadExamples(): Map<string, Workflow> {
	const files = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.json')).sort();
	return new Map(
		files.map((file) => [file.replace(/\.json$/, ''), JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'))]),
	);
}

export function nodeOfType(workflow: Workflow, type: string): WorkflowNode {
	const node = workflow.nodes.find((candidate) => candidate.type === type);
	if (!node) throw new Error(`${workflow.name} has no ${type} node`);
	return node;
}

/** The prompt list of a "Prompts" node (Edit Fields, an array expression), as in examples 5 and 6. */
export function promptsOf(workflow: Workflow): string[] {
	const value = workflow.nodes.find((node) => node.name === 'Prompts')?.parameters.assignments.assignments[0].value as string;
	return JSON.parse(value.replace(/^=\{\{\s*|\s*\}\}$/g, '')) as string[];
}

/**
 * The production URL of a trigger node: n8n serves webhooks with an id at `/webhook/<webhookId>/<path>`,
 * with the token a callback must carry, if given, as the query parameter (as Create Video adds it).
 */
export function triggerUrl(n8nUrl: string, trigger: WorkflowNode, token?: string, path = 'callback'): string {
	return `${n8nUrl}/webhook/${trigger.webhookId}/${path}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

/** Points Callback URL options written for the dev n8n at another n8n address. */
export function pointCallbacksAt(workflow: Workflow, n8nUrl: string): void {
	for (const node of workflow.nodes) {
		const url = node.parameters.options?.callbackUrl;
		if (typeof url === 'string') node.parameters.options.callbackUrl = url.replace(EXAMPLES_N8N_URL, n8nUrl);
	}
}

/** Points every APIModels node of a workflow at another credential (another emulator). */
export function useCredential(workflow: Workflow, credential: { id: string; name: string }): void {
	for (const node of workflow.nodes) {
		if (node.credentials?.[CREDENTIAL.type]) node.credentials[CREDENTIAL.type] = credential;
	}
}

/** For `n8n import:credentials`, which takes plain data and encrypts it with the instance key. */
export function writeCredentials(
	file: string,
	credentials: Array<{ id: string; name: string; data: { apiKey: string; baseUrl: string; callbackSecret?: string } }>,
): void {
	writeFileSync(file, JSON.stringify(credentials.map((credential) => ({ type: CREDENTIAL.type, ...credential })), null, 2));
}

/** One file per workflow, for `n8n import:workflow --separate --input=<dir>`. */
export function writeWorkflows(dir: string, workflows: Iterable<Workflow>): void {
	mkdirSync(dir, { recursive: true });
	for (const workflow of workflows) writeFileSync(path.join(dir, `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
}
