import type { IDataObject } from 'n8n-workflow';
import { errorOf, outputOf, runVideo, useEmulator } from '../support/fixtures';

const emulator = useEmulator();

const grok = { model: 'grok-video-3', prompt: 'A cat' };
const veo = { model: 'veo-3.1', prompt: 'A sunrise', mediaSource: 'url' };
const kling = {
	model: 'kling-motion-control',
	mediaSource: 'url',
	characterImagesUrl: 'https://cdn.example.com/hero.png',
	motionVideosUrl: 'https://cdn.example.com/dance.mp4',
};
const other = { model: 'other', customModel: 'seedance-2.0-fast', prompt: 'Waves', mediaSource: 'url' };
const extra = (fields: IDataObject) => ({ options: { additionalBodyFields: JSON.stringify(fields) } });

/** [what is wrong, panel, words the error must contain (the field)] */
const invalid: Array<[string, IDataObject, string]> = [
	['prompt mapped from an empty field', { ...grok, prompt: '={{ $json.missing }}' }, 'Prompt'],
	['blank prompt', { ...grok, prompt: '   ' }, 'Prompt'],
	['unknown aspect ratio', { ...grok, aspectRatio: '4:3' }, 'Aspect Ratio'],
	['cinema aspect ratio', { ...grok, aspectRatio: '21:9' }, 'Aspect Ratio'],
	['4K on Grok', { ...grok, size: '4K' }, 'Size'],
	['480P on Grok', { ...grok, size: '480P' }, 'Size'],
	['4K on Grok 10 s', { ...grok, model: 'grok-video-3-10s', size: '4K' }, 'Size'],
	['word aspect ratio on Grok 15 s', { ...grok, model: 'grok-video-3-15s', aspectRatio: 'square' }, 'Aspect Ratio'],
	['ftp callback', { ...grok, options: { callbackUrl: 'ftp://hooks.example.com/x' } }, 'Callback URL'],
	['callback not a URL', { ...grok, options: { callbackUrl: 'not a url' } }, 'Callback URL'],
	['javascript callback', { ...grok, options: { callbackUrl: 'javascript:alert(1)' } }, 'Callback URL'],
	['broken extra JSON', { ...grok, options: { additionalBodyFields: '{bad json' } }, 'Additional Body Fields'],
	['extra JSON array', { ...grok, options: { additionalBodyFields: '[1, 2]' } }, 'Additional Body Fields'],
	['extra field setting the panel\'s ratio', { ...grok, ...extra({ aspect_ratio: '7:5' }) }, 'cannot set "aspect_ratio"'],
	['extra field emptying the prompt', { ...grok, ...extra({ prompt: '' }) }, 'from Prompt'],
	['extra field with a numeric prompt', { ...grok, ...extra({ prompt: 42 }) }, 'from Prompt'],
	['empty VEO prompt from an expression', { ...veo, prompt: '={{ "" }}' }, 'Prompt'],
	['8K on VEO', { ...veo, size: '8K' }, 'Size'],
	['5:4 on VEO Fast', { ...veo, model: 'veo-3.1-fast', aspectRatio: '5:4' }, 'Aspect Ratio'],
	['ftp first frame', { ...veo, firstFrameImageUrl: 'ftp://cdn.example.com/a.png' }, 'First Frame'],
	['first frame not a URL', { ...veo, firstFrameImageUrl: 'first.png' }, 'First Frame'],
	['last frame without first', { ...veo, lastFrameImageUrl: 'https://cdn.example.com/b.png' }, 'Last Frame needs a First Frame'],
	['two URLs in one first frame', { ...veo, firstFrameImageUrl: 'https://a.example/1.png, https://a.example/2.png' }, 'First Frame takes one file'],
	['first frame on localhost', { ...veo, firstFrameImageUrl: 'http://localhost/a.png' }, 'private'],
	['first frame on 192.168/16', { ...veo, firstFrameImageUrl: 'http://192.168.1.5/a.png' }, 'private'],
	['first frame on 10/8', { ...veo, firstFrameImageUrl: 'http://10.0.0.1/a.png' }, 'private'],
	['first frame on loopback', { ...veo, firstFrameImageUrl: 'http://127.0.0.1:8080/a.png' }, 'private'],
	['first frame on link-local', { ...veo, firstFrameImageUrl: 'http://169.254.169.254/a.png' }, 'private'],
	['missing first frame binary', { ...veo, mediaSource: 'binary', firstFrameImageBinary: 'nothing' }, 'binary field'],
	[
		'three VEO images',
		{ ...veo, ...extra({ images: ['https://a.example/1.png', 'https://a.example/2.png', 'https://a.example/3.png'] }) },
		'cannot set "images": the node sends images from First Frame and Last Frame',
	],
	['audio flag as text in extra fields', { ...veo, ...extra({ generate_audio: 'yes' }) }, 'from Generate Audio'],
	['Kling without character image', { ...kling, characterImagesUrl: '={{ $json.none }}' }, 'Character Images'],
	['Kling without motion video', { ...kling, motionVideosUrl: '={{ " , " }}' }, 'Motion Videos'],
	['Kling with a file URL', { ...kling, characterImagesUrl: 'file:///etc/passwd' }, 'Character Images'],
	['Kling with an ftp video', { ...kling, motionVideosUrl: 'ftp://cdn.example.com/v.mp4' }, 'Motion Videos'],
	['Kling resolution 4k', { ...kling, resolution: '4k' }, 'Resolution'],
	['Kling resolution in capitals', { ...kling, resolution: '1080P' }, 'Resolution'],
	['Kling orientation left', { ...kling, characterOrientation: 'left' }, 'Character Orientation'],
	['Kling video on 172.16/12', { ...kling, motionVideosUrl: 'http://172.16.0.3/v.mp4' }, 'private'],
	['Kling missing binary', { ...kling, mediaSource: 'binary', characterImagesBinary: 'hero', motionVideosBinary: 'dance' }, 'binary field'],
	['Kling emptied by extra fields', { ...kling, ...extra({ input_urls: [] }) }, 'from Character Images'],
	['other model without id', { ...other, customModel: '={{ "" }}' }, 'Model'],
	['other model without prompt', { ...other, prompt: '={{ "  " }}' }, 'Prompt'],
	['other model duration 7', { ...other, duration: 7 }, 'Duration'],
	['model ID given as an object', { ...other, customModel: '={{ { id: "seedance-2.0-fast" } }}' }, 'Model must be a model ID'],
	['prompt longer than the API takes', { ...grok, prompt: `={{ "a".repeat(${10_001}) }}` }, 'Prompt must be at most'],
	['other model ftp reference image', { ...other, referenceImagesUrl: 'ftp://cdn.example.com/a.png' }, 'Reference Images (entry 1)'],
	[
		'other model with five reference images',
		{ ...other, referenceImagesUrl: [1, 2, 3, 4, 5].map((n) => `https://cdn.example.com/${n}.png`).join(',') },
		'Reference Images takes at most 4',
	],
];

