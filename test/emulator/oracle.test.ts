/**
 * The emulator grades requests by the vendor's reference, not by the node's validation: with the
 * node's catalogue loosened in memory (a validation bug), the node's request goes out, the
 * emulator answers 400 with a message naming the field, and the node reports that message.
 */
import { findModel } from '../../nodes/shared/models';
import type { InputSpecs } from '../../nodes/shared/inputs';
import { errorOf, grok, runVideo, useEmulator } from '../support/fixtures';

const emulator = useEmulator();
const grokInputs = findModel('grok-video-3')?.inputs as InputSpecs;
const intact = { ...grokInputs };

afterEach(() => {
	for (const key of Object.keys(grokInputs) as Array<keyof InputSpecs>) delete grokInputs[key];
	Object.assign(grokInputs, intact);
});

/** Creates the emulator refused. */
const refusedCreates = () => emulator().stats().requests.create['400'] ?? 0;

test('intact, the node refuses an aspect ratio the vendor does not list, before sending', async () => {
	const result = await runVideo(emulator(), grok('A cat', { aspectRatio: '4:3' }));
	expect(errorOf(result)).toContain('Aspect Ratio must be one of');
	expect(emulator().stats().tasksCreated).toBe(0);
	expect(refusedCreates()).toBe(0);
});

describe('with a validation bug in the node, the emulator still refuses and the node says why', () => {
	test.each([
		['an aspect ratio outside the list', { aspectRatio: { options: ['16:9', '4:3'] } }, { aspectRatio: '4:3' }, 'aspect_ratio must be one of 1:1, 16:9, 9:16, 2:3, 3:2'],
		['a size outside the list', { size: { options: ['720P', '8K'] } }, { size: '8K' }, 'size must be one of 720P, 1080P, 4K'],
	])('%s', async (_case, loosened, parameters, msg) => {
		Object.assign(grokInputs, loosened);
		const result = await runVideo(emulator(), grok('A cat', parameters));
		expect(refusedCreates()).toBe(1);
		expect(emulator().stats().tasksCreated).toBe(0);
		expect(errorOf(result)).toContain(`The API refused the request: ${msg}`);
		expect((result.error as { httpCode?: string }).httpCode).toBe('400');
	});
});
