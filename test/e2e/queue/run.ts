/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- tests run on Node, outside n8n */
/**
 * `npm run test:queue`: the package in n8n's queue mode, as production runs it. Starts its own
 * PostgreSQL, Redis, an n8n main, 2 workers and 2 webhook processes behind a round-robin balancer
 * (see cluster.ts), installs the packed package, and checks:
 *  - batches wait on the workers and download into binary data (on n8n 2.x the database store,
 *    queue mode's default);
 *  - the trigger behind two webhook processes, with the vendor's re-sends and copies;
 *  - the webhook processes killed (SIGKILL, then SIGTERM) while the trigger verifies callbacks;
 *  - Park Execution across a restart of every n8n process in the middle of the render;
 *  - 5 parked executions leave the workers (one execution at a time each) free for other work;
 *  - a worker killed while Wait for Completion polls: what happens, measured.
 * `--n8n=<version>` picks another version of harness/n8n/versions.json than the first.
 * Ends with `N passed, M failed` and a non-zero exit code on any failure.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Emulator } from '../../../emulator/server';
import { startEmulator } from '../../../emulator/server';
import { writeCredentials, writeWorkflows } from '../../../harness/n8n/examples';
import { provideN8n, publishCommand } from '../../../harness/n8n/instance';
import { n8nVersionArgument } from '../../../harness/n8n/n8nVersions';
import { buildAndPack, installLikeN8n } from '../../../harness/n8n/package';
import type { BatchOptions, BatchReport } from '../../../harness/n8n/workflows';
import { batchWorkflow } from '../../../harness/n8n/workflows';
import { createTask } from '../cases/trigger';
import { Collector } from '../lib/collector';
import { Report } from '../lib/report';
import { QueueCluster } from './cluster';
import { queueServicesAvailable } from './services';
import { QUEUE_CREDENTIAL, TRIGGER_TOKEN, triggerWorkflow } from './workflows';

const WORKERS = 2;
const WEBHOOKS = 2;
/** Each worker runs one execution at a time: a parked execution that held a worker would block it. */
const WORKER_CONCURRENCY = 1;

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await Promise.resolve(probe()).catch(() => undefined);
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

function countBy(values: string[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
	return counts;
}

async function post(url: string, body: unknown, timeoutMs = 30_000): Promise<number> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(timeoutMs),
	});
	await response.arrayBuffer();
	return response.status;
}

/** As the vendor delivers: 10 s per attempt, re-sent after a non-2xx or a timeout (1, 2, 4 s, then every 2 s). */
async function deliverLikeVendor(url: string, body: unknown): Promise<Array<number | string>> {
	const answers: Array<number | string> = [];
	for (const waitMs of [0, 1000, 2000, 4000, ...Array<number>(20).fill(2000)]) {
		await new Promise((resolve) => setTimeout(resolve, waitMs));
		const status = await post(url, body, 10_000).catch(() => 'timeout');
		answers.push(status);
		if (typeof status === 'number' && status >= 200 && status < 300) break;
	}
	return answers;
}

interface Stage {
	report: Report;
	cluster: QueueCluster;
	emulator: Emulator;
	collector: Collector<BatchReport>;
}

function reportsOf(collector: Collector<BatchReport>, since: number): BatchReport[] {
	return collector.deliveries.filter((delivery) => delivery.receivedAt >= since).map((delivery) => delivery.body);
}

