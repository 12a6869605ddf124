import type {
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INode,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { apiConnection } from './connection';
import { createOutcomeUnknownError, lostAnswerWords, toNodeApiError, withTaskId } from './errors';
import { sleep } from './n8nRuntime';

export type ApiContext = IExecuteFunctions | ILoadOptionsFunctions | IWebhookFunctions;

export interface RetryPolicy {
	maxRetries: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 30_000 };

export interface ApiRequest {
	method: IHttpRequestMethods;
	path: string;
	/**
	 * Whether sending it twice harms nothing (reads, uploads): retried on anything transient.
	 * A paid create is not, and is retried only when it certainly did not arrive (connection
	 * refused, or a 429).
	 */
	repeatable: boolean;
	qs?: IDataObject;
	body?: IDataObject | FormData;
	taskId?: string;
	itemIndex?: number;
	timeoutMs?: number;
	signal?: AbortSignal;
	retry?: RetryPolicy;
}

/** A failed attempt: transient (may be retried) or final. */
export type Failure = { ok: false; retryable: boolean; retryAfterMs?: number; status?: number; error: Error };
export type Attempt = { ok: true; body: IDataObject } | Failure;

interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/** A create that failed with one of these never left this machine, so repeating it is safe. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const TRANSIENT_NETWORK = new Set(
	['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN', 'ESOCKETTIMEDOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT'],
);

/** The execution's cancel signal, which n8n's authenticated helper would add by itself. */
function cancelSignalOf(ctx: ApiContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
}

/** The network error code behind an error, however deeply n8n or axios wrapped it. */
function networkCode(error: unknown, codes: Set<string> = TRANSIENT_NETWORK): string | undefined {
	for (let cause = error, depth = 0; cause && depth < 5; depth++) {
		const { code } = cause as { code?: unknown };
		if (typeof code === 'string' && codes.has(code)) return code;
		const message = (cause as Error).message ?? '';
		const match = /\b(E[A-Z_]{4,})\b/.exec(message);
		if (match && codes.has(match[1])) return match[1];
		if (/socket hang up/i.test(message) && codes.has('ECONNRESET')) return 'ECONNRESET';
		cause = (cause as { cause?: unknown }).cause;
	}
	return undefined;
}

function parseBody(raw: unknown): unknown {
	if (Buffer.isBuffer(raw)) raw = raw.toString('utf8');
	if (typeof raw !== 'string') return raw;
	try {
		return JSON.parse(raw);
	} catch {
		return raw;
	}
}

/** Seconds or an HTTP date, as `Retry-After` allows. */
function retryAfterMs(header: string | string[] | undefined): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function backoffMs(attempt: number, policy: RetryPolicy, retryAfter?: number): number {
	if (retryAfter !== undefined) return Math.min(retryAfter, policy.maxDelayMs);
	const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	// Full jitter spreads the retries of many items so they do not hit the API together.
	return exponential / 2 + Math.random() * (exponential / 2);
}

/** A 3xx: the key goes to the Base URL's host only, so a redirect is refused, never followed. */
function redirectError(node: INode, response: FullResponse, baseUrl: string, request: ApiRequest): NodeApiError {
	const location = response.headers.location;
	let target = 'no address (it named none)';
	try {
		if (location) target = new URL(String(location), baseUrl).host;
	} catch {
		target = 'an address that is not a URL';
	}
	const status = response.statusCode;
	return new NodeApiError(node, { status, redirectedTo: target }, {
		message: withTaskId(`The APIModels API at ${baseUrl} answered with a redirect (HTTP ${status}) to ${target}, which was not followed`, request.taskId),
		description: 'The API key is only sent to the Base URL of the APIModels API credential: set it to the address the API answers at itself',
		httpCode: String(status),
		itemIndex: request.itemIndex,
	});
}

/** One request, judged: success, or an error saying whether a retry is safe. */
export async function attemptRequest(ctx: ApiContext, request: ApiRequest): Promise<Attempt> {
	const { baseUrl, headers, node } = await apiConnection(ctx);
	const options: IHttpRequestOptions = {
		method: request.method,
		baseURL: baseUrl,
		url: request.path,
		headers: { ...headers },
		qs: request.qs,
		body: request.body,
		json: !(request.body instanceof FormData),
		// Following a redirect would send the key to whatever host it names (and, for a streamed
		// upload, make axios keep the whole body in memory to send it again).
		disableFollowRedirect: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: request.timeoutMs ?? 60_000,
		abortSignal: request.signal ?? cancelSignalOf(ctx),
	};
	let response: FullResponse;
	try {
		// The plain helper with the credential's header: the same request as the authenticated helper's.
		response = (await ctx.helpers.httpRequest(options)) as FullResponse;
	} catch (error) {
		const code = networkCode(error);
		const reason = code ?? networkCode(error, NEVER_SENT) ?? (error as Error).message;
		if (!request.repeatable && networkCode(error, NEVER_SENT) === undefined) {
			const what = lostAnswerWords(code, Number(options.timeout));
			const lost = createOutcomeUnknownError(node, what, { itemIndex: request.itemIndex, cause: reason });
			return { ok: false, retryable: false, error: lost };
		}
		return {
			ok: false,
			retryable: code !== undefined,
			// The network code goes in the description: NodeApiError rewrites messages that contain one.
			error: new NodeApiError(
				node,
				{ reason },
				{
					message: withTaskId(`Could not reach the APIModels API at ${baseUrl}`, request.taskId),
					description: `Network error: ${reason}`,
					itemIndex: request.itemIndex,
				},
			),
		};
	}
	if (response.statusCode >= 300 && response.statusCode < 400) {
		return { ok: false, retryable: false, status: response.statusCode, error: redirectError(node, response, baseUrl, request) };
	}
	const body = parseBody(response.body);
	const status = response.statusCode;
	const bodyCode =
		body && typeof body === 'object' ? Number((body as IDataObject).code ?? 200) : Number.NaN;
	const failed = status >= 400 ? status : bodyCode !== 200 ? bodyCode : 0;
	if (failed === 0) return { ok: true, body: body as IDataObject };

	const unreadable = Number.isNaN(failed);
	if (!request.repeatable && (unreadable || failed >= 500)) {
		// The API (or a proxy before it) may have created the task before this answer.
		const what = unreadable ? 'got an unreadable answer' : `got status ${failed} from the API`;
		const lost = createOutcomeUnknownError(node, what, {
			itemIndex: request.itemIndex,
			body: unreadable ? String(body) : body,
			httpCode: unreadable ? undefined : failed,
		});
		return { ok: false, retryable: false, error: lost };
	}
	if (unreadable) {
		return {
			ok: false,
			retryable: true,
			error: new NodeApiError(
				node,
				{ message: String(body).slice(0, 200) },
				{
					message: withTaskId('The API answered with an unreadable body', request.taskId),
					itemIndex: request.itemIndex,
				},
			),
		};
	}
	return {
		ok: false,
		retryable: failed === 429 || (failed >= 500 && request.repeatable),
		status: failed,
		retryAfterMs: retryAfterMs(response.headers['retry-after']),
		error: toNodeApiError(node, { status: failed, body, taskId: request.taskId, itemIndex: request.itemIndex }),
	};
}

/** A request with the retry rules of its kind; throws the last error when retries run out. */
export async function apiRequest(ctx: ApiContext, request: ApiRequest): Promise<IDataObject> {
	const policy = request.retry ?? DEFAULT_RETRY;
	for (let attempt = 0; ; attempt++) {
		const result = await attemptRequest(ctx, request);
		if (result.ok) return result.body;
		if (!result.retryable || attempt >= policy.maxRetries || request.signal?.aborted) {
			throw result.error;
		}
		// Rejects when the execution is cancelled; the caller reports the cancellation.
		await sleep(backoffMs(attempt, policy, result.retryAfterMs), request.signal ?? cancelSignalOf(ctx));
	}
}
