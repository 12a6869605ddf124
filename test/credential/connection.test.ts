import { ApiModelsApi } from '../../credentials/ApiModelsApi.credentials';
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
