/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run on Node, outside n8n */
/**
 * Waits take as long in every supported n8n: a workflow started by a webhook creates tasks and
 * waits for them in the running n8n, and its end is measured against the last task's end, in poll
 * intervals. On n8n 1.x a sleep that ignored its abort signal made each wait run to its longest
 * sleep (a minute), and left a cancelled execution polling: both show here as a lag of dozens of
 * intervals. The same bars hold on every version, so the figures printed side by side compare them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Emulator } from '../../../emulator/server';
import type { Fault } from '../../../emulator/faults';
import type { Workflow } from '../../../harness/n8n/examples';
import { CREDENTIAL } from '../../../harness/n8n/examples';
import type { N8nServer } from '../../../harness/n8n/instance';
import type { Report } from '../lib/report';

export const TIMING_CREDENTIAL = { id: 'apiModelsTiming', name: 'APIModels (e2e timing)' };
const PATH = 'apimodels-e2e-timing';
const POLL_SECONDS = 1;
/** A poll interval long enough that a sleep which ignores the cancellation shows. */
const CANCEL_POLL_SECONDS = 20;
/** Requests sent just before the cancel may reach the emulator a moment after it. */
const IN_FLIGHT_MS = 300;

/**
 * Webhook → one item per prompt → Create Video → Wait for Completion, answering with the waited
 * items once they are all done. The request body gives the prompts and the poll interval.
 */
export function timingWorkflow(): Workflow {
	const node = (name: string, type: string, typeVersion: number, x: number, parameters: Record<string, unknown>) => ({
		id: randomUUID(),
		name,
		type,
		typeVersion,
		position: [x, 0] as [number, number],
		parameters,
	});
	const credentials = { [CREDENTIAL.type]: TIMING_CREDENTIAL };
	const nodes = [
		{
			...node('Webhook', 'n8n-nodes-base.webhook', 2, 0, { httpMethod: 'POST', path: PATH, responseMode: 'lastNode', responseData: 'allEntries', options: {} }),
			webhookId: randomUUID(),
		},
		node('One Item per Prompt', 'n8n-nodes-base.splitOut', 1, 200, {
			fieldToSplitOut: 'body.prompts',
			include: 'noOtherFields',
			options: { destinationFieldName: 'prompt' },
		}),
		{
			...node('Create Video', 'n8n-nodes-apimodels.apiModelsVideo', 1, 400, {
				resource: 'video',
				operation: 'create',
				model: 'grok-video-3',
				prompt: '={{ $json.prompt }}',
				aspectRatio: '16:9',
				size: '720P',
				options: {},
			}),
			credentials,
		},
		{
			...node('Wait for Completion', 'n8n-nodes-apimodels.apiModelsVideo', 1, 600, {
				resource: 'video',
				operation: 'waitForCompletion',
				taskId: '={{ $json.taskId }}',
				options: { pollIntervalSeconds: "={{ $('Webhook').first().json.body.pollSeconds }}", timeoutMinutes: 3 },
			}),
			credentials,
		},
	];
	const chain = nodes.slice(1).map((next, index) => [nodes[index].name, { main: [[{ node: next.name, type: 'main', index: 0 }]] }]);
	return { id: 'apimodelsTimingE2e', name: 'Wait timings (e2e)', active: false, nodes, connections: Object.fromEntries(chain), settings: {} };
}

/** A prompt for a task the emulator finishes `ms` after its creation. */
const taskOf = (ms: number, index: number) => `Timing ${index} [pendingMs=0][processingMs=${ms}]`;

