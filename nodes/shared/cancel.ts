import type { IExecuteFunctions } from 'n8n-workflow';
import { ManualExecutionCancelledError, sleep } from 'n8n-workflow';

/**
 * Stops the node once the execution is cancelled. n8n records the execution as cancelled, not
 * failed, only for an error it recognises as a cancellation.
 */
export function throwIfCancelled(ctx: IExecuteFunctions, signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw new ManualExecutionCancelledError(ctx.getExecutionId() ?? 'unknown');
}

/** Waits `ms`, or stops the node as cancelled as soon as the execution is. */
export async function pauseUnlessCancelled(
	ctx: IExecuteFunctions,
	ms: number,
	signal: AbortSignal | undefined,
): Promise<void> {
	throwIfCancelled(ctx, signal);
	if (ms <= 0) return;
	// n8n's sleep rejects only when the signal aborts, which is the cancellation.
	await sleep(ms, signal).catch(() => throwIfCancelled(ctx, signal));
}
