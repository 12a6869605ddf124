/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- benchmarks run on Node, outside n8n */
/**
 * `npm run bench:park`: Park Execution in a real n8n (regular mode, SQLite; the one
 * scripts/provide-n8n.sh provides), the API emulator in a child process answering every request
 * after 150 ms and re-sending callbacks on the vendor's schedule (1, 2, 4 s, then every 10 min,
 * 10 s per attempt). A Webhook-started workflow creates N tasks with Wait Mode "Park Execution",
 * then reports its items to this process. For each N (10 and the node's limit, MAX_PARKED_TASKS;
 * BENCH_PARK_SIZES=10 and BENCH_PARK_SHAPES=burst for shorter runs) the tasks end all in the same second ("burst"), then, in another run, spread
 * evenly over a minute ("spread"), each run on a freshly started n8n. Poll mode on the same burst
 * batch gives the memory baseline. Reported: resume delay after the last task ended, status reads
 * per task, callback attempts by n8n's answer, n8n's peak RSS (its main process, sampled every
 * 100 ms) over Poll mode's, n8n's error log lines, and n8n's own cost of one call to a resume URL.
 * A batch one over the limit must be refused before any task is created. Exits non-zero past the bars.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { CREDENTIAL, writeCredentials, writeWorkflows } from '../harness/n8n/examples';
import type { N8nServer } from '../harness/n8n/instance';
import { freePorts, N8n, provideN8n } from '../harness/n8n/instance';
import { buildAndPack, installLikeN8n } from '../harness/n8n/package';
import { chain, node, webhookStart } from '../harness/n8n/workflows';
import type { RemoteEmulator } from './emulatorProcess';
import { startEmulatorProcess } from './emulatorProcess';
import { sampleProcess } from './proc';
import { MAX_PARKED_TASKS } from '../nodes/ApiModelsVideo/resources/video/park';
import type { Row } from './table';
import { log, megabytes, printTable, seconds } from './table';

const SIZES = (process.env.BENCH_PARK_SIZES ?? `10,${MAX_PARKED_TASKS}`).split(',').map(Number);
const SHAPES = (process.env.BENCH_PARK_SHAPES ?? 'burst,spread').split(',') as Shape[];
const LATENCY_MS = 150;
const SPREAD_MS = 60_000;
/** How long after the last task's end a run may take to resume before it counts as stalled. */
const GIVE_UP_MS = 180_000;
/** After the resume: the vendor's quick re-sends (1 + 2 + 4 s, up to 10 s each) are all made by then. */
const SETTLE_MS = 20_000;
const SAMPLE_MS = 100;

const BARS = { resumeMs: 60_000, readsPerTask: 3, memoryRatio: 1.5 };

type Shape = 'burst' | 'spread';
type Mode = 'park' | 'poll';

interface Report {
	executionId: string;
	items: number;
	completed: number;
	at: number;
}