async function startRun(server: N8nServer, prompts: string[], pollSeconds: number): Promise<Response> {
	return await fetch(`${server.url}/webhook/${PATH}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ prompts, pollSeconds }),
		// The workflow's own timeout, and a little more.
		signal: AbortSignal.timeout(200_000),
	});
}

interface Scenario {
	name: string;
	durationsMs: number[];
	/** Faults the emulator answers with before the run. */
	faults?: Array<{ route: 'create' | 'status'; fault: Fault }>;
	/** Most poll intervals the run may end after the last task ended. */
	maxLagPolls: number;
}

const TRANSIENT: Fault[] = [{ kind: 'rateLimit', retryAfterSeconds: 1 }, { kind: 'serverError' }, { kind: 'rateLimit' }, { kind: 'drop' }];
/** Answers normally: a fault queue entry that only waits 0 ms. */
const PASS: Fault = { kind: 'slow', delayMs: 0 };

const SCENARIOS: Scenario[] = [
	{ name: '2 items, Create Video then Wait for Completion', durationsMs: [2000, 3000], maxLagPolls: 1.5 },
	{ name: '1 item, a 3 s task', durationsMs: [3000], maxLagPolls: 1.5 },
	{
		name: '8 tasks while the API rate-limits 2 creates and fails every other status read at first',
		durationsMs: Array.from({ length: 8 }, (_, index) => 2000 + 250 * index),
		faults: [
			...[0, 1].map(() => ({ route: 'create' as const, fault: { kind: 'rateLimit', retryAfterSeconds: 1 } as Fault })),
			...Array.from({ length: 16 }, (_, index) => ({ route: 'status' as const, fault: index % 2 ? PASS : TRANSIENT[(index / 2) % TRANSIENT.length] })),
		],
		// A read that fails near the end adds its retry's backoff.
		maxLagPolls: 3,
	},
];

async function scenarioCase(report: Report, server: N8nServer, emulator: Emulator, scenario: Scenario): Promise<void> {
	emulator.clearFaults();
	for (const { route, fault } of scenario.faults ?? []) emulator.inject(route, fault, 1);
	const started = Date.now();
	const response = await startRun(server, scenario.durationsMs.map(taskOf), POLL_SECONDS);
	const answer = (await response.json()) as Array<{ taskId: string; status: string }>;
	const ended = Date.now();
	assert.equal(response.status, 200, JSON.stringify(answer));
	assert.deepEqual(answer.map((item) => item.status), scenario.durationsMs.map(() => 'completed'));
	const tasks = emulator.tasks().filter((task) => answer.some((item) => item.taskId === task.id));
	assert.equal(tasks.length, scenario.durationsMs.length, 'every task created once');
	const lastEnd = Math.max(...tasks.map((task) => task.finishedAt));
	const lagPolls = (ended - lastEnd) / (POLL_SECONDS * 1000);
	report.note(`${scenario.name}: ${((ended - started) / 1000).toFixed(1)} s, ended ${lagPolls.toFixed(2)} poll intervals after the last task`);
	assert.ok(lagPolls <= scenario.maxLagPolls, `ended ${lagPolls.toFixed(2)} poll intervals after the last task (bar ${scenario.maxLagPolls})`);
}

async function cancelCase(report: Report, server: N8nServer, emulator: Emulator, workflowId: string): Promise<void> {
	emulator.clearFaults();
	emulator.resetStats();
	const run = startRun(server, [taskOf(120_000, 0)], CANCEL_POLL_SECONDS).catch(() => undefined);
	await server.waitUntil(async () => emulator.stats().totals.status >= 1, 30_000, 'the first status read');
	const running = (await server.executionsOf(workflowId)).find((execution) => execution.status === 'running');
	assert.ok(running, 'no running execution');
	// Asleep until the next poll, a whole interval away.
	const cancelledAt = Date.now();
	const stop = await server.rest(`/rest/executions/${running.id}/stop`, { method: 'POST' });
	assert.equal(stop.ok, true, `stop: ${stop.status} ${await stop.text()}`);
	let status = '';
	await server.waitUntil(
		async () => (status = (await server.executionsOf(workflowId)).find((execution) => execution.id === running.id)?.status ?? '') === 'canceled',
		CANCEL_POLL_SECONDS * 1000,
		'the execution to be cancelled',
	);
	const stoppedPolls = (Date.now() - cancelledAt) / (CANCEL_POLL_SECONDS * 1000);
	await run;
	// Past the next poll the node would have sent, had it kept sleeping.
	await server.waitUntil(async () => Date.now() > cancelledAt + 1.25 * CANCEL_POLL_SECONDS * 1000, 2 * CANCEL_POLL_SECONDS * 1000, 'a poll interval');
	const late = emulator.stats().log.filter((entry) => entry.route === 'status' && entry.at > cancelledAt + IN_FLIGHT_MS);
	report.note(`a cancelled wait: cancelled after ${(stoppedPolls * CANCEL_POLL_SECONDS).toFixed(1)} s (${stoppedPolls.toFixed(2)} poll intervals), ${late.length} status reads after`);
	assert.equal(status, 'canceled');
	assert.ok(stoppedPolls <= 0.25, `cancelled after ${stoppedPolls.toFixed(2)} poll intervals`);
	assert.deepEqual(late, [], 'status reads after the cancel');
}

export async function timingCases(report: Report, server: N8nServer, emulator: Emulator, workflowId: string): Promise<void> {
	report.section(`Wait timings in n8n (lag after the last task, in ${POLL_SECONDS} s poll intervals):`);
	for (const scenario of SCENARIOS) {
		await report.check(`timing: ${scenario.name} ends within ${scenario.maxLagPolls} poll intervals of the last task`, () =>
			scenarioCase(report, server, emulator, scenario),
		);
	}
	await report.check('timing: a cancelled wait stops within a quarter of its poll interval and reads no more statuses', () =>
		cancelCase(report, server, emulator, workflowId),
	);
}
