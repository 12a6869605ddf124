/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
/**
 * Download Video's limits, through n8n's engine against the emulator's download faults: Download
 * Timeout bounds the whole transfer (a server dripping bytes fails at the timeout), an answer that
 * is not a video is refused by its type and by its first bytes whatever its type says (nothing of
 * it stored), Max Video Size ends larger answers early, and file names stay safe. Both of n8n's
 * binary modes.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { IDataObject } from 'n8n-workflow';
import type { Fault } from '../../emulator/faults';
import { videoBytes } from '../../emulator/video';
import type { BinaryMode, HarnessNode } from '../../harness/engine';
import { readBinary } from '../../harness/engine';
import { safeFileName, sniffVideoType } from '../../nodes/shared/videoBytes';
import { createTasks, errorOf, outputOf, runVideo, useEmulator, videoAnswers } from '../support/fixtures';
import { startVideoProxy } from './videoProxy';

const emulator = useEmulator();

/** Every file in the harness's n8n user folder, where the filesystem binary store writes. */
function storedFiles(): string[] {
	return readdirSync(String(process.env.N8N_USER_FOLDER), { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => path.join(entry.parentPath, entry.name))
		.sort();
}

const DONE = 'A cat [pendingMs=0][processingMs=0]';
const MODES: BinaryMode[] = ['default', 'filesystem'];
const getStatus = (options: IDataObject = {}) => ({
	operation: 'getStatus',
	options: { downloadVideo: true, ...options },
});

/** Get Status with Download Video on one completed task whose video answers with `fault`. */
async function downloadWith(fault: Fault, options: IDataObject = {}, binaryMode: BinaryMode = 'default', node: Partial<HarnessNode> = {}) {
	const [taskId] = await createTasks(emulator(), [DONE]);
	emulator().inject('video', fault, 1);
	const result = await runVideo(emulator(), getStatus(options), [{ taskId }], { binaryMode, node });
	return { taskId, result };
}

describe('Download Timeout bounds the whole transfer', () => {
	it.each(MODES)('a video dripping 1 byte/s fails at the timeout (%s binary mode)', async (mode) => {
		const { taskId, result } = await downloadWith({ kind: 'drip', bytesPerSecond: 1 }, { downloadTimeoutSeconds: 2 }, mode);
		expect(errorOf(result)).toContain(`Downloading the video of task ${taskId} failed: it took longer than the Download Timeout of 2 s`);
		expect(String(result.error?.description)).toContain(emulator().videoUrl(taskId));
		// Given up at the timeout: the drip would take 40 minutes.
		expect(await videoAnswers(emulator(), taskId)).toEqual(['aborted']);
	});

	it('a fast enough drip completes whole', async () => {
		const { taskId, result } = await downloadWith({ kind: 'drip', bytesPerSecond: 8000 }, { downloadTimeoutSeconds: 10 });
		const [item] = outputOf(result);
		expect((await readBinary(item)).equals(videoBytes(emulator().videoSpec(taskId)))).toBe(true);
	});
});

describe('an answer that is not a video is refused', () => {
	it('text/html with status 200', async () => {
		const { taskId, result } = await downloadWith({ kind: 'html' });
		expect(errorOf(result)).toContain(`task ${taskId} failed: the answer is not a video (Content-Type text/html)`);
	});

	it.each([['application/json'], ['image/png'], ['text/plain']])('%s', async (contentType) => {
		const { result } = await downloadWith({ kind: 'contentType', contentType, body: 'video' });
		expect(errorOf(result)).toContain(`the answer is not a video (Content-Type ${contentType})`);
	});

	it.each(MODES)('a page sent as application/octet-stream, by its first bytes (%s binary mode)', async (mode) => {
		const { result } = await downloadWith({ kind: 'contentType', contentType: 'application/octet-stream', body: 'text' }, {}, mode);
		expect(errorOf(result)).toContain('the answer is not a video: it starts like no MP4, QuickTime, WebM or Matroska file');
	});

	it.each(['video/mp4', 'video/quicktime', 'video/webm', 'video/x-matroska'])(
		'a page served as %s, by its first bytes, naming what was seen but never its text',
		async (contentType) => {
			const { taskId, result } = await downloadWith({ kind: 'contentType', contentType, body: 'text' });
			const message = errorOf(result);
			expect(message).toContain(`Downloading the video of task ${taskId} failed: the answer is not a video`);
			expect(message).toContain(`(Content-Type ${contentType})`);
			expect(`${message} ${String(result.error?.description)}`).not.toMatch(/Access denied|<html/i);
		},
	);

	it.each(MODES)('nothing of a refused answer is stored, and the item keeps its task (%s binary mode)', async (mode) => {
		const before = storedFiles();
		const { taskId, result } = await downloadWith(
			{ kind: 'contentType', contentType: 'video/mp4', body: 'text' },
			{},
			mode,
			{ onError: 'continueRegularOutput' },
		);
		const [item] = outputOf(result);
		expect(item.json).toMatchObject({ taskId, status: 'completed', videoUrl: emulator().videoUrl(taskId) });
		expect(String(item.json.error)).toContain('the answer is not a video');
		expect(item.binary).toBeUndefined();
		expect(storedFiles()).toEqual(before);
	});

	it('a real MP4 sent as video/webm is kept, typed by its bytes', async () => {
		const { taskId, result } = await downloadWith({ kind: 'contentType', contentType: 'video/webm' });
		expect(outputOf(result)[0].binary?.data).toMatchObject({ mimeType: 'video/mp4', fileName: `${taskId}.mp4` });
	});

	it.each(MODES)('a real MP4 sent as application/octet-stream is kept whole, typed video/mp4 (%s binary mode)', async (mode) => {
		emulator().setOptions({ videoSizeBytes: 200_000 });
		const { taskId, result } = await downloadWith({ kind: 'contentType', contentType: 'application/octet-stream' }, {}, mode);
		const [item] = outputOf(result);
		expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4', fileName: `${taskId}.mp4` });
		expect((await readBinary(item)).equals(videoBytes(emulator().videoSpec(taskId)))).toBe(true);
	});
});

describe('Max Video Size', () => {
	it('refuses a larger Content-Length before reading the body', async () => {
		const { taskId, result } = await downloadWith({ kind: 'oversized', sizeBytes: 2_000_000_000 }, { maxVideoSizeMb: 1 });
		expect(errorOf(result)).toContain('the video is larger than Max Video Size (1 MB) (Content-Length 2000000000 bytes)');
		expect(await videoAnswers(emulator(), taskId)).toEqual(['aborted']);
	});

	it.each(MODES)('ends an answer without Content-Length once more bytes arrive (%s binary mode)', async (mode) => {
		const { taskId, result } = await downloadWith(
			{ kind: 'oversized', sizeBytes: 2_000_000_000, declareLength: false },
			{ maxVideoSizeMb: 1 },
			mode,
		);
		expect(errorOf(result)).toContain('the video is larger than Max Video Size (1 MB): more bytes arrived than that');
		expect(await videoAnswers(emulator(), taskId)).toEqual(['aborted']);
	});

	it('keeps a video just under the limit', async () => {
		emulator().setOptions({ videoSizeBytes: 1024 * 1024 });
		const { taskId, result } = await downloadWith({ kind: 'oversized', sizeBytes: 1024 * 1024, declareLength: false }, { maxVideoSizeMb: 1 });
		const [item] = outputOf(result);
		expect(item.binary?.data.fileName).toBe(`${taskId}.mp4`);
		expect((await readBinary(item)).length).toBe(1024 * 1024);
	});
});

describe('file names stay safe', () => {
	/** Runs `run` against an API whose task answers point the video at `path`, served as an MP4. */
	async function withVideoAt(path: string, run: (proxyUrl: string, taskId: string) => Promise<void>) {
		const proxy = await startVideoProxy(emulator, {
			videos: (_videos, _taskId, proxyUrl) => [`${proxyUrl}${path}`],
			async serve(_path, res) {
				res.writeHead(200, { 'Content-Type': 'video/mp4' });
				res.end(videoBytes({ label: 'named' }));
			},
		});
		try {
			const [taskId] = await createTasks(emulator(), [DONE]);
			await run(proxy.url, taskId);
		} finally {
			await proxy.close();
		}
	}

	it.each([
		['encoded path separators', '/v/..%2F..%2Fetc%2Fcron.d%2Fx.mp4', '_.._etc_cron.d_x.mp4'],
		['a backslash and control characters', '/v/a%5Cb%00%0Ac.mp4', 'a_b__c.mp4'],
		['a leading dot', '/v/.hidden.mp4', 'hidden.mp4'],
	])('%s', async (_what, path, expected) => {
		await withVideoAt(path, async (proxyUrl, taskId) => {
			const result = await runVideo({ ...emulator(), url: proxyUrl }, getStatus(), [{ taskId }], { binaryMode: 'filesystem' });
			const [item] = outputOf(result);
			expect(item.binary?.data.fileName).toBe(expected);
		});
	});

	it('a name without a video extension becomes <taskId>.mp4', async () => {
		await withVideoAt('/v/page.html', async (proxyUrl, taskId) => {
			const [item] = outputOf(await runVideo({ ...emulator(), url: proxyUrl }, getStatus(), [{ taskId }]));
			expect(item.binary?.data.fileName).toBe(`${taskId}.mp4`);
		});
	});

	it.each([
		['a/b\\c.mp4', 'a_b_c.mp4'],
		['\u0000\u001f\u007f.mp4', '___.mp4'],
		['..', 'video.mp4'],
		['x'.repeat(300), 'x'.repeat(200)],
	])('safeFileName(%j) is %j', (name, expected) => {
		expect(safeFileName(name)).toBe(expected);
	});
});

describe('sniffVideoType', () => {
	const box = (type: string, brand = 'isom') => Buffer.concat([Buffer.from([0, 0, 0, 20]), Buffer.from(type + brand)]);
	it.each([
		['an MP4 ftyp box', box('ftyp'), 'video/mp4'],
		['a QuickTime ftyp box', box('ftyp', 'qt  '), 'video/quicktime'],
		['a classic QuickTime file without ftyp, which the API does not make', box('moov', 'mvhd'), undefined],
		['text with "ftyp" at offset 4', Buffer.from('Why ftyp? Because a page can say so.'), undefined],
		['text with "free" at offset 4', Buffer.from('Get free videos here'), undefined],
		['an ftyp box too short for a brand', Buffer.concat([Buffer.from([0, 0, 0, 8]), Buffer.from('ftypisom')]), undefined],
		['WebM', Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84]), Buffer.from('webm')]), 'video/webm'],
		['Matroska', Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x88]), Buffer.from('matroska')]), 'video/x-matroska'],
		['HTML', Buffer.from('<!doctype html><html>'), undefined],
		['too few bytes', Buffer.from('abc'), undefined],
		['the emulator video', videoBytes().subarray(0, 64), 'video/mp4'],
	])('%s', (_what, head, expected) => {
		expect(sniffVideoType(head)).toBe(expected);
	});
});