/** Receives each finished execution's summary from the workflow's last node. */
class Collector {
	readonly reports: Report[] = [];
	url = '';
	private readonly server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			this.reports.push({ ...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Report), at: Date.now() });
			res.writeHead(200).end('{}');
		});
	});

	async listen(): Promise<void> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/report`;
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(resolve));
	}
}

const workflowId = (mode: Mode) => `benchPark${mode === 'park' ? 'Parked' : 'Polled'}`;

/** Webhook → one item per prompt → Create Video (parked or polling) → a summary to the collector. */
function workflow(mode: Mode, collectorUrl: string) {
	const create = node('Create Video', 'n8n-nodes-apimodels.apiModelsVideo', 1, {
		resource: 'video',
		operation: 'create',
		model: 'grok-video-3',
		prompt: '={{ $json.prompt }}',
		options: { waitForCompletion: true, waitMode: mode, pollIntervalSeconds: 5, timeoutMinutes: 30 },
	}, 480);
	create.credentials = { [CREDENTIAL.type]: { id: CREDENTIAL.id, name: CREDENTIAL.name } };
	const summary = node('Report', 'n8n-nodes-base.httpRequest', 4.2, {
		method: 'POST',
		url: collectorUrl,
		sendBody: true,
		specifyBody: 'json',
		jsonBody:
			"={{ JSON.stringify({ executionId: $execution.id, items: $input.all().length, completed: $input.all().filter((item) => item.json.status === 'completed' && item.json.timedOut === false).length }) }}",
		options: {},
	}, 720);
	summary.executeOnce = true;
	return chain(workflowId(mode), `Park bench: ${mode}`, [
		webhookStart(`bench-${mode}`),
		node('Prompts', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'body.prompts', options: {} }, 240),
		create,
		summary,
	]);
}

const rssBytes = (pid: number | undefined) => (pid === undefined ? 0 : (sampleProcess(pid)?.rssBytes ?? 0));
const cpuMs = (pid: number | undefined) => (pid === undefined ? 0 : (sampleProcess(pid)?.cpuMs ?? 0));

interface Measured {
	label: string;
	n: number;
	resumeMs?: number;
	items?: number;
	completed?: number;
	created: number;
	readsMax: number;
	readsMean: number;
	answers: Record<string, number>;
	peakRss: number;
	/** n8n's CPU time over the run, per callback attempt. */
	cpuPerAttemptMs: number;
	errorLines: string[];
	load: number;
}

/** Starts the workflow with these prompts, once n8n has registered its webhook. */
async function startWorkflow(server: N8nServer, mode: Mode, prompts: Array<{ prompt: string }>, label: string): Promise<void> {
	// n8n registers the published workflows' webhooks shortly after it reports ready.
	await server.waitUntil(
		async () =>
			(
				await fetch(`${server.url}/webhook/bench-${mode}`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify({ prompts }),
				})
			).ok,
		30_000,
		`${label}: the workflow to start`,
	);
}

/** n8n's log of one run, kept in BENCH_PARK_LOGS when set. */
function keepLog(label: string, lines: string[]): void {
	const folder = process.env.BENCH_PARK_LOGS;
	if (folder) writeFileSync(path.join(folder, `${label.replace(/\W+/g, '-')}.log`), lines.join('\n'));
}

/** One batch on a freshly started n8n: N tasks ending at once or over a minute. */
async function runBatch(n8n: N8n, emulator: RemoteEmulator, collector: Collector, n: number, shape: Shape, mode: Mode): Promise<Measured> {
	const label = `${mode === 'park' ? 'Park' : 'Poll'}, ${n} tasks, ${shape}`;
	const lines: string[] = [];
	const server: N8nServer = await n8n.start(await freePorts(), (line) => lines.push(line));
	try {
		await emulator.setOptions({ pendingMs: 0, processingMs: 0, latencyMs: LATENCY_MS, requestLogLimit: 100 });
		await emulator.resetStats();
		const before = new Set((await emulator.tasks()).map((task) => task.id));
		const logged = lines.length;
		// Long enough for n8n to create and read every task and park before the first one ends.
		const firstEnd = Date.now() + 15_000 + n * 50;
		const prompts = Array.from({ length: n }, (_, index) => {
			const finishAt = shape === 'burst' ? firstEnd : firstEnd + Math.round((index * SPREAD_MS) / Math.max(1, n - 1));
			return { prompt: `Bench scene ${index} [finishAt=${finishAt}]` };
		});
		log(`${label}: starting`);
		let peakRss = rssBytes(server.pid);
		const cpuBefore = cpuMs(server.pid);
		const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssBytes(server.pid))), SAMPLE_MS);
		const reportsBefore = collector.reports.length;
		await startWorkflow(server, mode, prompts, label);
		const lastEnd = Math.max(...prompts.map(({ prompt }) => Number(/finishAt=(\d+)/.exec(prompt)?.[1])));
		const deadline = lastEnd + GIVE_UP_MS;
		while (collector.reports.length === reportsBefore && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
		const report = collector.reports[reportsBefore];
		// The re-sends of callbacks made before the resume come in meanwhile; n8n answers them.
		await new Promise((resolve) => setTimeout(resolve, mode === 'park' ? SETTLE_MS : 1000));
		clearInterval(sampler);
		const cpuSpent = cpuMs(server.pid) - cpuBefore;
		const load = os.loadavg()[0];
		keepLog(label, lines);

		const tasks = (await emulator.tasks()).filter((task) => !before.has(task.id));
		const stats = await emulator.stats();
		const reads = tasks.map((task) => stats.polls[task.id] ?? 0);
		const answers: Record<string, number> = {};
		for (const attempt of tasks.flatMap((task) => task.callbacks)) {
			const key = attempt.status !== undefined ? String(attempt.status) : attempt.error?.includes('within') ? 'timeout' : 'no answer';
			answers[key] = (answers[key] ?? 0) + 1;
		}
		// n8n's own calls home (api.n8n.io) fail on a machine without internet: not this package's doing.
		const errorLines = lines.slice(logged).filter((line) => /\berror\b/i.test(line) && !line.includes('api.n8n.io'));
		const endedLast = Math.max(...tasks.map((task) => task.finishedAt));
		log(`${label}: ${report ? `resumed ${seconds(report.at - endedLast)} after the last task` : 'not resumed'}, answers ${JSON.stringify(answers)}`);
		return {
			label,
			n,
			resumeMs: report ? report.at - endedLast : undefined,
			items: report?.items,
			completed: report?.completed,
			created: tasks.length,
			readsMax: Math.max(0, ...reads),
			readsMean: reads.reduce((sum, count) => sum + count, 0) / Math.max(1, reads.length),
			answers,
			peakRss,
			cpuPerAttemptMs: cpuSpent / Math.max(1, Object.values(answers).reduce((sum, count) => sum + count, 0)),
			errorLines,
			load,
		};
	} finally {
		await server.stop();
	}
}

/** A batch over the limit: the node must refuse it before creating any task. */
async function refusal(n8n: N8n, emulator: RemoteEmulator): Promise<Row> {
	const n = MAX_PARKED_TASKS + 1;
	const label = `Park, ${n} tasks`;
	const server = await n8n.start(await freePorts());
	try {
		const before = (await emulator.tasks()).length;
		await startWorkflow(server, 'park', Array.from({ length: n }, (_, index) => ({ prompt: `Too many ${index}` })), label);
		await server.waitUntil(async () => (await server.executionsOf(workflowId('park'))).some((execution) => execution.status === 'error'), 60_000, `${label}: the refusal`);
		const created = (await emulator.tasks()).length - before;
		return { name: `${label}: refused, tasks created`, value: String(created), bar: '0', pass: created === 0 };
	} finally {
		await server.stop();
	}
}

const CALLS = 40;

/**
 * Where the time goes: what n8n spends on one call to a parked execution's resume URL, N items
 * parked, when the node answers at once (a callback naming a task the execution does not wait
 * for: 404, no read). The calls go one after the other, then all at once; n8n's CPU time from /proc.
 */
async function callCost(n8n: N8n, emulator: RemoteEmulator, n: number): Promise<Row[]> {
	const label = `Park, ${n} tasks: one call to the resume URL`;
	const server = await n8n.start(await freePorts());
	try {
		await emulator.setOptions({ pendingMs: 0, processingMs: 0, latencyMs: LATENCY_MS, requestLogLimit: 100 });
		const before = new Set((await emulator.tasks()).map((task) => task.id));
		const finishAt = Date.now() + 15 * 60_000;
		await startWorkflow(server, 'park', Array.from({ length: n }, (_, index) => ({ prompt: `Long scene ${index} [finishAt=${finishAt}]` })), label);
		let resumeUrl = '';
		const forged = async () => {
			const response = await fetch(resumeUrl, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ data: { task_id: 'cl_not_in_this_batch', status: 'completed' } }),
			});
			await response.arrayBuffer();
			return response.status;
		};
		await server.waitUntil(
			async () => {
				resumeUrl = (await emulator.tasks()).find((task) => !before.has(task.id))?.callbackUrl ?? '';
				return resumeUrl !== '' && (await forged()) === 404;
			},
			120_000,
			`${label}: the execution to park`,
		);
		const cpuStart = cpuMs(server.pid);
		const wallStart = Date.now();
		for (let call = 0; call < CALLS; call++) await forged();
		const sequentialMs = (Date.now() - wallStart) / CALLS;
		const sequentialCpuMs = (cpuMs(server.pid) - cpuStart) / CALLS;
		const burstStart = Date.now();
		const statuses = await Promise.all(Array.from({ length: CALLS }, forged));
		const burstMs = Date.now() - burstStart;
		log(`${label}: ${sequentialMs.toFixed(0)} ms, ${sequentialCpuMs.toFixed(0)} ms CPU, ${CALLS} at once ${seconds(burstMs)}`);
		return [
			{
				name: `${label} answered at once by the node: n8n wall time (CPU time), one after the other`,
				value: `${sequentialMs.toFixed(0)} ms (${sequentialCpuMs.toFixed(0)} ms)`,
				bar: 'info',
			},
			{
				name: `  ${CALLS} such calls at once: all answered after (answers)`,
				value: `${seconds(burstMs)} (${JSON.stringify(Object.fromEntries(statuses.map((status) => [status, statuses.filter((each) => each === status).length])))})`,
				bar: 'info',
			},
		];
	} finally {
		await server.stop();
	}
}

function rowsOf(run: Measured, pollRss: number | undefined): Row[] {
	const attempts = Object.values(run.answers).reduce((sum, count) => sum + count, 0);
	const refused = attempts - Object.entries(run.answers).filter(([status]) => /^2\d\d$/.test(status)).reduce((sum, [, count]) => sum + count, 0);
	const resumed = run.resumeMs !== undefined && run.items === run.n && run.completed === run.n && run.created === run.n;
	const ratio = pollRss ? run.peakRss / pollRss : undefined;
	return [
		{
			name: `${run.label}: resumed after the last task ended (items, completed, tasks created)`,
			value: run.resumeMs === undefined ? 'not resumed' : `${seconds(run.resumeMs)} (${run.items}, ${run.completed}, ${run.created})`,
			bar: `<= ${seconds(BARS.resumeMs)}, all ${run.n}`,
			pass: resumed && (run.resumeMs ?? Infinity) <= BARS.resumeMs,
		},
		{
			name: '  status reads per task, max (mean)',
			value: `${run.readsMax} (${run.readsMean.toFixed(2)})`,
			bar: `<= ${BARS.readsPerTask}`,
			pass: run.readsMax <= BARS.readsPerTask,
		},
		{
			name: `  callback attempts by n8n's answer (non-2xx share)`,
			value: `${JSON.stringify(run.answers)} (${attempts ? ((refused / attempts) * 100).toFixed(0) : 0} %)`,
			bar: 'info',
		},
		{
			name: '  n8n CPU time over the run, per callback attempt',
			value: `${run.cpuPerAttemptMs.toFixed(0)} ms`,
			bar: 'info',
		},
		{
			name: `  n8n peak RSS${ratio ? ' (ratio to Poll mode on the same batch)' : ''}`,
			value: `${megabytes(run.peakRss)}${ratio ? ` (${ratio.toFixed(2)})` : ''}`,
			...(ratio ? { bar: `<= ${BARS.memoryRatio}`, pass: ratio <= BARS.memoryRatio } : { bar: 'info' }),
		},
		{
			name: '  n8n log lines naming an error (load average at the end)',
			value: `${run.errorLines.length} (${run.load.toFixed(1)})`,
			bar: '0',
			pass: run.errorLines.length === 0,
		},
	];
}

