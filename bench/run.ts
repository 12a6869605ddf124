/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- benchmarks run on Node, outside n8n */
/**
 * `npm run bench`: Wait for Completion against the API emulator (in a child process), through
 * n8n's real engine. Prints a table of the numbers measured in this run and exits non-zero when a
 * bar is missed, so CI can run it.
 *
 *   1. Batch wait: 50 tasks of 3 s each, 1 s poll interval. Wall time of waiting for all 50 over
 *      waiting for one must be <= 1.5. The item-by-item baseline (each item created and waited for
 *      on its own, one after the other, as nodes without a batch wait do) is measured too, and its
 *      ratio to our create-and-wait of 50 items printed.
 *   2. Requests per task: status polls per task <= ceil(task time / interval) + 2.
 *   3. Memory: a 300 MiB video downloaded into filesystem binary data raises this process's peak
 *      RSS by less than 64 MiB (sampled every 20 ms, after a warm-up download and a GC).
 *   4. Timing (bench/timing.ts): read gaps, cancellation and the trigger's answer on the real clock.
 */
import './sourceResolution';

import { Container } from '@n8n/di';
import { createHash } from 'node:crypto';
import os from 'node:os';
import { BinaryDataService } from 'n8n-core';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import type { RunOptions, RunResult } from '../harness/engine';
import { runWorkflow } from '../harness/engine';
import { videoSha256 } from '../emulator/video';
import { credentialsFor, credentialTypes, nodeTypes, VIDEO_NODE, videoNode } from '../harness/nodes';
import type { RemoteEmulator } from './emulatorProcess';
import { startEmulatorProcess } from './emulatorProcess';
import { realN8nStage } from './n8n';
import { timingStage } from './timing';
import { INTERVAL_S, LATENCY_MS, PENDING_MS, PROCESSING_MS, TASK_MS } from './workload';
import type { Row } from './table';
import { log, MB, megabytes, printTable, seconds } from './table';

const BATCH = 50;
/** Item-by-item baseline: items measured, then extrapolated to BATCH (see the note it prints). */
const BASELINE_ITEMS = Number(process.env.BENCH_BASELINE_ITEMS ?? 10);
/** The node's default Max Concurrent Requests, which these runs keep. */
const CONCURRENCY = 10;
const VIDEO_BYTES = 300 * 1024 * 1024;
const RSS_SAMPLE_MS = 20;

const BARS = {
	batchRatio: 1.5,
	pollsPerTask: Math.ceil(TASK_MS / (INTERVAL_S * 1000)) + 2,
	memoryMb: 64,
};

const rows: Row[] = [];
const notes: string[] = [];

async function run(api: RemoteEmulator, parameters: IDataObject, input: IDataObject[], extra: Partial<RunOptions> = {}) {
	const started = Date.now();
	const result: RunResult = await runWorkflow({
		nodeTypes,
		credentialTypes,
		credentials: credentialsFor(api),
		input,
		nodes: [videoNode(parameters)],
		...extra,
	});
	const elapsed = Date.now() - started;
	if (result.error) throw new Error(`the ${String(parameters.operation)} run failed: ${result.error.message}`);
	return { items: result.output(VIDEO_NODE), elapsed };
}

const waitFor = { operation: 'waitForCompletion', options: { pollIntervalSeconds: INTERVAL_S } };
const createAndWait = {
	operation: 'create',
	model: 'grok-video-3',
	prompt: 'A benchmark cat',
	options: { waitForCompletion: true, pollIntervalSeconds: INTERVAL_S },
};

function expectCompleted(items: INodeExecutionData[], count: number, what: string) {
	const completed = items.filter((item) => item.json.status === 'completed').length;
	if (items.length !== count || completed !== count) {
		throw new Error(`${what}: ${completed} of ${items.length} items completed, expected ${count}`);
	}
}

async function waitOn(api: RemoteEmulator, count: number) {
	const ids = await api.createTasks(count);
	const { items, elapsed } = await run(api, waitFor, ids.map((taskId) => ({ taskId })));
	expectCompleted(items, count, `Wait for Completion on ${count}`);
	return { ids, elapsed };
}

