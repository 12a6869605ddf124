/**
 * Inputs the red-team pass got through before: a 10 MB prompt (answered by the gateway with a bare
 * 413), a model given as an object or a number, and several URLs or binary fields in an input that
 * takes one file. Each is refused before any request, naming the item and the field; the limits'
 * edges are sent.
 */
import type { IDataObject } from 'n8n-workflow';
import { MAX_PROMPT_LENGTH } from '../../nodes/shared/inputs';
import { errorOf, lastBody, outputOf, runVideo, useEmulator } from '../support/fixtures';

const emulator = useEmulator();

const grok = (prompt: string, extra: IDataObject = {}) => ({ operation: 'create', model: 'grok-video-3', prompt, ...extra });
const veo = (extra: IDataObject) => ({ operation: 'create', model: 'veo-3.1', prompt: 'A sunrise', mediaSource: 'url', ...extra });

function expectRefused(message: string, ...words: string[]) {
	for (const word of words) expect(message).toContain(word);
	expect(emulator().stats().totals.create).toBe(0);
	expect(emulator().stats().totals.files).toBe(0);
}

describe('prompt length', () => {
	it('a 10 MB prompt is refused, naming item and field, and nothing is sent', async () => {
		const result = await runVideo(emulator(), grok('={{ "a".repeat(10 * 1024 * 1024) }}'));
		expectRefused(errorOf(result), 'Item 0: Prompt must be at most 10000 characters');
	});

	it(`a prompt of exactly ${MAX_PROMPT_LENGTH} characters is sent whole`, async () => {
		const result = await runVideo(emulator(), grok(`={{ "b".repeat(${MAX_PROMPT_LENGTH}) }}`));
		expect(result.error).toBeUndefined();
		expect(String(lastBody(emulator()).prompt)).toHaveLength(MAX_PROMPT_LENGTH);
	});

	it('in a batch, names the long item and sends none', async () => {
		const result = await runVideo(emulator(), grok('={{ $json.prompt }}'), [
			{ prompt: 'fine' },
			{ prompt: 'also fine' },
			{ prompt: 'd'.repeat(MAX_PROMPT_LENGTH + 1) },
		]);
		expectRefused(errorOf(result), 'Item 2: Prompt must be at most');
	});
});

describe('the model is a model ID (text)', () => {
	it('an expression in Model, which n8n leaves unevaluated there (noDataExpression), sends nothing', async () => {
		const result = await runVideo(emulator(), { operation: 'create', prompt: 'A cat', model: '={{ { id: "grok-video-3" } }}' });
		expectRefused(errorOf(result), 'Item 0: ');
	});

	it.each([
		['an object in Model ID', { model: 'other', customModel: '={{ { id: "seedance-2.0-fast" } }}' }],
		['a number in Model ID', { model: 'other', customModel: '={{ 42 }}' }],
		['a list in Model ID', { model: 'other', customModel: '={{ ["grok-video-3"] }}' }],
	])('%s is refused', async (_what, panel) => {
		const result = await runVideo(emulator(), { operation: 'create', prompt: 'A cat', ...panel });
		expectRefused(errorOf(result), 'Item 0: ', 'Model');
		expect(errorOf(result)).not.toContain('[object Object]');
	});
});

describe('an input that takes one file', () => {
	it.each([
		['First Frame with two URLs', veo({ firstFrameImageUrl: 'https://a.example/1.png, https://a.example/2.png' }), 'First Frame takes one file, not 2'],
		['First Frame with URLs on two lines', veo({ firstFrameImageUrl: 'https://a.example/1.png\nhttps://a.example/2.png' }), 'First Frame takes one file, not 2'],
		['First Frame from an expression list', veo({ firstFrameImageUrl: '={{ ["https://a.example/1.png", "https://a.example/2.png", "https://a.example/3.png"] }}' }), 'First Frame takes one file, not 3'],
		['Last Frame with two URLs', veo({ firstFrameImageUrl: 'https://a.example/1.png', lastFrameImageUrl: 'https://a.example/2.png,https://a.example/3.png' }), 'Last Frame takes one file, not 2'],
		['First Frame with two binary fields', veo({ mediaSource: 'binary', firstFrameImageBinary: 'data, data2' }), 'First Frame takes one file, not 2'],
	])('%s is an error, not a silent drop', async (_what, panel, words) => {
		const result = await runVideo(emulator(), panel);
		expectRefused(errorOf(result), 'Item 0: ', words);
	});

	it('one URL with a comma-free query string is sent as it is', async () => {
		const url = 'https://a.example/1.png?w=100&h=100';
		const [item] = outputOf(await runVideo(emulator(), veo({ firstFrameImageUrl: url })));
		expect(item.json.status).toBe('pending');
		expect(lastBody(emulator()).images).toEqual([url]);
	});
});
