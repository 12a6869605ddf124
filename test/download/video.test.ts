/**
 * Download Video on Wait for Completion and Get Status: each video streamed into binary data (both
 * of n8n's binary modes), named and typed right, with its own timeout, and a failed download an
 * error that keeps the video URL.
 */
import { createHash } from 'node:crypto';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import type { Emulator } from '../../emulator/server';
import { videoBytes, videoSha256 } from '../../emulator/video';
import { readBinary } from '../../harness/engine';
import { createTasks, errorOf, outputOf, runVideo, useEmulator, videoAnswers } from '../support/fixtures';
import { startVideoProxy } from './videoProxy';

const emulator = useEmulator();

const DONE = 'A cat [pendingMs=0][processingMs=0]';
const VIDEO_SIZE = 300_000; // several 64 KiB chunks
const waitAndDownload = (options: IDataObject = {}) => ({
	operation: 'waitForCompletion',
	options: { pollIntervalSeconds: 1, downloadVideo: true, ...options },
});

async function expectVideo(api: Emulator, item: INodeExecutionData, taskId: string, property = 'data') {
	const binary = item.binary?.[property];
	expect(binary).toMatchObject({ fileName: `${taskId}.mp4`, mimeType: 'video/mp4', fileExtension: 'mp4' });
	const bytes = await readBinary(item, property);
	expect(bytes.length).toBe(VIDEO_SIZE);
	expect(createHash('sha256').update(bytes).digest('hex')).toBe(videoSha256(api.videoSpec(taskId)));
}

describe('Download Video', () => {
	beforeEach(() => emulator().setOptions({ videoSizeBytes: VIDEO_SIZE }));

	it('Wait for Completion streams each video into the filesystem binary store', async () => {
		const ids = await createTasks(emulator(), [DONE, DONE]);
		const result = await runVideo(emulator(), waitAndDownload(), ids.map((taskId) => ({ taskId })), {
			binaryMode: 'filesystem',
		});
		expect(result.error).toBeUndefined();
		const items = outputOf(result);
		for (const [index, item] of items.entries()) {
			expect(item.json).toMatchObject({ taskId: ids[index], status: 'completed', videoUrl: emulator().videoUrl(ids[index]) });
			// Stored by reference, not inline.
			expect(item.binary?.data.id).toMatch(/^filesystem/);
			await expectVideo(emulator(), item, ids[index]);
		}
		expect(emulator().stats().totals.video).toBe(2);
	});

	it('Wait for Completion puts the video into the named property in the default binary mode', async () => {
		const [taskId] = await createTasks(emulator(), [DONE]);
		const result = await runVideo(emulator(), waitAndDownload({ binaryProperty: 'video' }), [{ taskId }]);
		const [item] = outputOf(result);
		expect(Object.keys(item.binary ?? {})).toEqual(['video']);
		await expectVideo(emulator(), item, taskId, 'video');
	});

	it('Get Status downloads the videos of completed tasks and leaves running ones alone', async () => {
		const [done, running] = await createTasks(emulator(), [DONE, 'A cat [pendingMs=60000]']);
		const result = await runVideo(
			emulator(),
			{ operation: 'getStatus', options: { downloadVideo: true } },
			[{ taskId: done }, { taskId: running }],
			{ binaryMode: 'filesystem' },
		);
		expect(result.error).toBeUndefined();
		const [completed, pending] = outputOf(result);
		await expectVideo(emulator(), completed, done);
		expect(pending.json).toMatchObject({ taskId: running, status: 'pending', error: null });
		expect(pending.binary).toBeUndefined();
		expect(emulator().stats().totals.video).toBe(1);
	});

	it('names further videos data_1, ... and takes the MIME type from the answer', async () => {
		// An API in front of the emulator that answers with a second video URL without a file name.
		const proxy = await startVideoProxy(emulator, {
			videos: (videos, taskId, proxyUrl) => [...videos, `${proxyUrl}/media/${taskId}`],
			async serve(path, res) {
				const video = await fetch(emulator().videoUrl(path.slice('/media/'.length)));
				res.writeHead(200, { 'Content-Type': 'video/quicktime; charset=binary' });
				res.end(Buffer.from(await video.arrayBuffer()));
			},
		});
		const proxyUrl = proxy.url;
		try {
			const [taskId] = await createTasks(emulator(), [DONE]);
			const result = await runVideo({ ...emulator(), url: proxyUrl }, waitAndDownload(), [{ taskId }], {
				binaryMode: 'filesystem',
			});
			const [item] = outputOf(result);
			expect(item.json.videoUrls).toEqual([emulator().videoUrl(taskId), `${proxyUrl}/media/${taskId}`]);
			expect(Object.keys(item.binary ?? {}).sort()).toEqual(['data', 'data_1']);
			await expectVideo(emulator(), item, taskId);
			expect(item.binary?.data_1).toMatchObject({ fileName: `${taskId}_1.mov`, mimeType: 'video/quicktime' });
			expect((await readBinary(item, 'data_1')).equals(videoBytes(emulator().videoSpec(taskId)))).toBe(true);
		} finally {
			await proxy.close();
		}
	});

	it('a failed download stops the node with the task id, keeping the video URL in the description', async () => {
		const [taskId] = await createTasks(emulator(), [DONE]);
		emulator().inject('video', 'serverError', 1);
		const result = await runVideo(emulator(), waitAndDownload(), [{ taskId }]);
		expect(errorOf(result)).toContain(`Downloading the video of task ${taskId} failed`);
		expect(String(result.error?.description)).toContain(emulator().videoUrl(taskId));
	});

	it('Wait for Completion refuses a page served as video/mp4, naming the task and the type it was sent as', async () => {
		const [taskId] = await createTasks(emulator(), [DONE]);
		emulator().inject('video', { kind: 'contentType', contentType: 'video/mp4', body: 'text' }, 1);
		const result = await runVideo(emulator(), waitAndDownload(), [{ taskId }]);
		expect(errorOf(result)).toContain(
			`Downloading the video of task ${taskId} failed: the answer is not a video: it starts like no MP4, QuickTime, WebM or Matroska file (Content-Type video/mp4)`,
		);
	});

	it('under Continue On Fail a failed download is an item with the video URL and the error', async () => {
		const [broken, fine] = await createTasks(emulator(), [DONE, DONE]);
		emulator().inject('video', 'drop', 1);
		const result = await runVideo(
			emulator(),
			waitAndDownload({ concurrency: 1 }), // one download at a time, so the first gets the fault
			[{ taskId: broken }, { taskId: fine }],
			{ node: { onError: 'continueRegularOutput' } },
		);
		const [failed, ok] = outputOf(result);
		expect(failed.json).toMatchObject({ taskId: broken, status: 'completed', videoUrl: emulator().videoUrl(broken) });
		expect(failed.json.error).toContain(`Downloading the video of task ${broken} failed`);
		expect(failed.binary).toBeUndefined();
		expect(failed.pairedItem).toEqual({ item: 0 });
		await expectVideo(emulator(), ok, fine);
	});

	it('gives up on a download that takes longer than Download Timeout', async () => {
		const [taskId] = await createTasks(emulator(), [DONE]);
		emulator().inject('video', { kind: 'slow', delayMs: 5000 }, 1);
		const result = await runVideo(emulator(), waitAndDownload({ downloadTimeoutSeconds: 1 }), [{ taskId }]);
		expect(errorOf(result)).toContain(`Downloading the video of task ${taskId} failed`);
		// Given up before the video's first byte, 5 s away.
		expect(await videoAnswers(emulator(), taskId)).toEqual(['aborted']);
	});
});
