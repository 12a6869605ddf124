/* eslint-disable @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
/**
 * A create whose task was made but whose answer was lost (a proxy's 502, a dropped connection, a
 * cut-off body, an answer slower than the timeout) is never paid for twice: the node records the
 * unknown outcome, and n8n's Retry On Fail, running the node again in the same execution, fails
 * that item saying the task may exist instead of creating it again.
 */
import type { Fault } from '../../emulator/faults';
import type { Emulator } from '../../emulator/server';
import type { RunResult } from '../../harness/engine';
import { errorOf, grok, outputOf, runVideo, useEmulator } from '../support/fixtures';
import { warpTime } from '../support/timeWarp';

warpTime(20);

const emulator = useEmulator();

const RETRY_ON_FAIL = { node: { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 } };
const PROMPTS = ['one', 'two', 'three'];

let tasksBefore = 0;
beforeEach(() => {
	tasksBefore = emulator().tasks().length;
});

/** How many tasks the API made per prompt during this test. */
function tasksPerPrompt(api: Emulator, prompts: string[]): number[] {
	const made = api.tasks().slice(tasksBefore).map((task) => task.body.prompt);
	return prompts.map((prompt) => made.filter((entry) => entry === prompt).length);
}

function expectMayExist(result: RunResult, itemPattern: RegExp) {
	const message = errorOf(result);
	expect(message).toMatch(itemPattern);
	expect(message).toContain('a task may already exist for this item, so it was not created again');
	expect(message).not.toContain('after retrying');
	const description = String((result.error as { description?: string }).description);
	expect(description).toContain('APIModels dashboard');
	expect(description).toContain('callback');
}

const lostAnswers: Array<[string, Fault, string]> = [
	["a proxy's 502 after the task was created", { kind: 'serverError', status: 502, afterHandling: true }, 'got status 502'],
	['a connection dropped after the task was created', { kind: 'drop', afterHandling: true }, 'lost its connection'],
	['an answer cut off after the task was created', { kind: 'malformedJson', afterHandling: true }, 'unreadable answer'],
];

describe.each(lostAnswers)('Retry On Fail after %s', (_what, fault, cause) => {
	it('a single item ends with one task, and the retry says it may exist', async () => {
		emulator().inject('create', fault, 1);
		const result = await runVideo(emulator(), grok('one'), [{}], RETRY_ON_FAIL);
		expectMayExist(result, /^Item 0: /);
		expect(errorOf(result)).toContain(cause);
		expect(tasksPerPrompt(emulator(), ['one'])).toEqual([1]);
		expect(emulator().stats().totals.create).toBe(1);
	});

	it('a batch of 3 ends with one task per item', async () => {
		emulator().inject('create', fault, 1);
		const result = await runVideo(emulator(), grok('={{ $json.prompt }}'), PROMPTS.map((prompt) => ({ prompt })), RETRY_ON_FAIL);
		expectMayExist(result, /^Item [0-2]: /);
		expect(tasksPerPrompt(emulator(), PROMPTS)).toEqual([1, 1, 1]);
		expect(emulator().stats().totals.create).toBe(3);
	});
});

describe('Retry On Fail after an answer slower than the timeout', () => {
	// The create timeout is 60 s: one test runs the single and the batch case side by side.
	it('single and in a batch of 3, each item ends with one task', async () => {
		emulator().inject('create', { kind: 'slow', delayMs: 62_000, afterHandling: true }, 2);
		const single = runVideo(emulator(), grok('alone'), [{}], RETRY_ON_FAIL);
		// Let the single item's request take the first slow answer.
		while (emulator().stats().totals.create < 1) await new Promise((resolve) => setTimeout(resolve, 20));
		const batch = runVideo(emulator(), grok('={{ $json.prompt }}'), PROMPTS.map((prompt) => ({ prompt })), RETRY_ON_FAIL);
		const [alone, three] = await Promise.all([single, batch]);
		expectMayExist(alone, /^Item 0: /);
		expect(errorOf(alone)).toContain('got no answer within 60 s');
		expectMayExist(three, /^Item [0-2]: /);
		expect(tasksPerPrompt(emulator(), ['alone', ...PROMPTS])).toEqual([1, 1, 1, 1]);
		expect(emulator().stats().totals.create).toBe(4);
	}, 90_000);
});

describe('a create that may have landed says so', () => {
	it.each([
		['a 500', { kind: 'serverError' } as Fault, 'got status 500 from the API'],
		["a proxy's 503", { kind: 'serverError', status: 503 } as Fault, 'got status 503 from the API'],
		['a dropped connection', { kind: 'drop' } as Fault, 'lost its connection before the answer came'],
		['an unreadable answer', { kind: 'malformedJson' } as Fault, 'got an unreadable answer'],
	])('after %s, without "after retrying", and sends it once', async (_what, fault, words) => {
		emulator().inject('create', fault, 1);
		const result = await runVideo(emulator(), grok());
		const message = errorOf(result);
		expect(message).toContain(`The create request ${words}: a task may have been created and charged`);
		expect(message).not.toContain('after retrying');
		expect(String((result.error as { description?: string }).description)).toContain('APIModels dashboard');
		expect(emulator().stats().totals.create).toBe(1);
	});

	it('under Continue On Fail the item carries that error and the other items are created', async () => {
		emulator().inject('create', { kind: 'serverError', status: 502, afterHandling: true }, 1);
		const result = await runVideo(emulator(), grok('={{ $json.prompt }}'), PROMPTS.map((prompt) => ({ prompt })), {
			node: { onError: 'continueRegularOutput' },
		});
		const items = outputOf(result);
		const failed = items.filter((item) => item.json.error);
		expect(failed).toHaveLength(1);
		expect(String(failed[0].json.error)).toContain('a task may have been created and charged');
		expect(items.filter((item) => item.json.status === 'pending')).toHaveLength(2);
		expect(tasksPerPrompt(emulator(), PROMPTS)).toEqual([1, 1, 1]);
	});
});
