/* eslint-disable @n8n/community-nodes/no-restricted-globals -- benchmarks run on Node, outside n8n */
/**
 * The "timing" stage of `npm run bench`: how promptly the nodes act, on the real clock, through
 * n8n's engine against the emulator. The jest suites check what happens (which reads, which
 * answers, nothing after a cancel) on scaled clocks on a loaded machine; the bars on how soon live here.
 *
 *   1. A task read every 1 s Poll Interval: no gap between two reads of 1.4 s or more.
 *   2. Cancelling Wait for Completion mid-round (requests in flight, more due): the run ends within 1.2 s.
 *   3. The callback trigger, asked about a task while the API answers in 35 s: it answers within its
 *      budget plus 0.5 s, well before the vendor's 10 s per attempt.
 */
import type { IDataObject } from 'n8n-workflow';
import { startEmulator, type Emulator } from '../emulator/server';
import { taskData } from '../emulator/spellings';
import { cancellableRun, runWebhook, runWorkflow, type RunOptions } from '../harness/engine';
import { credentialsFor, credentialTypes, nodeTypes, TRIGGER_TYPE, videoNode } from '../harness/nodes';
import { ANSWER_BUDGET_MS } from '../nodes/shared/callbacks';
import type { Row } from './table';
import { log, seconds } from './table';

const BARS = { readGapMs: 1400, cancelMs: 1200, answerMs: ANSWER_BUDGET_MS + 500 };

function engineRun(api: Emulator, parameters: IDataObject, input: IDataObject[]): Omit<RunOptions, 'abortSignal'> {
	return { nodeTypes, credentialTypes, credentials: credentialsFor(api), input, nodes: [videoNode(parameters)] };
}

/** Creates tasks through Create Video; a prompt can steer its task (`[processingMs=N]`). */
async function createTasks(api: Emulator, prompts: string[]): Promise<string[]> {
	const create = { operation: 'create', model: 'grok-video-3', prompt: '={{ $json.prompt }}' };
	const result = await runWorkflow(engineRun(api, create, prompts.map((prompt) => ({ prompt }))));
	if (result.error) throw new Error(`creating tasks failed: ${result.error.message}`);
	return result.runData['APIModels Video'][0].data?.main[0]?.map((item) => String(item.json.taskId)) ?? [];
}

async function readGap(api: Emulator): Promise<number> {
	const [taskId] = await createTasks(api, ['A cat [pendingMs=0][processingMs=4500]']);
	await runWorkflow(engineRun(api, { operation: 'waitForCompletion', options: { pollIntervalSeconds: 1 } }, [{ taskId }]));
	const reads = api.stats().log.filter((entry) => entry.route === 'status').map((entry) => entry.at);
	return Math.max(...reads.slice(1).map((at, index) => at - reads[index]));
}

async function cancelTime(api: Emulator): Promise<number> {
	const ids = await createTasks(api, Array.from({ length: 30 }, () => 'A cat [pendingMs=0][processingMs=60000]'));
	api.setOptions({ latencyMs: 150 });
	const run = cancellableRun(
		engineRun(api, { operation: 'waitForCompletion', options: { pollIntervalSeconds: 1, concurrency: 2 } }, ids.map((taskId) => ({ taskId }))),
	);
	while (api.stats().totals.status < 5) await new Promise((resolve) => setTimeout(resolve, 5));
	const cancelledAt = Date.now();
	run.cancel();
	const { status } = await run.promise;
	if (status !== 'canceled') throw new Error(`the cancelled wait ended ${status}`);
	return Date.now() - cancelledAt;
}

async function answerTime(api: Emulator): Promise<number> {
	const [taskId] = await createTasks(api, ['A cat [pendingMs=0][processingMs=0]']);
	const task = api.tasks().find((candidate) => candidate.id === taskId);
	if (!task) throw new Error('the emulator has no such task');
	api.inject('status', { kind: 'slow', delayMs: 35_000 });
	const started = Date.now();
	const result = await runWebhook({
		nodeTypes,
		credentialTypes,
		credentials: credentialsFor(api),
		node: { name: 'APIModels Callback Trigger', type: TRIGGER_TYPE, parameters: { security: 'none' } },
		request: { body: { code: 200, msg: 'success', data: taskData(task, task.outcome, 'seed', api.videoUrl(task.id)) } },
	});
	const elapsed = Date.now() - started;
	if (result.response.statusCode !== 503) throw new Error(`the trigger answered ${result.response.statusCode}, not 503`);
	return elapsed;
}

export async function timingStage(rows: Row[]): Promise<void> {
	const measure = async (what: string, body: (api: Emulator) => Promise<number>) => {
		log(what);
		const api = await startEmulator();
		try {
			return await body(api);
		} finally {
			await api.close();
		}
	};
	const gap = await measure('reading a 4.5 s task every second', readGap);
	const cancel = await measure('cancelling a wait of 30 tasks mid-round', cancelTime);
	const answer = await measure('a callback while the API answers in 35 s', answerTime);
	rows.push(
		{ name: 'Longest gap between two reads, 1 s Poll Interval', value: seconds(gap), bar: `< ${seconds(BARS.readGapMs)}`, pass: gap < BARS.readGapMs },
		{ name: 'Cancel mid-round to the end of the run', value: seconds(cancel), bar: `< ${seconds(BARS.cancelMs)}`, pass: cancel < BARS.cancelMs },
		{ name: "Trigger's answer, API answering in 35 s", value: seconds(answer), bar: `<= ${seconds(BARS.answerMs)}`, pass: answer <= BARS.answerMs },
	);
}
