/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run on Node, outside n8n */
/**
 * What a user sees in the editor of a running n8n, through the HTTP endpoints the editor itself
 * calls: the node and credential types (`/types/*.json`, behind the login) and their icons
 * (`/icons/<package>/...`), the credential test (`POST /rest/credentials/test`) and the
 * "Model Name or ID" list (`POST /rest/dynamic-node-parameters/options`, the node's declarative
 * loadOptions method run by n8n with the credential).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Emulator } from '../../../emulator/server';
import { LISTED_MODEL_IDS } from '../../../emulator/listedModels';
import type { Workflow, WorkflowNode } from '../../../harness/n8n/examples';
import { CREDENTIAL, nodeOfType, TRIGGER_TYPE as TRIGGER, triggerUrl } from '../../../harness/n8n/examples';
import type { N8nServer } from '../../../harness/n8n/instance';
import type { Report } from '../lib/report';

const PACKAGE = 'n8n-nodes-apimodels';
const VIDEO = `${PACKAGE}.apiModelsVideo`;

type IconUrl = string | { light: string; dark: string };

interface NodeTypeDescription {
	name: string;
	displayName: string;
	version: number | number[];
	usableAsTool?: boolean;
	iconUrl?: IconUrl;
	properties: Array<{ name: string; typeOptions?: { loadOptionsMethod?: string } }>;
}

interface CredentialTypeDescription {
	name: string;
	displayName: string;
	iconUrl?: IconUrl;
}

export interface EditorContext {
	report: Report;
	server: N8nServer;
	/** The emulator behind `credential`, a credential imported into the server's n8n. */
	emulator: Emulator;
	credential: { id: string; name: string };
	/** Published with n8n's CLI while its trigger's credential has no Callback Secret (see tokenlessCopy). */
	tokenless: Workflow;
}

/** A copy of a trigger workflow on a credential without a Callback Secret, on a webhook path of its own. */
export function tokenlessCopy(workflow: Workflow, credential: { id: string; name: string }): Workflow {
	const copy: Workflow = { ...structuredClone(workflow), id: 'e2eTokenlessTrigger', name: 'Trigger without a token (e2e)' };
	const trigger = nodeOfType(copy, TRIGGER);
	trigger.credentials = { [CREDENTIAL.type]: credential };
	trigger.webhookId = randomUUID();
	return copy;
}

/** As the editor saves a new workflow with this trigger and then publishes it: n8n's answer. */
async function publishNew(server: N8nServer, trigger: Omit<WorkflowNode, 'id' | 'name' | 'type' | 'position' | 'webhookId'>): Promise<Response> {
	const webhookId = randomUUID();
	const workflow = await server.restData<{ id: string; versionId: string }>('/rest/workflows', {
		method: 'POST',
		body: JSON.stringify({
			name: 'Trigger without a token (e2e)',
			nodes: [{ id: randomUUID(), name: 'APIModels Callback Trigger', type: TRIGGER, position: [0, 0], webhookId, ...trigger }],
			connections: {},
			settings: {},
			// The editor of n8n 1.x sends it (its database requires it); 2.x ignores it.
			active: false,
		}),
	});
	return await server.rest(`/rest/workflows/${workflow.id}/activate`, {
		method: 'POST',
		body: JSON.stringify({ versionId: workflow.versionId }),
	});
}

/** Both icons of a description resolve on the server to SVGs, and differ. */
async function assertIcons(server: N8nServer, iconUrl: IconUrl | undefined): Promise<void> {
	assert.ok(iconUrl && typeof iconUrl === 'object', `iconUrl is not light and dark: ${JSON.stringify(iconUrl)}`);
	const bodies: string[] = [];
	for (const theme of ['light', 'dark'] as const) {
		// The editor resolves it against its base URL (here the server root).
		const response = await fetch(new URL(iconUrl[theme], `${server.url}/`));
		const body = await response.text();
		assert.equal(response.status, 200, `${theme} icon ${iconUrl[theme]}`);
		assert.ok(body.trimStart().startsWith('<svg'), `${theme} icon ${iconUrl[theme]} is no SVG: ${body.slice(0, 80)}`);
		bodies.push(body);
	}
	assert.notEqual(bodies[0], bodies[1], 'the light and dark icons are the same');
}

function find<T extends { name: string }>(types: T[], name: string): T {
	const found = types.find((type) => type.name === name);
	assert.ok(found, `${name} is not among the ${types.length} types n8n serves`);
	return found;
}

