/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run on Node, outside n8n */
/** n8n's own execution records, read back through its REST API, against the reports the collectors got. */
import assert from 'node:assert/strict';
import type { N8nServer } from '../../../harness/n8n/instance';
import type { Report } from '../lib/report';

interface Reported {
	workflowId: string;
	collector: { deliveries: Array<{ body: { executionId: string } }> };
}

const finished = (execution: { status: string }) => !['new', 'running', 'waiting'].includes(execution.status);
const kinds = (executions: Array<{ mode: string; status: string }>) => [
	...new Set(executions.map((execution) => `${execution.mode}:${execution.status}`)),
];
const reportedIds = ({ collector }: Reported) => collector.deliveries.map((delivery) => String(delivery.body.executionId));

export async function recordCases(report: Report, server: N8nServer, trigger: Reported, schedule: Reported): Promise<void> {
	report.section("n8n's execution records:");
	await report.check('the trigger workflow ran exactly the executions that reported, all successful', async () => {
		// Nothing starts it any more; an execution may still be saving its end.
		let executions = await server.executionsOf(trigger.workflowId);
		await server.waitUntil(
			async () => (executions = await server.executionsOf(trigger.workflowId)).every(finished),
			10_000,
			'the trigger executions to finish',
		);
		assert.deepEqual(executions.map((execution) => execution.id).sort(), reportedIds(trigger).sort());
		assert.deepEqual(kinds(executions), ['webhook:success']);
	});
	await report.check('the scheduled workflow ran exactly the executions that reported, all successful', async () => {
		// It keeps firing: an execution may have reported and not ended yet, or started and not reported.
		const executions = await server.executionsOf(schedule.workflowId);
		const ids = executions.map((execution) => execution.id);
		const ended = executions.filter(finished);
		const reported = reportedIds(schedule);
		assert.deepEqual(ended.filter((execution) => !reported.includes(execution.id)), [], 'ended without reporting');
		assert.deepEqual(reported.filter((id) => !ids.includes(id)), [], 'reported but unknown to n8n');
		assert.deepEqual(kinds(ended), ['trigger:success']);
	});
}
