/* eslint-disable @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
import { cancellableRun } from '../../harness/engine';
import { credentialsFor, credentialTypes, grok, nodeTypes, useEmulator, videoNode } from '../support/fixtures';

const emulator = useEmulator();

describe('cancelling the execution during Create Video', () => {
	it('creates no further tasks after the cancel', async () => {
		// Two at a time, 200 ms each: the ten creates would take a second.
		emulator().inject('create', { kind: 'slow', delayMs: 200 }, 10);
		const run = cancellableRun({
			nodeTypes,
			credentialTypes,
			credentials: credentialsFor(emulator()),
			input: Array.from({ length: 10 }, (_, index) => ({ prompt: `video ${index}` })),
			nodes: [videoNode(grok('={{ $json.prompt }}', { options: { concurrency: 2 } }))],
		});
		await new Promise((resolve) => setTimeout(resolve, 500));
		run.cancel();
		const cancelledAt = Date.now();
		const result = await run.promise;
		expect(result.status).toBe('canceled');
		const creates = emulator()
			.stats()
			.log.filter((entry) => entry.route === 'create');
		expect(creates.length).toBeLessThan(10);
		// The create in flight at the cancel may finish; none starts after it.
		expect(creates.filter((entry) => entry.at > cancelledAt)).toHaveLength(0);
	});
});
