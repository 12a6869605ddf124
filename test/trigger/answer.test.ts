/**
 * APIModels Callback Trigger acknowledges only what is safe: a 2xx only once the API has confirmed the
 * callback and the execution is handed to n8n (the node returns `workflowData` and writes no
 * answer of its own: n8n answers after storing the execution), or for a known duplicate. The
 * slow work (verification, download) comes before the answer, within the answer budget; the
 * vendor's 10 s per attempt are never reached (see resend.test.ts for an API slower than
 * the budget). The trigger runs in n8n-core's real WebhookContext.
 */
import { readBinary } from '../../harness/engine';
import { videoBytes } from '../../emulator/video';
import { ApiModelsCallbackTrigger } from '../../nodes/ApiModelsCallbackTrigger/ApiModelsCallbackTrigger.node';
import { useEmulator } from '../support/fixtures';
import { triggerFixtures } from './fixtures';

const emulator = useEmulator();
const { endedTask, callbackFor, post } = triggerFixtures(emulator);
const SLOW_MS = 1500;

describe('APIModels Callback Trigger answers once the work is safe', () => {
	it('verifies before answering, and leaves the answer to n8n once the execution is handed over', async () => {
		const task = await endedTask();
		emulator().inject('status', { kind: 'slow', delayMs: SLOW_MS });
		const startedAt = Date.now();
		const result = await post(callbackFor(task));
		const elapsed = Date.now() - startedAt;
		expect(elapsed).toBeGreaterThanOrEqual(SLOW_MS - 100);
		expect(result.response.ended).toBe(false); // the node wrote nothing: n8n answers
		expect(result.workflowData?.[0]?.[0]?.json).toMatchObject({ taskId: task.id, status: 'completed' });
		expect(emulator().stats().inFlight.status).toBe(0);
	});

	it("gives n8n the body of its 200 for a started workflow: received, started and the delivery's id", async () => {
		const task = await endedTask();
		const result = await post(callbackFor(task));
		expect(result.webhookResponse).toEqual({ received: true, started: true, deliveryId: `${task.id}:completed` });
		// n8n sends webhookResponse only when the webhook's responseData is empty; unset, it sends "firstEntryJson".
		expect(new ApiModelsCallbackTrigger().description.webhooks?.[0]).toMatchObject({ responseMode: 'onReceived', responseData: '' });
	});

	it('downloads the video before handing the execution over, within the budget', async () => {
		const task = await endedTask();
		emulator().inject('video', { kind: 'slow', delayMs: SLOW_MS });
		const result = await post(callbackFor(task), { parameters: { options: { downloadVideo: true } } });
		expect(result.response.ended).toBe(false);
		const [[item]] = result.workflowData ?? [[]];
		expect(await readBinary(item)).toEqual(videoBytes(emulator().videoSpec(task.id)));
	});

	it('answers a duplicate at once, without asking the API again', async () => {
		const task = await endedTask();
		const first = await post(callbackFor(task));
		expect(first.workflowData).toHaveLength(1);
		emulator().inject('status', { kind: 'slow', delayMs: SLOW_MS });
		const result = await post(callbackFor(task), { staticData: first.staticData });
		expect(result.response).toMatchObject({ statusCode: 200, body: { received: true, duplicate: true } });
		expect(result.workflowData).toBeUndefined();
		expect(emulator().stats().totals.status).toBe(1); // only the first delivery asked
	});
});
