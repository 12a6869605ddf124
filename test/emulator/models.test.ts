import { modelCatalogue } from '../../nodes/shared/models';
import { useEmulator } from './fixtures';

const fixture = useEmulator();

test('GET /api/v1/models lists the catalogue and the extra ids the live API shows', async () => {
	const { status, data } = await fixture.api.get('/api/v1/models');
	expect(status).toBe(200);
	expect(data).toMatchObject({ code: 200, msg: 'success' });
	const ids = (data.data as { id: string }[]).map((entry) => entry.id);
	for (const model of modelCatalogue) expect(ids).toContain(model.id);
	expect(ids).toEqual(
		expect.arrayContaining(['grok-video-3-official', 'veo-3.1-fast-fhd', 'seedance-2.0-fast', 'kling-v2-6', 'minimax-h3']),
	);
});
