/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the API emulator, a Node server, not n8n code */
/** Injected misbehaviour: each fault answers the next N requests of a route instead of the normal handler. */
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { sendError, sendJson } from './http';

export const API_ROUTES = ['create', 'status', 'models', 'files', 'video', 'uploads', 'unknown'] as const;
export type ApiRoute = (typeof API_ROUTES)[number];

const FAULT_ROUTES = ['create', 'status', 'models', 'files', 'video', 'uploads', '*'] as const;
export type FaultRoute = (typeof FAULT_ROUTES)[number];

const faultSchema = z.discriminatedUnion('kind', [
	/** 429, with a `Retry-After` header (seconds) when given. */
	z.object({ kind: z.literal('rateLimit'), retryAfterSeconds: z.number().nonnegative().optional() }),
	z.object({ kind: z.literal('serverError') }),
	/** Waits, then answers normally. */
	z.object({ kind: z.literal('slow'), delayMs: z.number().nonnegative() }),
	/** Destroys the socket without answering. */
	z.object({ kind: z.literal('drop') }),
	/** HTTP 200 whose JSON body is cut off. */
	z.object({ kind: z.literal('malformedJson') }),
	/** HTTP 200 whose body carries an error code; by default `{code:402,msg:'Insufficient credits'}`. */
	z.object({ kind: z.literal('errorInBody'), code: z.number().int().optional(), msg: z.string().optional() }),
]);

export type Fault = z.infer<typeof faultSchema>;
export type FaultKind = Fault['kind'];
export const FAULT_KINDS = ['rateLimit', 'serverError', 'slow', 'drop', 'malformedJson', 'errorInBody'] as const;

/** The body of `POST /__emulator/faults`: a fault (or a bare kind) for the next `count` requests of `route`. */
export const faultRequest = z
	.object({
		route: z.enum(FAULT_ROUTES),
		fault: z.union([z.enum(FAULT_KINDS), faultSchema]),
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
function toFault(fault: Fault | FaultKind): Fault {
	if (typeof fault !== 'string') return fault;
	return fault === 'slow' ? { kind: 'slow', delayMs: SLOW_DEFAULT_MS } : { kind: fault };
}

export class FaultQueue {
	private pending: PendingFault[] = [];

	add(route: FaultRoute, fault: Fault | FaultKind, count: number): void {
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

/** Answers in place of the route; a 'slow' fault only delays, so it never gets here. */
export function answerFault(fault: Exclude<Fault, { kind: 'slow' }>, res: ServerResponse): void {
	switch (fault.kind) {
		case 'rateLimit':
			sendJson(res, 429, { code: 429, msg: 'Too many requests' },
				fault.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(fault.retryAfterSeconds) });
			return;
		case 'serverError':
			sendError(res, 500, 'Internal server error');
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
