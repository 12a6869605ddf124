import { ApiModelsApi } from '../../credentials/ApiModelsApi.credentials';
import { connectionFrom } from '../../nodes/shared/connection';
import { testCredential } from '../../harness/engine';
import { useEmulator } from '../support/fixtures';

const emulator = useEmulator();

describe('the APIModels API credential', () => {
	it('a good key tests successfully with a free request', async () => {
		const result = await testCredential({
			credentialType: new ApiModelsApi(),
			data: { apiKey: emulator().apiKey, baseUrl: `${emulator().url}/` },
		});
		expect(result.status).toBe('OK');
		expect(emulator().stats().totals.models).toBe(1);
		expect(emulator().stats().tasksCreated).toBe(0);
	});

	it("a bad key shows the API's message, not a stack trace", async () => {
		const result = await testCredential({
			credentialType: new ApiModelsApi(),
			data: { apiKey: 'sk_bad', baseUrl: emulator().url },
		});
		expect(result.status).toBe('Error');
		expect(result.message).toContain('Invalid API key');
		expect(result.message).not.toMatch(/\n\s+at /);
	});

});

describe('the connection every API request uses', () => {
	it("authenticates with the header the credential type's own authenticate defines", () => {
		const node = { id: 'n', name: 'Video', type: 'apiModelsVideo', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
		expect(connectionFrom({ apiKey: 'sk_abc', baseUrl: 'http://127.0.0.1:9/' }, node)).toEqual({
			baseUrl: 'http://127.0.0.1:9',
			headers: { Authorization: 'Bearer sk_abc' },
			node,
		});
	});
});
