/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the API emulator, a Node server, not n8n code */
/** Injected misbehaviour: each fault answers the next N requests of a route instead of the normal handler. */
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { sendError, sendJson } from './http';

export const API_ROUTES = ['create', 'status', 'models', 'files', 'video', 'uploads', 'unknown'] as const;
export type ApiRoute = (typeof API_ROUTES)[number];

const FAULT_ROUTES = ['create', 'status', 'models', 'files', 'video', 'uploads', '*'] as const;
export type FaultRoute = (typeof FAULT_ROUTES)[number];

/**
 * With `afterHandling` the route acts first and only its answer is lost: a create makes (and
 * charges) its task, then a proxy's 5xx, a dropped connection, a cut-off body or a late answer
 * reaches the client, the way a create's outcome becomes unknown. JSON routes only.
 */
const afterHandling = z.boolean().optional();

const faultSchema = z.discriminatedUnion('kind', [
	/** 429, with a `Retry-After` header (seconds) when given. */
	z.object({ kind: z.literal('rateLimit'), retryAfterSeconds: z.number().nonnegative().optional() }),
	/** A 5xx (500 unless `status` says otherwise, e.g. a proxy's 502). */
	z.object({ kind: z.literal('serverError'), status: z.number().int().min(500).max(599).optional(), afterHandling }),
	/** Waits, then answers normally. */
	z.object({ kind: z.literal('slow'), delayMs: z.number().nonnegative(), afterHandling }),
	/** Destroys the socket without answering. */
	z.object({ kind: z.literal('drop'), afterHandling }),
	/** HTTP 200 whose JSON body is cut off. */
	z.object({ kind: z.literal('malformedJson'), afterHandling }),
	/** HTTP 200 whose body carries an error code; by default `{code:402,msg:'Insufficient credits'}`. */
	z.object({ kind: z.literal('errorInBody'), code: z.number().int().optional(), msg: z.string().optional() }),
	// Downloads (route 'video'): answers a video URL the way a broken or hostile server would.
	/** The video's headers (full Content-Length), then its bytes at `bytesPerSecond` (default 1). */
	z.object({ kind: z.literal('drip'), bytesPerSecond: z.number().positive().optional() }),
	/** HTTP 200 with an HTML page, as a CDN's error or login page comes. */
	z.object({ kind: z.literal('html') }),
	/** The video (or, with body 'text', a text page) under another Content-Type. */
	z.object({ kind: z.literal('contentType'), contentType: z.string().min(1), body: z.enum(['video', 'text']).optional() }),
	/** A real MP4 of `sizeBytes`, with its Content-Length or (declareLength false) chunked without one. */
	z.object({ kind: z.literal('oversized'), sizeBytes: z.number().int().positive(), declareLength: z.boolean().optional() }),
]);

export type Fault = z.infer<typeof faultSchema>;
export type FaultKind = Fault['kind'];
/** Kinds that need no parameters, so a bare name stands for them. */
export type BareFaultKind = Exclude<FaultKind, 'contentType' | 'oversized'>;
export const FAULT_KINDS = [
	'rateLimit',
	'serverError',
	'slow',
	'drop',
	'malformedJson',
	'errorInBody',
	'drip',
	'html',
	'contentType',
	'oversized',
] as const;

const BARE_FAULT_KINDS = FAULT_KINDS.filter(
	(kind): kind is BareFaultKind => kind !== 'contentType' && kind !== 'oversized',
) as [BareFaultKind, ...BareFaultKind[]];

const DOWNLOAD_FAULT_KINDS = new Set<FaultKind>(['drip', 'html', 'contentType', 'oversized']);
export type DownloadFault = Extract<Fault, { kind: 'drip' | 'html' | 'contentType' | 'oversized' }>;

export function isDownloadFault(fault: Fault): fault is DownloadFault {
	return DOWNLOAD_FAULT_KINDS.has(fault.kind);
}

/** A fault that can let the route act first and lose only its answer. */
export type AnswerLosingFault = Extract<Fault, { kind: 'serverError' | 'slow' | 'drop' | 'malformedJson' }>;

