import type { IExecuteFunctions } from 'n8n-workflow';
import { ManualExecutionCancelledError } from 'n8n-workflow';

/**
 * Stops the node once the execution is cancelled. n8n records the execution as cancelled, not
 * failed, only for an error it recognises as a cancellation.
 */
export function throwIfCancelled(ctx: IExecuteFunctions, signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw new ManualExecutionCancelledError(ctx.getExecutionId() ?? 'unknown');
}
