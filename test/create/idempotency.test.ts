import { grok, outputOf, runVideo, useEmulator } from '../support/fixtures';

const emulator = useEmulator();

describe("n8n's Retry On Fail never pays twice", () => {
	it('after a failure mid-batch, the retry ends with exactly one task per item', async () => {
		// Two slow-but-fine answers go to the first two creates to arrive; the third is refused
		// with 402, which creates nothing (a 5xx might have: see lostAnswer.test.ts).
		emulator().inject('create', { kind: 'slow', delayMs: 1 }, 2);
		emulator().inject('create', { kind: 'errorInBody', code: 402 }, 1);
		const prompts = [{ prompt: 'one' }, { prompt: 'two' }, { prompt: 'three' }];
		const result = await runVideo(emulator(), grok('={{ $json.prompt }}'), prompts, {
			node: { retryOnFail: true, maxTries: 2, waitBetweenTries: 1 },
		});
		expect(result.error).toBeUndefined();
		const items = outputOf(result);
		const bodies = emulator()
			.tasks()
			.slice(-3)
			.map((task) => task.body.prompt);
		expect(bodies.sort()).toEqual(['one', 'three', 'two']);
		expect(new Set(items.map((item) => item.json.taskId)).size).toBe(3);
		// Four create requests: three tasks, plus the one refused with 402 that created nothing.
		expect(emulator().stats().totals.create).toBe(4);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('a new execution creates new tasks for the same input', async () => {
		await runVideo(emulator(), grok('same'));
		await runVideo(emulator(), grok('same'));
		expect(emulator().stats().tasksCreated).toBe(2);
	});
});

describe('the spending guard', () => {
	it('fails the items past the limit before any request, saying what is committed', async () => {
		// grok-video-3 costs $0.028: a $0.06 limit allows two videos.
		const result = await runVideo(
			emulator(),
			grok('={{ $json.prompt }}', { options: { maxCostUsd: 0.06 } }),
			[{ prompt: 'a' }, { prompt: 'b' }, { prompt: 'c' }],
			{ node: { onError: 'continueRegularOutput' } },
		);
		const items = outputOf(result);
		expect(items.slice(0, 2).map((item) => item.json.status)).toEqual(['pending', 'pending']);
		expect(String(items[2].json.error)).toContain('spending limit of $0.06');
		expect(String(items[2].json.error)).toContain('$0.056 already committed');
		expect(emulator().stats().totals.create).toBe(2);
	});

	it('without Continue On Fail, stops the node before any request', async () => {
		const result = await runVideo(
			emulator(),
			grok('={{ $json.prompt }}', { options: { maxCostUsd: 0.03 } }),
			[{ prompt: 'a' }, { prompt: 'b' }],
		);
		expect(String(result.error?.message)).toContain('Item 1: the spending limit');
		expect(emulator().stats().totals.create).toBe(0);
	});
});
