/**
 * APIModels Callback Trigger: bad requests start nothing. A body that is not a JSON object, names
 * no task, or carries no final state gets a 400 at once, asks the API nothing, remembers
 * nothing and never throws. (A wrong HTTP method never reaches the node: n8n routes only the
 * registered POST webhook; the e2e suite checks that against a real n8n.)
 */
import type { IDataObject } from 'n8n-workflow';
import { useEmulator } from '../support/fixtures';
import { triggerFixtures } from './fixtures';

const emulator = useEmulator();
const { post } = triggerFixtures(emulator);

const ID = 'clmalformed00000000000001';
const bad: Array<[string, unknown]> = [
	['text that is not JSON', 'task finished, trust me'],
	['truncated JSON', '{"code":200,"msg":"success","data":{"task_id":"cl'],
	['an empty body', undefined],
	['a JSON array', [{ task_id: ID, status: 'completed' }]],
	['a JSON string', '"completed"'],
	['a JSON number', '42'],
	['JSON null', 'null'],
	['an object without a task id', { code: 200, msg: 'success', data: { status: 'completed', videos: ['https://cdn.example.com/a.mp4'] } }],
	['a bare object without a task id', { state: 'failed', failMsg: 'nope' }],
	['an empty task id', { task_id: '', status: 'completed' }],
	['a task id that is an object', { task_id: { $ne: null }, status: 'completed' }],
	['no status at all', { task_id: ID }],
	['an unknown status', { task_id: ID, status: 'exploded' }],
	['a status that is not a string', { taskId: ID, state: 1 }],
	['status pending', { task_id: ID, status: 'pending' }],
	['state processing (live spelling)', { code: 200, msg: 'success', data: { taskId: ID, state: 'processing' } }],
	['status running (a synonym of processing)', { task_id: ID, status: 'running' }],
	['state queued, bare', { taskId: ID, state: 'queued' }],
];

describe.each([true, false])('APIModels Callback Trigger refuses malformed callbacks (verify %s)', (verify) => {
	it.each(bad)('%s: 400, nothing started, nothing asked, nothing remembered', async (_name, body) => {
		const staticData: IDataObject = {};
		const result = await post(body, { parameters: { verify }, staticData });
		expect(result.response.statusCode).toBe(400);
		expect(result.response.ended).toBe(true);
		expect(result.response.body).toMatchObject({ received: false, message: expect.any(String) });
		expect(result.workflowData).toBeUndefined();
		expect(result.noWebhookResponse).toBe(true);
		expect(emulator().stats().log).toEqual([]);
		expect(JSON.stringify(result.staticData)).not.toContain(ID);
	});
});

describe('APIModels Callback Trigger after a refused body', () => {
	it('a refused body does not block the well-formed callback that follows', async () => {
		const id = 'clmalformedfollow00000001';
		const request = (body: unknown) => post(body, { parameters: { verifyWithApi: false } });
		expect((await request({ task_id: id, status: 'processing' })).response.statusCode).toBe(400);
		const good = await request({ task_id: id, status: 'completed', videos: ['https://cdn.example.com/a.mp4'] });
		expect(good.response.statusCode).toBe(200);
		expect(good.workflowData?.[0]?.[0]?.json).toMatchObject({ taskId: id, status: 'completed' });
	});
});
