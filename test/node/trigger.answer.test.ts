/**
 * APIModels Video Trigger answers fast: the vendor gives each callback attempt 10 s and re-sends
 * on a timeout, so the 200 must be written before the slow work (verification request,
 * download). The trigger runs in n8n-core's real WebhookContext; a thin wrapper around the node
 * type notes the moment the node writes its answer to the response object n8n hands it.
 */
import type { IDataObject, INodeType, IWebhookFunctions } from 'n8n-workflow';
import { ApiModelsVideoTrigger } from '../../nodes/ApiModelsVideoTrigger/ApiModelsVideoTrigger.node';
import { readBinary } from '../../harness/engine';
import type { EmulatorTask } from '../../emulator/tasks';
import { videoBytes } from '../../emulator/video';
import { useEmulator } from './fixtures';
import { triggerFixtures } from './triggerFixtures';

const emulator = useEmulator();
const { endedTask, callbackFor, post } = triggerFixtures(emulator);
const SLOW_MS = 1500;

interface Answer {
	at: number;
	body: unknown;
	/** What the emulator had finished answering at that moment. */
	statusAnswers: number;
	videoAnswers: number;
}

/** The trigger, with every answer it writes noted as it happens. */
function observedTrigger(answers: Answer[]): INodeType {
	const inner = new ApiModelsVideoTrigger();
	const observed = Object.create(inner) as ApiModelsVideoTrigger;
	observed.webhook = async function (this: IWebhookFunctions) {
		const response = this.getResponseObject();
		const send = response.send.bind(response);
		response.send = ((body?: unknown) => {
			const { requests } = emulator().stats();
			const count = (byStatus: Record<string, number>) => Object.values(byStatus).reduce((a, b) => a + b, 0);
			answers.push({ at: Date.now(), body, statusAnswers: count(requests.status), videoAnswers: count(requests.video) });
			return send(body);
		}) as typeof response.send;
		return await inner.webhook.call(this);
	};
	return observed;
}

async function deliverObserved(task: EmulatorTask, parameters: IDataObject = {}) {
	const answers: Answer[] = [];
	const startedAt = Date.now();
	const result = await post(callbackFor(task), { parameters, trigger: observedTrigger(answers) });
	return { result, answers, startedAt, resolvedAt: Date.now() };
}

describe('APIModels Video Trigger answers before the slow work', () => {
	it('writes 200 before the verification request is answered', async () => {
		const task = await endedTask();
		emulator().inject('status', { kind: 'slow', delayMs: SLOW_MS });
		const { result, answers, startedAt, resolvedAt } = await deliverObserved(task);

		expect(answers).toHaveLength(1);
		const [answer] = answers;
		expect(answer.body).toEqual({ received: true });
		expect(answer.statusAnswers).toBe(0); // the API had not confirmed the task yet
		expect(answer.at - startedAt).toBeLessThan(SLOW_MS / 2);
		expect(resolvedAt - answer.at).toBeGreaterThanOrEqual(SLOW_MS - 100);
		expect(result.response).toMatchObject({ statusCode: 200, ended: true });
		// ...and verification still happened afterwards.
		expect(emulator().stats().faults.slow).toBe(1);
		expect(result.workflowData?.[0]?.[0]?.json).toMatchObject({ taskId: task.id, status: 'completed' });
	});

	it('writes 200 before the video is downloaded', async () => {
		const task = await endedTask();
		emulator().inject('video', { kind: 'slow', delayMs: SLOW_MS });
		const { result, answers, startedAt, resolvedAt } = await deliverObserved(task, { options: { downloadVideo: true } });

		expect(answers).toHaveLength(1);
		expect(answers[0].videoAnswers).toBe(0);
		expect(answers[0].at - startedAt).toBeLessThan(SLOW_MS / 2);
		expect(resolvedAt - answers[0].at).toBeGreaterThanOrEqual(SLOW_MS - 100);
		const [[item]] = result.workflowData ?? [[]];
		expect(await readBinary(item)).toEqual(videoBytes(emulator().videoSpec(task.id)));
	});

	it('answers a duplicate at once, without asking the API again', async () => {
		const task = await endedTask();
		const first = await deliverObserved(task);
		expect(first.result.workflowData).toHaveLength(1);
		emulator().inject('status', { kind: 'slow', delayMs: SLOW_MS });
		const { result, answers, startedAt, resolvedAt } = await deliverObserved(task);
		expect(answers.map((answer) => answer.body)).toEqual([{ received: true, duplicate: true }]);
		expect(result.response.statusCode).toBe(200);
		expect(result.workflowData).toBeUndefined();
		expect(resolvedAt - startedAt).toBeLessThan(SLOW_MS / 2); // did not wait for the slow API
		expect(emulator().stats().totals.status).toBe(1); // only the first delivery asked
	});
});
