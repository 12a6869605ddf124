/**
 * Transient API errors while waiting: 429 and 5xx back off (honouring Retry-After) without failing
 * the wait, however many come, until the timeout; a 404 ends at once.
 */
import type { Emulator } from '../../emulator/server';
import { createTasks, errorOf, outputOf, runVideo, useEmulator } from '../support/fixtures';
import { warpTime } from '../support/timeWarp';

// Every clock twice as fast: poll intervals, timeouts and the emulator's task durations.
warpTime(2);
const emulator = useEmulator();

const WAIT = { operation: 'waitForCompletion', options: { pollIntervalSeconds: 1 } };
const DONE = 'A cat [pendingMs=0][processingMs=0]';

/** The status queries of one task, oldest first. */
function polls(api: Emulator, taskId: string) {
	return api.stats().log.filter((entry) => entry.route === 'status' && entry.path.includes(taskId));
}

describe('Wait for Completion and transient errors', () => {
	it('waits as long as Retry-After says after a 429, then carries on', async () => {
		const [taskId] = await createTasks(emulator(), [DONE]);
		emulator().inject('status', { kind: 'rateLimit', retryAfterSeconds: 2 }, 1);
		const result = await runVideo(emulator(), WAIT, [{ taskId }]);
		expect(result.error).toBeUndefined();
		expect(outputOf(result)[0].json.status).toBe('completed');
		const [limited, next, ...rest] = polls(emulator(), taskId);
		expect(limited.status).toBe('429');
		expect(next.status).toBe('200');
		expect(rest).toHaveLength(0);
		// 2 s, not the 1 s poll interval.
		expect(next.at - limited.at).toBeGreaterThanOrEqual(1990);
	});

	it('backs off after 429s without Retry-After and does not fail the wait', async () => {
		const [taskId] = await createTasks(emulator(), [DONE]);
		emulator().inject('status', 'rateLimit', 2);
		const result = await runVideo(emulator(), WAIT, [{ taskId }]);
		expect(result.error).toBeUndefined();
		expect(outputOf(result)[0].json.status).toBe('completed');
		const seen = polls(emulator(), taskId);
		expect(seen.map((entry) => entry.status)).toEqual(['429', '429', '200']);
		// No hammering: the back-off is never shorter than the poll interval.
		for (let index = 1; index < seen.length; index++) {
			expect(seen[index].at - seen[index - 1].at).toBeGreaterThanOrEqual(990);
		}
	});

	it('survives 500s, dropped connections and unreadable answers, counted per task', async () => {
		const ids = await createTasks(emulator(), [DONE, DONE]);
		emulator().inject('status', 'serverError', 2);
		emulator().inject('status', 'drop', 1);
		emulator().inject('status', 'malformedJson', 1);
		const result = await runVideo(emulator(), WAIT, ids.map((taskId) => ({ taskId })));
		expect(result.error).toBeUndefined();
		expect(outputOf(result).map((item) => item.json.status)).toEqual(['completed', 'completed']);
		const { faults, requests } = emulator().stats();
		expect(faults).toMatchObject({ serverError: 2, drop: 1, malformedJson: 1 });
		// The unreadable answer came with a 200; the two that counted did too.
		expect(requests.status['200']).toBe(3);
		for (const taskId of ids) expect(polls(emulator(), taskId).at(-1)?.status).toBe('200');
	});

	it('keeps waiting through transient errors until the timeout, then names the task and the last error', async () => {
		const [taskId] = await createTasks(emulator(), [DONE]);
		emulator().inject('status', { kind: 'rateLimit', retryAfterSeconds: 0 }, 1000);
		const started = Date.now();
		const result = await runVideo(emulator(), { ...WAIT, options: { ...WAIT.options, timeoutMinutes: 0.05 } }, [{ taskId }]);
		const elapsed = Date.now() - started;
		const message = errorOf(result);
		expect(message).toContain(taskId);
		expect(message).toContain('did not finish within 0.05 minutes');
		expect(message).toContain('Rate limited');
		// Only the 3 s timeout ended it, and the reads kept to the poll interval meanwhile.
		expect(elapsed).toBeGreaterThanOrEqual(2900);
		const count = polls(emulator(), taskId).length;
		expect(count).toBeGreaterThanOrEqual(3);
		expect(count).toBeLessThanOrEqual(5);
	});

	it('ends at once on a 404: the task does not exist', async () => {
		const result = await runVideo(emulator(), WAIT, [{ taskId: 'cl_no_such_task' }]);
		expect(errorOf(result)).toContain('Task not found');
		expect(errorOf(result)).toContain('cl_no_such_task');
		expect(emulator().stats().totals.status).toBe(1);
	});
});
