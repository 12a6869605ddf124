import type { IDataObject } from 'n8n-workflow';

/**
 * What a download checks in the bytes it streams, before and while they reach n8n's binary data:
 * the container the first bytes show, the size, and a safe file name.
 */

/** A reason to stop a download, worded for the user. */
export class DownloadRefused extends Error {}

/** Types a server may send a video under without saying which: the first bytes decide. */
const GENERIC_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/binary', 'application/mp4']);
const EXTENSIONS: Record<string, string> = {
	'video/mp4': 'mp4',
	'video/quicktime': 'mov',
	'video/webm': 'webm',
	'video/x-matroska': 'mkv',
};
/** Declared types kept when the first bytes show a container of the same family. */
const ISO_TYPES = new Set(['video/mp4', 'video/quicktime', 'video/x-m4v', 'video/3gpp', 'video/3gpp2']);
const MATROSKA_TYPES = new Set(['video/webm', 'video/x-matroska']);
const SNIFF_BYTES = 64;

/**
 * The container the first bytes show, of those the API produces: ISO BMFF (MP4, QuickTime) with
 * its `ftyp` box first, or WebM/Matroska with its EBML header; undefined for anything else.
 */
export function sniffVideoType(head: Buffer): string | undefined {
	// An ftyp box holds a brand, a version and a few more brands; text bytes read as its size are far larger.
	const boxSize = head.length >= 4 ? head.readUInt32BE(0) : 0;
	if (head.length >= 12 && head.toString('latin1', 4, 8) === 'ftyp' && boxSize >= 16 && boxSize <= 4096) {
		return head.toString('latin1', 8, 12) === 'qt  ' ? 'video/quicktime' : 'video/mp4';
	}
	if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) {
		return head.includes('webm') ? 'video/webm' : 'video/x-matroska';
	}
	return undefined;
}

/** A file name without path separators, control or reserved characters, or leading dots. */
export function safeFileName(name: string, fallback = 'video.mp4'): string {
	const cleaned = name.replace(/[\p{Cc}/\\:*?"<>|]/gu, '_').replace(/^[.\s]+/, '').trim();
	return cleaned.slice(-200) || fallback;
}

export function fileNameFor(url: string, taskId: string, index: number, mimeType: string): string {
	let last = '';
	try {
		last = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
	} catch {
		// an undecodable name is replaced below
	}
	const fallback = `${taskId}${index ? `_${index}` : ''}.${EXTENSIONS[mimeType] ?? 'mp4'}`;
	return safeFileName(/\.(mp4|m4v|mov|webm|mkv)$/i.test(last) ? last : fallback, safeFileName(fallback));
}

/** What the download uses of the response body, a Node Readable. */
export interface BodyStream {
	read(): Buffer | null;
	unshift(chunk: Buffer): void;
	push(chunk: unknown, encoding?: string): boolean;
	destroy(error?: Error): void;
	once(event: string, listener: (error?: Error) => void): unknown;
	removeListener(event: string, listener: (error?: Error) => void): unknown;
	readableEnded: boolean;
	readableLength: number;
	destroyed: boolean;
}

/** Up to `bytes` first bytes, put back into the stream so the store still gets every byte. */
async function peek(body: BodyStream, bytes: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let length = 0;
	while (length < bytes && !body.readableEnded) {
		const chunk = body.read();
		if (chunk !== null) {
			chunks.push(chunk);
			length += chunk.length;
			continue;
		}
		await new Promise<void>((resolve, reject) => {
			const done = (error?: Error) => {
				for (const event of ['readable', 'end', 'close']) body.removeListener(event, onEvent);
				body.removeListener('error', done);
				if (error) reject(error);
				else resolve();
			};
			const onEvent = () => done(body.destroyed && !body.readableEnded ? new Error('the connection closed') : undefined);
			for (const event of ['readable', 'end', 'close']) body.once(event, onEvent);
			body.once('error', done);
		});
	}
	const head = Buffer.concat(chunks);
	if (head.length > 0) body.unshift(head);
	return head;
}

/**
 * Ends the transfer as soon as more than `maxBytes` arrive. Community nodes cannot import
 * node:stream to put a counting stream in between, so the count sits on the stream's own push,
 * which every reader (n8n's in-memory buffer and its file store alike) gets its bytes from.
 */
export function limitBytes(body: BodyStream, maxBytes: number, refusal: () => Error): void {
	let received = body.readableLength; // already buffered, the peeked first bytes included
	const push = body.push.bind(body);
	body.push = (chunk: unknown, encoding?: string) => {
		if (chunk) {
			received += (chunk as Buffer).length;
			if (received > maxBytes) {
				body.destroy(refusal());
				return false;
			}
		}
		return push(chunk, encoding);
	};
}

/**
 * The checks before any byte is stored: not too large, a video type (or a generic one), and first
 * bytes that are a video container whatever the type says. What was seen is named by its type,
 * never by its text, which may come from a host the user does not control.
 */
export async function checkedVideoType(body: BodyStream, headers: IDataObject, maxBytes: number, limit: string): Promise<string> {
	const declared = Number(headers['content-length']);
	if (Number.isFinite(declared) && declared > maxBytes) {
		throw new DownloadRefused(`the video is larger than ${limit} (Content-Length ${declared} bytes)`);
	}
	const contentType = String(headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	if (!contentType.startsWith('video/') && !GENERIC_TYPES.has(contentType)) {
		throw new DownloadRefused(`the answer is not a video (Content-Type ${contentType})`);
	}
	const sniffed = sniffVideoType(await peek(body, SNIFF_BYTES));
	if (!sniffed) {
		throw new DownloadRefused(
			`the answer is not a video: it starts like no MP4, QuickTime, WebM or Matroska file (Content-Type ${contentType || 'none'})`,
		);
	}
	const family = MATROSKA_TYPES.has(sniffed) ? MATROSKA_TYPES : ISO_TYPES;
	return family.has(contentType) ? contentType : sniffed;
}
