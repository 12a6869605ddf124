/** The express request and response n8n's webhook server hands a webhook node, in small form. */
export interface WebhookRequest {
	method?: string;
	/** An array stands for a header sent more than once. */
	headers?: Record<string, string | string[]>;
	/** As Express's query parser gives it: `?a=1&a=2` and `?a[]=1` arrive as arrays, `?a[b]=1` as an object. */
	query?: Record<string, string | string[] | Record<string, string>>;
	params?: Record<string, string>;
	/** An object is sent as JSON; a string or Buffer is taken as the raw body (and parsed if it is JSON). */
	body?: unknown;
}

export interface RecordedResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: unknown;
	/** True once the node called send/json/end. */
	ended: boolean;
}

/** Just enough of an express Response to record what a webhook node answers. */
export function recordingResponse(recorded: RecordedResponse, onAnswer?: (response: RecordedResponse) => void) {
	const res = {
		status(code: number) {
			recorded.statusCode = code;
			return res;
		},
		setHeader(name: string, value: string) {
			recorded.headers[name.toLowerCase()] = value;
			return res;
		},
		set(name: string, value: string) {
			return res.setHeader(name, value);
		},
		header(name: string, value: string) {
			return res.setHeader(name, value);
		},
		json(body: unknown) {
			res.setHeader('content-type', 'application/json');
			return res.send(body);
		},
		send(body?: unknown) {
			recorded.body = body;
			recorded.ended = true;
			onAnswer?.(recorded);
			return res;
		},
		end(body?: unknown) {
			return res.send(body);
		},
		get headersSent() {
			return recorded.ended;
		},
	};
	return res;
}

/**
 * Express-like request as n8n's webhook server hands it over: lower-cased headers,
 * a parsed `body` and the exact bytes in `rawBody` (for signature checks).
 */
export function fakeRequest(request: WebhookRequest) {
	const headers = Object.fromEntries(
		Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
	);
	let { body } = request;
	let rawBody: Buffer;
	if (typeof body === 'string' || Buffer.isBuffer(body)) {
		rawBody = Buffer.from(body);
		try {
			body = JSON.parse(rawBody.toString('utf8'));
		} catch {
			body = rawBody.toString('utf8');
		}
	} else {
		rawBody = Buffer.from(body === undefined ? '' : JSON.stringify(body));
		if (body !== undefined) headers['content-type'] ??= 'application/json';
	}
	return {
		method: (request.method ?? 'POST').toUpperCase(),
		headers,
		query: request.query ?? {},
		params: request.params ?? {},
		body: body ?? {},
		rawBody,
		header: (name: string) => headers[name.toLowerCase()],
		get: (name: string) => headers[name.toLowerCase()],
	};
}
