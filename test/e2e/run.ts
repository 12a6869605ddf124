/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- tests run on Node, outside n8n */
/**
 * `npm run test:e2e`: the package as users get it, in a real n8n. Builds and packs the package,
 * installs the tarball the way n8n installs community packages, imports the example workflows
 * with n8n's CLI, then runs two tracks side by side:
 *  - the examples that start by hand, with `n8n execute`;
 *  - a running `n8n start`: the callback trigger, a flood of callbacks, a schedule, Park Execution,
 *    and the node as AI tools (MCP Server Trigger, Execute step, AI Agent: cases/mcp.ts), and wait timings.
 * `--n8n=<version>` picks another version of harness/n8n/versions.json than the first; the
 * browser cases run in the first only.
 * Each track has an n8n instance (n8n's SQLite takes one process at a time) and emulators of
 * its own, so counts and injected faults never mix.
 * Ends with `N passed, M failed` and a non-zero exit code on any failure.
 */
import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator } from '../../emulator/server';
import { callbackToken } from '../../nodes/shared/callbackToken';
import { browserCases } from './cases/browser';
import { editorCases, tokenlessCopy } from './cases/editor';
import { executionCases } from './cases/executions';
import { floodCases } from './cases/flood';
import { McpSuite } from './cases/mcp';
import { PARK_CREDENTIAL, parkCases, parkWorkflow } from './cases/park';
import { recordCases } from './cases/records';
import type { ScheduleReport } from './cases/schedule';
import { SCHEDULE_CREDENTIAL, scheduleCases, scheduledVariant } from './cases/schedule';
import { TIMING_CREDENTIAL, timingCases, timingWorkflow } from './cases/timing';
import type { TriggerContext, TriggerReport } from './cases/trigger';
import { addReportNode, triggerCases } from './cases/trigger';
import { Collector } from './lib/collector';
import type { Workflow } from '../../harness/n8n/examples';
import type { BatchReport } from '../../harness/n8n/workflows';
import {
	CREDENTIAL,
	loadExamples,
	nodeOfType,
	pointCallbacksAt,
	promptsOf,
	TRIGGER_TYPE,
	triggerUrl,
	useCredential,
} from '../../harness/n8n/examples';
import { readBinary, sha256 } from './lib/expect';
import { freePorts, N8n, provideN8n } from '../../harness/n8n/instance';
import { n8nVersionArgument, PRIMARY_N8N } from '../../harness/n8n/n8nVersions';
import { Report } from './lib/report';
import type { Instance } from './lib/setup';
import { assertNotStored, importInto, installPackage, startServer, together } from './lib/setup';

const EMULATOR_TIMING = { pendingMs: 300, processingMs: 700 };
/** Big enough that downloads stream in many chunks, small enough to keep the suite fast. */
const VIDEO_BYTES = 1024 * 1024;
/**
 * The callback examples (4a, 4b) and the flood use this credential and their own emulator. Its
 * Callback Secret, new each run, is what 4b's trigger checks and 4a's Create Video signs with.
 */
const TRIGGER_CREDENTIAL = { id: 'apiModelsTrigger', name: 'APIModels (e2e trigger)', callbackSecret: randomUUID() };
/** The trigger copy that must not publish points at this one, on the same emulator, without a Callback Secret. */
const SECRETLESS_CREDENTIAL = { id: 'apiModelsNoSecret', name: 'APIModels (e2e, no Callback Secret)' };

/** The examples poll every 5 s, as the vendor advises; the emulator's tasks take 1 s. */
function pollEverySecond(workflow: Workflow): void {
	for (const node of workflow.nodes) {
		if (node.parameters.options?.pollIntervalSeconds !== undefined) node.parameters.options.pollIntervalSeconds = 1;
	}
}

const N8N_VERSION = n8nVersionArgument();

