import * as workflow from 'n8n-workflow';

type AbortableSleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * n8n's sleep that rejects as soon as `signal` aborts, on every supported n8n. n8n-workflow 1.x's
 * `sleep` ignores a signal (its `sleepWithAbort` honours one); 2.x's `sleep` takes the signal and
 * has no `sleepWithAbort`. The package runs on the n8n-workflow of the n8n that loads it, so the
 * choice is made at load time, not at build time.
 */
export const sleep: AbortableSleep =
	(workflow as { sleepWithAbort?: AbortableSleep }).sleepWithAbort ?? workflow.sleep;
