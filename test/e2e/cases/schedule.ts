/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run on Node, outside n8n */
/**
 * Example 5 fired by its Schedule Trigger in the running n8n. The suite's copy runs every
 * 10 seconds against an emulator of its own, so its tasks never mix with the other cases',
 * and reports each execution's output to a collector.
 */
import assert from 'node:assert/strict';
import type { Emulator } from '../../../emulator/server';
import type { Collector } from '../lib/collector';
import type { Workflow } from '../../../harness/n8n/examples';
import { useCredential } from '../../../harness/n8n/examples';
import type { Report } from '../lib/report';

export const SCHEDULE_CREDENTIAL = { id: 'apiModelsSchedule', name: 'APIModels (e2e schedule)' };
const INTERVAL_SECONDS = 10;

export interface ScheduleReport {
	executionId: string;
	tasks: Array<Record<string, unknown>>;
}

/** The example with a 10 s schedule, its own id and credential, and a report node after Create Video. */
export function scheduledVariant(example: Workflow, collectorUrl: string): Workflow {
	const workflow: Workflow = JSON.parse(JSON.stringify(example));
	workflow.id = 'apimodelsBatchE2e';
	workflow.name = `${example.name} (e2e: every ${INTERVAL_SECONDS} s)`;
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-base.scheduleTrigger') {
			node.parameters.rule = { interval: [{ field: 'seconds', secondsInterval: INTERVAL_SECONDS }] };
		}
	}
	useCredential(workflow, SCHEDULE_CREDENTIAL);
	workflow.nodes.push({
		id: 'e2e-schedule-report',
		name: 'Report to the e2e Suite',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [900, 40],
		executeOnce: true,
		parameters: {
			method: 'POST',
			url: collectorUrl,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify({ executionId: $execution.id, tasks: $input.all().map(item => item.json) }) }}',
			options: {},
		},
	});
	workflow.connections['Create Video'] = { main: [[{ node: 'Report to the e2e Suite', type: 'main', index: 0 }]] };
	return workflow;
}

export async function scheduleCases(
	report: Report,
	emulator: Emulator,
	collector: Collector<ScheduleReport>,
	prompts: string[],
): Promise<void> {
	report.section('Example 5 on its schedule:');
	await report.check('5-scheduled-batch: the schedule fires and each firing completes its batch in prompt order', async () => {
		await collector.waitFor((deliveries) => deliveries.length > 0, (INTERVAL_SECONDS + 30) * 1000);
		const promptOf = new Map(emulator.tasks().map((task) => [task.id, task.body.prompt]));
		for (const { body } of collector.deliveries) {
			assert.deepEqual(body.tasks.map((task) => promptOf.get(String(task.taskId))), prompts);
			assert.deepEqual(body.tasks.map((task) => task.status), prompts.map(() => 'completed'));
		}
	});
	await report.check('5-scheduled-batch: no firing creates a task twice', () => {
		const reported = collector.deliveries.flatMap((delivery) => delivery.body.tasks.map((task) => String(task.taskId)));
		assert.equal(new Set(reported).size, reported.length, 'a task reported twice');
		// Tasks not reported yet belong to the one firing under way: at most one per prompt.
		const pending = emulator.tasks().filter((task) => !reported.includes(task.id)).map((task) => String(task.body.prompt));
		assert.equal(new Set(pending).size, pending.length, `unreported tasks: ${JSON.stringify(pending)}`);
	});
}
