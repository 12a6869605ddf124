/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run on Node, outside n8n */
/**
 * The package's sleep wakes on an abort under the n8n-workflow of every supported n8n. n8n 1.x's
 * own `sleep` ignores the signal, which made every wait on 1.x run its full length and left a
 * cancelled execution sleeping.
 */
import { setTimeout as delay } from 'node:timers/promises';

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

const WORKFLOWS = { '1.x': 'n8n-workflow-v1', '2.x': 'n8n-workflow' } as const;

/** nodes/shared/sleep.ts as loaded by an n8n whose n8n-workflow is `pkg`. */
function sleepUnder(pkg: string): Sleep {
	let loaded: Sleep | undefined;
	jest.isolateModules(() => {
		jest.doMock('n8n-workflow', () => jest.requireActual(pkg));
		loaded = (jest.requireActual('../../nodes/shared/sleep') as { sleep: Sleep }).sleep;
	});
	jest.dontMock('n8n-workflow');
	return loaded!;
}

/** 'rejected' when `promise` rejects within `ms`, else how it ended or 'pending'. */
async function settleWithin(promise: Promise<void>, ms: number): Promise<string> {
	const outcome = promise.then(
		() => 'resolved',
		() => 'rejected',
	);
	return await Promise.race([outcome, delay(ms, 'pending', { ref: false })]);
}

describe.each(Object.entries(WORKFLOWS))('sleep under n8n %s (%s)', (_version, pkg) => {
	const sleep = sleepUnder(pkg);

	it('ends when the time is up', async () => {
		expect(await settleWithin(sleep(20, new AbortController().signal), 2000)).toBe('resolved');
	});

	it('rejects as soon as the signal aborts, long before the time is up', async () => {
		const controller = new AbortController();
		const pending = sleep(600_000, controller.signal);
		controller.abort();
		expect(await settleWithin(pending, 2000)).toBe('rejected');
	});

	it('rejects at once when the signal has already aborted', async () => {
		const controller = new AbortController();
		controller.abort();
		expect(await settleWithin(sleep(600_000, controller.signal), 2000)).toBe('rejected');
	});
});

test("n8n 1.x's own sleep ignores the signal, which is why the package does not use it there", async () => {
	const { sleep } = jest.requireActual('n8n-workflow-v1') as { sleep: Sleep };
	const controller = new AbortController();
	controller.abort();
	expect(await settleWithin(sleep(20, controller.signal), 2000)).toBe('resolved');
});
