/**
 * The emulator's faults for lost create answers (the task is made, then a 5xx, a dropped
 * connection, a cut-off body or a late answer reaches the client) and for broken downloads
 * (dripping, HTML, relabelled and oversized answers), over plain HTTP and through the control API.
 */
import axios from 'axios';
import { videoBytes, videoLength } from '../../emulator/video';
import { createTask, GROK_BODY, useEmulator } from './fixtures';
import { sleep } from '../support/timing';

const fixture = useEmulator({ pendingMs: 0, processingMs: 0 });
const create = () => fixture.api.post('/api/v1/video/generations', GROK_BODY, { responseType: 'text' });

describe('afterHandling: the create is made, its answer lost', () => {
	it("a proxy's 502 HTML page after the task was created", async () => {
		fixture.emulator.inject('create', { kind: 'serverError', status: 502, afterHandling: true });
		const response = await create();
		expect(response.status).toBe(502);
		expect(response.headers['content-type']).toMatch(/text\/html/);
		expect(fixture.emulator.stats().tasksCreated).toBe(1);
		expect(fixture.emulator.tasks()).toHaveLength(1);
	});

	it('a dropped connection after the task was created', async () => {
		fixture.emulator.inject('create', { kind: 'drop', afterHandling: true });
		const failure = await create().catch((error: unknown) => error);
		expect(axios.isAxiosError(failure) && failure.response === undefined).toBe(true);
		expect(fixture.emulator.stats().tasksCreated).toBe(1);
		expect(fixture.emulator.stats().requests.create).toEqual({ dropped: 1 });
	});

	it('a cut-off body after the task was created', async () => {
		fixture.emulator.inject('create', { kind: 'malformedJson', afterHandling: true });
		const response = await create();
		expect(response.status).toBe(200);
		expect(() => JSON.parse(response.data)).toThrow(SyntaxError);
		expect(fixture.emulator.stats().tasksCreated).toBe(1);
	});

	it('a late answer: the task exists before the answer comes', async () => {
		fixture.emulator.inject('create', { kind: 'slow', delayMs: 400, afterHandling: true });
		const started = Date.now();
		const answer = create();
		await sleep(150);
		expect(fixture.emulator.tasks()).toHaveLength(1);
		const response = await answer;
		expect(Date.now() - started).toBeGreaterThanOrEqual(395);
		expect(JSON.parse(response.data).data.task_id).toBe(fixture.emulator.tasks()[0].id);
	});

	it('without afterHandling a 5xx creates nothing', async () => {
		fixture.emulator.inject('create', { kind: 'serverError', status: 503 });
		expect((await create()).status).toBe(503);
		expect(fixture.emulator.stats().tasksCreated).toBe(0);
	});

	it('the control API takes these faults', async () => {
		const response = await fixture.api.post('/__emulator/faults', {
			route: 'create',
			fault: { kind: 'serverError', status: 502, afterHandling: true },
		});
		expect(response.status).toBe(200);
		expect((await create()).status).toBe(502);
		expect(fixture.emulator.stats().tasksCreated).toBe(1);
	});
});

describe('download faults', () => {
	async function videoOf(fault: Parameters<typeof fixture.emulator.inject>[1]) {
		const taskId = await createTask(fixture.api);
		fixture.emulator.inject('video', fault);
		return { taskId, response: await fixture.api.get(`/videos/${taskId}.mp4`, { responseType: 'arraybuffer' }) };
	}

	it('drip sends the video at the given pace', async () => {
		const started = Date.now();
		const { taskId, response } = await videoOf({ kind: 'drip', bytesPerSecond: 4000 });
		const expected = videoBytes(fixture.emulator.videoSpec(taskId));
		expect(Buffer.from(response.data).equals(expected)).toBe(true);
		expect(Date.now() - started).toBeGreaterThanOrEqual((expected.length / 4000) * 1000 * 0.8);
	});

	it('html answers 200 with an HTML page', async () => {
		const { response } = await videoOf('html');
		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toMatch(/^text\/html/);
		expect(Buffer.from(response.data).toString()).toContain('<html>');
	});

	it('contentType sends the video, or a text page, under another type', async () => {
		const { taskId, response } = await videoOf({ kind: 'contentType', contentType: 'application/octet-stream' });
		expect(response.headers['content-type']).toBe('application/octet-stream');
		expect(Buffer.from(response.data).equals(videoBytes(fixture.emulator.videoSpec(taskId)))).toBe(true);
		const text = await videoOf({ kind: 'contentType', contentType: 'application/octet-stream', body: 'text' });
		expect(Buffer.from(text.response.data).toString()).toContain('<html>');
	});

	it('oversized sends a real MP4 of the size, with or without Content-Length', async () => {
		const declared = await videoOf({ kind: 'oversized', sizeBytes: 3_000_000 });
		expect(Number(declared.response.headers['content-length'])).toBe(videoLength({ sizeBytes: 3_000_000 }));
		expect(declared.response.data.byteLength).toBe(3_000_000);
		const chunked = await videoOf({ kind: 'oversized', sizeBytes: 3_000_000, declareLength: false });
		expect(chunked.response.headers['content-length']).toBeUndefined();
		expect(chunked.response.data.byteLength).toBe(3_000_000);
		expect(Buffer.from(chunked.response.data).toString('latin1', 4, 8)).toBe('ftyp');
	});

	it('the control API refuses contentType without its type', async () => {
		const response = await fixture.api.post('/__emulator/faults', { route: 'video', fault: 'contentType' });
		expect(response.status).toBe(400);
	});
});
