import type { IDataObject } from 'n8n-workflow';
import { modelCatalogue } from '../../nodes/shared/models';
import { lastBody, OUTPUT_FIELDS, outputOf, runVideo, useEmulator } from '../support/fixtures';

const emulator = useEmulator();

/** Panel input per catalogue model, and the body the API must receive for it. */
const cases: Record<string, { panel: IDataObject; body: IDataObject }> = {
	'grok-video-3': {
		panel: { prompt: 'A cat playing piano', aspectRatio: '9:16', size: '1080P' },
		body: { model: 'grok-video-3', prompt: 'A cat playing piano', aspect_ratio: '9:16', size: '1080P' },
	},
	'grok-video-3-10s': {
		panel: { prompt: 'Rain on a window' },
		body: { model: 'grok-video-3-10s', prompt: 'Rain on a window', aspect_ratio: '16:9', size: '720P' },
	},
	'grok-video-3-15s': {
		panel: { prompt: 'A drone over hills', aspectRatio: '1:1' },
		body: { model: 'grok-video-3-15s', prompt: 'A drone over hills', aspect_ratio: '1:1', size: '720P' },
	},
	'veo-3.1-fast': {
		panel: {
			prompt: 'A sunrise',
			size: '4K',
			generateAudio: false,
			mediaSource: 'url',
			firstFrameImageUrl: 'https://cdn.example.com/first.png',
			lastFrameImageUrl: 'https://cdn.example.com/last.png',
		},
		body: {
			model: 'veo-3.1-fast',
			prompt: 'A sunrise',
			aspect_ratio: '16:9',
			size: '4K',
			generate_audio: false,
			images: ['https://cdn.example.com/first.png', 'https://cdn.example.com/last.png'],
		},
	},
	'veo-3.1': {
		panel: { prompt: 'A city at night', aspectRatio: '9:16' },
		body: { model: 'veo-3.1', prompt: 'A city at night', aspect_ratio: '9:16', size: '720P', generate_audio: true },
	},
	'kling-motion-control': {
		panel: {
			mediaSource: 'url',
			characterImagesUrl: 'https://cdn.example.com/hero.png, https://cdn.example.com/hero2.png',
			motionVideosUrl: 'https://cdn.example.com/dance.mp4',
		},
		body: {
			model: 'kling-motion-control',
			input_urls: ['https://cdn.example.com/hero.png', 'https://cdn.example.com/hero2.png'],
			video_urls: ['https://cdn.example.com/dance.mp4'],
			mode: '720p',
			character_orientation: 'video',
		},
	},
};

describe('Create Video sends exactly what each model accepts', () => {
	it('has a case for every catalogue model', () => {
		expect(Object.keys(cases).sort()).toEqual(modelCatalogue.map((model) => model.id).sort());
	});

	it.each(modelCatalogue.map((model) => model.id))('%s', async (modelId) => {
		const { panel, body } = cases[modelId];
		const result = await runVideo(emulator(), { operation: 'create', model: modelId, ...panel });
		const [item] = outputOf(result);
		expect(lastBody(emulator())).toEqual(body);
		expect(Object.keys(item.json).sort()).toEqual([...OUTPUT_FIELDS].sort());
		expect(item.json).toMatchObject({
			taskId: emulator().tasks().at(-1)?.id,
			status: 'pending',
			model: modelId,
			videoUrls: [],
			videoUrl: null,
			error: null,
			estimatedCostUsd: modelCatalogue.find((model) => model.id === modelId)?.priceUsd,
		});
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('sends the generic panel of Other Model, leaving Default fields out', async () => {
		await runVideo(emulator(), {
			operation: 'create',
			model: 'other',
			customModel: 'seedance-2.0-fast',
			prompt: 'Waves',
			duration: 10,
			aspectRatio: '',
			mediaSource: 'url',
			referenceImagesUrl: 'https://cdn.example.com/a.png,https://cdn.example.com/b.png',
		});
		expect(lastBody(emulator())).toEqual({
			model: 'seedance-2.0-fast',
			prompt: 'Waves',
			duration: 10,
			images: ['https://cdn.example.com/a.png', 'https://cdn.example.com/b.png'],
		});
	});

	it('adds the callback URL and the Additional Body Fields the panel does not set', async () => {
		await runVideo(
			emulator(),
			{
				operation: 'create',
				model: 'grok-video-3',
				prompt: 'A fox',
				options: {
					callbackUrl: 'https://hooks.example.com/webhook/abc/callback',
					additionalBodyFields: '{"seed": 42, "watermark": false}',
				},
			},
		);
		expect(lastBody(emulator())).toEqual({
			model: 'grok-video-3',
			prompt: 'A fox',
			aspect_ratio: '16:9',
			size: '720P',
			seed: 42,
			watermark: false,
			callback_url: 'https://hooks.example.com/webhook/abc/callback',
		});
	});

	it.each(['default', 'filesystem'] as const)(
		'uploads binary inputs through /api/v1/files and sends their public URLs in order (%s binary data mode)',
		async (binaryMode) => {
			const png = (text: string) => ({
				data: Buffer.from(text).toString('base64'),
				mimeType: 'image/png',
				fileName: `${text}.png`,
			});
			const result = await runVideo(
				emulator(),
				{
					operation: 'create',
					model: 'veo-3.1',
					prompt: 'From first to last',
					mediaSource: 'binary',
					firstFrameImageBinary: 'first',
					lastFrameImageBinary: 'last',
				},
				[{ json: {}, binary: { first: png('first'), last: png('last') } }],
				{ binaryMode },
			);
			expect(result.error).toBeUndefined();
			const images = lastBody(emulator()).images as string[];
			expect(images).toHaveLength(2);
			expect(emulator().stats().totals.files).toBe(2);
			const served = await Promise.all(images.map(async (url) => await (await fetch(url)).text()));
			expect(served).toEqual(['first', 'last']);
		},
	);

	it('creates the tasks of a batch side by side, never more at once than Max Concurrent Requests', async () => {
		emulator().setOptions({ latencyMs: 100 });
		const result = await runVideo(
			emulator(),
			{ operation: 'create', model: 'grok-video-3', prompt: '={{ $json.prompt }}', options: { concurrency: 3 } },
			Array.from({ length: 7 }, (_, index) => ({ prompt: `video ${index}` })),
		);
		expect(outputOf(result).map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 7 }, (_, index) => ({ item: index })),
		);
		expect(emulator().stats().tasksCreated).toBe(7);
		expect(emulator().stats().maxInFlight.create).toBe(3);
	});
});
