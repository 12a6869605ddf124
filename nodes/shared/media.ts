import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { API_PATHS, RETENTION_DAYS } from './constants';
import { apiRequest } from './transport';

/** A reference image or video: a public URL, or a binary property of the input item to upload. */
export type MediaRef = { kind: 'url'; url: string } | { kind: 'binary'; property: string };

const PRIVATE_HOSTS = [
	/^localhost$/i,
	/^127\./,
	/^10\./,
	/^192\.168\./,
	/^172\.(1[6-9]|2\d|3[01])\./,
	/^169\.254\./,
	/^0\./,
	/^\[?::1?\]?$/,
	/^\[?f[cd][0-9a-f]{2}:/i,
	/^\[?fe80:/i,
];

/** The API refuses URLs on private or reserved addresses, so they are caught before any request. */
export function isPrivateUrl(url: string): boolean {
	try {
		const host = new URL(url).hostname;
		return PRIVATE_HOSTS.some((pattern) => pattern.test(host));
	} catch {
		return false;
	}
}

/**
 * The first URL in a create body (media inputs and Additional Body Fields alike) that the API
 * could not reach. The callback URL is the caller's own address and is left out.
 */
export function findPrivateUrl(value: unknown, callbackUrl: string): string | undefined {
	if (typeof value === 'string') {
		return /^https?:\/\//i.test(value) && value !== callbackUrl && isPrivateUrl(value) ? value : undefined;
	}
	if (!value || typeof value !== 'object') return undefined;
	for (const entry of Object.values(value)) {
		const found = findPrivateUrl(entry, callbackUrl);
		if (found) return found;
	}
	return undefined;
}

/** Splits a comma- or newline-separated list (or an array from an expression). */
export function splitList(value: unknown): string[] {
	const list = Array.isArray(value) ? value : String(value ?? '').split(/[\n,]/);
	return list.map((entry) => String(entry).trim()).filter((entry) => entry.length > 0);
}

/** Uploads a binary property through `POST /api/v1/files` and answers its public URL. */
export async function uploadBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
): Promise<string> {
	const binary = ctx.helpers.assertBinaryData(itemIndex, property);
	const bytes = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
	const form = new FormData();
	form.append(
		'file',
		new Blob([bytes], { type: binary.mimeType }),
		binary.fileName ?? `${property}.${binary.fileExtension ?? 'bin'}`,
	);
	const body = await apiRequest(ctx, {
		method: 'POST',
		path: API_PATHS.files,
		repeatable: true, // an upload costs nothing, so repeating it is harmless
		body: form,
		itemIndex,
	});
	const data = (body.data ?? body) as IDataObject;
	const url = data.publicUrl ?? data.url ?? data.fileUrl;
	if (typeof url !== 'string') {
		throw new NodeOperationError(ctx.getNode(), 'The file upload answered without a public URL', {
			itemIndex,
		});
	}
	return url;
}

export interface DownloadOptions {
	binaryProperty: string;
	timeoutMs: number;
	signal?: AbortSignal;
}

/** The download options of a panel (see `downloadOptionFields`); undefined when Download Video is off. */
export function readDownloadOptions(options: IDataObject, signal?: AbortSignal): DownloadOptions | undefined {
	if (!options.downloadVideo) return undefined;
	const timeoutSeconds = Number(options.downloadTimeoutSeconds ?? 600);
	return {
		binaryProperty: String(options.binaryProperty || 'data'),
		timeoutMs: Math.max(1, Number.isFinite(timeoutSeconds) ? timeoutSeconds : 600) * 1000,
		signal,
	};
}

function fileNameFor(url: string, taskId: string, index: number): string {
	const last = new URL(url).pathname.split('/').pop() ?? '';
	if (/\.[a-z0-9]{2,4}$/i.test(last)) return decodeURIComponent(last);
	return `${taskId}${index ? `_${index}` : ''}.mp4`;
}

/**
 * Streams each result video into n8n's binary data (`data`, `data_1`, ...): the response body
 * goes from the socket to the binary data store without a full copy in the node.
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
			const response = (await ctx.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'stream',
				returnFullResponse: true,
				timeout: options.timeoutMs,
				abortSignal: options.signal,
			})) as { body: NodeJS.ReadableStream; headers: IDataObject };
			const mimeType = String(response.headers['content-type'] ?? 'video/mp4').split(';')[0];
			const key = index === 0 ? options.binaryProperty : `${options.binaryProperty}_${index}`;
			binary[key] = await ctx.helpers.prepareBinaryData(
				response.body as unknown as Buffer,
				fileNameFor(url, task.taskId, index),
				mimeType,
			);
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
