/** What every group of cases works with. */
import type { Emulator } from '../../../emulator/server';
import type { Workflow } from '../../../harness/n8n/examples';
import type { N8n } from '../../../harness/n8n/instance';
import type { Report } from '../lib/report';

export interface SuiteContext {
	report: Report;
	/** The n8n instance that runs the examples with `n8n execute`. */
	n8n: N8n;
	/** The emulator behind the `APIModels (emulator)` credential. */
	emulator: Emulator;
	/** The workflows as imported into n8n, by example name (e.g. `1-text-to-video-grok`). */
	workflows: Map<string, Workflow>;
}

export function workflowOf(context: SuiteContext, example: string): Workflow {
	const workflow = context.workflows.get(example);
	if (!workflow) throw new Error(`no example named ${example}`);
	return workflow;
}

/** `n8n execute` of an example (after any other command of the same n8n instance). */
export async function executeExample(context: SuiteContext, example: string) {
	return await context.n8n.execute(workflowOf(context, example).id);
}

/** Tasks the emulator created since `since` (ms), oldest first. */
export function tasksSince(emulator: Emulator, since: number) {
	return emulator.tasks().filter((task) => task.createdAt >= since).sort((a, b) => a.createdAt - b.createdAt);
}
