/** What an emulator instance can be told, and the defaults a bare `startEmulator()` gets. */
import type { ZodError } from 'zod';
import { z } from 'zod';

export type Spelling = 'seed' | 'live';
export type CallbackShape = 'wrapped' | 'bare';

export interface RuntimeOptions {
	/** Valid keys; the first is the one `emulator.apiKey` reports. */
	apiKeys: string[];
	/** Keys that authenticate but answer 402 on create. */
	noCreditKeys: string[];
	/** seed: task_id/status/videos/error/created_at; live: taskId/state/resultUrls/failMsg/createTime. */
	spelling: Spelling;
	/** How long a new task stays pending, then processing; running tasks keep their schedule. */
	pendingMs: number;
	processingMs: number;
	/** Pads result videos to this size; 0 keeps the natural ~2 KB. */
	videoSizeBytes: number;
	/** wrapped: `{code,msg,data}` like the query answer; bare: the `data` object alone. */
	callbackShape: CallbackShape;
	/** Waits before the retries that follow a failed callback (vendor: 1 s, 2 s, 4 s). */
	callbackBackoffMs: number[];
	/** Further attempts after the backoff schedule, `callbackBackgroundIntervalMs` apart. */
	callbackBackgroundRetries: number;
	callbackBackgroundIntervalMs: number;
	callbackTimeoutMs: number;
	/** Extra copies of each callback sent after a 2xx, to exercise receivers' de-duplication. */
	callbackDuplicates: number;
	/** Delay added to every API answer, e.g. to make concurrent requests overlap. */
	latencyMs: number;
	/** Uploads larger than this spill from memory to a temp file. */
	uploadMemoryLimitBytes: number;
	/** Request log entries kept (the oldest are dropped) so a long-running emulator stays small. */
	requestLogLimit: number;
}

export interface EmulatorOptions extends Partial<RuntimeOptions> {
	/** 0 picks a free port. */
	port?: number;
	host?: string;
}

export const DEFAULT_API_KEY = 'sk_test_emulator';

export const defaultRuntimeOptions: RuntimeOptions = {
	apiKeys: [DEFAULT_API_KEY],
	noCreditKeys: [],
	spelling: 'seed',
	pendingMs: 200,
	processingMs: 300,
	videoSizeBytes: 0,
	callbackShape: 'wrapped',
	callbackBackoffMs: [1000, 2000, 4000],
	callbackBackgroundRetries: 3,
	callbackBackgroundIntervalMs: 10 * 60 * 1000,
	callbackTimeoutMs: 10_000,
	callbackDuplicates: 0,
	latencyMs: 0,
	uploadMemoryLimitBytes: 8 * 1024 * 1024,
	requestLogLimit: 10_000,
};

const count = z.number().int().nonnegative();

/** Checks option changes that arrive over HTTP (control API) or from the command line. */
export const runtimeOptionsPatch: z.ZodType<Partial<RuntimeOptions>> = z
	.object({
		apiKeys: z.array(z.string().min(1)).min(1),
		noCreditKeys: z.array(z.string().min(1)),
		spelling: z.enum(['seed', 'live']),
		pendingMs: count,
		processingMs: count,
		videoSizeBytes: count,
		callbackShape: z.enum(['wrapped', 'bare']),
		callbackBackoffMs: z.array(count),
		callbackBackgroundRetries: count,
		callbackBackgroundIntervalMs: count,
		callbackTimeoutMs: count,
		callbackDuplicates: count,
		latencyMs: count,
		uploadMemoryLimitBytes: count,
		requestLogLimit: count,
	})
	.partial()
	.strict();

/** Applies a patch; keys left undefined keep their current value. */
export function mergeOptions(current: RuntimeOptions, patch: Partial<RuntimeOptions>): RuntimeOptions {
	const defined = Object.entries(patch).filter(([key, value]) => value !== undefined && key in defaultRuntimeOptions);
	return { ...current, ...Object.fromEntries(defined) };
}

/** One line for a refused value, e.g. `spelling: Invalid enum value...`. */
export function firstIssue(error: ZodError): string {
	const issue = error.issues[0];
	return issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}