async function batchBenchmarks(api: RemoteEmulator) {
	await api.setOptions({ pendingMs: PENDING_MS, processingMs: PROCESSING_MS, latencyMs: LATENCY_MS });
	log('warming up the engine');
	await api.setOptions({ pendingMs: 0, processingMs: 0 });
	await waitOn(api, 2);
	await api.setOptions({ pendingMs: PENDING_MS, processingMs: PROCESSING_MS });
	await api.resetStats();

	log('Wait for Completion on 1 task');
	const single = await waitOn(api, 1);
	log(`Wait for Completion on ${BATCH} tasks`);
	const batch = await waitOn(api, BATCH);
	const { polls, maxInFlight } = await api.stats();

	log(`Create Video + Wait for Completion on ${BATCH} items`);
	await api.resetStats();
	const ours = await run(api, createAndWait, Array.from({ length: BATCH }, () => ({})));
	expectCompleted(ours.items, BATCH, 'create-and-wait');
	const oursPolls = Object.values((await api.stats()).polls);

	log(`item-by-item baseline: ${BASELINE_ITEMS} items, each created and waited for on its own`);
	const perItem: number[] = [];
	for (let index = 0; index < BASELINE_ITEMS; index++) {
		const { items, elapsed } = await run(api, createAndWait, [{}]);
		expectCompleted(items, 1, 'baseline item');
		perItem.push(elapsed);
	}
	const baselineMeasured = perItem.reduce((sum, ms) => sum + ms, 0);
	const baseline = (baselineMeasured / BASELINE_ITEMS) * BATCH;

	const ratio = batch.elapsed / single.elapsed;
	rows.push(
		{ name: `Wait for Completion, 1 task (${TASK_MS / 1000} s task, ${INTERVAL_S} s interval)`, value: seconds(single.elapsed) },
		{ name: `Wait for Completion, ${BATCH} tasks (concurrency ${CONCURRENCY})`, value: seconds(batch.elapsed) },
		{ name: `  ratio ${BATCH} tasks / 1 task`, value: ratio.toFixed(2), bar: `<= ${BARS.batchRatio}`, pass: ratio <= BARS.batchRatio },
		{ name: `  max status requests in flight (${BATCH} tasks)`, value: String(maxInFlight.status), bar: '<= 10', pass: maxInFlight.status <= 10 },
		{ name: `Create Video + Wait option, ${BATCH} items (ours)`, value: seconds(ours.elapsed) },
		{
			name: `Item by item, create + wait each: ${BASELINE_ITEMS} items measured`,
			value: `${seconds(baselineMeasured)} (${seconds(Math.min(...perItem))}..${seconds(Math.max(...perItem))} per item)`,
		},
	);
	if (BASELINE_ITEMS !== BATCH) {
		rows.push({ name: `  extrapolated to ${BATCH} items`, value: seconds(baseline) });
		notes.push(
			`The item-by-item baseline ran ${BASELINE_ITEMS} items and was extrapolated linearly to ${BATCH}: its items run one after ` +
				`the other and each takes one task's time (the spread per item is printed), so ${BATCH} items take ${BATCH / BASELINE_ITEMS}x ` +
				`as long; all ${BATCH} would add about ${seconds(baseline - baselineMeasured)} to every CI run. ` +
				`BENCH_BASELINE_ITEMS=${BATCH} runs them all.`,
		);
	}
	rows.push(
		{ name: `  ratio item by item / our Wait for Completion (${BATCH})`, value: (baseline / batch.elapsed).toFixed(1), bar: 'info (~50 expected)' },
		{ name: `  ratio item by item / our Create + Wait option (${BATCH})`, value: (baseline / ours.elapsed).toFixed(1), bar: 'info' },
	);
	notes.push(
		`Create Video creates the ${BATCH} tasks at most ${CONCURRENCY} at a time (Max Concurrent Requests), ${LATENCY_MS} ms ` +
			`per answer here, so the last task starts about ${seconds((BATCH / CONCURRENCY) * LATENCY_MS)} after the first: ` +
			'that, not the wait, is the difference between the two "ours" rows.',
	);

	// Requests per task, from the emulator's own count of status queries.
	const batchPolls = batch.ids.map((id) => polls[id] ?? 0);
	const singlePolls = polls[single.ids[0]] ?? 0;
	const allPolls = [...batchPolls, ...oursPolls, singlePolls];
	const maxPolls = Math.max(...allPolls);
	const mean = batchPolls.reduce((sum, count) => sum + count, 0) / batchPolls.length;
	rows.push(
		{ name: 'Status polls per task, 1-task wait', value: String(singlePolls) },
		{ name: `Status polls per task, ${BATCH}-task wait`, value: `mean ${mean.toFixed(2)}, max ${Math.max(...batchPolls)}` },
		{ name: `Status polls per task, create + wait ${BATCH}`, value: `max ${Math.max(...oursPolls)}` },
		{
			name: `  max over all ${allPolls.length} tasks (bar: ceil(${TASK_MS / 1000} s / ${INTERVAL_S} s) + 2)`,
			value: String(maxPolls),
			bar: `<= ${BARS.pollsPerTask}`,
			pass: maxPolls <= BARS.pollsPerTask,
		},
	);
}

