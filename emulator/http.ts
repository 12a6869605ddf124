/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- the API emulator, a Node server, not n8n code */
/** Small HTTP helpers shared by the API, media and control routes. */
import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_JSON_BYTES = 1024 * 1024;

export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(text),
		...headers,
	});
	res.end(text);
}

/** The vendor's error shape: `{code, msg}` plus details such as the offending field. */
export function sendError(res: ServerResponse, code: number, msg: string, extra: Record<string, unknown> = {}): void {
	sendJson(res, code, { code, msg, ...extra });
}

export class BodyError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > MAX_JSON_BYTES) throw new BodyError(413, 'Request body too large');
		chunks.push(chunk);
	}
	const text = Buffer.concat(chunks).toString('utf8');
	if (!text.trim()) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		throw new BodyError(400, 'Invalid JSON body');
	}
}

export function bearerKey(req: IncomingMessage): string | undefined {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
	return match?.[1];
}

/** The URL a client on this machine reaches the server at, even when it listens on every interface. */
export function baseUrlOf(host: string, port: number): string {
	const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
	return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
