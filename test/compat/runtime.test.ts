/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run on Node, outside n8n */
/**
 * What the package does differently under the n8n-workflow of each supported n8n. n8n 1.x's own
 * `sleep` ignores its signal, which made every wait on 1.x run its full length and left a cancelled
 * execution sleeping; and n8n 1.x routes to the error output only items of `{ error }` or
 * `{ error, message }`.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { INode } from 'n8n-workflow';

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

const WORKFLOWS = { '1.x': 'n8n-workflow-v1', '2.x': 'n8n-workflow' } as const;

/** A module of nodes/shared as loaded by an n8n whose n8n-workflow is `pkg`. */
function loadUnder<T>(pkg: string, module: string): T {
	let loaded: T | undefined;
	jest.isolateModules(() => {
		jest.doMock('n8n-workflow', () => jest.requireActual(pkg));
		loaded = jest.requireActual(`../../nodes/shared/${module}`) as T;
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
	const { sleep } = loadUnder<{ sleep: Sleep }>(pkg, 'n8nRuntime');

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

describe('a failed item bound for the error output', () => {
	const node = { name: 'Create Video', onError: 'continueErrorOutput' } as INode;
	const task = { taskId: 'task_1', status: 'failed' };

	function failedUnder(pkg: string) {
		const { NodeOperationError } = jest.requireActual(pkg) as typeof import('n8n-workflow');
		const { failedItem } = loadUnder<typeof import('../../nodes/shared/items')>(pkg, 'items');
		return failedItem(new NodeOperationError(node, 'Task task_1 failed: Content policy violation'), 3, task);
	}

	it('carries the task in details on n8n 2.x', () => {
		expect(failedUnder(WORKFLOWS['2.x'])).toEqual({
			json: { error: 'Task task_1 failed: Content policy violation', details: task },
			pairedItem: { item: 3 },
		});
	});

	it('is the error alone on n8n 1.x, naming the task, which is all 1.x routes there', () => {
		expect(failedUnder(WORKFLOWS['1.x'])).toEqual({
			json: { error: 'Task task_1 failed: Content policy violation' },
			pairedItem: { item: 3 },
		});
	});
});
