/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- tests run on Node, outside n8n */
import { errorOf, grok, outputOf, runVideo, useEmulator } from '../support/fixtures';

const NO_CREDIT_KEY = 'sk_test_no_credits';
const emulator = useEmulator({ noCreditKeys: [NO_CREDIT_KEY] });

/** Everything a user can see of a failed run: message, description and the output items. */
function visible(result: Awaited<ReturnType<typeof runVideo>>): string {
	const error = result.error as { message?: string; description?: string } | undefined;
	return JSON.stringify([error?.message, error?.description, result.runData]);
}

describe('API errors become messages that say what to do', () => {
	it('401: the key was rejected, check the credential', async () => {
		const result = await runVideo(emulator(), grok(), [{}], { apiKey: 'sk_wrong_key_123' });
		expect(errorOf(result)).toContain('The API key was rejected: check the APIModels API credential');
		expect(visible(result)).not.toContain('sk_wrong_key_123');
	});

	it('402: insufficient credits, top up', async () => {
		const result = await runVideo(emulator(), grok(), [{}], { apiKey: NO_CREDIT_KEY });
		expect(errorOf(result)).toContain('Insufficient credits: top up');
		expect(visible(result)).not.toContain(NO_CREDIT_KEY);
	});

	it("400: the API's message and the field", async () => {
		const result = await runVideo(emulator(), {
			operation: 'create',
			model: 'other',
			customModel: 'no-such-model',
			prompt: 'A cat',
		});
		expect(errorOf(result)).toContain('The API refused the request: Invalid model');
		expect((result.error as { httpCode?: string }).httpCode).toBe('400');
	});

	it('404: the task may have expired after 7 days, with the task id', async () => {
		const result = await runVideo(emulator(), { operation: 'getStatus', taskId: 'task_gone_123' });
		const message = errorOf(result);
		expect(message).toContain('Task not found: it may have expired (videos are kept 7 days)');
		expect(message).toContain('task_gone_123');
	});

	it('an HTTP 200 body carrying an error code is an error too', async () => {
		emulator().inject('create', { kind: 'errorInBody', code: 402, msg: 'Insufficient credits' });
		const result = await runVideo(emulator(), grok());
		expect(errorOf(result)).toContain('Insufficient credits: top up');
	});

	it('reads the message from `message` or `error` when `msg` is absent', async () => {
		emulator().inject('create', { kind: 'errorInBody', code: 400, msg: 'size is not supported' });
		const result = await runVideo(emulator(), grok());
		expect(errorOf(result)).toContain('size is not supported');
	});

	it('a failed create under Continue On Fail keeps going and keeps pairedItem', async () => {
		emulator().inject('create', { kind: 'errorInBody', code: 402 }, 1);
		const result = await runVideo(emulator(), grok('={{ $json.prompt }}'), [{ prompt: 'a' }, { prompt: 'b' }], {
			node: { onError: 'continueRegularOutput' },
		});
		const items = outputOf(result);
		expect(items).toHaveLength(2);
		expect(String(items[0].json.error)).toContain('Insufficient credits');
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1].json.status).toBe('pending');
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});

	it('a failed create under "continue (using error output)" goes to the error output', async () => {
		emulator().inject('create', { kind: 'errorInBody', code: 402 }, 1);
		const result = await runVideo(emulator(), grok('={{ $json.prompt }}'), [{ prompt: 'a' }, { prompt: 'b' }], {
			node: { onError: 'continueErrorOutput' },
		});
		const success = result.output('APIModels Video', 0, 0);
		const failures = result.output('APIModels Video', 0, 1);
		expect(success.map((item) => item.json.status)).toEqual(['pending']);
		expect(success[0].pairedItem).toEqual({ item: 1 });
		expect(failures).toHaveLength(1);
		expect(String(failures[0].json.error)).toContain('Insufficient credits');
		expect(failures[0].pairedItem).toEqual({ item: 0 });
	});

	it('every error after a task exists names the task id (Get Status under Continue On Fail)', async () => {
		emulator().inject('status', { kind: 'errorInBody', code: 401 }, 1);
		const created = outputOf(await runVideo(emulator(), grok()))[0].json.taskId as string;
		const result = await runVideo(emulator(), { operation: 'getStatus', taskId: created }, [{}], {
			node: { onError: 'continueRegularOutput' },
		});
		expect(String(outputOf(result)[0].json.error)).toContain(created);
	});
});
