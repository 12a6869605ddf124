/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- benchmarks run on Node, outside n8n */
/**
 * The bench's stage in a real n8n (the one the e2e suite provides, scripts/provide-n8n.sh): the
 * packed package installed as n8n installs community packages, workflows run with `n8n execute`,
 * the API emulator in a child process.
 *
 *   1. Throughput: Create Video + Wait for Completion on 1 item, then 1,000 items (3 s tasks, 1 s
 *      poll interval, 50 ms per answer), default options. Ratio of the node's execution times
 *      (n8n's own runData, so n8n's boot is left out) <= 1.5; n8n process CPU time in the node's
 *      window (from /proc, sampled every 20 ms) <= 1 ms per API request; status reads per task
 *      <= ceil(3 / 1) + 2. Printed too: CPU per item, requests in flight, detection lag (from a
 *      task's completion in the emulator to the answer that told the node), TCP connections per
 *      request.
 *   2. Download memory, filesystem binary data: peak RSS rise of the n8n process in the node's
 *      window for 1 x 1 MiB, 1 x 300 MiB, 10 x 1 MiB and 10 x 300 MiB videos; the 300 MiB rise
 *      stays within 32 MiB of the 1 MiB rise at the same concurrency.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IDataObject } from 'n8n-workflow';
import type { Workflow, WorkflowNode } from '../harness/n8n/examples';
import { CREDENTIAL, writeCredentials, writeWorkflows } from '../harness/n8n/examples';
import type { ExecutionRun } from '../harness/n8n/instance';
import { freePorts, N8n, parseLoggedJson, provideN8n } from '../harness/n8n/instance';
import { buildAndPack, installLikeN8n } from '../harness/n8n/package';
import { defaultConcurrency } from '../nodes/shared/concurrency';
import type { RemoteEmulator } from './emulatorProcess';
import { startEmulatorProcess } from './emulatorProcess';
import { pipeFloorRise } from './pipeFloor';
import type { Sample } from './proc';
import { CLOCK_TICKS, sampleProcess } from './proc';
import type { Row } from './table';
import { log, MB, megabytes, seconds } from './table';
import { INTERVAL_S, LATENCY_MS, PENDING_MS, PROCESSING_MS, TASK_MS } from './workload';

const ITEMS = 1000;
const SAMPLE_MS = 20;
const VIDEO_NODE = 'Create Video';
const SMALL_VIDEO = 1 * MB;
const LARGE_VIDEO = 300 * MB;
const CONCURRENT_DOWNLOADS = 10;

const BARS = {
	ratio: 1.5,
	cpuPerRequestMs: 1,
	pollsPerTask: Math.ceil(TASK_MS / (INTERVAL_S * 1000)) + 2,
	downloadRiseMb: 32,
};

/** TCP connections to or from `port` in TIME_WAIT: each one a connection opened and closed lately. */
function closedConnections(port: number): number {
	const hex = port.toString(16).toUpperCase().padStart(4, '0');
	let count = 0;
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text = '';
		try {
			text = readFileSync(table, 'utf8');
		} catch {
			continue;
		}
		for (const line of text.split('\n').slice(1)) {
			const [, local, remote, state] = line.trim().split(/\s+/);
			if (state === '06' && (local?.endsWith(`:${hex}`) || remote?.endsWith(`:${hex}`))) count++;
		}
	}
	return count;
}

interface Measured {
	run: ExecutionRun;
	/** The node's execution as n8n recorded it. */
	startedAt: number;
	executionMs: number;
	cpuMs: number;
	rssRiseBytes: number;
}

