import { modelCatalogue } from '../../nodes/ApiModelsVideo/models';
import { findBodyProblem } from '../../nodes/shared/validation';
import { useEmulator } from './harness';
import { EXTRA_MODEL_IDS } from '../../emulator/listedModels';

const fixture = useEmulator();
const create = (body: unknown) => fixture.api.post('/api/v1/video/generations', body);

const KLING = { model: 'kling-motion-control', input_urls: ['https://x.test/a.png'], video_urls: ['https://x.test/m.mp4'] };

describe('create answers 400 with a message naming the field', () => {
	test.each([
		['grok: missing prompt', { model: 'grok-video-3' }, 'prompt', 'Prompt'],
		['grok: aspect ratio outside the list', { model: 'grok-video-3-10s', prompt: 'x', aspect_ratio: '4:3' }, 'aspect_ratio', 'Aspect Ratio'],
		['grok: 4K is VEO only', { model: 'grok-video-3-15s', prompt: 'x', size: '4K' }, 'size', 'Size'],
		['veo: three frame images', { model: 'veo-3.1', prompt: 'x', images: ['https://a.test/1', 'https://a.test/2', 'https://a.test/3'] }, 'images', 'Images'],
		['veo: audio flag not boolean', { model: 'veo-3.1-fast', prompt: 'x', generate_audio: 'yes' }, 'generate_audio', 'Generate Audio'],
		['kling: no character image', { ...KLING, input_urls: [] }, 'input_urls', 'Character Images'],
		['kling: motion video not a URL', { ...KLING, video_urls: ['motion.mp4'] }, 'video_urls', 'Motion Videos'],
		['kling: unknown mode', { ...KLING, mode: '4k' }, 'mode', 'Mode'],
		['any: callback not http(s)', { model: 'veo-3.1', prompt: 'x', callback_url: 'ftp://hooks.test/x' }, 'callback_url', 'Callback URL'],
		['extra model: duration outside 5/8/10', { model: 'seedance-2.0-fast', prompt: 'x', duration: 7 }, 'duration', 'Duration'],
		['no model', { prompt: 'x' }, 'model', 'Model'],
	])('%s', async (_case, body, field, label) => {
		const response = await create(body);
		expect(response.status).toBe(400);
		expect(response.data).toEqual({ code: 400, msg: expect.stringContaining(label), field });
		// The emulator delegates to the node's own validation, so both say the same.
		expect(response.data.msg).toBe(findBodyProblem(body)?.message);
		expect(fixture.emulator.stats().tasksCreated).toBe(0);
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
