/**
 * Failed tasks in Wait for Completion: an error with the API's reason and the task id, or under
 * Continue On Fail (regular output, error output, or the legacy switch) items in place.
 */
import { FAILURE_MESSAGE } from '../../emulator/tasks';
import { createTasks, errorOf, outputOf, runVideo, useEmulator, VIDEO_NODE } from '../support/fixtures';

const emulator = useEmulator();

const WAIT = { operation: 'waitForCompletion', options: { pollIntervalSeconds: 1 } };
const OK = 'A cat [pendingMs=0][processingMs=0]';
const FAIL = 'A cat [pendingMs=0][processingMs=0] [fail]';

describe('Wait for Completion with failed tasks', () => {
	it('without Continue On Fail raises an error with the API reason and the task id', async () => {
		const [ok, failed] = await createTasks(emulator(), [OK, FAIL]);
		const result = await runVideo(emulator(), WAIT, [{ taskId: ok }, { taskId: failed }]);
		expect(result.status).toBe('error');
		expect(errorOf(result)).toBe(`Task ${failed} failed: ${FAILURE_MESSAGE}`);
	});

	it.each([
		['onError: continueRegularOutput', { onError: 'continueRegularOutput' as const }],
		['the legacy Continue On Fail switch', { continueOnFail: true }],
	])('with %s outputs failed tasks in place with status failed and the reason', async (_name, node) => {
		const ids = await createTasks(emulator(), [FAIL, OK, FAIL]);
		const result = await runVideo(emulator(), WAIT, ids.map((taskId) => ({ taskId })), { node });
		expect(result.error).toBeUndefined();
		const items = outputOf(result);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items.map((item) => item.json.taskId)).toEqual(ids);
		expect(items.map((item) => item.json.status)).toEqual(['failed', 'completed', 'failed']);
		expect(items.map((item) => item.json.error)).toEqual([FAILURE_MESSAGE, null, FAILURE_MESSAGE]);
		expect(items[0].json).toMatchObject({ model: 'grok-video-3', videoUrls: [], videoUrl: null });
		expect(items[0].json.completedAt).toMatch(/^\d{4}-/);
		expect(items[1].json.videoUrl).toBe(emulator().videoUrl(ids[1]));
	});

	it('with onError continueErrorOutput sends failed tasks to output 1 and the others to output 0', async () => {
		const ids = await createTasks(emulator(), [FAIL, OK, FAIL]);
		const result = await runVideo(emulator(), WAIT, ids.map((taskId) => ({ taskId })), {
			node: { onError: 'continueErrorOutput' },
		});
		expect(result.error).toBeUndefined();
		const success = result.output(VIDEO_NODE, 0, 0);
		const failures = result.output(VIDEO_NODE, 0, 1);
		expect(success).toHaveLength(1);
		expect(success[0].json).toMatchObject({ taskId: ids[1], status: 'completed' });
		expect(success[0].pairedItem).toEqual({ item: 1 });
		expect(failures.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		// The message names the task and the API's reason; the task itself travels in `details`.
		expect(failures.map((item) => item.json.error)).toEqual([
			`Task ${ids[0]} failed: ${FAILURE_MESSAGE}`,
			`Task ${ids[2]} failed: ${FAILURE_MESSAGE}`,
		]);
		expect(failures.map((item) => item.json.details)).toEqual([
			expect.objectContaining({ taskId: ids[0], status: 'failed', error: FAILURE_MESSAGE }),
			expect.objectContaining({ taskId: ids[2], status: 'failed', error: FAILURE_MESSAGE }),
		]);
	});
});
