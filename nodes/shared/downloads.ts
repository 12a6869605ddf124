import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { RETENTION_DAYS } from './constants';
import type { AddressContext } from './privateAddresses';
import { hostOf, privateAddressOf, resolvedTo } from './privateAddresses';
import { apiConnection } from './connection';
import type { BodyStream } from './videoBytes';
import { checkedVideoType, DownloadRefused, fileNameFor, limitBytes } from './videoBytes';

export interface DownloadOptions {
	binaryProperty: string;
	/** For the whole transfer of one video, headers to last byte. */
	timeoutMs: number;
	maxBytes: number;
	signal?: AbortSignal;
}

/** Far above any video the catalogue's models make, and within what n8n's in-memory binary mode can hold. */
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
): Promise<{ body: BodyStream; headers: IDataObject; end: () => void }> {
	const apiHost = hostOf((await apiConnection(ctx)).baseUrl);
	let target = url;
	for (let hop = 0; ; hop++) {
		await refuseInnerHost(ctx, target, apiHost);
		// n8n's helper hands over a stream whose destroy() leaves the connection open: aborting the
		// request is what closes it, when the answer is refused or not read to its end.
		const answer = new AbortController();
		const response = (await ctx.helpers.httpRequest({
			method: 'GET',
			url: target,
			encoding: 'stream',
			returnFullResponse: true,
			disableFollowRedirect: true,
			ignoreHttpStatusErrors: true,
			...request,
			abortSignal: AbortSignal.any([request.abortSignal, answer.signal]),
		})) as { body: BodyStream; headers: IDataObject; statusCode: number };
		const { statusCode, headers, body } = response;
		const end = () => {
			answer.abort();
			body.destroy();
		};
		if (statusCode >= 200 && statusCode < 300) return { body, headers, end };
		end();
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
	let end: (() => void) | undefined;
	// After the headers the request is done for n8n's helper, so the deadline ends the body itself.
	const stop = () => body?.destroy(deadline.aborted ? timedOut() : new DownloadRefused('the execution was cancelled'));
	try {
		const response = await openVideo(ctx, url, { timeout: options.timeoutMs, abortSignal: signal });
		({ body, end } = response);
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
		signal.removeEventListener('abort', stop);
		end?.();
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
