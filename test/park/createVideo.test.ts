/**
 * Wait Mode "Park Execution", the execute() side, through n8n-core's engine: Create Video creates the
 * tasks with this execution's resume URL as their callback URL and puts the execution into n8n's
 * waiting state instead of polling; what it leaves as the parked node's input (what n8n passes on
 * at the timeout) names every task and says it timed out. The resume side: resume.test.ts, and in
 * a real n8n the queue stage (test/e2e/queue: parked, every n8n process killed, resumed by the
 * callbacks) and `npm run bench:park`.
 */
import { MAX_PARKED_TASKS } from '../../nodes/ApiModelsVideo/resources/video/park';
import { errorOf, outputOf, runVideo, useEmulator } from '../support/fixtures';

const emulator = useEmulator({ pendingMs: 0, processingMs: 60_000 });
const parked = { waitForCompletion: true, waitMode: 'park', timeoutMinutes: 30 };

describe('Create Video with Wait Mode: Park Execution', () => {
	it('parks the execution with the tasks calling back its resume URL, polling nothing', async () => {
		const prompts = ['A lighthouse', 'A harbour', 'A gull'];
		const result = await runVideo(
			emulator(),
			{ operation: 'create', model: 'grok-video-3', prompt: '={{ $json.prompt }}', options: parked },
			prompts.map((prompt) => ({ prompt })),
		);
		expect(result.status).toBe('waiting');
		const tasks = emulator().tasks();
		expect(tasks).toHaveLength(3);
		for (const task of tasks) {
			const url = new URL(String(task.callbackUrl));
			expect(url.pathname).toBe(`/webhook-waiting/${result.executionId}`);
		}
		// One read of each task before parking (none had ended), then nothing: no polling.
		expect(emulator().stats().totals.status).toBe(3);
		const items = outputOf(result);
		expect(items.map((item) => item.json.taskId)).toEqual(tasks.map((task) => task.id));
		expect(items.every((item) => item.json.timedOut === true && /wait ended after 30 minutes/.test(String(item.json.error)))).toBe(true);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('does not park when every task has already ended: the results come at once', async () => {
		emulator().setOptions({ processingMs: 0 });
		const result = await runVideo(emulator(), { operation: 'create', model: 'grok-video-3', prompt: 'A quick gull', options: parked });
		expect(result.status).toBe('success');
		expect(outputOf(result)[0].json).toMatchObject({ status: 'completed' });
	});

	it(`refuses to park more than ${MAX_PARKED_TASKS} tasks before creating or reading any, naming the alternatives`, async () => {
		const items = Array.from({ length: MAX_PARKED_TASKS + 1 }, (_, index) => ({ prompt: `Scene ${index}`, taskId: `cl_known_${index}` }));
		const create = await runVideo(emulator(), { operation: 'create', model: 'grok-video-3', prompt: '={{ $json.prompt }}', options: parked }, items);
		const wait = await runVideo(emulator(), { operation: 'waitForCompletion', taskId: '={{ $json.taskId }}', options: { waitMode: 'park' } }, items);
		for (const result of [create, wait]) {
			expect(errorOf(result)).toBe(`Park Execution waits for at most ${MAX_PARKED_TASKS} tasks in one execution, and this run has ${MAX_PARKED_TASKS + 1} items`);
			expect(result.error?.description).toMatch(/Nothing was created.*"Poll".*batches of at most \d+.*Callback Trigger/);
		}
		expect(emulator().stats().totals).toMatchObject({ create: 0, status: 0 });
		// At the limit it parks.
		const atLimit = await runVideo(emulator(), { operation: 'waitForCompletion', taskId: '={{ $json.taskId }}', options: { waitMode: 'park' } }, items.slice(0, MAX_PARKED_TASKS));
		expect(atLimit.status).toBe('waiting');
	});
});
