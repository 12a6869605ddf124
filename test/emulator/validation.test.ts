import { modelCatalogue } from '../../nodes/shared/models';
import { useEmulator } from './fixtures';
import { EXTRA_MODEL_IDS } from '../../emulator/listedModels';

const fixture = useEmulator();
const create = (body: unknown) => fixture.api.post('/api/v1/video/generations', body);

const KLING = { model: 'kling-motion-control', input_urls: ['https://x.test/a.png'], video_urls: ['https://x.test/m.mp4'] };

describe('create answers 400 in the vendor shape, naming the field', () => {
	test.each([
		['grok: missing prompt', { model: 'grok-video-3' }, 'prompt', 'prompt is required'],
		['grok: blank prompt', { model: 'grok-video-3', prompt: '  ' }, 'prompt', 'prompt is required'],
		['grok: prompt not a string', { model: 'grok-video-3', prompt: 42 }, 'prompt', 'prompt must be a string'],
		['grok: aspect ratio outside the list', { model: 'grok-video-3-10s', prompt: 'x', aspect_ratio: '4:3' }, 'aspect_ratio', 'aspect_ratio must be one of 1:1, 16:9, 9:16, 2:3, 3:2'],
		['grok: size outside the list', { model: 'grok-video-3-15s', prompt: 'x', size: '2K' }, 'size', 'size must be one of 720P, 1080P, 4K'],
		['grok: duration given as text', { model: 'grok-video-3', prompt: 'x', duration: '5' }, 'duration', 'duration must be one of 5, 8, 10'],
		['veo: three frame images', { model: 'veo-3.1', prompt: 'x', images: ['https://a.test/1', 'https://a.test/2', 'https://a.test/3'] }, 'images', 'images takes at most 2 URLs'],
		['veo: images not a list', { model: 'veo-3.1', prompt: 'x', images: 'https://a.test/1' }, 'images', 'images must be an array of URLs'],
		['veo: audio flag not boolean', { model: 'veo-3.1-fast', prompt: 'x', generate_audio: 'yes' }, 'generate_audio', 'generate_audio must be a boolean'],
		['kling: no character image', { ...KLING, input_urls: [] }, 'input_urls', 'input_urls must not be empty'],
		['kling: no motion video', { ...KLING, video_urls: undefined }, 'video_urls', 'video_urls is required'],
		['kling: motion video not a URL', { ...KLING, video_urls: ['motion.mp4'] }, 'video_urls', 'video_urls[0] must be an http(s) URL'],
		['kling: unknown mode', { ...KLING, mode: '4k' }, 'mode', 'mode must be one of 720p, 1080p'],
		['kling: unknown orientation', { ...KLING, character_orientation: 'left' }, 'character_orientation', 'character_orientation must be one of image, video'],
		['any: callback not http(s)', { model: 'veo-3.1', prompt: 'x', callback_url: 'ftp://hooks.test/x' }, 'callback_url', 'callback_url must be an http(s) URL'],
		['extra model: duration outside 5/8/10', { model: 'seedance-2.0-fast', prompt: 'x', duration: 7 }, 'duration', 'duration must be one of 5, 8, 10'],
		['no model', { prompt: 'x' }, 'model', 'model is required'],
	])('%s', async (_case, body, field, msg) => {
		const response = await create(body);
		expect(response.status).toBe(400);
		expect(response.data).toEqual({ code: 400, msg, field });
		expect(fixture.emulator.stats().tasksCreated).toBe(0);
	});
});

/** The reference leaves these open; the emulator takes the lenient reading (see emulator/vendorRules.ts). */
describe('create accepts what the reference does not refuse', () => {
	test.each([
		['grok at 4K', { model: 'grok-video-3', prompt: 'x', size: '4K' }],
		['grok with a duration', { model: 'grok-video-3-10s', prompt: 'x', duration: 10 }],
		['grok with audio and images', { model: 'grok-video-3-10s', prompt: 'x', generate_audio: true, images: ['https://a.test/1'] }],
		['kling with five character images', { ...KLING, input_urls: [1, 2, 3, 4, 5].map((n) => `https://x.test/${n}.png`) }],
		['kling with a callback', { ...KLING, callback_url: 'https://hooks.test/x' }],
		['fields the reference does not list', { model: 'veo-3.1', prompt: 'x', seed: 7, negative_prompt: 'rain' }],
	])('%s', async (_case, body) => {
		expect((await create(body)).status).toBe(200);
	});
});

describe('model ids', () => {
	test.each(['sora-2', 'seedance-2-0-fast'])('%s answers 400 Invalid model', async (model) => {
		const response = await create({ model, prompt: 'x' });
		expect(response.status).toBe(400);
		expect(response.data).toEqual({ code: 400, msg: 'Invalid model', field: 'model' });
	});

	test.each(modelCatalogue.map((model) => model.id))('catalogue model %s is accepted', async (model) => {
		const body = model === KLING.model ? KLING : { model, prompt: 'x' };
		expect((await create(body)).status).toBe(200);
	});

	test.each(EXTRA_MODEL_IDS)('listed extra model %s is accepted', async (model) => {
		expect((await create({ model, prompt: 'x' })).status).toBe(200);
	});
});

test('a body that is not JSON answers 400', async () => {
	const response = await fixture.api.post('/api/v1/video/generations', '{"model":', {
		headers: { 'Content-Type': 'application/json' },
		transformRequest: [(data: string) => data],
	});
	expect(response.status).toBe(400);
	expect(response.data).toEqual({ code: 400, msg: 'Invalid JSON body' });
});

test('a JSON array answers 400 naming the body', async () => {
	const response = await create([{ model: 'grok-video-3', prompt: 'x' }]);
	expect(response.status).toBe(400);
	expect(response.data.field).toBe('body');
});

describe('querying', () => {
	test('an unknown task id answers 404 Task not found', async () => {
		const response = await fixture.api.get('/api/v1/video/generations', { params: { task_id: 'cl_missing' } });
		expect(response.status).toBe(404);
		expect(response.data).toEqual({ code: 404, msg: 'Task not found' });
	});

	test('no task_id answers 400 naming task_id', async () => {
		const response = await fixture.api.get('/api/v1/video/generations');
		expect(response.status).toBe(400);
		expect(response.data).toEqual({ code: 400, msg: 'task_id is required', field: 'task_id' });
	});
});

test('an unknown path answers 404', async () => {
	const response = await fixture.api.get('/api/v2/anything');
	expect(response.status).toBe(404);
	expect(fixture.emulator.stats().requests.unknown['404']).toBe(1);
});
