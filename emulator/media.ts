/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- the API emulator, a Node server, not n8n code */
/** Files in and out: multipart upload, uploaded files served back, and result videos. */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { authenticate } from './api';
import type { EmulatorContext } from './context';
import { videoSpecOf } from './context';
import { sendError, sendJson } from './http';
import { boundaryOf, MultipartError, readMultipartFile } from './multipart';
import { success } from './spellings';
import { statusAt } from './tasks';
import type { DownloadFault } from './faults';
import type { Scheduler } from './scheduler';
import { videoBytes, videoChunks, videoLength } from './video';

/** A client that leaves mid-download is not the emulator's error. */
async function stream(source: Readable, res: ServerResponse): Promise<void> {
	await pipeline(source, res).catch(() => undefined);
}

export async function uploadFile(context: EmulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
	if (!authenticate(context, req, res)) return;
	const boundary = boundaryOf(req.headers['content-type']);
	if (!boundary) {
		return sendError(res, 400, 'Expected a multipart/form-data body with a file field', { field: 'file' });
	}
	const sink = () => context.uploads.sink(context.options().uploadMemoryLimitBytes);
	let file;
	try {
		file = await readMultipartFile(req, boundary, 'file', sink);
	} catch (error) {
		if (error instanceof MultipartError) return sendError(res, 400, error.message, { field: 'file' });
		throw error;
	}
	if (!file) return sendError(res, 400, 'file is required', { field: 'file' });
	const stored = context.uploads.add(file);
	const publicUrl = `${context.baseUrl}/files/${stored.id}/${encodeURIComponent(stored.fileName)}`;
	sendJson(res, 200, success({ publicUrl }));
}

/** `/files/<id>/<name>`: the uploaded bytes with the content type they came with. */
export async function serveUpload(
	context: EmulatorContext,
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
): Promise<void> {
	const file = context.uploads.get(url.pathname.split('/')[2] ?? '');
	if (!file) return sendError(res, 404, 'File not found');
	res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.content.size });
	if (req.method === 'HEAD') return void res.end();
	const { content } = file;
	if (content.kind === 'memory') return void res.end(content.bytes);
	await stream(createReadStream(content.path), res);
}

/** `/videos/<taskId>.mp4`, once the task has completed; streamed so any size stays out of memory. */
export async function serveVideo(
	context: EmulatorContext,
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
): Promise<void> {
	const taskId = /^\/videos\/([^/]+)\.mp4$/.exec(url.pathname)?.[1] ?? '';
	const task = context.tasks.get(taskId);
	if (!task || statusAt(task, Date.now()) !== 'completed') return sendError(res, 404, 'Video not found');
	const spec = videoSpecOf(context, taskId);
	res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': videoLength(spec) });
	if (req.method === 'HEAD') return void res.end();
	await stream(Readable.from(videoChunks(spec)), res);
}

const HTML_PAGE = '<!doctype html><html><head><title>Access denied</title></head><body><h1>Access denied</h1></body></html>';

/** A video URL answered the way a broken or hostile server would (see the download faults). */
export async function answerDownloadFault(
	context: EmulatorContext,
	fault: DownloadFault,
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
	scheduler: Scheduler,
): Promise<void> {
	const taskId = /^\/videos\/([^/]+)\.mp4$/.exec(url.pathname)?.[1] ?? 'video';
	const spec = videoSpecOf(context, taskId);
	switch (fault.kind) {
		case 'html':
			res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(HTML_PAGE) });
			return void res.end(HTML_PAGE);
		case 'contentType': {
			const body = fault.body === 'text' ? Buffer.from(HTML_PAGE) : videoBytes(spec);
			res.writeHead(200, { 'Content-Type': fault.contentType, 'Content-Length': body.length });
			return void res.end(body);
		}
		case 'oversized': {
			const big = { ...spec, sizeBytes: fault.sizeBytes };
			const length = fault.declareLength === false ? {} : { 'Content-Length': videoLength(big) };
			res.writeHead(200, { 'Content-Type': 'video/mp4', ...length });
			if (req.method === 'HEAD') return void res.end();
			return await stream(Readable.from(videoChunks(big)), res);
		}
		case 'drip': {
			const bytes = videoBytes(spec);
			res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': bytes.length });
			// Small pieces at a steady pace: one byte a second at the slowest, 20 writes a second at most.
			const rate = fault.bytesPerSecond ?? 1;
			const piece = Math.max(1, Math.floor(rate / 20));
			for (let offset = 0; offset < bytes.length && !res.destroyed; offset += piece) {
				res.write(bytes.subarray(offset, offset + piece));
				if (!(await scheduler.wait((1000 * piece) / rate))) return void res.destroy();
			}
			return void res.end();
		}
	}
}