/** `n8n execute` with its process sampled; the figures cover the node's own execution window. */
async function execute(n8n: N8n, workflowId: string, env: NodeJS.ProcessEnv = {}, nodeName = VIDEO_NODE): Promise<Measured> {
	// Into a file, not a pipe: n8n exits right after printing, which cuts a large run's output in a pipe short.
	const outputFile = path.join(n8n.userFolder, `execute-${workflowId}.log`);
	const fd = openSync(outputFile, 'w');
	const child = spawn(n8n.node, [n8n.bin, 'execute', `--id=${workflowId}`, '--rawOutput'], {
		env: { ...n8n.env(await freePorts()), ...env },
		stdio: ['ignore', fd, fd],
	});
	closeSync(fd);
	const samples: Sample[] = [];
	const timer = setInterval(() => {
		const sample = child.pid === undefined ? undefined : sampleProcess(child.pid);
		if (sample) samples.push(sample);
	}, SAMPLE_MS);
	await new Promise((resolve) => child.on('close', resolve));
	clearInterval(timer);
	const output = readFileSync(outputFile, 'utf8');
	rmSync(outputFile, { force: true });
	const run = parseLoggedJson(output);
	const task = run?.data.resultData.runData[nodeName]?.[0] as { startTime?: number; executionTime?: number } | undefined;
	if (!run || run.data.resultData.error || task?.startTime === undefined || task.executionTime === undefined) {
		const reason = run?.data.resultData.error?.message ?? output.split('\n').slice(-20).join('\n');
		throw new Error(`n8n execute ${workflowId} failed: ${reason}`);
	}
	const start = task.startTime;
	const end = start + task.executionTime;
	const before = samples.filter((sample) => sample.at <= start).at(-1) ?? samples[0];
	const after = samples.find((sample) => sample.at >= end) ?? samples.at(-1)!;
	const during = samples.filter((sample) => sample.at >= start && sample.at <= end + SAMPLE_MS);
	const peak = Math.max(before.rssBytes, ...during.map((sample) => sample.rssBytes));
	return {
		run,
		startedAt: start,
		executionMs: task.executionTime,
		cpuMs: after.cpuMs - before.cpuMs,
		rssRiseBytes: peak - before.rssBytes,
	};
}

function outputOf(run: ExecutionRun) {
	return run.data.resultData.runData[VIDEO_NODE][0].data?.main[0] ?? [];
}

/** Manual trigger, `items` items from one array (Edit Fields, then Split Out), then Create Video (or `last`). */
function batchWorkflow(id: string, items: number, options: IDataObject, last?: WorkflowNode): Workflow {
	const node = (name: string, type: string, typeVersion: number, x: number, parameters: IDataObject): WorkflowNode => ({
		id: `${id}-${x}`,
		name,
		type,
		typeVersion,
		position: [x, 0],
		parameters,
	});
	const video = node(VIDEO_NODE, 'n8n-nodes-apimodels.apiModelsVideo', 1, 660, {
		resource: 'video',
		operation: 'create',
		model: 'grok-video-3',
		prompt: 'A benchmark cat',
		options,
	});
	video.credentials = { [CREDENTIAL.type]: { id: CREDENTIAL.id, name: CREDENTIAL.name } };
	const final = last ?? video;
	const link = (to: string) => ({
		main: [[{ node: to, type: 'main', index: 0 }]],
	});
	return {
		id,
		name: `Bench ${id}`,
		active: false,
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', 1, 0, {}),
			node('Numbers', 'n8n-nodes-base.set', 3.4, 220, {
				mode: 'manual',
				assignments: {
					assignments: [
						{
							id: `${id}-n`,
							name: 'n',
							type: 'array',
							value: `={{ Array.from({ length: ${items} }, (_, i) => i) }}`,
						},
					],
				},
				options: {},
			}),
			node('One Item Each', 'n8n-nodes-base.splitOut', 1, 440, {
				fieldToSplitOut: 'n',
				include: 'noOtherFields',
				options: {},
			}),
			final,
		],
		connections: {
			Start: link('Numbers'),
			Numbers: link('One Item Each'),
			'One Item Each': link(final.name),
		},
		settings: { executionOrder: 'v1' },
	};
}

const WAIT = { waitForCompletion: true, pollIntervalSeconds: INTERVAL_S };
const WORKFLOWS = {
	one: batchWorkflow('benchOne', 1, WAIT),
	many: batchWorkflow('benchMany', ITEMS, WAIT),
	downloadOne: batchWorkflow('benchDownloadOne', 1, {
		...WAIT,
		downloadVideo: true,
	}),
	downloadTen: batchWorkflow('benchDownloadTen', CONCURRENT_DOWNLOADS, {
		...WAIT,
		downloadVideo: true,
	}),
};

const FLOOR_NODE = 'HTTP Request';

