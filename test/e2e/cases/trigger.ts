/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
/**
 * The APIModels Callback Trigger in a running n8n: callbacks from the emulator (example 4a run with
 * `n8n execute`, and tasks the suite creates itself) must each start exactly one execution.
 * The trigger workflow reports every execution to the suite's collector.
 */
import assert from 'node:assert/strict';
import type { Emulator } from '../../../emulator/server';
import { videoSha256 } from '../../../emulator/video';
import type { Collector, Delivery } from '../lib/collector';
import type { Workflow } from '../../../harness/n8n/examples';
import { assertSucceeded, assertTask, outputOf } from '../lib/expect';
import type { BinaryMeta } from '../../../harness/n8n/instance';
import type { SuiteContext } from './context';
import { executeExample, tasksSince } from './context';

/** What the trigger workflow's report node POSTs for each execution. */
export interface TriggerReport {
	executionId: string;
	task: Record<string, unknown>;
	binary: BinaryMeta | null;
}

export interface TriggerContext extends SuiteContext {
	collector: Collector<TriggerReport>;
	/** The trigger's production URL in the running n8n. */
	triggerUrl: string;
	n8nUrl: string;
}

/** The report node the suite appends to the trigger workflow (beside the example's own nodes). */
export function addReportNode(workflow: Workflow, collectorUrl: string): void {
	const trigger = workflow.nodes.find((node) => node.type.endsWith('.apiModelsCallbackTrigger'));
	if (!trigger) throw new Error('no trigger node');
	workflow.nodes.push({
		id: 'e2e-report-node',
		name: 'Report to the e2e Suite',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [240, 240],
		parameters: {
			method: 'POST',
			url: collectorUrl,
			sendBody: true,
			specifyBody: 'json',
			// The item itself, not $binary: n8n's $binary leaves out inline bytes (n8n 1.x's memory mode keeps them there).
			jsonBody: '={{ JSON.stringify({ executionId: $execution.id, task: $json, binary: $input.item.binary?.data ?? null }) }}',
			options: {},
		},
	});
	workflow.connections[trigger.name].main[0].push({ node: 'Report to the e2e Suite', type: 'main', index: 0 });
}

export function reportsFor(collector: Collector<TriggerReport>, taskId: string): Array<Delivery<TriggerReport>> {
	return collector.deliveries.filter((delivery) => delivery.body.task.taskId === taskId);
}