/** Whether the route's handler runs before the fault replaces or delays its answer. */
export function actsFirst(fault: Fault | undefined): boolean {
	return fault !== undefined && 'afterHandling' in fault && fault.afterHandling === true;
}

/** The body of `POST /__emulator/faults`: a fault (or a bare kind) for the next `count` requests of `route`. */
export const faultRequest = z
	.object({
		route: z.enum(FAULT_ROUTES),
		fault: z.union([z.enum(BARE_FAULT_KINDS), faultSchema]),
		count: z.number().int().positive().default(1),
	})
	.strict();

export interface PendingFault {
	route: FaultRoute;
	fault: Fault;
	remaining: number;
}

const SLOW_DEFAULT_MS = 2000;

/** A bare kind stands for its usual form; 'slow' alone waits 2 s. */
function toFault(fault: Fault | BareFaultKind): Fault {
	if (typeof fault !== 'string') return fault;
	return fault === 'slow' ? { kind: 'slow', delayMs: SLOW_DEFAULT_MS } : { kind: fault };
}

export class FaultQueue {
	private pending: PendingFault[] = [];

	add(route: FaultRoute, fault: Fault | BareFaultKind, count: number): void {
		this.pending.push({ route, fault: toFault(fault), remaining: count });
	}

	/** The fault for this request, if any: the route's own before '*', oldest first. */
	take(route: ApiRoute): Fault | undefined {
		const entry =
			this.pending.find((candidate) => candidate.route === route) ??
			(route === 'unknown' ? undefined : this.pending.find((candidate) => candidate.route === '*'));
		if (!entry) return undefined;
		entry.remaining -= 1;
		if (entry.remaining <= 0) this.pending.splice(this.pending.indexOf(entry), 1);
		return entry.fault;
	}

	list(): PendingFault[] {
		return this.pending.map((entry) => ({ ...entry }));
	}

	clear(): void {
		this.pending = [];
	}
}

/** A truncated success answer, as a proxy cutting the connection mid-body would leave it. */
const BROKEN_JSON = '{"code":200,"msg":"success","data":{"task_id":"cl';

/**
 * A JSON route's answer, taken instead of the socket so that an `afterHandling` fault can
 * replace it or send it late: the route has acted, the client has not heard.
 */
export class HeldAnswer {
	statusCode = 200;
	headersSent = false;
	private headers: Record<string, string | number> = {};
	private chunks: Buffer[] = [];

	writeHead(status: number, headers: Record<string, string | number> = {}): this {
		this.statusCode = status;
		this.headers = { ...this.headers, ...headers };
		this.headersSent = true;
		return this;
	}

	setHeader(name: string, value: string | number): this {
		this.headers[name] = value;
		return this;
	}

	end(chunk?: string | Buffer): this {
		if (chunk !== undefined) this.chunks.push(Buffer.from(chunk));
		return this;
	}

	/** Sends what the route answered, now. */
	replay(res: ServerResponse): void {
		if (res.destroyed) return;
		res.writeHead(this.statusCode, this.headers);
		res.end(Buffer.concat(this.chunks));
	}
}

/** Answers in place of the route; a 'slow' fault only delays, and download faults have their own answers. */
export function answerFault(fault: Exclude<Fault, { kind: 'slow' } | DownloadFault>, res: ServerResponse): void {
	switch (fault.kind) {
		case 'rateLimit':
			sendJson(res, 429, { code: 429, msg: 'Too many requests' },
				fault.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(fault.retryAfterSeconds) });
			return;
		case 'serverError':
			if ((fault.status ?? 500) === 500) return sendError(res, 500, 'Internal server error');
			// Other 5xx come from a proxy in front of the API, as its HTML page.
			res.writeHead(fault.status ?? 500, { 'Content-Type': 'text/html' });
			res.end(`<html><body><h1>${fault.status} Bad Gateway</h1></body></html>`);
			return;
		case 'drop':
			res.socket?.destroy();
			return;
		case 'malformedJson':
			res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
			res.end(BROKEN_JSON);
			return;
		case 'errorInBody':
			sendJson(res, 200, { code: fault.code ?? 402, msg: fault.msg ?? 'Insufficient credits' });
	}
}
