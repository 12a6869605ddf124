/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
/**
 * Park Execution in the running n8n (regular mode): a webhook starts Create Video on 3 prompts
 * with Wait Mode "Park Execution", so the execution waits in n8n's database and each task's
 * callback, re-sent on the vendor's schedule by the emulator, goes to the execution's resume URL.
 * Its renders end a few seconds after the request, once the execution has parked.
 */
import assert from 'node:assert/strict';
import type { Emulator } from '../../../emulator/server';
import { videoSha256 } from '../../../emulator/video';
import type { N8nServer } from '../../../harness/n8n/instance';
import type { Workflow } from '../../../harness/n8n/examples';
import type { BatchReport } from '../../../harness/n8n/workflows';
import { batchWorkflow } from '../../../harness/n8n/workflows';
import type { Collector } from '../lib/collector';
import type { Report } from '../lib/report';

export const PARK_CREDENTIAL = { id: 'apiModelsPark', name: 'APIModels (e2e park)' };
const HOOK = 'e2e-park';
/** Each render ends this long after its create; n8n parks within a second or two of the request. */
const RENDER_MS = [6000, 6500, 7000];
/** The vendor sends a callback at once when a task ends: the resume follows within a few seconds. */
const RESUME_WITHIN_MS = 5000;

export function parkWorkflow(collectorUrl: string): Workflow {
	return batchWorkflow('apiModelsParkE2e', HOOK, collectorUrl, { credential: PARK_CREDENTIAL, waitMode: 'park', download: true });
}

export async function parkCases(report: Report, server: N8nServer, emulator: Emulator, collector: Collector<BatchReport>, workflowId: string): Promise<void> {
	report.section('Park Execution (3 tasks, the vendor\'s callback schedule):');
	const prompts = RENDER_MS.map((ms, index) => ({ prompt: `Parked e2e scene ${index} [pendingMs=0][processingMs=${ms}]` }));
	const start = await fetch(`${server.url}/webhook/${HOOK}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ prompts }),
	});
	assert.equal(start.status, 200, 'the webhook starts the workflow');

	await report.check('the execution parks: it waits in n8n\'s database while the videos render', () =>
		server.waitUntil(async () => (await server.executionsOf(workflowId)).some((execution) => execution.status === 'waiting'), 20_000, 'the execution to park'),
	);
	await report.check(`it resumes once, within ${RESUME_WITHIN_MS / 1000} s of the last task's end, with the 3 completed tasks in prompt order and their videos`, async () => {
		await collector.waitFor((deliveries) => deliveries.length > 0, 60_000);
		const [delivery] = collector.deliveries;
		const tasks = emulator.tasks();
		const lastEnd = Math.max(...tasks.map((task) => task.finishedAt));
		report.note(`resumed ${((delivery.receivedAt - lastEnd) / 1000).toFixed(1)} s after the last task ended`);
		assert.ok(delivery.receivedAt - lastEnd <= RESUME_WITHIN_MS, `resumed ${delivery.receivedAt - lastEnd} ms after the last task`);
		const { items } = delivery.body;
		const promptOf = (taskId: unknown) => tasks.find((task) => task.id === taskId)?.body.prompt;
		assert.deepEqual(
			items.map((item) => [promptOf(item.json.taskId), item.json.status, item.json.timedOut]),
			prompts.map(({ prompt }) => [prompt, 'completed', false]),
		);
		const hashes = delivery.extra as string[];
		assert.deepEqual(hashes, items.map((item) => videoSha256(emulator.videoSpec(String(item.json.taskId)))), 'each item carries its own video');
	});
	await report.check('one execution, successful; 3 tasks created; at most 3 status reads per task; every task\'s callback answered 2xx', async () => {
		// The vendor's re-sends of callbacks answered before the resume have no reason to come; wait a moment for any.
		await new Promise((resolve) => setTimeout(resolve, 2000));
		const executions = await server.executionsOf(workflowId);
		assert.deepEqual(executions.map((execution) => execution.status), ['success']);
		assert.equal(collector.deliveries.length, 1);
		const tasks = emulator.tasks();
		assert.equal(tasks.length, 3);
		const { polls } = emulator.stats();
		const reads = tasks.map((task) => polls[task.id] ?? 0);
		const answers = tasks.map((task) => task.callbacks.map((attempt) => attempt.status ?? attempt.error));
		report.note(`status reads per task ${JSON.stringify(reads)}; callback answers per task ${JSON.stringify(answers)}`);
		assert.ok(reads.every((count) => count <= 3), `reads ${reads.join(', ')}`);
		assert.ok(answers.every((statuses) => statuses.some((status) => typeof status === 'number' && status >= 200 && status < 300)));
	});
}