async function batchesOnWorkers({ report, cluster, emulator, collector }: Stage): Promise<void> {
	report.section("Batches wait on the workers and download into binary data (2.x: the database store, queue mode's default; 1.x: inline, its default)");
	const since = Date.now();
	const created = emulator.stats().tasksCreated;
	const prompts = (batch: number) => Array.from({ length: 10 }, (_, index) => ({ prompt: `Batch ${batch} scene ${index}` }));
	const started = Date.now();
	const answers = await Promise.all([1, 2].map((batch) => post(`${cluster.balancer.url}/webhook/queue-batch`, { prompts: prompts(batch) })));
	await report.check('2 batches of 10 are accepted by the webhook processes', () => assert.deepEqual(answers, [200, 200]));
	const reports = await until(() => (reportsOf(collector, since).length >= 2 ? reportsOf(collector, since) : undefined), 120_000, 'the batches');
	report.note(`2 batches of 10 finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	await report.check('each batch outputs 10 completed tasks, each with its video in binary data', () => {
		for (const { items } of reports) {
			assert.equal(items.length, 10);
			for (const { json, binary } of items) {
				assert.equal(json.status, 'completed');
				assert.ok(binary && (binary.id ?? binary.data), `no binary data for ${String(json.taskId)}`);
				assert.equal(binary.fileName, `${String(json.taskId)}.mp4`);
			}
		}
		report.note(`binary data ids look like ${String(reports[0].items[0].binary?.id ?? 'inline').replace(/:.*/, ':...')}`);
	});
	await report.check('20 tasks were created for 20 prompts (none twice)', () => assert.equal(emulator.stats().tasksCreated - created, 20));
}

async function triggerBehindTwoWebhookProcesses({ report, cluster, emulator, collector }: Stage, webhookId: string): Promise<void> {
	report.section('The trigger behind two webhook processes');
	const path = `/webhook/${webhookId}/callback?token=${TRIGGER_TOKEN}`;
	const since = Date.now();
	const queriesBefore = emulator.stats().totals.status;
	// Vendor-like: each callback and its re-sends go through the balancer, alternating processes;
	// after the 2xx two more copies follow (so they reach the other process); the API rate-limits
	// the first status queries, so first attempts get 503 and are re-sent.
	emulator.setOptions({ callbackDuplicates: 2 });
	emulator.inject('status', { kind: 'rateLimit', retryAfterSeconds: 1 }, 30);
	const sequential = await Promise.all(
		Array.from({ length: 10 }, (_, index) =>
			createTask(emulator, { model: 'grok-video-3', prompt: `Trigger scene ${index}`, callback_url: `${cluster.balancer.url}${path}` }),
		),
	);
	// Copies arriving at both webhook processes at the same moment: tasks without a callback URL,
	// whose callbacks the suite sends itself, to both processes at once.
	const simultaneous = await Promise.all(
		Array.from({ length: 10 }, (_, index) => createTask(emulator, { model: 'grok-video-3', prompt: `Twin scene ${index}` })),
	);
	await until(() => emulator.tasks().filter((task) => simultaneous.includes(task.id)).every((task) => task.finishedAt <= Date.now()) || undefined, 30_000, 'the tasks to end');
	const webhookUrls = cluster.processes.filter((handle) => handle.role === 'webhook').map((handle) => handle.server.url);
	const twinAnswers = (
		await Promise.all(
			simultaneous.flatMap((taskId) =>
				webhookUrls.map((url) => deliverLikeVendor(`${url}${path}`, { code: 200, msg: 'success', data: { task_id: taskId, status: 'completed' } })),
			),
		)
	).flat();
	const all = [...sequential, ...simultaneous];
	// Each callback and its 2 copies answered (or timed out at the vendor's 10 s); counted either way.
	const answered = (kind: string) => (id: string) =>
		(emulator.tasks().find((task) => task.id === id)?.callbacks ?? []).filter((attempt) => attempt.kind === kind && (attempt.status ?? attempt.error)).length;
	const settled = await until(() => sequential.every((id) => answered('duplicate')(id) === 2) || undefined, 150_000, 'the vendor-like callbacks and their copies')
		.then(() => true)
		.catch(() => false);
	await new Promise((resolve) => setTimeout(resolve, 3000));
	const started = reportsOf(collector, since).flatMap((delivery) => delivery.items.map((item) => String(item.json.taskId)));
	const perTask = countBy(started.filter((id) => all.includes(id)));
	const attempts = emulator.tasks().filter((task) => sequential.includes(task.id)).flatMap((task) => task.callbacks);
	report.note(
		`vendor-like: ${attempts.length} POSTs for 10 tasks, answers ${JSON.stringify(countBy(attempts.map((a) => String(a.status ?? a.error))))}; ` +
			`simultaneous copies (each re-sent until a 2xx) answered ${JSON.stringify(countBy(twinAnswers.map(String)))}; API status queries ${emulator.stats().totals.status - queriesBefore}`,
	);
	const sequentialCounts = sequential.map((id) => perTask[id] ?? 0);
	const simultaneousCounts = simultaneous.map((id) => perTask[id] ?? 0);
	report.note(`executions per task: vendor-like ${JSON.stringify(sequentialCounts)}, simultaneous copies ${JSON.stringify(simultaneousCounts)}`);
	// Measured, not asserted: n8n saves static data whole, last save winning, so concurrent deliveries
	// in the two processes can erase each other's record and a later copy starts again (docs/callback-trigger.md).
	report.note(
		`started twice: ${sequentialCounts.filter((count) => count > 1).length} of 10 tasks with vendor-like delivery, ` +
			`${simultaneousCounts.filter((count) => count > 1).length} of 10 with copies at both processes at once`,
	);
	const deliveryIds = reportsOf(collector, since).flatMap((delivery) => delivery.items.map((item) => String(item.json.deliveryId)));
	await report.check('vendor-like delivery: every task started, and deduplicating by deliveryId leaves exactly one execution per task', () => {
		assert.ok(settled, 'the vendor-like callbacks did not all settle within 150 s');
		assert.ok(sequentialCounts.every((count) => count >= 1));
		assert.deepEqual([...new Set(deliveryIds.filter((id) => sequential.some((taskId) => id.startsWith(taskId))))].sort(), sequential.map((id) => `${id}:completed`).sort());
	});
	await report.check('copies at both processes at once: every task started, every copy with the same deliveryId', () => {
		assert.ok(simultaneousCounts.every((count) => count >= 1));
		assert.deepEqual([...new Set(deliveryIds.filter((id) => simultaneous.some((taskId) => id.startsWith(taskId))))].sort(), simultaneous.map((id) => `${id}:completed`).sort());
	});
	emulator.setOptions({ callbackDuplicates: 0 });
	emulator.clearFaults();
}

async function stoppedWhileVerifying({ report, cluster, emulator, collector }: Stage, webhookId: string, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
	report.section(`The webhook processes stopped (${signal}) while the trigger verifies callbacks`);
	const since = Date.now();
	const callbacksBefore = emulator.stats().callbacks.attempts;
	// Each verification's status query takes 4 s, inside the trigger's 5 s budget: the processes
	// are stopped while every callback is being verified and none has been answered.
	emulator.inject('status', { kind: 'slow', delayMs: 4000 }, 5);
	const tasks = await Promise.all(
		Array.from({ length: 5 }, (_, index) =>
			createTask(emulator, {
				model: 'grok-video-3',
				prompt: `Interrupted scene ${index} (${signal})`,
				callback_url: `${cluster.balancer.url}/webhook/${webhookId}/callback?token=${TRIGGER_TOKEN}`,
			}),
		),
	);
	await until(() => emulator.stats().inFlight.status >= 5 || undefined, 60_000, 'the 5 verifications to be under way');
	const stoppedAt = Date.now();
	const webhooks = cluster.processes.filter((handle) => handle.role === 'webhook');
	await Promise.all(webhooks.map((handle) => cluster.stopProcess(handle, signal)));
	const startedDuringVerification = reportsOf(collector, since).length;
	await Promise.all(webhooks.map((_, index) => cluster.startProcess('webhook', `webhook-${signal}-${index + 1}`)));
	report.note(`${webhooks.length} webhook processes stopped (${signal}) with 5 verifications under way, restarted ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s later`);
	const executionsPerTask = () => countBy(reportsOf(collector, since).flatMap((delivery) => delivery.items.map((item) => String(item.json.taskId))));
	await until(() => tasks.every((id) => executionsPerTask()[id]) || undefined, 180_000, 'an execution for each task').catch(() => undefined);
	// Re-sends still due would show up here as second executions.
	await new Promise((resolve) => setTimeout(resolve, 10_000));
	const perTask = executionsPerTask();
	const attempts = emulator.tasks().filter((task) => tasks.includes(task.id)).flatMap((task) => task.callbacks);
	report.note(
		`${emulator.stats().callbacks.attempts - callbacksBefore} callback attempts for 5 tasks, answers ${JSON.stringify(countBy(attempts.map((a) => String(a.status ?? a.error))))}; ` +
			`executions per task ${JSON.stringify(tasks.map((id) => perTask[id] ?? 0))}`,
	);
	report.note(`executions started before the restart: ${startedDuringVerification}`);
	await report.check(`${signal} while verifying: exactly one execution per task once the re-sends arrive`, () => {
		assert.deepEqual(tasks.map((id) => perTask[id] ?? 0), [1, 1, 1, 1, 1]);
	});
	emulator.clearFaults();
}

async function parkAcrossRestart({ report, cluster, emulator, collector }: Stage): Promise<void> {
	report.section('Park Execution across a restart of every n8n process');
	const since = Date.now();
	const created = emulator.stats().tasksCreated;
	const prompts = Array.from({ length: 20 }, (_, index) => ({ prompt: `Parked scene ${index} [pendingMs=0][processingMs=${25_000 + index * 200}]` }));
	assert.equal(await post(`${cluster.balancer.url}/webhook/queue-park`, { prompts }), 200);
	const workflowId = 'queueParkFlow';
	const parked = await until(async () => (await cluster.main.executionsOf(workflowId)).find((execution) => execution.status === 'waiting'), 60_000, 'the execution to park');
	report.note(`execution ${parked.id} parked ${((Date.now() - since) / 1000).toFixed(1)} s after the request`);
	const killedAt = Date.now();
	await cluster.stopN8n('SIGKILL');
	report.note('every n8n process killed (SIGKILL) while the 20 videos render');
	await cluster.startN8n(WORKERS, WEBHOOKS, WORKER_CONCURRENCY);
	report.note(`restarted after ${((Date.now() - killedAt) / 1000).toFixed(1)} s`);
	const finished = await until(async () => (await cluster.main.executionsOf(workflowId)).find((execution) => execution.id === parked.id && execution.status !== 'waiting' && execution.status !== 'running'), 120_000, 'the parked execution to finish');
	await new Promise((resolve) => setTimeout(resolve, 2000));
	const executions = await cluster.main.executionsOf(workflowId);
	const reports = reportsOf(collector, since);
	report.note(`resumed ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill; executions ${JSON.stringify(executions.map((e) => e.status))}`);
	await report.check('one execution, successful, with 20 completed results', () => {
		assert.equal(finished.status, 'success');
		assert.equal(executions.length, 1);
		assert.equal(reports.length, 1);
		assert.equal(reports[0].items.length, 20);
		assert.ok(reports[0].items.every((item) => item.json.status === 'completed' && item.json.timedOut === false));
	});
	await report.check('0 duplicate tasks: 20 created for 20 prompts', () => assert.equal(emulator.stats().tasksCreated - created, 20));
}

async function parkedHoldNoWorker({ report, cluster, emulator, collector }: Stage): Promise<void> {
	report.section(`5 parked executions hold no worker (${WORKERS} workers, ${WORKER_CONCURRENCY} execution at a time each)`);
	const since = Date.now();
	const created = emulator.stats().tasksCreated;
	const parkFlow = 'queueParkFlow';
	const pollFlow = 'queuePollFlow';
	const before = new Set([...(await cluster.main.executionsOf(parkFlow)), ...(await cluster.main.executionsOf(pollFlow))].map((execution) => execution.id));
	const fresh = async (workflowId: string) => (await cluster.main.executionsOf(workflowId)).filter((execution) => !before.has(execution.id));
	const rendering = (index: number) => [0, 1].map((task) => ({ prompt: `Parked ${index}.${task} [pendingMs=0][processingMs=45000]` }));
	const answers = await Promise.all(Array.from({ length: 5 }, (_, index) => post(`${cluster.balancer.url}/webhook/queue-park`, { prompts: rendering(index) })));
	assert.deepEqual(answers, [200, 200, 200, 200, 200]);
	await until(async () => ((await fresh(parkFlow)).filter((execution) => execution.status === 'waiting').length === 5) || undefined, 90_000, '5 executions to park');
	report.note(`5 executions parked ${((Date.now() - since) / 1000).toFixed(1)} s after their requests`);
	const otherAt = Date.now();
	assert.equal(await post(`${cluster.balancer.url}/webhook/queue-poll`, { prompts: [{ prompt: 'Meanwhile [pendingMs=0][processingMs=500]' }] }), 200);
	const other = await until(async () => (await fresh(pollFlow)).find((execution) => execution.status === 'success'), 60_000, 'the other workflow to run').catch(() => undefined);
	const parkedMeanwhile = (await fresh(parkFlow)).map((execution) => execution.status);
	report.note(`the other workflow ${other ? `succeeded ${((Date.now() - otherAt) / 1000).toFixed(1)} s after its request` : 'did not finish in 60 s'}, while the parked executions were ${JSON.stringify(parkedMeanwhile)}`);
	await report.check('another workflow runs to success on the workers while the 5 executions stay parked', () => {
		assert.ok(other, 'the other workflow did not finish within 60 s');
		assert.deepEqual(parkedMeanwhile, ['waiting', 'waiting', 'waiting', 'waiting', 'waiting']);
	});
	const finished = await until(async () => {
		const executions = await fresh(parkFlow);
		return executions.every((execution) => execution.status === 'success') ? executions : undefined;
	}, 150_000, 'the 5 parked executions to finish').catch(() => fresh(parkFlow));
	const reports = reportsOf(collector, since).filter((delivery) => delivery.items.length === 2);
	await report.check('the 5 resume with 2 completed results each, 11 tasks for 11 prompts', () => {
		assert.deepEqual(finished.map((execution) => execution.status), ['success', 'success', 'success', 'success', 'success']);
		assert.equal(reports.length, 5);
		assert.ok(reports.every((delivery) => delivery.items.every((item) => item.json.status === 'completed')));
		assert.equal(emulator.stats().tasksCreated - created, 11);
	});
}

async function workerKilledMidWait({ report, cluster, emulator }: Stage): Promise<void> {
	report.section('A worker killed while Wait for Completion polls (measured)');
	const created = emulator.stats().tasksCreated;
	const prompts = Array.from({ length: 5 }, (_, index) => ({ prompt: `Polled scene ${index} [pendingMs=0][processingMs=20000]` }));
	assert.equal(await post(`${cluster.balancer.url}/webhook/queue-poll`, { prompts }), 200);
	const workflowId = 'queuePollFlow';
	const running = await until(async () => (await cluster.main.executionsOf(workflowId)).find((execution) => execution.status === 'running'), 60_000, 'the execution to run');
	// Killed mid-wait: once its 5 tasks exist and it polls them.
	await until(() => emulator.stats().tasksCreated - created >= 5 || undefined, 60_000, 'the 5 tasks to be created');
	await new Promise((resolve) => setTimeout(resolve, 2000));
	const workers = cluster.processes.filter((handle) => handle.role === 'worker');
	const killedAt = Date.now();
	for (const worker of workers) await cluster.stopProcess(worker, 'SIGKILL');
	await cluster.startProcess('worker', 'worker-3', [`--concurrency=${WORKER_CONCURRENCY}`]);
	const outcome = await until(async () => (await cluster.main.executionsOf(workflowId)).find((execution) => execution.id === running.id && execution.status !== 'running' && execution.status !== 'new'), 90_000, 'n8n to settle the execution').catch((error: Error) => ({ status: `still running (${error.message})` }));
	const seconds = ((Date.now() - killedAt) / 1000).toFixed(0);
	const executions = await cluster.main.executionsOf(workflowId);
	report.note(
		`workers killed mid-wait: the execution ended "${outcome.status}" after ${seconds} s; executions of the workflow: ${JSON.stringify(executions.map((e) => e.status))}; ` +
			`tasks created ${emulator.stats().tasksCreated - created} for 5 prompts`,
	);
	await report.check('a killed worker does not make n8n create the tasks again', () => assert.equal(emulator.stats().tasksCreated - created, 5));
}

async function main(): Promise<number> {
	const report = Report.create();
	const started = Date.now();
	const work = mkdtempSync(path.join(tmpdir(), 'apimodels-queue-'));
	const cleanups: Array<() => Promise<unknown>> = [];
	await report.runSuite(work, cleanups, async () => {
		report.section(`Setup (work folder ${work}):`);
		const missing = queueServicesAvailable();
		if (missing) throw new Error(`${missing}: run .ci/run, or apt-get install -y postgresql redis-server`);
		const version = n8nVersionArgument();
		const cache = await report.require(`n8n ${version} is provided (scripts/provide-n8n.sh)`, () => provideN8n(version));
		const emulator = await startEmulator({
			pendingMs: 300,
			processingMs: 2000,
			videoSizeBytes: 256 * 1024,
			callbackBackoffMs: [1000, 2000, 4000],
			// The vendor re-sends for 30 minutes; 5 here cover a restart of every n8n process on a busy machine.
			callbackBackgroundRetries: 150,
			callbackBackgroundIntervalMs: 2000,
		});
		cleanups.push(() => emulator.close());
		const collector = new Collector<BatchReport>();
		await collector.start();
		cleanups.push(() => collector.close());
		const cluster = new QueueCluster(cache, work);
		cleanups.push(() => cluster.stop());
		await report.require('PostgreSQL and Redis start, each on its own port and folder', () => cluster.startServices());

		const tarball = await report.require('the package builds and packs', () => buildAndPack(work));
		await report.require('the tarball installs into the shared user folder', () => installLikeN8n(tarball, cluster.n8n.n8nFolder));
		const batch = (id: string, hookPath: string, options: Omit<BatchOptions, 'credential'>) =>
			batchWorkflow(id, hookPath, collector.url, { ...options, credential: QUEUE_CREDENTIAL });
		const trigger = triggerWorkflow('queueTriggerFlow', collector.url);
		const workflows = [
			batch('queueBatchFlow', 'queue-batch', { waitMode: 'poll', download: true }),
			batch('queueParkFlow', 'queue-park', { waitMode: 'park', download: false }),
			batch('queuePollFlow', 'queue-poll', { waitMode: 'poll', download: false }),
			trigger.workflow,
		];
		const folder = path.join(work, 'import');
		writeWorkflows(path.join(folder, 'workflows'), workflows);
		writeCredentials(path.join(folder, 'credentials.json'), [{ ...QUEUE_CREDENTIAL, data: { apiKey: emulator.apiKey, baseUrl: emulator.url } }]);
		await report.require('n8n imports the credential and workflows into PostgreSQL', async () => {
			// The first command creates the schema; the others then run side by side.
			await cluster.cli(['import:credentials', `--input=${path.join(folder, 'credentials.json')}`], /Successfully imported/);
			await cluster.cli(['import:workflow', '--separate', `--input=${path.join(folder, 'workflows')}`], /Successfully imported/);
			await Promise.all(workflows.map((workflow) => cluster.cli(...publishCommand(cluster.n8n.major, workflow.id))));
		});
		const n8nStart = Date.now();
		await report.require(`a main, ${WORKERS} workers and ${WEBHOOKS} webhook processes start in queue mode`, () => cluster.startN8n(WORKERS, WEBHOOKS, WORKER_CONCURRENCY));
		report.note(`n8n processes up in ${((Date.now() - n8nStart) / 1000).toFixed(0)} s`);

		const stage: Stage = { report, cluster, emulator, collector };
		await report.group('batches on workers', () => batchesOnWorkers(stage));
		await report.group('trigger behind two webhook processes', () => triggerBehindTwoWebhookProcesses(stage, trigger.webhookId));
		await report.group('webhook processes killed while verifying', () => stoppedWhileVerifying(stage, trigger.webhookId, 'SIGKILL'));
		await report.group('webhook processes terminated while verifying', () => stoppedWhileVerifying(stage, trigger.webhookId, 'SIGTERM'));
		await report.group('park across a restart', () => parkAcrossRestart(stage));
		await report.group('parked executions hold no worker', () => parkedHoldNoWorker(stage));
		await report.group('worker killed mid-wait', () => workerKilledMidWait(stage));
	});
	report.section(`Queue stage finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	console.log(report.summary());
	return report.failed ? 1 : 0;
}

main().then((code) => process.exit(code));
