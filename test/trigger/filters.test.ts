/**
 * APIModels Callback Trigger filters: Events (completed / failed) and Models. Verified, they apply to
 * the API's answer, so a callback cannot talk its way past them by naming another model.
 */
import type { WebhookResult } from '../../harness/engine';
import { useEmulator } from '../support/fixtures';
import { started, triggerFixtures } from './fixtures';

const emulator = useEmulator();
const { endedTask, callbackFor, post } = triggerFixtures(emulator);

const startedIds = (result: WebhookResult) => started(result).map((json) => json.taskId);

describe('APIModels Callback Trigger Events filter', () => {
	it.each([
		[['completed', 'failed'], ['completed', 'failed']],
		[['completed'], ['completed']],
		[['failed'], ['failed']],
		[[], []],
	])('events %j start the workflow for %j tasks only', async (events, expected) => {
		const completed = await endedTask({ model: 'grok-video-3' });
		const failed = await endedTask({ model: 'grok-video-3', fail: true });
		const ran: string[] = [];
		for (const task of [completed, failed]) {
			const result = await post(callbackFor(task), { parameters: { events } });
			expect(result.response.statusCode).toBe(200);
			if (startedIds(result).includes(task.id)) ran.push(task.outcome);
		}
		expect(ran).toEqual(expected);
	});

	it('defaults to both events', async () => {
		const failed = await endedTask({ model: 'veo-3.1', fail: true });
		expect(startedIds(await post(callbackFor(failed)))).toEqual([failed.id]);
	});
});

describe('APIModels Callback Trigger Models filter', () => {
	it('starts only for tasks of the selected models', async () => {
		const grok = await endedTask({ model: 'grok-video-3' });
		const veo = await endedTask({ model: 'veo-3.1' });
		const veoFast = await endedTask({ model: 'veo-3.1-fast', fail: true });
		const parameters = { models: ['veo-3.1', 'veo-3.1-fast'] };
		expect(startedIds(await post(callbackFor(grok), { parameters }))).toEqual([]);
		expect(startedIds(await post(callbackFor(veo), { parameters }))).toEqual([veo.id]);
		expect(startedIds(await post(callbackFor(veoFast), { parameters }))).toEqual([veoFast.id]);
	});

	it('means every model when none is selected, including models outside the catalogue', async () => {
		const other = await endedTask({ model: 'seedance-2.0-fast' });
		const result = await post(callbackFor(other), { parameters: { models: [] } });
		expect(result.workflowData?.[0]?.[0]?.json).toMatchObject({ taskId: other.id, estimatedCostUsd: null });
	});

	it('judges the verified model, not the one the callback names', async () => {
		const grok = await endedTask({ model: 'grok-video-3' });
		const veo = await endedTask({ model: 'veo-3.1' });
		const parameters = { models: ['veo-3.1'] };
		// The callback lies about the model in both directions; the API's answer decides.
		expect(startedIds(await post(callbackFor(grok, { patch: { model: 'cloud-video/veo-3.1' } }), { parameters }))).toEqual([]);
		expect(startedIds(await post(callbackFor(veo, { patch: { model: 'cloud-video/grok-video-3' } }), { parameters }))).toEqual([veo.id]);
	});

	it('combines with the Events filter', async () => {
		const veoFailed = await endedTask({ model: 'veo-3.1', fail: true });
		const veoDone = await endedTask({ model: 'veo-3.1' });
		const grokFailed = await endedTask({ model: 'grok-video-3', fail: true });
		const parameters = { models: ['veo-3.1'], events: ['failed'] };
		expect(startedIds(await post(callbackFor(veoDone), { parameters }))).toEqual([]);
		expect(startedIds(await post(callbackFor(grokFailed), { parameters }))).toEqual([]);
		expect(startedIds(await post(callbackFor(veoFailed), { parameters }))).toEqual([veoFailed.id]);
	});

	it('applies to the body\'s model when verification is off', async () => {
		const body = (model: string) => ({
			taskId: `clfilter${model.replace(/\W/g, '')}000000000000`.slice(0, 26),
			state: 'completed',
			model: `cloud-video/${model}`,
			resultUrls: ['https://cdn.example.com/v.mp4'],
		});
		const parameters = { verifyWithApi: false, models: ['kling-motion-control'] };
		expect(startedIds(await post(body('grok-video-3'), { parameters }))).toEqual([]);
		const kling = body('kling-motion-control');
		expect(startedIds(await post(kling, { parameters }))).toEqual([kling.taskId]);
		// A body with no model at all does not pass a model filter.
		const anonymous = { taskId: 'clfilteranonymous000000001', state: 'completed' };
		expect(startedIds(await post(anonymous, { parameters }))).toEqual([]);
	});
});
