/**
 * Wait for Completion through n8n's engine against the emulator: order and pairing, the shared
 * schedule (concurrency bound, poll interval, timeout), both response spellings, and a batch that
 * mixes completed, failed and timed-out tasks.
 */
import type { IDataObject } from 'n8n-workflow';
import type { Emulator } from '../../emulator/server';
import { FAILURE_MESSAGE } from '../../emulator/tasks';
import { createTasks, errorOf, OUTPUT_FIELDS, outputOf, runVideo, useEmulator } from '../support/fixtures';
import { warpTime } from '../support/timeWarp';

// Every clock twice as fast: poll intervals, timeouts and the emulator's task durations.
warpTime(2);
const emulator = useEmulator();

const taking = (ms: number, extra = '') => `A cat [pendingMs=0][processingMs=${ms}]${extra}`;
const wait = (options: IDataObject = {}) => ({
	operation: 'waitForCompletion',
	options: { pollIntervalSeconds: 1, ...options },
});

/** Arrival times of the status queries of one task, oldest first. */
function pollTimes(api: Emulator, taskId: string): number[] {
	return api
		.stats()
		.log.filter((entry) => entry.route === 'status' && entry.path.includes(taskId))
		.map((entry) => entry.at);
}

const gaps = (times: number[]) => times.slice(1).map((time, index) => time - times[index]);