/** n8n's own HTTP Request node reading one API route per item: the CPU floor of a request in this n8n. */
function httpFloorWorkflow(emulator: RemoteEmulator): Workflow {
	const request: WorkflowNode = {
		id: 'benchFloor-http',
		name: FLOOR_NODE,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [660, 0],
		parameters: {
			// A status read of a task that does not exist: a small answer, as the node's own reads get.
			url: `${emulator.url}/api/v1/video/generations?task_id=cl_bench_floor`,
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${emulator.apiKey}` }] },
			options: { response: { response: { neverError: true } } },
		},
	};
	return batchWorkflow('benchFloor', ITEMS, {}, request);
}

/** An n8n user folder with the package installed and the bench's workflows and credential imported. */
async function prepare(work: string, emulator: RemoteEmulator): Promise<N8n> {
	const n8n = new N8n(provideN8n(), path.join(work, 'user'));
	log('real n8n: building, packing and installing the package');
	installLikeN8n(buildAndPack(work), n8n.n8nFolder);
	const credentialsFile = path.join(work, 'credentials.json');
	writeCredentials(credentialsFile, [
		{
			id: CREDENTIAL.id,
			name: CREDENTIAL.name,
			data: { apiKey: emulator.apiKey, baseUrl: emulator.url },
		},
	]);
	writeWorkflows(path.join(work, 'workflows'), [...Object.values(WORKFLOWS), httpFloorWorkflow(emulator)]);
	await n8n.cliExpecting(['import:credentials', `--input=${credentialsFile}`], /Successfully imported/);
	await n8n.cliExpecting(['import:workflow', '--separate', `--input=${path.join(work, 'workflows')}`], /Successfully imported/);
	return n8n;
}

interface Throughput {
	measured: Measured;
	requests: number;
	maxInFlight: number;
	polls: number[];
	lagsMs: number[];
	connections: number;
}

/** One throughput run; connections are counted as the TIME_WAIT sockets it added (they last 60 s). */
async function throughputRun(n8n: N8n, emulator: RemoteEmulator, workflow: Workflow, items: number): Promise<Throughput> {
	const port = Number(new URL(emulator.url).port);
	{
		await emulator.setOptions({
			pendingMs: PENDING_MS,
			processingMs: PROCESSING_MS,
			latencyMs: LATENCY_MS,
			videoSizeBytes: 0,
			requestLogLimit: 50_000,
		});
		await emulator.resetStats();
		const closedBefore = closedConnections(port);
		log(`real n8n: Create Video + wait, ${items} item(s)`);
		const measured = await execute(n8n, workflow.id);
		const connections = closedConnections(port) - closedBefore;
		const items_ = outputOf(measured.run);
		const completed = items_.filter((item) => item.json.status === 'completed').length;
		if (items_.length !== items || completed !== items)
			throw new Error(`${completed} of ${items_.length} items completed, expected ${items}`);
		const stats = await emulator.stats();
		const since = measured.startedAt - 1000;
		const tasks = (await emulator.tasks()).filter((task) => task.createdAt >= since);
		const reads = new Map<string, Array<{ at: number; finishedAt: number }>>();
		for (const entry of stats.log) {
			if (entry.route !== 'status') continue;
			const taskId = new URL(entry.path, emulator.url).searchParams.get('task_id') ?? '';
			reads.set(taskId, [...(reads.get(taskId) ?? []), entry]);
		}
		// The first read whose answer was computed (after the emulator's latency) once the task had ended.
		const lagsMs = tasks.map((task) => {
			const told = (reads.get(task.id) ?? []).find((entry) => entry.at + LATENCY_MS >= task.finishedAt);
			return told ? told.finishedAt - task.finishedAt : Number.NaN;
		});
		return {
			measured,
			requests: stats.totals.create + stats.totals.status,
			maxInFlight: stats.maxInFlight['*'],
			polls: tasks.map((task) => stats.polls[task.id] ?? 0),
			lagsMs,
			connections,
		};
	}
}

const percentile = (values: number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (value: number) => `${value.toFixed(0)} ms`;

async function downloadRun(n8n: N8n, emulator: RemoteEmulator, workflow: Workflow, items: number, size: number) {
	await emulator.setOptions({
		pendingMs: 0,
		processingMs: 0,
		latencyMs: 0,
		videoSizeBytes: size,
	});
	log(`real n8n: ${items} x ${megabytes(size)} video download(s), filesystem binary data`);
	const measured = await execute(n8n, workflow.id, {
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
	});
	const stored = outputOf(measured.run).filter((item) => item.binary?.data?.id?.startsWith('filesystem'));
	if (stored.length !== items) throw new Error(`${stored.length} of ${items} videos reached filesystem binary data`);
	// The stored videos are not needed again; 3 GB of them would fill the temp folder.
	rmSync(path.join(n8n.n8nFolder, 'binaryData'), {
		recursive: true,
		force: true,
	});
	return measured;
}

/** n8n's own HTTP Request node doing the same kind of request: what one costs in this n8n without the node. */
async function floorRow(n8n: N8n, emulator: RemoteEmulator, rows: Row[]): Promise<void> {
	await emulator.setOptions({ pendingMs: 0, processingMs: 0, latencyMs: LATENCY_MS });
	await emulator.resetStats();
	log(`real n8n: n8n's HTTP Request node, ${ITEMS} GETs (the floor)`);
	const floor = await execute(n8n, 'benchFloor', {}, FLOOR_NODE);
	const floorRequests = (await emulator.stats()).totals.status;
	const floorMs = floor.cpuMs / floorRequests;
	// n8n's one main thread sends every create before the last task can start, which then takes the
	// task's time: the batch lasts at least N creates at the floor plus one task.
	const ratioFloor = (ITEMS * floorMs + TASK_MS) / TASK_MS;
	rows.push(
		{
			name: `Real n8n, for comparison: n8n's own HTTP Request node, ${floorRequests} status reads: CPU per request`,
			value: `${floorMs.toFixed(2)} ms`,
			bar: "info (n8n's floor)",
		},
		{
			name: `  the ${ITEMS}-item ratio this floor allows at best (${ITEMS} creates at the floor on n8n's one thread, then a ${TASK_MS / 1000} s task)`,
			value: ratioFloor.toFixed(2),
			bar: 'info',
		},
	);
}

export async function realN8nStage(rows: Row[], notes: string[]): Promise<void> {
	const work = mkdtempSync(path.join(tmpdir(), 'apimodels-bench-'));
	const emulator = await startEmulatorProcess();
	try {
		const n8n = await prepare(work, emulator);

		const one = await throughputRun(n8n, emulator, WORKFLOWS.one, 1);
		const many = await throughputRun(n8n, emulator, WORKFLOWS.many, ITEMS);
		const ratio = many.measured.executionMs / one.measured.executionMs;
		const cpuPerRequest = many.measured.cpuMs / many.requests;
		const maxPolls = Math.max(...one.polls, ...many.polls);
		const concurrency = defaultConcurrency(ITEMS);
		const lags = many.lagsMs.filter((lag) => Number.isFinite(lag));
		rows.push(
			{
				name: `Real n8n: Create Video + wait, 1 item (${TASK_MS / 1000} s task, ${INTERVAL_S} s interval, ${LATENCY_MS} ms answers)`,
				value: seconds(one.measured.executionMs),
			},
			{
				name: `Real n8n: same, ${ITEMS} items, default options (Max Concurrent Requests ${concurrency})`,
				value: seconds(many.measured.executionMs),
			},
			{
				name: `  ratio ${ITEMS} items / 1 item`,
				value: ratio.toFixed(2),
				bar: `<= ${BARS.ratio}`,
				pass: ratio <= BARS.ratio,
			},
			{
				name: `  n8n CPU per API request (${many.requests} requests, ${seconds(many.measured.cpuMs)} CPU in the node's run)`,
				value: `${cpuPerRequest.toFixed(2)} ms`,
				bar: `<= ${BARS.cpuPerRequestMs} ms`,
				pass: cpuPerRequest <= BARS.cpuPerRequestMs,
			},
			{
				name: '  n8n CPU per item',
				value: `${(many.measured.cpuMs / ITEMS).toFixed(2)} ms`,
			},
			{
				name: '  n8n CPU, 1-item run (per request)',
				value: `${ms(one.measured.cpuMs)} (${(one.measured.cpuMs / one.requests).toFixed(1)} ms, ${one.requests} requests)`,
			},
			{
				name: `  status reads per task, max over ${many.polls.length + one.polls.length} tasks (mean ${(many.polls.reduce((a, b) => a + b, 0) / many.polls.length).toFixed(2)})`,
				value: String(maxPolls),
				bar: `<= ${BARS.pollsPerTask}`,
				pass: maxPolls <= BARS.pollsPerTask,
			},
			{
				name: '  requests in flight, max (creates and reads)',
				value: String(many.maxInFlight),
				bar: `<= ${concurrency}`,
				pass: many.maxInFlight <= concurrency,
			},
			{
				name: '  detection lag, task end -> node told (median / p95 / max)',
				value: `${ms(percentile(lags, 50))} / ${ms(percentile(lags, 95))} / ${ms(Math.max(...lags))}`,
				bar: `info (<= ${INTERVAL_S * 1000} ms + answer time expected)`,
			},
			{
				name: '  TCP connections per request (n8n builds a new agent per request)',
				value: (many.connections / many.requests).toFixed(2),
				bar: 'info',
			},
		);
		if (lags.length !== many.lagsMs.length)
			notes.push(`${many.lagsMs.length - lags.length} task(s) had no read after their end in the emulator's log.`);

		const runs = [
			{
				label: `1 x ${megabytes(SMALL_VIDEO)}`,
				workflow: WORKFLOWS.downloadOne,
				items: 1,
				size: SMALL_VIDEO,
			},
			{
				label: `1 x ${megabytes(LARGE_VIDEO)}`,
				workflow: WORKFLOWS.downloadOne,
				items: 1,
				size: LARGE_VIDEO,
			},
			{
				label: `${CONCURRENT_DOWNLOADS} x ${megabytes(SMALL_VIDEO)}`,
				workflow: WORKFLOWS.downloadTen,
				items: CONCURRENT_DOWNLOADS,
				size: SMALL_VIDEO,
			},
			{
				label: `${CONCURRENT_DOWNLOADS} x ${megabytes(LARGE_VIDEO)}`,
				workflow: WORKFLOWS.downloadTen,
				items: CONCURRENT_DOWNLOADS,
				size: LARGE_VIDEO,
			},
		];
		const rises: number[] = [];
		for (const run of runs) rises.push((await downloadRun(n8n, emulator, run.workflow, run.items, run.size)).rssRiseBytes);
		const floors: number[] = [];
		for (const run of runs) {
			await emulator.setOptions({ pendingMs: 0, processingMs: 0, latencyMs: 0, videoSizeBytes: run.size });
			const ids = await emulator.createTasks(run.items);
			floors.push(await pipeFloorRise(n8n.node, ids.map((id) => `${emulator.url}/videos/${id}.mp4`), SAMPLE_MS));
		}
		/** The rise of each run, and for a large video how far it lies above the small one's at the same count. */
		const riseRows = (measured: number[], name: (label: string) => string, largeBar: (above: number) => Pick<Row, 'bar' | 'pass'>) =>
			runs.map((run, index): Row => {
				if (run.size !== LARGE_VIDEO) return { name: name(run.label), value: megabytes(measured[index]) };
				const above = measured[index] - measured[index - 1];
				const value = `${megabytes(measured[index])} (${above >= 0 ? '+' : ''}${megabytes(above)} vs ${runs[index - 1].label})`;
				return { name: name(run.label), value, ...largeBar(above) };
			});
		rows.push(
			...riseRows(rises, (label) => `Real n8n: download ${label}, filesystem mode: peak RSS rise of n8n`, (above) => ({
				bar: `<= +${BARS.downloadRiseMb} MiB`,
				pass: above <= BARS.downloadRiseMb * MB,
			})),
			...riseRows(floors, (label) => `  for comparison, n8n's Node.js alone piping ${label} into files (http.get → createWriteStream)`, () => ({
				bar: "info (the runtime's floor)",
			})),
		);
		// Information only: its failure must not hide the figures above.
		await floorRow(n8n, emulator, rows).catch((error: Error) =>
			rows.push({ name: "Real n8n, for comparison: n8n's own HTTP Request node", value: `not measured: ${error.message.slice(0, 80)}` }),
		);
		notes.push(
			"Real n8n figures come from `n8n execute` of workflows in a fresh user folder: times are the node's own executionTime in " +
				"n8n's run data (n8n's boot excluded); CPU is the n8n process's user+system time from /proc between the samples around " +
				`that window (every ${SAMPLE_MS} ms, ${1000 / CLOCK_TICKS} ms ticks); RSS rises are the peak VmRSS in the window over the value at its start.`,
		);
	} finally {
		await emulator.close();
		rmSync(work, { recursive: true, force: true });
	}
}