// Required fields left empty in the panel are refused by n8n itself before the node runs;
// these cases reach the node the way real workflows do, through expressions.
describe('bad input is refused before any paid request', () => {
	it('covers at least 40 invalid combinations', () => {
		expect(invalid.length).toBeGreaterThanOrEqual(40);
	});

	it.each(invalid)('%s', async (_what, panel, field) => {
		const result = await runVideo(emulator(), { operation: 'create', ...panel });
		const message = errorOf(result);
		expect(message).toContain('Item 0');
		expect(message).toContain(field);
		const stats = emulator().stats();
		expect(stats.totals.create).toBe(0);
		expect(stats.totals.files).toBe(0);
	});

	it('refuses the whole batch when one item is bad, naming that item, and sends nothing', async () => {
		const result = await runVideo(
			emulator(),
			{ operation: 'create', model: 'grok-video-3', prompt: '={{ $json.prompt }}' },
			[{ prompt: 'first' }, { prompt: 'second' }, { prompt: '' }],
		);
		expect(errorOf(result)).toContain('Item 2: Prompt');
		expect(emulator().stats().totals.create).toBe(0);
	});

	it('with Continue On Fail sends the good items only and reports the bad one in place', async () => {
		const result = await runVideo(
			emulator(),
			{ operation: 'create', model: 'grok-video-3', prompt: '={{ $json.prompt }}' },
			[{ prompt: 'first' }, { prompt: '' }, { prompt: 'third' }],
			{ node: { onError: 'continueRegularOutput' } },
		);
		const items = outputOf(result);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.status).toBe('pending');
		expect(String(items[1].json.error)).toContain('Item 1: Prompt');
		expect(items[2].json.status).toBe('pending');
		expect(emulator().stats().totals.create).toBe(2);
	});
});