describe('Wait for Completion', () => {
	it('outputs one item per input item, in input order, with pairedItem and the output contract', async () => {
		// The first item's task ends last (third round of polls), the second's first.
		const ids = await createTasks(emulator(), [taking(1200), taking(0), taking(600)]);
		const result = await runVideo(emulator(), wait(), ids.map((taskId) => ({ taskId, extra: 'kept out' })));
		const items = outputOf(result);
		expect(result.error).toBeUndefined();
		expect(items.map((item) => item.json.taskId)).toEqual(ids);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		for (const [index, item] of items.entries()) {
			expect(Object.keys(item.json).sort()).toEqual([...OUTPUT_FIELDS].sort());
			expect(item.json).toMatchObject({
				taskId: ids[index],
				status: 'completed',
				model: 'grok-video-3',
				videoUrls: [emulator().videoUrl(ids[index])],
				videoUrl: emulator().videoUrl(ids[index]),
				error: null,
				estimatedCostUsd: 0.028,
			});
			expect(item.json.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
			expect(item.json.completedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
		}
	});

	it.each([
		{ name: '3', concurrency: 3, items: 9 },
		{ name: 'the default 10', concurrency: undefined, items: 14 },
	])('polls concurrently, never more than $name requests in flight ($items items)', async ({ concurrency, items }) => {
		const ids = await createTasks(emulator(), Array.from({ length: items }, () => taking(0)));
		// Each answer takes 150 ms, so polls that are not sent together cannot overlap.
		emulator().setOptions({ latencyMs: 150 });
		const result = await runVideo(emulator(), wait(concurrency ? { concurrency } : {}), ids.map((taskId) => ({ taskId })));
		expect(result.error).toBeUndefined();
		expect(outputOf(result).map((item) => item.json.status)).toEqual(ids.map(() => 'completed'));
		const bound = concurrency ?? 10;
		const stats = emulator().stats();
		expect(stats.maxInFlight.status).toBe(bound);
		// One round of polls, `bound` at a time.
		expect(stats.totals.status).toBe(items);
	});

	it('polls each task once per Poll Interval until it ends', async () => {
		const [taskId] = await createTasks(emulator(), [taking(1500)]);
		const result = await runVideo(emulator(), wait(), [{ taskId }]);
		expect(outputOf(result)[0].json.status).toBe('completed');
		const times = pollTimes(emulator(), taskId);
		// Polls at about 0, 1 and 2 s: never more than ceil(1.5 / 1) + 2.
		expect(times.length).toBeGreaterThanOrEqual(2);
		expect(times.length).toBeLessThanOrEqual(4);
		// Not faster than the interval; two reads of a 1.5 s task show it was not the 5 s default.
		for (const gap of gaps(times)) expect(gap).toBeGreaterThanOrEqual(990);
	});

	it('never polls faster than once a second, whatever the option says', async () => {
		const [taskId] = await createTasks(emulator(), [taking(800)]);
		const result = await runVideo(emulator(), wait({ pollIntervalSeconds: 0.1 }), [{ taskId }]);
		expect(outputOf(result)[0].json.status).toBe('completed');
		const times = pollTimes(emulator(), taskId);
		expect(times.length).toBeGreaterThanOrEqual(2);
		for (const gap of gaps(times)) expect(gap).toBeGreaterThanOrEqual(990);
	});

	it('mixes completed, failed and timed-out tasks: errors without Continue On Fail, items with it', async () => {
		const [completed, failed, running] = await createTasks(emulator(), [
			taking(300),
			taking(300, ' [fail]'),
			taking(60_000),
		]);
		const options = wait({ timeoutMinutes: 0.05 }); // 3 s
		const started = Date.now();
		// Three runs side by side share the 3 s timeout.
		const [timedOut, strict, lenient] = await Promise.all([
			runVideo(emulator(), options, [{ taskId: completed }, { taskId: running }]).then((result) => ({
				result,
				elapsed: Date.now() - started,
			})),
			runVideo(emulator(), options, [{ taskId: completed }, { taskId: failed }, { taskId: running }]),
			runVideo(
				emulator(),
				options,
				[{ taskId: completed }, { taskId: failed }, { taskId: running }, { taskId: '' }],
				{ node: { onError: 'continueRegularOutput' } },
			),
		]);

		// A timeout raises an error naming the task and saying it may still finish, once the timeout has passed.
		const message = errorOf(timedOut.result);
		expect(message).toContain(running);
		expect(message).toContain('did not finish within 0.05 minutes');
		expect(message).toMatch(/may still finish/);
		expect(timedOut.elapsed).toBeGreaterThanOrEqual(2900);
		// Each of the three runs read the running task at most once a second until its timeout.
		expect(pollTimes(emulator(), running).length).toBeLessThanOrEqual(3 * (Math.ceil(3 / 1) + 2));

		// Without Continue On Fail the failed task stops the node with the API's reason and its id.
		expect(errorOf(strict)).toContain(`Task ${failed} failed: ${FAILURE_MESSAGE}`);

		// With it, every item comes out in place, with pairedItem.
		expect(lenient.error).toBeUndefined();
		const items = outputOf(lenient);
		expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(items[0].json).toMatchObject({ taskId: completed, status: 'completed', error: null });
		expect(items[0].json.videoUrl).toBe(emulator().videoUrl(completed));
		expect(items[1].json).toMatchObject({ taskId: failed, status: 'failed', error: FAILURE_MESSAGE, videoUrl: null });
		expect(items[2].json).toMatchObject({ taskId: running, status: 'processing', videoUrl: null });
		expect(items[2].json.error).toContain(running);
		expect(items[2].json.error).toMatch(/did not finish within 0\.05 minutes.*may still finish/);
		expect(items[3].json.error).toMatch(/Item 3: Task ID is empty/);
		// Ended tasks stop being polled: at most 2 polls each per run.
		expect(emulator().stats().polls[completed]).toBeLessThanOrEqual(6);
		expect(emulator().stats().polls[failed]).toBeLessThanOrEqual(4);
	});

	it.each(['seed', 'live'] as const)('maps the %s response spelling to the same output', async (spelling) => {
		emulator().setOptions({ spelling });
		const [completed, failed] = await createTasks(emulator(), [taking(0), taking(0, ' [fail]')]);
		const result = await runVideo(emulator(), wait(), [{ taskId: completed }, { taskId: failed }], {
			node: { onError: 'continueRegularOutput' },
		});
		const [done, broken] = outputOf(result).map((item) => item.json);
		const common = { model: 'grok-video-3', estimatedCostUsd: 0.028 };
		expect(done).toMatchObject({
			...common,
			taskId: completed,
			status: 'completed',
			videoUrls: [emulator().videoUrl(completed)],
			videoUrl: emulator().videoUrl(completed),
			error: null,
		});
		expect(broken).toMatchObject({ ...common, taskId: failed, status: 'failed', videoUrls: [], error: FAILURE_MESSAGE });
		const task = emulator().tasks().find((entry) => entry.id === completed);
		expect(done.createdAt).toBe(new Date(task!.createdAt).toISOString());
		expect(done.completedAt).toBe(new Date(task!.finishedAt).toISOString());
		// The API's own answer is kept as received, in its own spelling.
		expect(Object.keys(done.response as IDataObject)).toContain(spelling === 'live' ? 'resultUrls' : 'videos');
	});
});
