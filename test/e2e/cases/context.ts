/** What every group of cases works with. */
import type { Emulator } from '../../emulator/server';
import type { Workflow } from '../lib/examples';
import type { N8n } from '../lib/n8n';
import { freePorts } from '../lib/n8n';
import type { Report } from '../lib/report';

export interface SuiteContext {
	report: Report;
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

/** `n8n execute` of an example, in its own process with its own ports. */
export async function executeExample(context: SuiteContext, example: string) {
	return await context.n8n.execute(workflowOf(context, example).id, await freePorts());
}

/** Tasks the emulator created since `since` (ms), oldest first. */
export function tasksSince(emulator: Emulator, since: number) {
	return emulator.tasks().filter((task) => task.createdAt >= since).sort((a, b) => a.createdAt - b.createdAt);
}