/** Creates a task straight through the emulator's API, as another client of the API would. */
export async function createTask(emulator: Emulator, body: Record<string, unknown>): Promise<string> {
	const response = await fetch(`${emulator.url}/api/v1/video/generations`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${emulator.apiKey}`, 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	const answer = (await response.json()) as { data: { task_id?: string; taskId?: string } };
	const taskId = answer.data.task_id ?? answer.data.taskId;
	if (!taskId) throw new Error(`no task created: ${JSON.stringify(answer)}`);
	return taskId;
}

/** The task as the API's status query answers it (its `data`). */
export async function queryTask(emulator: Emulator, taskId: string): Promise<Record<string, unknown>> {
	const response = await fetch(`${emulator.url}/api/v1/video/generations?task_id=${taskId}`, {
		headers: { Authorization: `Bearer ${emulator.apiKey}` },
	});
	return ((await response.json()) as { data: Record<string, unknown> }).data;
}

function assertReportedVideo(emulator: Emulator, delivery: Delivery<TriggerReport>): void {
	const { binary, task } = delivery.body;
	assert.ok(binary, 'the trigger downloaded no video');
	assert.equal(binary.fileName, `${String(task.taskId)}.mp4`);
	assert.equal(binary.mimeType, 'video/mp4');
	assert.equal((delivery.extra as { sha256?: string })?.sha256, videoSha256(emulator.videoSpec(String(task.taskId))), 'video bytes');
}

async function callbackFromWorkflow(context: TriggerContext): Promise<void> {
	const { report, emulator, collector, triggerUrl } = context;
	emulator.setOptions({ callbackDuplicates: 2 });
	// The trigger's verification GET is the only status request now: its retries must absorb these.
	emulator.inject('status', 'serverError', 2);
	const since = Date.now();
	const run = await executeExample(context, '4a-callback-create-video');
	const [task] = tasksSince(emulator, since);

	await report.check('4a-callback-create-video: Create Video returns the pending task at once', () => {
		assertSucceeded(run);
		const [item] = outputOf(run, 'Create Video');
		assertTask(emulator, item.json, { status: 'pending', model: 'grok-video-3', priceUsd: 0.028 });
		assert.equal(task?.body.callback_url, triggerUrl);
	});
	await report.check('4b-callback-trigger: the callback and its 2 copies start exactly one execution', async () => {
		await collector.waitFor(() => reportsFor(collector, task.id).length > 0, 30_000);
		await waitForCallbacks(emulator, task.id, 3);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		assert.equal(reportsFor(collector, task.id).length, 1);
		const [first, ...copies] = emulator.tasks().find((candidate) => candidate.id === task.id)?.callbacks ?? [];
		assert.equal(first?.status, 200, 'the first delivery is accepted');
		// A copy is either recognised (200) or, while the first is still being verified, refused
		// with a 409 so that the vendor sends it again later.
		for (const copy of copies) assert.ok(copy.status === 200 || copy.status === 409, `a copy got ${copy.status}`);
	});
	await report.check('4b-callback-trigger: the execution gets the verified task and its video', () => {
		const [delivery] = reportsFor(collector, task.id);
		assertTask(emulator, delivery.body.task, { status: 'completed', model: 'grok-video-3', priceUsd: 0.028 });
		assertReportedVideo(emulator, delivery);
		assert.equal(emulator.stats().requests.status['500'], 2, 'the verification met both injected 500s');
	});
	emulator.reset();
}

async function waitForCallbacks(emulator: Emulator, taskId: string, attempts: number): Promise<void> {
	const deadline = Date.now() + 20_000;
	for (;;) {
		const task = emulator.tasks().find((candidate) => candidate.id === taskId);
		const done = task?.callbacks.filter((attempt) => attempt.status !== undefined || attempt.error !== undefined);
		if ((done?.length ?? 0) >= attempts) return;
		if (Date.now() > deadline) throw new Error(`the emulator made ${done?.length ?? 0} of ${attempts} callback attempts`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

async function failedTaskCallback(context: TriggerContext): Promise<void> {
	const { report, emulator, collector, triggerUrl } = context;
	// The other spelling and the bare callback body, as the vendor's live docs show them.
	emulator.setOptions({ spelling: 'live', callbackShape: 'bare' });
	const taskId = await createTask(emulator, { model: 'veo-3.1', prompt: 'A failing scene [fail]', callback_url: triggerUrl });
	await report.check('trigger: a failed task (live spelling, bare body) starts one execution with its reason', async () => {
		await collector.waitFor(() => reportsFor(collector, taskId).length > 0, 30_000, 1000);
		const deliveries = reportsFor(collector, taskId);
		assert.equal(deliveries.length, 1);
		assertTask(emulator, deliveries[0].body.task, { status: 'failed', model: 'veo-3.1', priceUsd: 0.12 });
		assert.equal(deliveries[0].body.binary, null);
	});
	emulator.reset();
}

async function acceptedAnswer(context: TriggerContext): Promise<void> {
	const { report, emulator, collector, triggerUrl } = context;
	// No callback URL: this suite sends the callback itself, to read n8n's answer.
	const taskId = await createTask(emulator, { model: 'grok-video-3', prompt: 'An answered heron' });
	await report.check("trigger: an accepted callback's 200 says received, started and the delivery's id", async () => {
		let data = await queryTask(emulator, taskId);
		for (const deadline = Date.now() + 20_000; data.status !== 'completed' && Date.now() < deadline; data = await queryTask(emulator, taskId)) {
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		const response = await fetch(triggerUrl, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ code: 200, msg: 'success', data }),
		});
		assert.equal(response.status, 200);
		assert.deepEqual(await response.json(), { received: true, started: true, deliveryId: `${taskId}:completed` });
		await collector.waitFor(() => reportsFor(collector, taskId).length > 0, 30_000);
	});
	emulator.reset();
}

export async function triggerCases(context: TriggerContext): Promise<void> {
	context.report.section('APIModels Callback Trigger in a running n8n:');
	await callbackFromWorkflow(context);
	await failedTaskCallback(context);
	await acceptedAnswer(context);
}