async function main(): Promise<void> {
	const work = mkdtempSync(path.join(tmpdir(), 'apimodels-bench-park-'));
	const emulator = await startEmulatorProcess();
	const collector = new Collector();
	await collector.listen();
	const rows: Row[] = [];
	const notes: string[] = [];
	const errors: string[] = [];
	try {
		const n8n = new N8n(provideN8n(), path.join(work, 'user'));
		log('building, packing and installing the package');
		installLikeN8n(buildAndPack(work), n8n.n8nFolder);
		const credentialsFile = path.join(work, 'credentials.json');
		writeCredentials(credentialsFile, [{ id: CREDENTIAL.id, name: CREDENTIAL.name, data: { apiKey: emulator.apiKey, baseUrl: emulator.url } }]);
		const modes: Mode[] = ['park', 'poll'];
		writeWorkflows(path.join(work, 'workflows'), modes.map((mode) => workflow(mode, collector.url)));
		await n8n.cliExpecting(['import:credentials', `--input=${credentialsFile}`], /Successfully imported/);
		await n8n.cliExpecting(['import:workflow', '--separate', `--input=${path.join(work, 'workflows')}`], /Successfully imported/);
		for (const mode of modes) await n8n.cliExpecting(['publish:workflow', `--id=${workflowId(mode)}`], /Publishing workflow/);

		rows.push(await refusal(n8n, emulator));
		for (const n of SIZES) {
			rows.push(...(await callCost(n8n, emulator, n)));
			const poll = await runBatch(n8n, emulator, collector, n, 'burst', 'poll');
			rows.push({
				name: `${poll.label}: n8n peak RSS (the baseline), finished after the last task ended`,
				value: `${megabytes(poll.peakRss)}, ${poll.resumeMs === undefined ? 'not finished' : seconds(poll.resumeMs)}`,
				bar: 'info',
			});
			for (const shape of SHAPES) {
				const parked = await runBatch(n8n, emulator, collector, n, shape, 'park');
				rows.push(...rowsOf(parked, shape === 'burst' ? poll.peakRss : undefined));
				errors.push(...parked.errorLines.slice(0, 5).map((line) => `${parked.label}: ${line}`));
			}
		}
		notes.push(
			`Each run on a freshly started n8n (regular mode, SQLite), the API emulator answering after ${LATENCY_MS} ms; callback attempts ` +
				`are counted until ${SETTLE_MS / 1000} s after the resume (the vendor's background re-sends, every 10 minutes, come later). ` +
				`Memory is the n8n main process's VmRSS, sampled every ${SAMPLE_MS} ms; machine: ${os.cpus().length} cores.`,
		);
		for (const line of errors) notes.push(`n8n logged: ${line.slice(0, 300)}`);
	} finally {
		await collector.close();
		await emulator.close();
		rmSync(work, { recursive: true, force: true });
	}
	printTable('Park Execution in a real n8n', rows, notes);
	if (rows.some((row) => row.pass === false)) process.exitCode = 1;
}

void main().catch((error: Error) => {
	console.error(error);
	process.exitCode = 1;
});
