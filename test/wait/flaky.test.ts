/**
 * A flaky API never ends a wait early: 50 tasks waited for while half of all status reads fail
 * transiently (429, 500, dropped connections, unreadable answers), 10 runs, each of which must end
 * with all 50 results. Only the timeout, a cancellation or a definite answer ends an item.
 */
import type { Fault } from '../../emulator/faults';
import { createTasks, outputOf, runVideo, useEmulator } from '../support/fixtures';
import { warpTime } from '../support/timeWarp';

warpTime(5);

const emulator = useEmulator();

const TASKS = 50;
const RUNS = 10;
const TRANSIENT: Fault[] = [
	{ kind: 'rateLimit', retryAfterSeconds: 0 },
	{ kind: 'rateLimit' },
	{ kind: 'serverError' },
	{ kind: 'drop' },
	{ kind: 'malformedJson' },
];
/** Answers normally: a fault queue entry that only waits 0 ms. */
const PASS: Fault = { kind: 'slow', delayMs: 0 };

/** A small seeded generator, so a failing sequence can be reproduced. */
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return state / 2147483648;
	};
}

describe('Wait for Completion under a flaky API', () => {
	it(`ends every one of ${RUNS} runs of ${TASKS} tasks with ${TASKS} results while 50 % of reads fail`, async () => {
		const next = random(12);
		// More faults than the runs can use: every status read takes the next one, half of them failures.
		for (let index = 0; index < 20_000; index++) {
			const fault = next() < 0.5 ? TRANSIENT[Math.floor(next() * TRANSIENT.length)] : PASS;
			emulator().inject('status', fault, 1);
		}
		const runs = await Promise.all(
			Array.from({ length: RUNS }, async (_, run) => {
				const ids = await createTasks(emulator(), Array.from({ length: TASKS }, (_, index) => `Run ${run} cat ${index} [pendingMs=0][processingMs=${500 + 40 * index}]`));
				const result = await runVideo(
					emulator(),
					{ operation: 'waitForCompletion', options: { pollIntervalSeconds: 1, timeoutMinutes: 10 } },
					ids.map((taskId) => ({ taskId })),
				);
				return { ids, result };
			}),
		);
		const { faults } = emulator().stats();
		for (const { ids, result } of runs) {
			expect(result.error).toBeUndefined();
			const items = outputOf(result);
			expect(items.map((item) => item.json.taskId)).toEqual(ids);
			expect(items.every((item) => item.json.status === 'completed')).toBe(true);
		}
		// The faults really were met, about as often as the answers that passed.
		const failed = faults.rateLimit + faults.serverError + faults.drop + faults.malformedJson;
		expect(failed).toBeGreaterThan(0.4 * (failed + faults.slow));
	}, 180_000);
});
