/**
 * Cancelling the execution stops Wait for Completion at once: no status request reaches the API
 * after the cancel, whether it comes mid-round (requests in flight, more due) or between rounds.
 */
import type { IDataObject } from 'n8n-workflow';
import { sleep, waitFor } from '../support/timing';
import type { Emulator } from '../../emulator/server';
import { cancellableRun } from '../../harness/engine';
import { createTasks, credentialsFor, credentialTypes, nodeTypes, useEmulator, videoNode } from '../support/fixtures';

const emulator = useEmulator();

const LONG = 'A cat [pendingMs=0][processingMs=60000]';

function startWait(api: Emulator, ids: string[], options: IDataObject) {
	return cancellableRun({
		nodeTypes,
		credentialTypes,
		credentials: credentialsFor(api),
		input: ids.map((taskId) => ({ taskId })),
		nodes: [videoNode({ operation: 'waitForCompletion', options: { pollIntervalSeconds: 1, ...options } })],
	});
}

/** Cancels; answers when the run ended and the status queries that arrived after the cancel (bench/timing.ts times it). */
async function cancelAndCheck(api: Emulator, run: ReturnType<typeof startWait>) {
	const cancelledAt = Date.now();
	run.cancel();
	const result = await run.promise;
	// Long enough for more polls to arrive, had the loop kept going.
	await sleep(1000);
	// A request sent just before the cancel may reach the emulator after it, but then only to be
	// abandoned: a read sent after the cancel would be answered.
	const late = api.stats().log.filter((entry) => entry.route === 'status' && entry.at > cancelledAt + 100 && entry.status !== 'aborted');
	return { result, late };
}

describe('Cancelling Wait for Completion', () => {
	it('stops mid-round: requests in flight are abandoned and the due ones are never sent', async () => {
		const ids = await createTasks(emulator(), Array.from({ length: 30 }, () => LONG));
		// 30 polls, 2 at a time, 150 ms each: a round lasts 2.25 s.
		emulator().setOptions({ latencyMs: 150 });
		const run = startWait(emulator(), ids, { concurrency: 2 });
		await waitFor(() => emulator().stats().totals.status >= 5);
		expect(emulator().stats().inFlight.status).toBeGreaterThan(0);
		const { result, late } = await cancelAndCheck(emulator(), run);
		expect(result.status).toBe('canceled');
		expect(late).toEqual([]);
		expect(emulator().stats().totals.status).toBeLessThan(30);
	});

	it('stops between rounds without waiting for the poll interval', async () => {
		const ids = await createTasks(emulator(), [LONG, LONG]);
		// The next round is 10 minutes away: a cancel that waited for it would outlast the test's timeout.
		const run = startWait(emulator(), ids, { pollIntervalSeconds: 600 });
		await waitFor(() => emulator().stats().requests.status['200'] === 2);
		await sleep(300);
		const { result, late } = await cancelAndCheck(emulator(), run);
		expect(result.status).toBe('canceled');
		expect(late).toEqual([]);
		expect(emulator().stats().totals.status).toBe(2);
	});
});
