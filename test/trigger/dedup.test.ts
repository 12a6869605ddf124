/* eslint-disable @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
/**
 * APIModels Callback Trigger starts the workflow once per task and state: the vendor re-sends a
 * callback until it gets a 2xx, and networks duplicate requests. Workflow static data is carried
 * from one call to the next as n8n persists it; the trigger remembers the last 1,000 deliveries.
 * A forged copy that fails verification must not block the genuine callback.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';
import type { WebhookResult } from '../../harness/engine';
import type { EmulatorTask } from '../../emulator/tasks';
import { useEmulator } from '../support/fixtures';
import { deliveriesIn, triggerFixtures } from './fixtures';

const emulator = useEmulator();
const { createTask, endedTask, callbackFor, post } = triggerFixtures(emulator);

/** The trigger as a freshly started n8n process loads it: nothing remembered but the static data. */
function restartedTrigger(): INodeType {
	let fresh: INodeType | undefined;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const module = require('../../nodes/ApiModelsCallbackTrigger/ApiModelsCallbackTrigger.node');
		fresh = new module.ApiModelsCallbackTrigger();
	});
	return fresh as INodeType;
}

const startedCount = (results: WebhookResult[]) => results.filter((result) => result.workflowData).length;

describe('APIModels Callback Trigger starts once per task and state', () => {
	it('repeated callbacks, in any spelling and shape, start the workflow once and ask the API once', async () => {
		const task = await endedTask();
		let staticData: IDataObject = {};
		const results: WebhookResult[] = [];
		const copies = [
			callbackFor(task),
			callbackFor(task),
			callbackFor(task, { spelling: 'live' }),
			callbackFor(task, { wrapped: false }),
			callbackFor(task, { spelling: 'live', wrapped: false }),
		];
		for (const body of copies) {
			const result = await post(body, { staticData });
			staticData = result.staticData;
			results.push(result);
		}
		expect(results.map((result) => result.response.statusCode)).toEqual([200, 200, 200, 200, 200]);
		expect(startedCount(results)).toBe(1);
		expect(results[0].workflowData?.[0]?.[0]?.json).toMatchObject({ taskId: task.id });
		expect(results.slice(1).map((result) => result.response.body)).toEqual(
			Array(4).fill({ received: true, duplicate: true, deliveryId: `${task.id}:completed` }),
		);
		expect(emulator().stats().totals.status).toBe(1);
		const deliveries = deliveriesIn(staticData);
		expect(deliveries.filter((key) => key.startsWith(task.id))).toEqual([`${task.id}:completed`]);
	});

	it('remembers across a restart through the workflow static data', async () => {
		const task = await endedTask();
		const first = await post(callbackFor(task));
		expect(first.workflowData).toHaveLength(1);

		// A restarted n8n given the persisted static data recognises the re-sent callback...
		const again = await post(callbackFor(task), { staticData: first.staticData, trigger: restartedTrigger() });
		expect(again.workflowData).toBeUndefined();
		expect(again.response.body).toEqual({ received: true, duplicate: true, deliveryId: `${task.id}:completed` });
		// ...and one that lost it would start the workflow again: the static data is what remembers.
		const amnesiac = await post(callbackFor(task), { staticData: {}, trigger: restartedTrigger() });
		expect(amnesiac.workflowData).toHaveLength(1);
	});

	it('deliveries of different tasks verified at the same time all reach the static data', async () => {
		// n8n loads static data before each webhook call and saves it after, if changed, whole:
		// concurrent calls all start from the same copy and the last save wins.
		const tasks = await Promise.all(Array.from({ length: 8 }, () => endedTask()));
		emulator().setOptions({ latencyMs: 100 }); // the verifications overlap
		let persisted: IDataObject = {};
		const loaded = JSON.stringify(persisted);
		await Promise.all(
			tasks.map(async (task) => {
				const result = await post(callbackFor(task), { staticData: JSON.parse(loaded) as IDataObject });
				expect(result.workflowData).toHaveLength(1);
				if (JSON.stringify(result.staticData) !== loaded) persisted = result.staticData;
			}),
		);
		const remembered = deliveriesIn(persisted);
		expect(remembered).toEqual(expect.arrayContaining(tasks.map((task) => `${task.id}:completed`)));

		// So a restarted n8n recognises every one of them.
		const trigger = restartedTrigger();
		for (const task of tasks) {
			expect((await post(callbackFor(task), { staticData: persisted, trigger })).workflowData).toBeUndefined();
		}
	});

	it('concurrent copies start the workflow once; a copy refused while another is verified is accepted as a duplicate when re-sent', async () => {
		const task = await endedTask();
		emulator().inject('status', { kind: 'slow', delayMs: 300 });
		const results = await Promise.all(Array.from({ length: 8 }, () => post(callbackFor(task), { staticData: {} })));
		expect(startedCount(results)).toBe(1);
		const codes = results.map((result) => result.response.statusCode).sort();
		expect(codes).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
		expect(emulator().stats().totals.status).toBe(1);

		// The vendor re-sends on a non-2xx; by then the delivery is done.
		const winner = results.find((result) => result.workflowData) as WebhookResult;
		const resent = await post(callbackFor(task), { staticData: winner.staticData });
		expect(resent.response).toMatchObject({ statusCode: 200, body: { received: true, duplicate: true } });
		expect(resent.workflowData).toBeUndefined();
	});

	it('a completed and a failed callback of one task are different deliveries', async () => {
		const id = 'cldedupbothstates000000001';
		let staticData: IDataObject = {};
		const started: string[] = [];
		for (const status of ['completed', 'failed', 'completed', 'failed']) {
			const result = await post({ task_id: id, status }, { parameters: { verifyWithApi: false }, staticData });
			staticData = result.staticData;
			if (result.workflowData) started.push(status);
		}
		expect(started).toEqual(['completed', 'failed']);
	});
});

