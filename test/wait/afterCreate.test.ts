/**
 * Create Video with the Wait for Completion option: the tasks are waited for together on one
 * schedule, each from its own creation on, with the wait and download options of Wait for
 * Completion (schedule.test.ts has the schedule's timing).
 */
import { FAILURE_MESSAGE } from '../../emulator/tasks';
import { videoBytes } from '../../emulator/video';
import { readBinary } from '../../harness/engine';
import { grok, outputOf, runVideo, useEmulator } from '../support/fixtures';

const emulator = useEmulator();

const createAndWait = grok('={{ $json.prompt }}', {
	options: { waitForCompletion: true, pollIntervalSeconds: 1 },
});

describe('Create Video → Wait for Completion', () => {
	it('creates every task and waits for all of them together', async () => {
		const prompts = [900, 900, 900].map((ms) => `A cat [pendingMs=200][processingMs=${ms - 200}]`);
		const result = await runVideo(emulator(), createAndWait, prompts.map((prompt) => ({ prompt })));
		expect(result.error).toBeUndefined();
		const items = outputOf(result);
		const ids = emulator().tasks().slice(-3).map((task) => task.id);
		expect(items.map((item) => item.json.taskId)).toEqual(ids);
		expect(items.map((item) => item.json.status)).toEqual(['completed', 'completed', 'completed']);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.videoUrl).toBe(emulator().videoUrl(ids[0]));

		const { log, totals } = emulator().stats();
		expect(totals.create).toBe(3);
		// Each task is first read one interval after its creation, not right after it (it cannot be done yet).
		for (const task of emulator().tasks().slice(-3)) {
			const first = Math.min(...log.filter((entry) => entry.route === 'status' && entry.path.includes(task.id)).map((entry) => entry.at));
			expect(first - task.createdAt).toBeGreaterThanOrEqual(950);
		}
		// Together, not one after another: every task was created before any of them was read for the last time.
		const tasks = emulator().tasks().slice(-3);
		const readsOf = (id: string) => log.filter((entry) => entry.route === 'status' && entry.path.includes(id)).map((entry) => entry.at);
		const lastCreated = Math.max(...tasks.map((task) => task.createdAt));
		expect(lastCreated).toBeLessThan(Math.min(...tasks.map((task) => Math.max(...readsOf(task.id)))));
		for (const id of ids) expect(emulator().stats().polls[id]).toBeLessThanOrEqual(3);
	});

	it('outputs failed tasks in place under Continue On Fail and downloads the others', async () => {
		const prompts = ['A cat [pendingMs=0][processingMs=0]', 'A dog [pendingMs=0][processingMs=0] [fail]'];
		const result = await runVideo(
			emulator(),
			grok('={{ $json.prompt }}', { options: { waitForCompletion: true, pollIntervalSeconds: 1, downloadVideo: true } }),
			prompts.map((prompt) => ({ prompt })),
			{ node: { onError: 'continueRegularOutput' }, binaryMode: 'filesystem' },
		);
		expect(result.error).toBeUndefined();
		const [done, failed] = outputOf(result);
		const [doneId, failedId] = emulator().tasks().slice(-2).map((task) => task.id);
		expect(done.json).toMatchObject({ taskId: doneId, status: 'completed' });
		expect((await readBinary(done)).equals(videoBytes(emulator().videoSpec(doneId)))).toBe(true);
		expect(failed.json).toMatchObject({ taskId: failedId, status: 'failed', error: FAILURE_MESSAGE });
		expect(failed.binary).toBeUndefined();
		expect(failed.pairedItem).toEqual({ item: 1 });
	});

	it('without the option outputs the created tasks at once, without polling', async () => {
		const result = await runVideo(emulator(), grok('A cat [pendingMs=0][processingMs=0]'));
		expect(outputOf(result)[0].json.status).toBe('pending');
		expect(emulator().stats().totals.status).toBe(0);
	});
});
