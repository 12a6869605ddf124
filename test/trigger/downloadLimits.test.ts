/**
 * APIModels Callback Trigger, Download Video's limits: a dripping video, an HTML page, a non-video
 * under a generic type and an oversized answer each still start the workflow, without binary
 * data, with the reason in `downloadError` and the video URLs kept, and the dripping one no later
 * than its Download Timeout.
 */
import type { IDataObject } from 'n8n-workflow';
import type { Fault } from '../../emulator/faults';
import { useEmulator, videoAnswers } from '../support/fixtures';
import { triggerFixtures } from './fixtures';

const emulator = useEmulator();
const { endedTask, callbackFor, post } = triggerFixtures(emulator);

async function deliverWith(fault: Fault, options: IDataObject = {}) {
	const task = await endedTask();
	emulator().inject('video', fault, 1);
	const result = await post(callbackFor(task), { parameters: { options: { downloadVideo: true, ...options } } });
	const [[item]] = result.workflowData ?? [[]];
	expect(item).toBeDefined();
	expect(item.binary).toBeUndefined();
	const url = emulator().videoUrl(task.id);
	expect(item.json).toMatchObject({ taskId: task.id, status: 'completed', videoUrl: url, videoUrls: [url] });
	return { error: String(item.json.downloadError), taskId: task.id };
}

describe('APIModels Callback Trigger download limits', () => {
	it('a video dripping 1 byte/s starts the workflow at the Download Timeout', async () => {
		const { error, taskId } = await deliverWith({ kind: 'drip', bytesPerSecond: 1 }, { downloadTimeoutSeconds: 2 });
		expect(error).toContain(`Downloading the video of task ${taskId} failed: it took longer than the Download Timeout of 2 s`);
		// Given up at the timeout: the drip would take 40 minutes.
		expect(await videoAnswers(emulator(), taskId)).toEqual(['aborted']);
	});

	it('an HTML page answered 200', async () => {
		const { error } = await deliverWith({ kind: 'html' });
		expect(error).toContain('the answer is not a video (Content-Type text/html)');
	});

	it('a page sent as application/octet-stream, refused by its first bytes', async () => {
		const { error } = await deliverWith({ kind: 'contentType', contentType: 'application/octet-stream', body: 'text' });
		expect(error).toContain('it starts like no MP4, QuickTime, WebM or Matroska file');
	});

	it('an answer larger than Max Video Size, with or without Content-Length', async () => {
		const declared = await deliverWith({ kind: 'oversized', sizeBytes: 50_000_000 }, { maxVideoSizeMb: 1 });
		expect(declared.error).toContain('larger than Max Video Size (1 MB) (Content-Length');
		const counted = await deliverWith({ kind: 'oversized', sizeBytes: 50_000_000, declareLength: false }, { maxVideoSizeMb: 1 });
		expect(counted.error).toContain('larger than Max Video Size (1 MB): more bytes arrived than that');
	});
});