/** Samples this process's RSS every RSS_SAMPLE_MS while `work` runs. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; before: number; peak: number; samples: number }> {
	const before = process.memoryUsage.rss();
	let peak = before;
	let samples = 0;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage.rss());
		samples++;
	}, RSS_SAMPLE_MS);
	try {
		const result = await work();
		peak = Math.max(peak, process.memoryUsage.rss());
		return { result, before, peak, samples };
	} finally {
		clearInterval(timer);
	}
}

async function streamedDigest(binaryId: string): Promise<{ bytes: number; sha256: string }> {
	const stream = await Container.get(BinaryDataService).getAsStream(binaryId);
	const hash = createHash('sha256');
	let bytes = 0;
	for await (const chunk of stream as AsyncIterable<Buffer>) {
		hash.update(chunk);
		bytes += chunk.length;
	}
	return { bytes, sha256: hash.digest('hex') };
}

async function memoryBenchmark(api: RemoteEmulator) {
	const download = { ...waitFor, options: { ...waitFor.options, downloadVideo: true } };
	await api.setOptions({ pendingMs: 0, processingMs: 0, latencyMs: 0, videoSizeBytes: 1024 * 1024 });
	log('warming up the download path with a 1 MiB video');
	const [warmId] = await api.createTasks(1);
	await run(api, download, [{ taskId: warmId }], { binaryMode: 'filesystem' });

	await api.setOptions({ videoSizeBytes: VIDEO_BYTES });
	const [taskId] = await api.createTasks(1);
	const gc = (globalThis as { gc?: () => void }).gc;
	if (gc) {
		gc();
		gc();
	} else {
		notes.push('Run with node --expose-gc (as `npm run bench` does) for a settled memory baseline.');
	}
	log(`downloading a ${megabytes(VIDEO_BYTES)} video into filesystem binary data`);
	const measured = await peakRss(async () => await run(api, download, [{ taskId }], { binaryMode: 'filesystem' }));
	const { items, elapsed } = measured.result;
	const binary = items[0]?.binary?.data;
	if (!binary?.id) throw new Error('the video did not reach the filesystem binary store');
	const stored = await streamedDigest(binary.id);
	const expected = videoSha256(await api.videoSpec(taskId));
	const intact = stored.bytes === VIDEO_BYTES && stored.sha256 === expected;
	const delta = measured.peak - measured.before;
	rows.push(
		{
			name: `Download ${megabytes(VIDEO_BYTES)} (${VIDEO_BYTES} bytes) into filesystem binary data`,
			value: `${seconds(elapsed)}, ${(VIDEO_BYTES / MB / (elapsed / 1000)).toFixed(0)} MiB/s`,
		},
		{ name: `  stored file: ${stored.bytes} bytes, sha256 equal to the emulator's`, value: intact ? 'yes' : 'NO', bar: 'yes', pass: intact },
		{
			name: `  RSS before / peak (${measured.samples} samples, every ${RSS_SAMPLE_MS} ms)`,
			value: `${megabytes(measured.before)} / ${megabytes(measured.peak)}`,
		},
		{ name: '  peak RSS increase', value: megabytes(delta), bar: `< ${BARS.memoryMb} MiB`, pass: delta < BARS.memoryMb * MB },
	);
	notes.push(
		'The emulator runs in a child process, so only this process (n8n engine, node, binary data store) is in the RSS figures.',
	);
}

async function main() {
	const started = Date.now();
	const stages = (process.env.BENCH_STAGES ?? 'engine,timing').split(',');
	let failed = false;
	if (stages.includes('engine')) {
		const api = await startEmulatorProcess();
		try {
			await batchBenchmarks(api);
			await memoryBenchmark(api);
		} catch (error) {
			failed = true;
			console.error(`bench: ${(error as Error).stack ?? String(error)}`);
		} finally {
			await api.close();
		}
	}
	if (stages.includes('timing')) {
		await timingStage(rows).catch((error: Error) => {
			failed = true;
			console.error(`bench (timing): ${error.stack ?? String(error)}`);
		});
	}
	if (stages.includes('n8n')) {
		try {
			await realN8nStage(rows, notes);
		} catch (error) {
			failed = true;
			console.error(`bench (real n8n): ${(error as Error).stack ?? String(error)}`);
		}
	}
	const load = os.loadavg().map((value) => value.toFixed(2)).join(' ');
	printTable(
		`n8n-nodes-apimodels benchmarks, Node.js ${process.version}, ${os.cpus().length} CPUs, load average ${load} at the end`,
		rows,
		notes,
	);
	const missed = rows.filter((row) => row.pass === false);
	console.log(`\n${missed.length ? `${missed.length} bar(s) missed` : failed ? 'a benchmark did not finish' : 'all bars met'} in ${seconds(Date.now() - started)}`);
	process.exit(missed.length || failed ? 1 : 0);
}

void main();
