import * as workflow from 'n8n-workflow';

/**
 * What differs between the n8n versions the package supports, decided when the n8n that loads it
 * requires it: the package runs on that n8n's n8n-workflow, not on the one it was built with.
 */

type AbortableSleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** n8n-workflow 1.x's `sleepWithAbort`; 2.x has none (its `sleep` takes the signal). */
const sleepWithAbort = (workflow as { sleepWithAbort?: AbortableSleep }).sleepWithAbort;

/** Loaded by n8n 1.x, whose n8n-workflow is 1.x. */
export const ON_N8N_1 = sleepWithAbort !== undefined;

/**
 * n8n's sleep that rejects as soon as `signal` aborts, on every supported n8n: n8n-workflow 1.x's
 * `sleep` ignores a signal.
 */
export const sleep: AbortableSleep = sleepWithAbort ?? workflow.sleep;