describe('APIModels Callback Trigger: forged copies do not block the genuine callback', () => {
	const forgeries: Array<[string, (task: EmulatorTask) => unknown]> = [
		['another video URL', (task) => callbackFor(task, { patch: { videos: ['https://evil.example.com/x.mp4'] } })],
		['an extra video URL', (task) => callbackFor(task, { spelling: 'live', wrapped: false, patch: { resultUrls: [emulator().videoUrl(task.id), 'https://evil.example.com/x.mp4'] } })],
	];

	it.each(forgeries)('forged first (%s), then the genuine one', async (_name, forge) => {
		const task = await endedTask();
		const forged = await post(forge(task));
		expect(forged.response.statusCode).toBe(422); // not acknowledged
		expect(forged.workflowData).toBeUndefined();
		const genuine = await post(callbackFor(task), { staticData: forged.staticData });
		expect(genuine.workflowData?.[0]?.[0]?.json).toMatchObject({ taskId: task.id, videoUrls: [emulator().videoUrl(task.id)] });
		const resent = await post(callbackFor(task), { staticData: genuine.staticData });
		expect(resent.workflowData).toBeUndefined();
	});

	it('an early "completed" for a task still running does not block the real one when it ends', async () => {
		const task = await createTask('A comet [pendingMs=0][processingMs=400]');
		const early = await post(callbackFor(task));
		expect(early.workflowData).toBeUndefined();
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, task.finishedAt - Date.now()) + 20));
		const genuine = await post(callbackFor(task), { staticData: early.staticData });
		expect(genuine.workflowData?.[0]?.[0]?.json).toMatchObject({ taskId: task.id, status: 'completed' });
	});

	it('a forgery of a failed task\'s "completed" does not block its genuine "failed"', async () => {
		const task = await createTask('A storm [pendingMs=0][processingMs=0] [fail]');
		const forged = await post({ task_id: task.id, status: 'completed', videos: [emulator().videoUrl(task.id)] });
		expect(forged.workflowData).toBeUndefined();
		const genuine = await post(callbackFor(task), { staticData: forged.staticData });
		expect(genuine.workflowData?.[0]?.[0]?.json).toMatchObject({ taskId: task.id, status: 'failed' });
	});

	it('a genuine copy refused (409) while a forgery is being verified is accepted when re-sent', async () => {
		const task = await endedTask();
		emulator().inject('status', { kind: 'slow', delayMs: 300 });
		const forgedRun = post(callbackFor(task, { patch: { videos: ['https://evil.example.com/x.mp4'] } }));
		while (emulator().stats().inFlight.status === 0) await new Promise((resolve) => setTimeout(resolve, 5));
		const genuine = await post(callbackFor(task));
		expect(genuine.response.statusCode).toBe(409); // not 2xx: the vendor will re-send it
		expect((await forgedRun).workflowData).toBeUndefined();
		const resent = await post(callbackFor(task));
		expect(resent.workflowData?.[0]?.[0]?.json).toMatchObject({ taskId: task.id });
	});
});

describe('APIModels Callback Trigger remembers the last 1,000 deliveries', () => {
	it('forgets the oldest beyond 1,000, in the static data and in memory', async () => {
		// Verification off makes each claim cheap: no API request.
		const ids = Array.from({ length: 1001 }, (_, index) => `clbound${String(index).padStart(19, '0')}`);
		let staticData: IDataObject = {};
		let started = 0;
		for (const id of ids) {
			const result = await post({ task_id: id, status: 'completed' }, { parameters: { verifyWithApi: false }, staticData });
			staticData = result.staticData;
			if (result.workflowData) started += 1;
		}
		expect(started).toBe(1001);
		const deliveries = deliveriesIn(staticData);
		expect(deliveries).toHaveLength(1000);
		expect(deliveries[0]).toBe(`${ids[1]}:completed`);
		expect(deliveries.at(-1)).toBe(`${ids[1000]}:completed`);

		const resend = async (id: string, trigger?: INodeType) =>
			await post({ task_id: id, status: 'completed' }, { parameters: { verifyWithApi: false }, staticData, trigger });
		// The newest and the 1,000th newest are still known, to this process and to a restarted one.
		expect((await resend(ids[1000])).workflowData).toBeUndefined();
		expect((await resend(ids[1])).workflowData).toBeUndefined();
		expect((await resend(ids[1], restartedTrigger())).workflowData).toBeUndefined();
		// The 1,001st newest is forgotten everywhere.
		expect((await resend(ids[0], restartedTrigger())).workflowData).toHaveLength(1);
		expect((await resend(ids[0])).workflowData).toHaveLength(1);
	});
});
