import { client, createTask, GROK_BODY, useEmulator } from './fixtures';
import { startEmulator } from '../../emulator/server';

const fixture = useEmulator({ noCreditKeys: ['sk_test_broke'] });

const protectedRequests = [
	['create', 'post', '/api/v1/video/generations', GROK_BODY],
	['status', 'get', '/api/v1/video/generations?task_id=cl123', undefined],
	['models', 'get', '/api/v1/models', undefined],
	['files', 'post', '/api/v1/files', new FormData()],
] as const;

describe('every API call needs `Authorization: Bearer <key>`', () => {
	test.each(protectedRequests)('%s without a key answers 401 Invalid API key', async (_route, method, path, body) => {
		const response = await client(fixture.emulator, null).request({ method, url: path, data: body });
		expect(response.status).toBe(401);
		expect(response.data).toEqual({ code: 401, msg: 'Invalid API key' });
	});

	test.each(protectedRequests)('%s with an unknown key answers 401', async (_route, method, path, body) => {
		const response = await client(fixture.emulator, 'sk_wrong').request({ method, url: path, data: body });
		expect(response.status).toBe(401);
		expect(response.data.msg).toBe('Invalid API key');
	});

	test('a non-Bearer scheme is refused', async () => {
		const response = await client(fixture.emulator, null).get('/api/v1/models', {
			headers: { Authorization: `Basic ${fixture.emulator.apiKey}` },
		});
		expect(response.status).toBe(401);
	});

	test('the default key is sk_test_emulator and it works', async () => {
		expect(fixture.emulator.apiKey).toBe('sk_test_emulator');
		expect((await fixture.api.get('/api/v1/models')).status).toBe(200);
	});
});

test('option apiKeys replaces the accepted keys', async () => {
	const emulator = await startEmulator({ apiKeys: ['sk_one', 'sk_two'] });
	try {
		expect(emulator.apiKey).toBe('sk_one');
		expect((await client(emulator, 'sk_two').get('/api/v1/models')).status).toBe(200);
		expect((await client(emulator, 'sk_test_emulator').get('/api/v1/models')).status).toBe(401);
	} finally {
		await emulator.close();
	}
});

describe('a key without credits', () => {
	test('answers 402 Insufficient credits on create and creates nothing', async () => {
		const response = await client(fixture.emulator, 'sk_test_broke').post('/api/v1/video/generations', GROK_BODY);
		expect(response.status).toBe(402);
		expect(response.data).toEqual({ code: 402, msg: 'Insufficient credits' });
		expect(fixture.emulator.stats().tasksCreated).toBe(0);
	});

	test('still authenticates for reading', async () => {
		const broke = client(fixture.emulator, 'sk_test_broke');
		expect((await broke.get('/api/v1/models')).status).toBe(200);
		const taskId = await createTask(fixture.api);
		expect((await broke.get('/api/v1/video/generations', { params: { task_id: taskId } })).status).toBe(200);
	});
});
