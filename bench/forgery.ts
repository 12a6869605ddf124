/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- benchmarks run on Node, outside n8n */
/**
 * `npm run bench:forgery`: what a forged callback costs a real n8n 2.40 (`n8n start`). The same
 * request (a JSON callback body, a wrong X-APIModels-Token header) goes to the APIModels Callback
 * Trigger (typeVersion 2, Security: Callback Secret) and to n8n's own Webhook node with Header Auth
 * on that header; both refuse it. The n8n process's CPU time (user + system, from /proc) per refused
 * request is measured for each in alternating rounds in one run (the median round counts), once
 * with n8n's defaults and once with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true. Bar: the trigger's
 * cost at most BAR times the Webhook node's in both; exits non-zero past it. Measured too, without a
 * bar: an unknown webhook path, n8n's floor, and last the trigger's typeVersion 1 (its token a
 * parameter).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CREDENTIAL, TRIGGER_TYPE } from '../harness/n8n/examples';
import type { N8nServer } from '../harness/n8n/instance';
import { freePorts, N8n, provideN8n } from '../harness/n8n/instance';
import { buildAndPack, installLikeN8n } from '../harness/n8n/package';
import { sampleProcess } from './proc';
import type { Row } from './table';
import { log, printTable } from './table';

const BAR = 1.2;
const WARM_UP = 10;
const ROUNDS = 5;
const PER_ROUND = 40;
const SENDERS = 4;
/** How long n8n gets after a batch to finish what the batch started (a replacement sandbox, GC). */
const SETTLE_MS = 500;
const HEADER = 'X-APIModels-Token';

interface Targets {
	trigger: string;
	webhook: string;
	triggerV1: string;
	unknown: string;
}

function workflows(secret: string, apiModelsId: string, headerAuthId: string, webhookIds: { trigger: string; triggerV1: string; webhook: string }) {
	const workflow = (name: string, node: Record<string, unknown>) => ({
		name,
		nodes: [{ id: randomUUID(), name, position: [0, 0], ...node }],
		connections: {},
		settings: { executionOrder: 'v1' },
	});
	return [
		workflow('APIModels Callback Trigger', {
			type: TRIGGER_TYPE,
			typeVersion: 2,
			webhookId: webhookIds.trigger,
			parameters: { security: 'token', verifyWithApi: true },
			credentials: { [CREDENTIAL.type]: { id: apiModelsId, name: CREDENTIAL.name } },
		}),
		workflow('APIModels Callback Trigger v1', {
			type: TRIGGER_TYPE,
			typeVersion: 1,
			webhookId: webhookIds.triggerV1,
			parameters: { security: 'token', secretToken: secret, verify: true },
			credentials: { [CREDENTIAL.type]: { id: apiModelsId, name: CREDENTIAL.name } },
		}),
		workflow('Webhook', {
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			webhookId: webhookIds.webhook,
			parameters: { httpMethod: 'POST', path: webhookIds.webhook, authentication: 'headerAuth', responseMode: 'onReceived', options: {} },
			credentials: { httpHeaderAuth: { id: headerAuthId, name: 'Header Auth' } },
		}),
	];
}