async function main(): Promise<number> {
	const report = Report.create();
	const work = mkdtempSync(path.join(tmpdir(), 'apimodels-e2e-'));
	const cleanups: Array<() => Promise<unknown>> = [];
	await report.runSuite(work, cleanups, async () => {
		report.section(`Setup of n8n ${N8N_VERSION} (work folder ${work}):`);
		const cache = await report.require(`n8n ${N8N_VERSION} is provided (scripts/provide-n8n.sh)`, () => provideN8n(N8N_VERSION));

		const emulators = {
			cli: await startEmulator({ ...EMULATOR_TIMING, videoSizeBytes: VIDEO_BYTES }),
			trigger: await startEmulator({ ...EMULATOR_TIMING, videoSizeBytes: VIDEO_BYTES }),
			schedule: await startEmulator(EMULATOR_TIMING),
			browser: await startEmulator({ ...EMULATOR_TIMING, videoSizeBytes: VIDEO_BYTES }),
			timing: await startEmulator(),
			park: await startEmulator({ videoSizeBytes: VIDEO_BYTES }),
		};
		cleanups.push(...Object.values(emulators).map((emulator) => () => emulator.close()));
		const mcp = await McpSuite.start();
		cleanups.push(() => mcp.close());

		const serverPorts = await freePorts();
		const n8nUrl = `http://127.0.0.1:${serverPorts.http}`;
		const workflows = loadExamples();
		for (const workflow of workflows.values()) {
			pollEverySecond(workflow);
			pointCallbacksAt(workflow, n8nUrl);
		}
		const example = (name: string) => workflows.get(name) as Workflow;
		useCredential(example('4a-callback-create-video'), TRIGGER_CREDENTIAL);
		useCredential(example('4b-callback-trigger'), TRIGGER_CREDENTIAL);

		// Outside the repository, so nothing resolves from the project's own node_modules.
		const cli = new N8n(cache, path.join(work, 'cli'));
		const server = new N8n(cache, path.join(work, 'server'));
		const triggerCollector = new Collector<TriggerReport>((body) =>
			// Read while the execution still runs: the file is where its binary id says now (n8n 1.x's memory mode: inline).
			body.binary ? { sha256: sha256(readBinary(server.n8nFolder, body.binary)) } : undefined,
		);
		const scheduleCollector = new Collector<ScheduleReport>();
		// Each item's video, read while the execution still runs (as above).
		const parkCollector = new Collector<BatchReport>((body) =>
			body.items.map((item) => item.binary && sha256(readBinary(server.n8nFolder, item.binary))),
		);
		await triggerCollector.start();
		await scheduleCollector.start();
		await parkCollector.start();
		cleanups.push(() => triggerCollector.close(), () => scheduleCollector.close(), () => parkCollector.close());

		const trigger = example('4b-callback-trigger');
		const tokenless = tokenlessCopy(trigger, SECRETLESS_CREDENTIAL);
		addReportNode(trigger, triggerCollector.url);
		const scheduled = scheduledVariant(example('5-scheduled-batch'), scheduleCollector.url);
		const timing = timingWorkflow();
		const parked = parkWorkflow(parkCollector.url);
		const instances: Instance[] = [
			{
				label: 'execute instance',
				n8n: cli,
				credentials: [
					{ ...CREDENTIAL, emulator: emulators.cli },
					{ ...TRIGGER_CREDENTIAL, emulator: emulators.trigger },
				],
				workflows: [...workflows.values()].filter((workflow) => workflow !== trigger),
				published: [],
			},
			{
				label: 'server instance',
				n8n: server,
				credentials: [
					{ ...TRIGGER_CREDENTIAL, emulator: emulators.trigger },
					{ ...SECRETLESS_CREDENTIAL, emulator: emulators.trigger },
					{ ...SCHEDULE_CREDENTIAL, emulator: emulators.schedule },
					{ ...TIMING_CREDENTIAL, emulator: emulators.timing },
					{ ...PARK_CREDENTIAL, emulator: emulators.park },
					...mcp.credentials,
					// Example 1 in the browser: its credential, found by name, on an emulator of its own.
					{ ...CREDENTIAL, emulator: emulators.browser },
				],
				workflows: [trigger, tokenless, scheduled, timing, parked, ...mcp.workflows, example('1-text-to-video-grok')],
				published: [trigger, tokenless, scheduled, timing, parked, ...mcp.workflows],
			},
		];
		await together(
			installPackage(report, instances, work),
			...instances.map((instance) => importInto(report, instance, work)),
			mcp.importModelCredential(report, server, work),
		);

		const cliTrack = async () => {
			const track = report.track();
			await executionCases({ report: track, n8n: cli, emulator: emulators.cli, workflows });
			track.flush();
		};
		const serverTrack = async () => {
			const track = report.track();
			try {
				track.section('n8n start, the trigger, a flood and a schedule:');
				const running = await startServer(track, server, serverPorts, work, cleanups);
				const callbackUrl = triggerUrl(n8nUrl, nodeOfType(trigger, TRIGGER_TYPE), callbackToken(TRIGGER_CREDENTIAL.callbackSecret));
				await track.require('the published trigger listens on its production URL', () =>
					running.waitUntil(
						async () => (await fetch(callbackUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status === 400,
						30_000,
						`the trigger at ${callbackUrl}`,
					),
				);
				await track.group('editor', () =>
					editorCases({ report: track, server: running, emulator: emulators.trigger, credential: TRIGGER_CREDENTIAL, tokenless }),
				);
				// The trigger cases count this emulator's requests: without the editor's.
				emulators.trigger.resetStats();
				// Example 4a still runs with `n8n execute`, in turn with the other track's executions.
				const context: TriggerContext = {
					report: track,
					n8n: cli,
					emulator: emulators.trigger,
					workflows,
					collector: triggerCollector,
					triggerUrl: callbackUrl,
					n8nUrl,
				};
				await track.group('trigger', () => triggerCases(context));
				await track.group('flood', () => floodCases(context));
				await track.group('schedule', () => scheduleCases(track, emulators.schedule, scheduleCollector, promptsOf(scheduled)));
				await track.group('park', () => parkCases(track, running, emulators.park, parkCollector, parked.id));
				await track.group('records', () =>
					recordCases(
						track,
						running,
						{ workflowId: trigger.id, collector: triggerCollector },
						{ workflowId: scheduled.id, collector: scheduleCollector },
					),
				);
				await track.group('mcp', () => mcp.run(track, running));
				if (N8N_VERSION === PRIMARY_N8N) {
					await track.group('browser', () =>
						browserCases({
							report: track,
							server: running,
							example: { id: example('1-text-to-video-grok').id, apiKey: emulators.browser.apiKey },
						}),
					);
				}
				return running;
			} finally {
				track.flush();
			}
		};
		const running = serverTrack();
		await together(cliTrack(), running);
		// Once the other cases are done, so that their load does not blur the timings.
		await report.group('timing', async () => timingCases(report, await running, emulators.timing, timing.id));
		report.section('Secrets after every run:');
		const { callbackSecret } = TRIGGER_CREDENTIAL;
		for (const { label, n8n } of instances) {
			await report.check(`the Callback Secret and its token are in no database file: workflows, executions, static data (${label})`, () =>
				assertNotStored(n8n, [callbackSecret, callbackToken(callbackSecret)]),
			);
		}
		await report.check("the Callback Secret and its token are not in the running n8n's log", () => {
			const log = readFileSync(path.join(work, 'n8n-server.log'), 'utf8');
			for (const value of [callbackSecret, callbackToken(callbackSecret)]) assert.equal(log.includes(value), false, `${value} in the log`);
		});
	});
	console.log(report.summary());
	return report.failed ? 1 : 0;
}

main().then((code) => process.exit(code));
