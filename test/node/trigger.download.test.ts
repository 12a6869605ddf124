/**
 * APIModels Video Trigger, Download Video: the verified task's video is streamed into a binary
 * property, byte for byte what the API serves, and only ever from the URLs in the API's answer:
 * a URL that only a callback names is never fetched.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject } from 'n8n-workflow';
import { readBinary, runWebhook, type BinaryMode, type WebhookResult } from '../engine/harness';
import { taskData } from '../emulator/spellings';
import type { EmulatorTask } from '../emulator/tasks';
import { videoBytes } from '../emulator/video';
import { credentialsFor, credentialTypes, grok, nodeTypes, outputOf, runVideo, TRIGGER_TYPE, useEmulator } from './fixtures';

const emulator = useEmulator();

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

async function endedTask(fail = false): Promise<EmulatorTask> {
	const [item] = outputOf(await runVideo(emulator(), grok(`A bonfire [pendingMs=0][processingMs=0]${fail ? ' [fail]' : ''}`)));
	return emulator().tasks().find((task) => task.id === item.json.taskId) as EmulatorTask;
}

function callbackFor(task: EmulatorTask, patch: IDataObject = {}) {
	return { code: 200, msg: 'success', data: { ...taskData(task, task.outcome, 'seed', emulator().videoUrl(task.id)), ...patch } };
}

async function post(body: unknown, parameters: IDataObject, binaryMode: BinaryMode = 'default'): Promise<WebhookResult> {
	return await runWebhook({
		nodeTypes,
		credentialTypes,
		credentials: credentialsFor(emulator()),
		node: { name: 'APIModels Video Trigger', type: TRIGGER_TYPE, parameters },
		request: { body },
		binaryMode,
	});
}

const videoRequests = () => emulator().stats().totals.video;

/** Byte-for-byte equality (Jest's toEqual walks a Buffer element by element, which is slow). */
function expectSameBytes(actual: Buffer, expected: Buffer): void {
	expect(actual.length).toBe(expected.length);
	expect(actual.equals(expected)).toBe(true);
}

describe('APIModels Video Trigger Download Video', () => {
	it.each<BinaryMode>(['default', 'filesystem'])('streams the video into binary "data" (%s binary mode)', async (mode) => {
		emulator().setOptions({ videoSizeBytes: 256 * 1024 });
		const task = await endedTask();
		const result = await post(callbackFor(task), { options: { downloadVideo: true } }, mode);
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
		const result = await post(callbackFor(task), { options: { downloadVideo: true } });
		const [[item]] = result.workflowData ?? [[]];
		expect(item.binary).toBeUndefined();
		expect(item.json).toMatchObject({ taskId: task.id, status: 'completed', videoUrl: emulator().videoUrl(task.id) });
		expect(String(item.json.downloadError)).toContain(task.id);
	});

	it('uses the chosen binary property', async () => {
		const task = await endedTask();
		const result = await post(callbackFor(task), { options: { downloadVideo: true, binaryProperty: 'clip' } });
		const [[item]] = result.workflowData ?? [[]];
		expect(Object.keys(item.binary ?? {})).toEqual(['clip']);
		expectSameBytes(await readBinary(item, 'clip'), videoBytes(emulator().videoSpec(task.id)));
	});

	it('downloads the API\'s URL when the callback lists no video', async () => {
		const task = await endedTask();
		const result = await post({ task_id: task.id, status: 'completed' }, { options: { downloadVideo: true } });
		const [[item]] = result.workflowData ?? [[]];
		expectSameBytes(await readBinary(item), videoBytes(emulator().videoSpec(task.id)));
	});

	it('never fetches a URL that only the callback names', async () => {
		const task = await endedTask();
		const result = await post(callbackFor(task, { videos: [decoyUrl] }), { options: { downloadVideo: true } });
		expect(result.workflowData).toBeUndefined();
		expect(decoyHits).toBe(0);
		expect(videoRequests()).toBe(0);
	});

	it('downloads nothing without verification, even with the option left set', async () => {
		const body = { task_id: 'cldownloadunverified000001', status: 'completed', videos: [decoyUrl] };
		const result = await post(body, { verify: false, options: { downloadVideo: true } });
		const [[item]] = result.workflowData ?? [[]];
		expect(item.json).toMatchObject({ taskId: body.task_id, videoUrl: decoyUrl });
		expect(item.binary).toBeUndefined();
		expect(decoyHits).toBe(0);
	});

	it('downloads nothing for a failed task', async () => {
		const task = await endedTask(true);
		const result = await post(callbackFor(task), { options: { downloadVideo: true } });
		const [[item]] = result.workflowData ?? [[]];
		expect(item.json).toMatchObject({ status: 'failed' });
		expect(item.binary).toBeUndefined();
		expect(videoRequests()).toBe(0);
	});

	it('downloads nothing when the option is off', async () => {
		const task = await endedTask();
		const result = await post(callbackFor(task), {});
		expect(result.workflowData?.[0]?.[0]?.binary).toBeUndefined();
		expect(videoRequests()).toBe(0);
	});
});
