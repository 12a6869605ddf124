/**
 * The wait schedule's timing, through n8n's engine against the emulator: Create Video's wait reads
 * each task from its own creation on while later creates still run, every task at its own due
 * time, within one bound on requests in flight shared by creates and reads; a 429 pauses the
 * whole schedule; Max Concurrent Requests adapts to the batch when left unset.
 */
import type { RequestLogEntry } from '../../emulator/stats';
import { defaultConcurrency } from '../../nodes/shared/concurrency';
import { sleep } from '../support/timing';
import { createTasks, grok, outputOf, runVideo, useEmulator } from '../support/fixtures';
import { warpTime } from '../support/timeWarp';

// Every clock twice as fast: the schedule's seconds, the emulator's latencies and the test's own sleeps.
warpTime(2);
const emulator = useEmulator();

const LONG = 'A cat [pendingMs=0][processingMs=60000]';

function statusReads(taskId: string): RequestLogEntry[] {
	return emulator()
		.stats()
		.log.filter((entry) => entry.route === 'status' && entry.path.includes(taskId));
}

describe('The wait schedule', () => {
	it('reads each created task from its own creation on, while later creates still run, within one bound', async () => {
		// 16 creates, 2 at a time, 300 ms each: creating takes 2.4 s or more, well past the first task's interval.
		emulator().setOptions({ latencyMs: 300, pendingMs: 0, processingMs: 1200 });
		const result = await runVideo(
			emulator(),
			grok('={{ $json.prompt }}', { options: { waitForCompletion: true, pollIntervalSeconds: 1, concurrency: 2 } }),
			Array.from({ length: 16 }, (_, index) => ({ prompt: `A cat ${index}` })),
		);
		expect(result.error).toBeUndefined();
		expect(outputOf(result).map((item) => item.json.status)).toEqual(Array(16).fill('completed'));

		const { log, maxInFlight } = emulator().stats();
		const lastCreate = Math.max(...log.filter((entry) => entry.route === 'create').map((entry) => entry.at));
		const firstRead = Math.min(...log.filter((entry) => entry.route === 'status').map((entry) => entry.at));
		expect(firstRead).toBeLessThan(lastCreate);
		// Creates and reads together, never more than Max Concurrent Requests.
		expect(maxInFlight['*']).toBe(2);
		for (const task of emulator().tasks().slice(-16)) {
			const reads = statusReads(task.id);
			// First read one interval after the create's answer (not before it can be done), in turn with the creates.
			expect(reads[0].at - task.createdAt).toBeGreaterThanOrEqual(950);
			// A 1.2 s task read every second: at most ceil(1.2 / 1) + 2 reads.
			expect(reads.length).toBeLessThanOrEqual(4);
		}
	});

	it('reads every task at its own due time: tasks created apart are read apart', async () => {
		emulator().setOptions({ pendingMs: 0, processingMs: 2500 });
		const [early] = await createTasks(emulator(), ['A cat']);
		const started = runVideo(emulator(), { operation: 'waitForCompletion', options: { pollIntervalSeconds: 1 } }, [{ taskId: early }]);
		await sleep(500);
		const late = runVideo(
			emulator(),
			grok('A dog', { options: { waitForCompletion: true, pollIntervalSeconds: 1 } }),
		);
		const [first, second] = await Promise.all([started, late]);
		expect(outputOf(first)[0].json.status).toBe('completed');
		expect(outputOf(second)[0].json.status).toBe('completed');
		for (const task of emulator().tasks().slice(-2)) {
			const times = statusReads(task.id).map((entry) => entry.at);
			for (let index = 1; index < times.length; index++) {
				expect(times[index] - times[index - 1]).toBeGreaterThanOrEqual(990);
			}
			expect(times.length).toBeLessThanOrEqual(Math.ceil(2.5) + 2);
		}
	});

	it('pauses every read after a 429 for as long as Retry-After says', async () => {
		const ids = await createTasks(emulator(), Array.from({ length: 5 }, () => LONG));
		emulator().inject('status', { kind: 'rateLimit', retryAfterSeconds: 2 }, 1);
		const result = await runVideo(
			emulator(),
			{ operation: 'waitForCompletion', options: { pollIntervalSeconds: 1, timeoutMinutes: 0.07 } },
			ids.map((taskId) => ({ taskId })),
			{ node: { onError: 'continueRegularOutput' } },
		);
		expect(outputOf(result)).toHaveLength(5);
		const reads = emulator().stats().log.filter((entry) => entry.route === 'status');
		const limited = reads.find((entry) => entry.status === '429');
		expect(limited).toBeDefined();
		// Reads of the first round may still arrive just after the 429; every later one waits 2 s.
		const later = reads.filter((entry) => entry.at > limited!.finishedAt + 200);
		expect(later.length).toBeGreaterThan(0);
		for (const entry of later) expect(entry.at - limited!.finishedAt).toBeGreaterThanOrEqual(1950);
	});

	it('adapts Max Concurrent Requests to the batch when it is not set', async () => {
		expect([1, 200, 201, 400, 1000, 5000].map(defaultConcurrency)).toEqual([10, 10, 11, 20, 50, 50]);
		const ids = await createTasks(emulator(), Array.from({ length: 300 }, () => 'A cat [pendingMs=0][processingMs=0]'));
		emulator().setOptions({ latencyMs: 150 });
		const result = await runVideo(
			emulator(),
			{ operation: 'waitForCompletion', options: { pollIntervalSeconds: 1 } },
			ids.map((taskId) => ({ taskId })),
		);
		expect(outputOf(result).every((item) => item.json.status === 'completed')).toBe(true);
		expect(emulator().stats().maxInFlight.status).toBe(15);
	});
});