/** Credentials and workflows through the editor's REST API, both published; answers the URLs. */
async function setUp(server: N8nServer): Promise<Targets> {
	const post = async <T>(route: string, body: unknown) => await server.restData<T>(route, { method: 'POST', body: JSON.stringify(body) });
	const secret = randomUUID();
	const apiModels = await post<{ id: string }>('/rest/credentials', {
		name: CREDENTIAL.name,
		type: CREDENTIAL.type,
		// Nothing listens there: a refused callback never reaches the API.
		data: { apiKey: 'sk_forgery_bench', baseUrl: 'http://127.0.0.1:9', callbackSecret: secret },
	});
	const headerAuth = await post<{ id: string }>('/rest/credentials', { name: 'Header Auth', type: 'httpHeaderAuth', data: { name: HEADER, value: secret } });
	const webhookIds = { trigger: randomUUID(), triggerV1: randomUUID(), webhook: `forgery-bench-${randomUUID()}` };
	for (const workflow of workflows(secret, apiModels.id, headerAuth.id, webhookIds)) {
		const created = await post<{ id: string; versionId: string }>('/rest/workflows', workflow);
		await post(`/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
	}
	return {
		trigger: `${server.url}/webhook/${webhookIds.trigger}/callback`,
		webhook: `${server.url}/webhook/${webhookIds.webhook}`,
		triggerV1: `${server.url}/webhook/${webhookIds.triggerV1}/callback`,
		unknown: `${server.url}/webhook/${randomUUID()}/callback`,
	};
}

/** The forged callback: a plausible body, a wrong token. Answers the statuses n8n gave. */
async function forge(url: string, count: number): Promise<Set<number>> {
	const statuses = new Set<number>();
	let left = count;
	const sender = async () => {
		for (; left > 0; left--) {
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', [HEADER]: `forged-${randomUUID()}` },
				body: JSON.stringify({ code: 200, msg: 'success', data: { task_id: `clforged${randomUUID()}`, status: 'completed' } }),
			});
			await response.arrayBuffer();
			statuses.add(response.status);
		}
	};
	await Promise.all(Array.from({ length: SENDERS }, sender));
	return statuses;
}

function cpuMsOf(pid: number): number {
	const sample = sampleProcess(pid);
	if (!sample) throw new Error('n8n exited');
	return sample.cpuMs;
}

const pause = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** n8n's CPU time per request over `count` forgeries, less what it spends idle over the same time. */
async function cpuPerRequest(pid: number, url: string, count: number, idleMsPerMs: number, expected: number): Promise<number> {
	const before = cpuMsOf(pid);
	const started = Date.now();
	const statuses = await forge(url, count);
	await pause(SETTLE_MS);
	const spent = cpuMsOf(pid) - before - idleMsPerMs * (Date.now() - started);
	if (statuses.size !== 1 || !statuses.has(expected)) throw new Error(`${url} answered ${[...statuses].join(', ')}, not only ${expected}`);
	return spent / count;
}

type ModeResult = Record<keyof Targets, number>;

async function measureMode(n8n: N8n, lazy: boolean): Promise<ModeResult> {
	if (lazy) process.env.N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE = 'true';
	else delete process.env.N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE;
	log(`starting n8n (${lazy ? 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true' : 'defaults'})`);
	const server = await n8n.start(await freePorts());
	try {
		const targets = await setUp(server);
		await server.waitUntil(async () => (await forge(targets.trigger, 1)).has(403), 30_000, 'the trigger to listen');
		await server.waitUntil(async () => (await forge(targets.webhook, 1)).has(403), 30_000, 'the Webhook node to listen');
		const pid = server.pid ?? 0;
		// First requests load what n8n loads lazily (modules, credentials, the sandbox pool).
		for (const url of Object.values(targets)) await forge(url, WARM_UP);
		await pause(SETTLE_MS);
		const idleStart = cpuMsOf(pid);
		await pause(2000);
		const idleMsPerMs = Math.max(0, (cpuMsOf(pid) - idleStart) / 2000);
		const costs: Record<keyof Targets, number[]> = { trigger: [], webhook: [], triggerV1: [], unknown: [] };
		const measure = async (target: keyof Targets) =>
			costs[target].push(await cpuPerRequest(pid, targets[target], PER_ROUND, idleMsPerMs, target === 'unknown' ? 404 : 403));
		for (let round = 0; round < ROUNDS; round++) {
			for (const target of ['trigger', 'webhook', 'unknown'] as const) await measure(target);
		}
		// typeVersion 1, for comparison only, once and last: each of its requests takes an expression
		// sandbox, and n8n builds their replacements afterwards, which would be billed to the next batch.
		await measure('triggerV1');
		// The median round: a garbage collection landing in one batch would otherwise tip the ratio.
		const median = (target: keyof Targets) => {
			const sorted = [...costs[target]].sort((x, y) => x - y);
			return sorted[Math.floor(sorted.length / 2)];
		};
		return { trigger: median('trigger'), webhook: median('webhook'), triggerV1: median('triggerV1'), unknown: median('unknown') };
	} finally {
		await server.stop();
	}
}

async function main(): Promise<number> {
	const started = Date.now();
	const work = mkdtempSync(path.join(os.tmpdir(), 'apimodels-forgery-bench-'));
	try {
		const n8n = new N8n(provideN8n(), path.join(work, 'user'));
		log('building, packing and installing the package');
		installLikeN8n(buildAndPack(work), n8n.n8nFolder);
		const rows: Row[] = [];
		let pass = true;
		for (const lazy of [false, true]) {
			const result = await measureMode(n8n, lazy);
			const ratio = result.trigger / result.webhook;
			const label = lazy ? 'LAZY_ACQUIRE=true' : 'n8n defaults';
			pass &&= ratio <= BAR;
			rows.push(
				{ name: `${label}: trigger, CPU per refused request`, value: `${result.trigger.toFixed(2)} ms` },
				{ name: `${label}: Webhook node + Header Auth`, value: `${result.webhook.toFixed(2)} ms` },
				{ name: `${label}: trigger typeVersion 1`, value: `${result.triggerV1.toFixed(2)} ms` },
				{ name: `${label}: unknown webhook path (floor)`, value: `${result.unknown.toFixed(2)} ms` },
				{ name: `${label}: trigger / Webhook node`, value: `${ratio.toFixed(2)}x`, bar: `<= ${BAR}x`, pass: ratio <= BAR },
			);
		}
		printTable(`Forged callbacks in a real n8n 2.40, ${os.cpus().length} CPUs`, rows, [
			`${ROUNDS} alternating rounds of ${PER_ROUND} requests per target and mode, the median round shown (typeVersion 1: one round, last), ${SENDERS} at a time; n8n process CPU from /proc, its idle rate subtracted.`,
			`in ${((Date.now() - started) / 1000).toFixed(0)} s`,
		]);
		return pass ? 0 : 1;
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(`bench:forgery: ${(error as Error).stack ?? String(error)}`);
		process.exit(1);
	},
);
