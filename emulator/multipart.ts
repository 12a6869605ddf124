/* eslint-disable @n8n/community-nodes/require-node-api-error -- the API emulator, a Node server, not n8n code */
/**
 * A streaming multipart/form-data reader: part bodies go to a sink as they arrive, so a large
 * upload never has to sit in memory. Only the wanted field is kept; other parts are skipped.
 */

export type StoredContent =
	| { kind: 'memory'; bytes: Buffer; size: number }
	| { kind: 'file'; path: string; size: number };

export interface ContentSink {
	write(chunk: Buffer): Promise<void>;
	end(): Promise<StoredContent>;
	discard(): Promise<void>;
}

export interface MultipartFile {
	fileName: string;
	contentType: string;
	content: StoredContent;
}

export class MultipartError extends Error {}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 16 * 1024;

export function boundaryOf(contentType: string | undefined): string | undefined {
	if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	return match?.[1] ?? match?.[2];
}

interface PartHeaders {
	name?: string;
	fileName?: string;
	contentType?: string;
}

function parsePartHeaders(text: string): PartHeaders {
	const headers: PartHeaders = {};
	for (const line of text.split('\r\n')) {
		const colon = line.indexOf(':');
		const key = line.slice(0, colon).trim().toLowerCase();
		const value = line.slice(colon + 1).trim();
		if (key === 'content-type') headers.contentType = value;
		if (key !== 'content-disposition') continue;
		headers.name = /\bname="([^"]*)"/i.exec(value)?.[1];
		const encoded = /\bfilename\*=(?:UTF-8|utf-8)''([^;]+)/.exec(value)?.[1];
		headers.fileName = encoded ? decodeURIComponent(encoded) : /\bfilename="([^"]*)"/i.exec(value)?.[1];
	}
	return headers;
}

type State = 'preamble' | 'delimiterLine' | 'headers' | 'body' | 'done';

class MultipartReader {
	// A leading CRLF lets the first boundary match the same delimiter as the others.
	private buffer = Buffer.from(CRLF);
	private state: State = 'preamble';
	private part?: { headers: PartHeaders; sink?: ContentSink };
	private readonly delimiter: Buffer;
	file?: MultipartFile;

	constructor(
		boundary: string,
		private readonly field: string,
		private readonly openSink: () => ContentSink,
	) {
		this.delimiter = Buffer.from(`\r\n--${boundary}`);
	}

	async push(chunk: Buffer): Promise<void> {
		this.buffer = Buffer.concat([this.buffer, chunk]);
		while (await this.step());
	}

	get complete(): boolean {
		return this.state === 'done';
	}

	/** Drops a half-written part; finished temp files go when the upload store closes. */
	async abort(): Promise<void> {
		await this.part?.sink?.discard();
	}

	/** Consumes what the buffer allows; false when more bytes are needed. */
	private async step(): Promise<boolean> {
		switch (this.state) {
			case 'preamble':
				return this.skipToDelimiter();
			case 'delimiterLine':
				return this.readDelimiterLine();
			case 'headers':
				return this.readHeaders();
			case 'body':
				return this.readBody();
			case 'done':
				this.buffer = Buffer.alloc(0);
				return false;
		}
	}

	private skipToDelimiter(): boolean {
		const at = this.buffer.indexOf(this.delimiter);
		if (at < 0) {
			this.buffer = this.buffer.subarray(Math.max(0, this.buffer.length - this.delimiter.length + 1));
			return false;
		}
		this.buffer = this.buffer.subarray(at + this.delimiter.length);
		this.state = 'delimiterLine';
		return true;
	}

	/** After a delimiter: `--` closes the body; otherwise the line ends (after optional padding) and headers follow. */
	private readDelimiterLine(): boolean {
		if (this.buffer.length < 2) return false;
		if (this.buffer.subarray(0, 2).toString('latin1') === '--') {
			this.state = 'done';
			return true;
		}
		const lineEnd = this.buffer.indexOf(CRLF);
		if (lineEnd < 0) return false;
		// Keep the CRLF: an empty header block is then just CRLF CRLF.
		this.buffer = this.buffer.subarray(lineEnd);
		this.state = 'headers';
		return true;
	}

	private readHeaders(): boolean {
		const at = this.buffer.indexOf(HEADER_END);
		if (at < 0) {
			if (this.buffer.length > MAX_HEADER_BYTES) throw new MultipartError('part headers are too long');
			return false;
		}
		const headers = parsePartHeaders(this.buffer.subarray(CRLF.length, at).toString('utf8'));
		this.buffer = this.buffer.subarray(at + HEADER_END.length);
		const wanted = headers.name === this.field && !this.file;
		this.part = { headers, ...(wanted && { sink: this.openSink() }) };
		this.state = 'body';
		return true;
	}

	private async readBody(): Promise<boolean> {
		const at = this.buffer.indexOf(this.delimiter);
		// Without a delimiter, hold back a tail that could be the start of one.
		const end = at >= 0 ? at : Math.max(0, this.buffer.length - this.delimiter.length + 1);
		if (end > 0) await this.part?.sink?.write(this.buffer.subarray(0, end));
		if (at < 0) {
			this.buffer = this.buffer.subarray(end);
			return false;
		}
		this.buffer = this.buffer.subarray(at + this.delimiter.length);
		const { headers, sink } = this.part ?? { headers: {} };
		if (sink) {
			this.file = {
				fileName: headers.fileName || 'upload.bin',
				contentType: headers.contentType || 'application/octet-stream',
				content: await sink.end(),
			};
		}
		this.part = undefined;
		this.state = 'delimiterLine';
		return true;
	}
}

/** Reads `body` to the end; the file of form field `field`, or undefined when the form has none. */
export async function readMultipartFile(
	body: AsyncIterable<Buffer>,
	boundary: string,
	field: string,
	openSink: () => ContentSink,
): Promise<MultipartFile | undefined> {
	const reader = new MultipartReader(boundary, field, openSink);
	try {
		for await (const chunk of body) await reader.push(chunk);
		if (!reader.complete) throw new MultipartError('the multipart body ends before its closing boundary');
	} catch (error) {
		await reader.abort();
		throw error;
	}
	return reader.file;
}
