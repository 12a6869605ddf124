/**
 * APIModels Callback Trigger, Secret Token: a callback must carry it as the `token` query parameter
 * (or the `x-apimodels-token` header). Missing: 401; wrong: 403; in both cases nothing is
 * verified, remembered or started. The right token lets the callback through. Security is Secret
 * Token unless the user picks None; a trigger left without a token refuses every callback (and
 * n8n refuses to publish it: test/e2e/cases/editor.ts).
 */
import type { WebhookRequest } from '../../harness/engine';
import { ApiModelsCallbackTrigger } from '../../nodes/ApiModelsCallbackTrigger/ApiModelsCallbackTrigger.node';
import { useEmulator } from '../support/fixtures';
import { triggerFixtures } from './fixtures';

const emulator = useEmulator();
const { endedTask, callbackFor, post } = triggerFixtures(emulator);
const TOKEN = 's3cr3t-Tok_en';

const refusals: Array<[string, number, Pick<WebhookRequest, 'query' | 'headers'>]> = [
	['no token', 401, {}],
	['an empty token query parameter', 401, { query: { token: '' } }],
	['an empty token header', 401, { headers: { 'X-APIModels-Token': '' } }],
	['a wrong token in the query', 403, { query: { token: 'guess' } }],
	['a wrong token in the header', 403, { headers: { 'x-apimodels-token': 'guess' } }],
	['the token with a different case', 403, { query: { token: TOKEN.toUpperCase() } }],
	['a prefix of the token', 403, { query: { token: TOKEN.slice(0, -1) } }],
	['the token with extra characters', 403, { query: { token: `${TOKEN}x` } }],
	['the token in another query parameter', 401, { query: { secret: TOKEN } }],
	['the token in another header', 401, { headers: { authorization: `Bearer ${TOKEN}` } }],
];

describe('APIModels Callback Trigger with a Secret Token', () => {
	it.each(refusals)('refuses %s with %d and starts nothing', async (_name, status, request) => {
		const task = await endedTask();
		const result = await post(callbackFor(task), { parameters: { secretToken: TOKEN }, request });
		expect(result.response.statusCode).toBe(status);
		expect(result.response.body).toMatchObject({ received: false });
		expect(result.workflowData).toBeUndefined();
		expect(emulator().stats().totals.status).toBe(0); // not even verified
		expect(JSON.stringify(result.staticData)).not.toContain(task.id);

		// A refused copy leaves the task free for the genuine, tokened callback.
		const genuine = await post(callbackFor(task), {
			parameters: { secretToken: TOKEN },
			request: { query: { token: TOKEN } },
			staticData: result.staticData,
		});
		expect(genuine.workflowData?.[0]?.[0]?.json).toMatchObject({ taskId: task.id });
	});

	it.each([
		['query parameter', { query: { token: TOKEN } }],
		['header', { headers: { 'X-APIModels-Token': TOKEN } }],
		['header beside an empty query parameter', { query: { token: '' }, headers: { 'x-apimodels-token': TOKEN } }],
	] as const)('accepts the right token as a %s', async (_name, request) => {
		const task = await endedTask();
		const result = await post(callbackFor(task), { parameters: { secretToken: TOKEN }, request });
		expect(result.response.statusCode).toBe(200);
		expect(result.workflowData?.[0]?.[0]?.json).toMatchObject({ taskId: task.id, status: 'completed' });
	});

	it('checks the token before reading the body: a tokenless malformed body gets 401, not 400', async () => {
		const result = await post('not json', { parameters: { secretToken: TOKEN } });
		expect(result.response.statusCode).toBe(401);
	});

	it('also guards an unverified trigger (where the token is the only protection)', async () => {
		const body = { task_id: 'clsecretunverified000000001', status: 'completed', videos: ['https://cdn.example.com/v.mp4'] };
		const run = (query: Record<string, string>) =>
			post(body, { parameters: { verify: false, secretToken: TOKEN }, request: { query }, credentials: false });
		const missing = await run({});
		const wrong = await run({ token: 'nope' });
		expect([missing.response.statusCode, wrong.response.statusCode]).toEqual([401, 403]);
		expect(missing.workflowData ?? wrong.workflowData).toBeUndefined();
		const right = await run({ token: TOKEN });
		expect(right.workflowData?.[0]?.[0]?.json).toMatchObject({ taskId: body.task_id, videoUrl: body.videos[0] });
	});

	it('asks for a Secret Token unless Security is set to None', () => {
		const security = new ApiModelsCallbackTrigger().description.properties.find((property) => property.name === 'security');
		expect(security?.default).toBe('token');
	});

	it.each([
		['no token', {}],
		['an empty token', { query: { token: '' } }],
		['any token', { query: { token: 'guess' } }],
	] as const)('left without a token, refuses a callback carrying %s with 401', async (_name, request) => {
		const task = await endedTask();
		const result = await post(callbackFor(task), { parameters: { secretToken: '' }, request });
		expect(result.response.statusCode).toBe(401);
		expect(result.response.body).toMatchObject({ received: false, message: 'This trigger has no Secret Token set' });
		expect(result.workflowData).toBeUndefined();
		expect(emulator().stats().totals.status).toBe(0);
	});

	it('needs no token with Security: None', async () => {
		const task = await endedTask();
		const result = await post(callbackFor(task), { parameters: { security: 'none' } });
		expect(result.workflowData).toHaveLength(1);
	});
});
