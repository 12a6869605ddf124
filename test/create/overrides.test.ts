/**
 * Additional Body Fields cannot replace what the panel sets: the model (a pricier model billed
 * under a cheaper one's estimate), the callback URL (a parked execution's resume URL) and each
 * model's own fields from the catalogue, in any spelling. Each is refused before any request,
 * naming the item and the field; fields the panel does not know are sent, and the price always
 * follows the model the body carries.
 */
import type { IDataObject } from 'n8n-workflow';
import { modelCatalogue, otherModel } from '../../nodes/shared/models';
import { acceptedInputs, labelOfField } from '../../nodes/shared/inputs';
import { errorOf, lastBody, outputOf, runVideo, useEmulator } from '../support/fixtures';

const emulator = useEmulator();

const grok = (extra: IDataObject, options: IDataObject = {}) => ({
	operation: 'create',
	model: 'grok-video-3',
	prompt: 'A fox',
	options: { additionalBodyFields: JSON.stringify(extra), ...options },
});

function expectRefusedBeforeSending(message: string, key: string) {
	expect(message).toContain(`Item 0: Additional Body Fields cannot set "${key}"`);
	expect(emulator().stats().totals.create).toBe(0);
	expect(emulator().stats().totals.files).toBe(0);
}

describe('fields every create carries', () => {
	it('a model in Additional Body Fields is refused: the panel picks the model, and its price', async () => {
		const result = await runVideo(emulator(), grok({ model: 'veo-3.1' }));
		expectRefusedBeforeSending(errorOf(result), 'model');
		expect(errorOf(result)).toContain('the node sends model from Model');
		expect(String(result.error?.description)).toContain('Set Model in the node\'s panel');
	});

	it.each([['callback_url'], ['callbackUrl'], ['callBackUrl'], ['Callback-URL'], ['MODEL']])('%s, in any spelling', async (key) => {
		const result = await runVideo(emulator(), grok({ [key]: 'https://elsewhere.example.com/hook' }));
		expectRefusedBeforeSending(errorOf(result), key);
	});

	it('a parked execution keeps its resume URL: callback_url cannot take it away', async () => {
		const result = await runVideo(
			emulator(),
			grok({ callback_url: 'https://elsewhere.example.com/hook' }, { waitForCompletion: true, waitMode: 'park' }),
		);
		expectRefusedBeforeSending(errorOf(result), 'callback_url');
	});
});

/** Every model's panel fields, as the catalogue lists them: [panel model, body field, its label]. */
const ownFields = [...modelCatalogue, otherModel].flatMap((model) =>
	[...new Set(acceptedInputs(model.inputs).map(({ definition }) => definition.key))].map(
		(key) => [model.id, key, labelOfField(key, model.inputs)] as const,
	),
);

describe("each model's own fields", () => {
	it.each(ownFields)('%s: %s (%s)', async (model, key, label) => {
		const result = await runVideo(emulator(), {
			operation: 'create',
			model,
			customModel: 'seedance-2.0-fast',
			prompt: 'A fox',
			mediaSource: 'url',
			characterImagesUrl: 'https://cdn.example.com/hero.png',
			motionVideosUrl: 'https://cdn.example.com/dance.mp4',
			options: { additionalBodyFields: JSON.stringify({ [key]: 'from the extra fields' }) },
		});
		expectRefusedBeforeSending(errorOf(result), key);
		expect(errorOf(result)).toContain(`from ${label}`);
	});
});

describe('what Additional Body Fields may still do', () => {
	it("a field of another model's panel is this model's unknown field, sent as given", async () => {
		const result = await runVideo(emulator(), grok({ generate_audio: true, seed: 7 }));
		expect(result.error).toBeUndefined();
		expect(lastBody(emulator())).toMatchObject({ model: 'grok-video-3', generate_audio: true, seed: 7 });
	});

	it('under Continue On Fail only the item that sets a panel field fails, the others are sent', async () => {
		const result = await runVideo(
			emulator(),
			{ ...grok({}), options: { additionalBodyFields: '={{ JSON.stringify($json.extra) }}' } },
			[{ extra: { seed: 1 } }, { extra: { model: 'veo-3.1' } }, { extra: { seed: 3 } }],
			{ node: { onError: 'continueRegularOutput' } },
		);
		const items = outputOf(result);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(String(items[1].json.error)).toContain('Item 1: Additional Body Fields cannot set "model"');
		expect(emulator().stats().tasksCreated).toBe(2);
		expect(emulator().tasks().slice(-2).map((task) => [task.body.model, task.body.seed])).toEqual([
			['grok-video-3', 1],
			['grok-video-3', 3],
		]);
	});
});

describe('the price follows the model the body carries', () => {
	it('Other Model with a catalogue id is priced as that model, in the output and the spending limit', async () => {
		const veo = { operation: 'create', model: 'other', customModel: 'veo-3.1', prompt: 'A fox', mediaSource: 'url' };
		const sent = await runVideo(emulator(), veo);
		expect(outputOf(sent)[0].json).toMatchObject({ model: 'veo-3.1', estimatedCostUsd: 0.12 });

		const limited = await runVideo(emulator(), { ...veo, options: { maxCostUsd: 0.1 } });
		expect(errorOf(limited)).toContain('Item 0: the spending limit of $0.1 per execution would be exceeded');
		expect(emulator().stats().totals.create).toBe(1);
	});
});
