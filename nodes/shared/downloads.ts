import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { RETENTION_DAYS } from './constants';
import type { AddressContext } from './privateAddresses';
import { hostOf, privateAddressOf, resolvedTo } from './privateAddresses';
import { apiBaseUrl } from './transport';

export interface DownloadOptions {
	binaryProperty: string;
	/** For the whole transfer of one video, headers to last byte. */
	timeoutMs: number;
	maxBytes: number;
	signal?: AbortSignal;
}

/**
 * 500 MB: about ten times the largest video the catalogue's models make (an 8-second 4K VEO
 * video is tens of MB), and within what n8n's default in-memory binary mode can hold.
 */
export const DEFAULT_MAX_VIDEO_MB = 500;
const MB = 1024 * 1024;

/** The download options of a panel (see `downloadOptionFields`); undefined when Download Video is off. */
export function readDownloadOptions(options: IDataObject, signal?: AbortSignal): DownloadOptions | undefined {
	if (!options.downloadVideo) return undefined;
	const positive = (value: unknown, fallback: number) => {
		const number = Number(value ?? fallback);
		return Number.isFinite(number) && number > 0 ? number : fallback;
	};
	return {
		binaryProperty: String(options.binaryProperty || 'data'),
		timeoutMs: Math.max(1, positive(options.downloadTimeoutSeconds, 600)) * 1000,
		maxBytes: Math.floor(positive(options.maxVideoSizeMb, DEFAULT_MAX_VIDEO_MB) * MB),
		signal,
	};
}

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

function fileNameFor(url: string, taskId: string, index: number, mimeType: string): string {
	let last = '';
	try {
		last = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
	} catch {
		// an undecodable name is replaced below
	}
	const fallback = `${taskId}${index ? `_${index}` : ''}.${EXTENSIONS[mimeType] ?? 'mp4'}`;
	return safeFileName(/\.(mp4|m4v|mov|webm|mkv)$/i.test(last) ? last : fallback, safeFileName(fallback));
}

class DownloadRefused extends Error {}

/**
 * The node fetches videos itself, so a video URL on a private address would reach into the
 * network n8n runs in. Only the API's own host may serve videos from there (a local proxy or
 * emulator): the API's answer naming any other private host is refused.
 */
async function refuseInnerHost(ctx: AddressContext, url: string, apiHost: string | undefined): Promise<void> {
	const host = hostOf(url);
	if (host === apiHost) return;
	const address = await privateAddressOf(ctx, url);
	if (address) {
		throw new DownloadRefused(
			`its host ${host} is a private or local address${resolvedTo(address)}, and videos are fetched from such addresses only on the API's own host (${apiHost})`,
		);
	}
}

/** What the download uses of the response body, a Node Readable. */
interface BodyStream {
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
function limitBytes(body: BodyStream, maxBytes: number, refusal: () => Error): void {
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
async function checkedVideoType(body: BodyStream, headers: IDataObject, maxBytes: number, limit: string): Promise<string> {
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

/** Redirects a video URL may go through, each hop checked like the URL itself. */
const MAX_REDIRECTS = 5;

/**
 * The answer to a video URL, its body not read yet. Redirects are followed here rather than by
 * the HTTP client, so each target's host is checked before it is connected to; a status other
 * than 2xx is an error naming it (never the body, which may come from any host).
 */
async function openVideo(
	ctx: AddressContext,
	url: string,
	request: { timeout: number; abortSignal: AbortSignal },
): Promise<{ body: BodyStream; headers: IDataObject }> {
	const apiHost = hostOf(await apiBaseUrl(ctx));
	let target = url;
	for (let hop = 0; ; hop++) {
		await refuseInnerHost(ctx, target, apiHost);
		const response = (await ctx.helpers.httpRequest({
			method: 'GET',
			url: target,
			encoding: 'stream',
			returnFullResponse: true,
			disableFollowRedirect: true,
			ignoreHttpStatusErrors: true,
			...request,
		})) as { body: BodyStream; headers: IDataObject; statusCode: number };
		const { statusCode, headers } = response;
		if (statusCode >= 200 && statusCode < 300) return response;
		response.body.destroy();
		const location = statusCode >= 300 && statusCode < 400 ? headers.location : undefined;
		if (typeof location !== 'string') throw new DownloadRefused(`the server answered HTTP ${statusCode}`);
		if (hop === MAX_REDIRECTS) throw new DownloadRefused(`the server redirected it more than ${MAX_REDIRECTS} times`);
		target = new URL(location, target).href;
	}
}

/** One video into binary data, streamed; every limit ends the transfer early, with the reason. */
async function downloadVideo(
	ctx: IExecuteFunctions | IWebhookFunctions,
	url: string,
	name: { taskId: string; index: number },
	options: DownloadOptions,
): Promise<IBinaryData> {
	const deadline = AbortSignal.timeout(options.timeoutMs);
	const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
	const timedOut = () => new DownloadRefused(`it took longer than the Download Timeout of ${options.timeoutMs / 1000} s`);
	const limit = `Max Video Size (${Math.round((options.maxBytes / MB) * 100) / 100} MB)`;
	let body: BodyStream | undefined;
	// After the headers the request is done for n8n's helper, so the deadline ends the body itself.
	const stop = () => body?.destroy(deadline.aborted ? timedOut() : new DownloadRefused('the execution was cancelled'));
	try {
		const response = await openVideo(ctx, url, { timeout: options.timeoutMs, abortSignal: signal });
		body = response.body;
		signal.addEventListener('abort', stop, { once: true });
		if (signal.aborted) stop();
		const mimeType = await checkedVideoType(body, response.headers, options.maxBytes, limit);
		limitBytes(body, options.maxBytes, () => new DownloadRefused(`the video is larger than ${limit}: more bytes arrived than that`));
		return await ctx.helpers.prepareBinaryData(
			body as unknown as Buffer,
			fileNameFor(url, name.taskId, name.index, mimeType),
			mimeType,
		);
	} catch (error) {
		body?.destroy();
		// Whatever broke once the deadline passed (a cancelled request, a cut stream) is the timeout.
		const reason = deadline.aborted && !(error instanceof DownloadRefused) ? timedOut() : (error as Error);
		throw new NodeOperationError(ctx.getNode(), reason);
	} finally {
		signal.removeEventListener('abort', stop);
	}
}

/**
 * Streams each result video into n8n's binary data (`data`, `data_1`, ...): the response body
 * goes from the socket to the binary data store without a full copy in the node. Download
 * Timeout bounds each whole transfer; an answer that is not a video, or larger than Max Video
 * Size, is refused before or while it arrives.
 */
export async function downloadVideos(
	ctx: IExecuteFunctions | IWebhookFunctions,
	item: INodeExecutionData,
	task: { taskId: string; videoUrls: string[] },
	options: DownloadOptions,
): Promise<void> {
	const binary: Record<string, IBinaryData> = { ...(item.binary ?? {}) };
	for (const [index, url] of task.videoUrls.entries()) {
		try {
			const key = index === 0 ? options.binaryProperty : `${options.binaryProperty}_${index}`;
			binary[key] = await downloadVideo(ctx, url, { taskId: task.taskId, index }, options);
		} catch (error) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Downloading the video of task ${task.taskId} failed: ${(error as Error).message}`,
				{ description: `The video is still at ${url} for ${RETENTION_DAYS} days after it was made` },
			);
		}
	}
	item.binary = binary;
}
