#!/usr/bin/env node
/**
 * `npm run dev`: a real n8n with this package installed, the example workflows imported and,
 * unless APIMODELS_API_KEY is set, the API emulator behind their credential. Stays up until Ctrl-C.
 *
 *   npm run dev                                 emulator on :4010, n8n on :5678
 *   APIMODELS_API_KEY=sk_... npm run dev        the real API (APIMODELS_BASE_URL to override it)
 *   N8N_PORT=5679 EMULATOR_PORT=4011 npm run dev
 *
 * n8n's data lives in APIMODELS_DEV_FOLDER (default ~/.cache/n8n-nodes-apimodels/dev), outside the
 * repository so the package resolves n8n-workflow and zod from n8n as it does for users. Each start
 * reinstalls the freshly built package and re-imports the examples; other workflows are kept.
 */
require('ts-node').register({ transpileOnly: true });

const { randomBytes } = require('node:crypto');
const { mkdirSync, rmSync } = require('node:fs');
const { homedir } = require('node:os');
const path = require('node:path');
const { startEmulator } = require('../emulator/server');
const examples = require('../harness/n8n/examples');
const { freePort, N8n, OWNER, provideN8n } = require('../harness/n8n/instance');
const { buildAndPack, installLikeN8n } = require('../harness/n8n/package');

const n8nPort = Number(process.env.N8N_PORT || 5678);
const emulatorPort = Number(process.env.EMULATOR_PORT || 4010);
const realKey = process.env.APIMODELS_API_KEY;
const folder = process.env.APIMODELS_DEV_FOLDER || path.join(homedir(), '.cache', 'n8n-nodes-apimodels', 'dev');

function step(text) {
	console.log(`› ${text}`);
}

/** The emulator, or the real API when a key is given: what the examples' credential points at. */
async function apiTarget() {
	if (realKey) {
		const baseUrl = process.env.APIMODELS_BASE_URL || 'https://apimodels.app';
		return { name: 'APIModels', data: { apiKey: realKey, baseUrl }, close: async () => undefined };
	}
	// Slow enough to watch a task go pending → processing → completed in the editor.
	const emulator = await startEmulator({ port: emulatorPort, pendingMs: 2000, processingMs: 6000 });
	return { name: examples.CREDENTIAL.name, data: { apiKey: emulator.apiKey, baseUrl: emulator.url }, emulator, close: () => emulator.close() };
}

async function main() {
	step('Building and packing the package');
	const packDir = path.join(folder, 'pack');
	rmSync(packDir, { recursive: true, force: true });
	mkdirSync(packDir, { recursive: true });
	const tarball = buildAndPack(packDir);

	step('Providing n8n (the first time this installs it, which takes several minutes)');
	const n8n = new N8n(provideN8n(), folder);
	installLikeN8n(tarball, n8n.n8nFolder);

	const api = await apiTarget();
	const n8nUrl = `http://127.0.0.1:${n8nPort}`;
	const ports = { http: n8nPort, broker: await freePort() };
	step(`Importing the credential "${api.name}" and the example workflows`);
	const credentialsFile = path.join(packDir, 'credentials.json');
	// Example 4b's trigger checks callbacks against the credential's Callback Secret; 4a's Create
	// Video, with the same credential, adds the token to its Callback URL.
	const callbackSecret = randomBytes(24).toString('base64url');
	examples.writeCredentials(credentialsFile, [{ id: examples.CREDENTIAL.id, name: api.name, data: { ...api.data, callbackSecret } }]);
	const workflows = [...examples.loadExamples().values()];
	for (const workflow of workflows) examples.pointCallbacksAt(workflow, n8nUrl);
	const workflowsDir = path.join(packDir, 'workflows');
	examples.writeWorkflows(workflowsDir, workflows);
	await n8n.cliExpecting(['import:credentials', `--input=${credentialsFile}`], /Successfully imported/);
	await n8n.cliExpecting(['import:workflow', '--separate', `--input=${workflowsDir}`], /Successfully imported/);
	// The trigger must be published to listen on its production URL, where example 4a sends callbacks.
	const trigger = workflows.find((workflow) => workflow.nodes.some((node) => node.type.endsWith('.apiModelsCallbackTrigger')));
	await n8n.publish(trigger.id);

	step(`Starting n8n on ${n8nUrl} (its log follows, prefixed with "n8n │")`);
	const server = await n8n.start(ports, (line) => console.log(`n8n │ ${line}`));
	let stopping = false;
	const stop = async (code) => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n and the emulator...');
		await server.stop();
		await api.close();
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	const watch = setInterval(() => {
		if (server.running) return;
		clearInterval(watch);
		console.error('n8n exited unexpectedly.');
		void stop(1);
	}, 1000);

	console.log(`
────────────────────────────────────────────────────────────────────────────
  n8n editor   ${n8nUrl}
               log in as ${OWNER.email} / ${OWNER.password}
  API          ${api.emulator ? `emulator at ${api.data.baseUrl} (key ${api.data.apiKey}; counters at ${api.data.baseUrl}/__emulator/stats)` : `${api.data.baseUrl} with your key (real videos cost real money)`}
  n8n data     ${folder}

  Open Overview → the workflows named "APIModels 1" to "APIModels 6", then
  "Execute workflow". For callbacks, run "APIModels 4a": the published
  "APIModels 4b" trigger starts once the task ends (see its Executions tab);
  The credential has a Callback Secret, from which 4a's Create Video signs
  its Callback URL and 4b's trigger checks each callback.
  A prompt containing [fail] makes the emulator fail the task.${realKey ? `
  With the real API, 4a's Callback URL must be reachable from the internet.` : ''}

  Ctrl-C stops everything.
────────────────────────────────────────────────────────────────────────────`);
}

main().catch((error) => {
	console.error(`npm run dev: ${error.message}`);
	process.exit(1);
});
