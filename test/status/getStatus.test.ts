/** Get Status: each item's task as the API reports it now, in both spellings, transient errors retried. */
import { FAILURE_MESSAGE } from '../../emulator/tasks';
import { createTasks, errorOf, OUTPUT_FIELDS, outputOf, runVideo, useEmulator } from '../support/fixtures';

const emulator = useEmulator();

const GET = { operation: 'getStatus' };

describe('Get Status', () => {
	it.each(['seed', 'live'] as const)('reports pending, processing, completed and failed tasks (%s spelling)', async (spelling) => {
		emulator().setOptions({ spelling });
		const ids = await createTasks(emulator(), [
			'a [pendingMs=60000]',
			'b [pendingMs=0][processingMs=60000]',
			'c [pendingMs=0][processingMs=0]',
			'd [pendingMs=0][processingMs=0] [fail]',
		]);
		const result = await runVideo(emulator(), GET, ids.map((taskId) => ({ taskId })));
		const items = outputOf(result);
		expect(items.map((item) => item.json.taskId)).toEqual(ids);
		expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(items.map((item) => item.json.status)).toEqual(['pending', 'processing', 'completed', 'failed']);
		expect(items.map((item) => item.json.error)).toEqual([null, null, null, FAILURE_MESSAGE]);
		expect(items.map((item) => item.json.videoUrl)).toEqual([null, null, emulator().videoUrl(ids[2]), null]);
		for (const item of items) expect(Object.keys(item.json).sort()).toEqual([...OUTPUT_FIELDS].sort());
		// One request per item: Get Status does not wait.
		expect(emulator().stats().totals.status).toBe(4);
	});

	it('retries a transient 500 and answers', async () => {
		const [taskId] = await createTasks(emulator(), ['a [pendingMs=0][processingMs=0]']);
		emulator().inject('status', 'serverError', 1);
		const result = await runVideo(emulator(), GET, [{ taskId }]);
		expect(outputOf(result)[0].json.status).toBe('completed');
		expect(emulator().stats().totals.status).toBe(2);
	});

	it('says a missing task may have expired, naming it', async () => {
		const result = await runVideo(emulator(), GET, [{ taskId: 'cl_gone' }]);
		expect(errorOf(result)).toContain('Task not found');
		expect(errorOf(result)).toContain('cl_gone');
	});
});