export async function editorCases({ report, server, emulator, credential, tokenless }: EditorContext): Promise<void> {
	report.section("The editor's view of the package (n8n's own endpoints):");
	let nodes: NodeTypeDescription[] = [];
	await report.check('/types/nodes.json lists APIModels Video (usable as a tool) and APIModels Callback Trigger', async () => {
		const response = await server.rest('/types/nodes.json');
		assert.equal(response.status, 200, '/types/nodes.json');
		nodes = (await response.json()) as NodeTypeDescription[];
		const video = find(nodes, VIDEO);
		const trigger = find(nodes, TRIGGER);
		assert.equal(video.displayName, 'APIModels Video');
		assert.equal(trigger.displayName, 'APIModels Callback Trigger');
		assert.equal(video.usableAsTool, true, 'usableAsTool');
	});
	await report.check('the APIModels Video icons (light, dark) are served as SVGs', () => assertIcons(server, find(nodes, VIDEO).iconUrl));
	await report.check('the APIModels Callback Trigger icons (light, dark) are served as SVGs', () =>
		assertIcons(server, find(nodes, TRIGGER).iconUrl),
	);

	let credentialTypes: CredentialTypeDescription[] = [];
	await report.check('/types/credentials.json lists APIModels API, its icons served as SVGs', async () => {
		const response = await server.rest('/types/credentials.json');
		assert.equal(response.status, 200, '/types/credentials.json');
		credentialTypes = (await response.json()) as CredentialTypeDescription[];
		const type = find(credentialTypes, CREDENTIAL.type);
		assert.equal(type.displayName, 'APIModels API');
		await assertIcons(server, type.iconUrl);
	});

	// As the credential dialog's Retry/Save does: the form's data, tested against the stored credential.
	const testCredential = (apiKey: string) =>
		server.restData<{ status: string; message: string }>('/rest/credentials/test', {
			method: 'POST',
			body: JSON.stringify({
				credentials: { ...credential, type: CREDENTIAL.type, data: { apiKey, baseUrl: emulator.url } },
			}),
		});
	await report.check("the credential test in n8n accepts the emulator's key", async () => {
		const result = await testCredential(emulator.apiKey);
		assert.equal(result.status, 'OK', JSON.stringify(result));
	});
	// n8n 1.x answers a 401 with its own message before it reads the credential's rules.
	const rejected = server.major < 2 ? /^Authorization failed - please check your credentials$/ : /Invalid API key/;
	await report.check(`the credential test in n8n rejects a wrong key with ${rejected}`, async () => {
		const result = await testCredential('sk_wrong_key');
		assert.equal(result.status, 'Error', JSON.stringify(result));
		assert.match(result.message, rejected);
	});

	await report.check("'Model Name or ID' (model Other) lists the API's models, sorted by name", async () => {
		const video = find(nodes, VIDEO);
		const customModel = video.properties.find((property) => property.name === 'customModel');
		assert.ok(customModel?.typeOptions?.loadOptionsMethod, 'customModel has no loadOptionsMethod in the description');
		const options = await server.restData<Array<{ name: string; value: string }>>('/rest/dynamic-node-parameters/options', {
			method: 'POST',
			body: JSON.stringify({
				nodeTypeAndVersion: { name: VIDEO, version: Array.isArray(video.version) ? Math.max(...video.version) : video.version },
				path: 'parameters.customModel',
				currentNodeParameters: { resource: 'video', operation: 'create', model: 'other' },
				credentials: { [CREDENTIAL.type]: credential },
				methodName: customModel.typeOptions.loadOptionsMethod,
			}),
		});
		const expected = [...LISTED_MODEL_IDS].sort().map((id) => ({ name: id, value: id }));
		assert.deepEqual(
			options.map(({ name, value }) => ({ name, value })),
			expected,
		);
		for (const id of ['seedance-2.0-fast', 'grok-video-3']) assert.ok(options.some((option) => option.value === id), id);
	});

	await report.check('publishing a typeVersion 1 trigger left without a Secret Token fails, naming the field', async () => {
		// n8n 2.x checks required parameters before it publishes; on 1.x the trigger's own check refuses it.
		const response = await publishNew(server, { typeVersion: 1, parameters: { verify: false } });
		const answer = await response.text();
		assert.equal(response.ok, false, `published: ${answer}`);
		assert.match(answer, server.major < 2 ? /This trigger has no Secret Token set/ : /Missing or invalid required parameters: secretToken/);
	});

	await report.check("a trigger whose credential has no Callback Secret, published by n8n's CLI, is not activated: its URL answers 404", async () => {
		// The trigger's publish check (test/trigger/secret.test.ts) refuses it at n8n's start; activated, the URL would answer 401.
		// While n8n's start-up attempt to activate it runs, the URL may answer 401 (refused) for a moment, never 2xx.
		const answers: number[] = [];
		await server.waitUntil(
			async () => {
				const callback = await fetch(triggerUrl(server.url, nodeOfType(tokenless, TRIGGER)), {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: '{}',
				});
				answers.push(callback.status);
				return callback.status === 404;
			},
			30_000,
			'the secretless trigger to be left inactive',
		);
		assert.ok(answers.every((status) => status === 404 || status === 401), `answers ${answers.join(', ')}`);
	});
}
