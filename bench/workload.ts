/** The task every benchmark waits for, the same in n8n's engine and in a real n8n, so their ratios compare. */
export const PENDING_MS = 1000;
export const PROCESSING_MS = 2000;
export const TASK_MS = PENDING_MS + PROCESSING_MS;
export const INTERVAL_S = 1;
/** Every API answer takes this long, like a real API across the internet would, at least. */
export const LATENCY_MS = 50;
