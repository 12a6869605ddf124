/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run on Node, outside n8n */
/**
 * APIModels Callback Trigger, Download Video: the verified task's video is streamed into a binary
 * property, byte for byte what the API serves, and only ever from the URLs in the API's answer:
 * a URL that only a callback names is never fetched.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBinary, type BinaryMode } from '../../harness/engine';
import { videoBytes } from '../../emulator/video';
import { useEmulator } from '../support/fixtures';
import { triggerFixtures } from './fixtures';

const emulator = useEmulator();
const { endedTask, callbackFor, post } = triggerFixtures(emulator);
const DOWNLOAD = { options: { downloadVideo: true } };

/** A server standing for an attacker's host: counts the requests it gets and serves junk. */
let decoyHits = 0;
let decoyUrl = '';
let decoy: http.Server;
beforeAll(async () => {
	decoy = http.createServer((_req, res) => {
		decoyHits += 1;
		res.writeHead(200, { 'content-type': 'video/mp4' }).end('not the real video');
	});
	await new Promise<void>((resolve) => decoy.listen(0, '127.0.0.1', resolve));
	decoyUrl = `http://127.0.0.1:${(decoy.address() as AddressInfo).port}/videos/decoy.mp4`;
});
afterAll(async () => await new Promise((resolve) => decoy.close(resolve)));
beforeEach(() => {
	decoyHits = 0;
});

const videoRequests = () => emulator().stats().totals.video;

/** Byte-for-byte equality (Jest's toEqual walks a Buffer element by element, which is slow). */
function expectSameBytes(actual: Buffer, expected: Buffer): void {
	expect(actual.length).toBe(expected.length);
	expect(actual.equals(expected)).toBe(true);
}

describe('APIModels Callback Trigger Download Video', () => {
	it.each<BinaryMode>(['default', 'filesystem'])('streams the video into binary "data" (%s binary mode)', async (mode) => {
		emulator().setOptions({ videoSizeBytes: 256 * 1024 });
		const task = await endedTask();
		const result = await post(callbackFor(task), { parameters: DOWNLOAD, binaryMode: mode });
		const [[item]] = result.workflowData ?? [[]];
		const expected = videoBytes(emulator().videoSpec(task.id));
		expect(expected.length).toBe(256 * 1024);
		expectSameBytes(await readBinary(item, 'data'), expected);
		expect(item.binary?.data).toMatchObject({ fileName: `${task.id}.mp4`, mimeType: 'video/mp4' });
		expect(item.json).toMatchObject({ taskId: task.id, videoUrl: emulator().videoUrl(task.id) });
		expect(videoRequests()).toBe(1);
	});

	it('still starts the workflow when the download fails, with the URL and the reason', async () => {
		const task = await endedTask();
		emulator().inject('video', 'serverError', 1);
		const result = await post(callbackFor(task), { parameters: DOWNLOAD });
		const [[item]] = result.workflowData ?? [[]];
		expect(item.binary).toBeUndefined();
		expect(item.json).toMatchObject({ taskId: task.id, status: 'completed', videoUrl: emulator().videoUrl(task.id) });
		expect(String(item.json.downloadError)).toContain(task.id);
	});

	it('stores nothing of a page served as video/mp4: the workflow starts with the reason, not the page', async () => {
		const task = await endedTask();
		emulator().inject('video', { kind: 'contentType', contentType: 'video/mp4', body: 'text' }, 1);
		const result = await post(callbackFor(task), { parameters: DOWNLOAD, binaryMode: 'filesystem' });
		const [[item]] = result.workflowData ?? [[]];
		expect(item.binary).toBeUndefined();
		expect(String(item.json.downloadError)).toContain(`Downloading the video of task ${task.id} failed: the answer is not a video`);
		expect(String(item.json.downloadError)).not.toContain('Access denied');
	});

	it('uses the chosen binary property', async () => {
		const task = await endedTask();
		const result = await post(callbackFor(task), { parameters: { options: { downloadVideo: true, binaryProperty: 'clip' } } });
		const [[item]] = result.workflowData ?? [[]];
		expect(Object.keys(item.binary ?? {})).toEqual(['clip']);
		expectSameBytes(await readBinary(item, 'clip'), videoBytes(emulator().videoSpec(task.id)));
	});

	it('downloads the API\'s URL when the callback lists no video', async () => {
		const task = await endedTask();
		const result = await post({ task_id: task.id, status: 'completed' }, { parameters: DOWNLOAD });
		const [[item]] = result.workflowData ?? [[]];
		expectSameBytes(await readBinary(item), videoBytes(emulator().videoSpec(task.id)));
	});

	it('never fetches a URL that only the callback names', async () => {
		const task = await endedTask();
		const result = await post(callbackFor(task, { patch: { videos: [decoyUrl] } }), { parameters: DOWNLOAD });
		expect(result.workflowData).toBeUndefined();
		expect(decoyHits).toBe(0);
		expect(videoRequests()).toBe(0);
	});

	it('downloads nothing without verification, even with the option left set', async () => {
		const body = { task_id: 'cldownloadunverified000001', status: 'completed', videos: [decoyUrl] };
		const result = await post(body, { parameters: { verifyWithApi: false, ...DOWNLOAD } });
		const [[item]] = result.workflowData ?? [[]];
		expect(item.json).toMatchObject({ taskId: body.task_id, videoUrl: decoyUrl });
		expect(item.binary).toBeUndefined();
		expect(decoyHits).toBe(0);
	});

	it('downloads nothing for a failed task', async () => {
		const task = await endedTask({ fail: true });
		const result = await post(callbackFor(task), { parameters: DOWNLOAD });
		const [[item]] = result.workflowData ?? [[]];
		expect(item.json).toMatchObject({ status: 'failed' });
		expect(item.binary).toBeUndefined();
		expect(videoRequests()).toBe(0);
	});

	it('downloads nothing when the option is off', async () => {
		const task = await endedTask();
		const result = await post(callbackFor(task));
		expect(result.workflowData?.[0]?.[0]?.binary).toBeUndefined();
		expect(videoRequests()).toBe(0);
	});
});
