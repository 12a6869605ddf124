/**
 * Other Model's "Model Name or ID" list: the API's models, loaded the way the editor loads them
 * (the node's loadOptions method in n8n-core's LoadOptionsContext), with the credential's key.
 */
import { LISTED_MODEL_IDS } from '../../emulator/listedModels';
import { loadOptions } from '../../harness/engine';
import { credentialsFor, credentialTypes, nodeTypes, VIDEO_NODE, VIDEO_TYPE } from '../../harness/nodes';
import { useEmulator } from '../support/fixtures';

const emulator = useEmulator();

const listModels = async (apiKey = emulator().apiKey) =>
	await loadOptions({
		nodeTypes,
		credentialTypes,
		credentials: credentialsFor(emulator(), apiKey),
		node: { name: VIDEO_NODE, type: VIDEO_TYPE, parameters: { operation: 'create', model: 'other' } },
		method: 'listModels',
	});

describe("Other Model's list", () => {
	it("lists the API's models by ID, sorted, with one free request", async () => {
		const options = await listModels();
		expect(options).toEqual([...LISTED_MODEL_IDS].sort().map((id) => ({ name: id, value: id })));
		expect(emulator().stats().totals.models).toBe(1);
	});

	it('a rejected key says what to check', async () => {
		await expect(listModels('sk_wrong')).rejects.toThrow(/API key was rejected/);
	});
});
