import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { VideoTask } from '../../../shared/task';

/**
 * What this node created, and spent, in the current execution, kept in its static data so
 * that n8n's Retry On Fail, which runs the node again in the same execution, never pays twice.
 */
export interface CreateLedger extends IDataObject {
	executionId: string;
	tasks: Record<string, VideoTask>;
	/** Creates sent without a usable answer (5xx, dropped, too slow, unreadable): what went wrong. */
	unknown: Record<string, string>;
	committedUsd: number;
}

export function ledgerOf(ctx: IExecuteFunctions): CreateLedger {
	const staticData = ctx.getWorkflowStaticData('node');
	const executionId = ctx.getExecutionId() ?? 'manual';
	const current = staticData.createdTasks as CreateLedger | undefined;
	// Only the running execution matters: older entries are dropped so the data stays small.
	if (current?.executionId !== executionId) {
		staticData.createdTasks = { executionId, tasks: {}, unknown: {}, committedUsd: 0 };
	}
	const ledger = staticData.createdTasks as CreateLedger;
	ledger.unknown ??= {}; // a ledger written by an older version of the node
	return ledger;
}

/** Same node run, item and body: the same task. */
export function idempotencyKey(runIndex: number, itemIndex: number, body: IDataObject): string {
	return createHash('sha256').update(JSON.stringify([runIndex, itemIndex, body])).digest('hex');
}
