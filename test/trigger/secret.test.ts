/**
 * APIModels Callback Trigger's token. typeVersion 2 takes it from the APIModels credential's Callback
 * Secret: a callback must carry the token derived from it (never the secret itself) as the `token`
 * query parameter or the `x-apimodels-token` header, exactly once, as one string. Missing or
 * malformed: 401; wrong: 403; in every case nothing else is read, evaluated, verified, remembered or
 * started. Create Video, with the same credential, adds that token to its Callback URL itself.
 * typeVersion 1 (workflows saved before) keeps its Secret Token parameter and works as it did.
 */
import { randomBytes } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';
import type { WebhookRequest } from '../../harness/engine';
import { ApiModelsCallbackTrigger } from '../../nodes/ApiModelsCallbackTrigger/ApiModelsCallbackTrigger.node';
import { SECRET_MEMORY_MS } from '../../nodes/ApiModelsCallbackTrigger/token';
import { callbackToken } from '../../nodes/shared/callbackToken';
import { outputOf, runVideo, useEmulator } from '../support/fixtures';
import { triggerFixtures } from './fixtures';

const emulator = useEmulator();
const { endedTask, callbackFor, post, publish } = triggerFixtures(emulator);
const SECRET = `${randomBytes(12).toString('base64url')}-of_the.credential`;
const TOKEN = callbackToken(SECRET);

type Request = Pick<WebhookRequest, 'query' | 'headers'>;

const refusals: Array<[string, number, Request]> = [
	['no token', 401, {}],
	['an empty token query parameter', 401, { query: { token: '' } }],
	['an empty token header', 401, { headers: { 'X-APIModels-Token': '' } }],
	['a wrong token in the query', 403, { query: { token: 'guess' } }],
	['a wrong token in the header', 403, { headers: { 'x-apimodels-token': 'guess' } }],
	['the Callback Secret itself instead of its token', 403, { query: { token: SECRET } }],
	['the token with a different case', 403, { query: { token: TOKEN.toUpperCase() } }],
	['a prefix of the token', 403, { query: { token: TOKEN.slice(0, -1) } }],
	['the token with extra characters', 403, { query: { token: `${TOKEN}x` } }],
	['the token in another query parameter', 401, { query: { secret: TOKEN } }],
	['the token in another header', 401, { headers: { authorization: `Bearer ${TOKEN}` } }],
	['the token as an array (?token[]=)', 401, { query: { token: [TOKEN] } }],
	['the token repeated (?token=a&token=a)', 401, { query: { token: [TOKEN, TOKEN] } }],
	['a wrong token beside the right one', 401, { query: { token: ['guess', TOKEN] } }],
	['the token as an object (?token[a]=)', 401, { query: { token: { a: TOKEN } } }],
	['the token header sent twice', 401, { headers: { 'x-apimodels-token': [TOKEN, TOKEN] } }],
	['the token in both the query and the header', 401, { query: { token: TOKEN }, headers: { 'x-apimodels-token': TOKEN } }],
];

/** Parameters that fail the call if anything reads or evaluates them: they name a node that does not exist. */
const TRAPS: IDataObject = Object.fromEntries(
	['events', 'models', 'verifyWithApi', 'options'].map((name) => [name, `={{ $('No node ${name}').first().json }}`]),
);

describe('APIModels Callback Trigger with the Callback Secret of its credential (typeVersion 2)', () => {
	it.each(refusals)('refuses %s with %d and starts nothing', async (_name, status, request) => {
		const task = await endedTask();
		const result = await post(callbackFor(task), { secret: SECRET, request });
		expect(result.response.statusCode).toBe(status);
		expect(result.response.body).toMatchObject({ received: false });
		expect(result.workflowData).toBeUndefined();
		expect(emulator().stats().totals.status).toBe(0); // not even verified
		expect(JSON.stringify(result.staticData)).not.toContain(task.id);

		// A refused copy leaves the task free for the genuine, tokened callback.
		const genuine = await post(callbackFor(task), { secret: SECRET, request: { query: { token: TOKEN } }, staticData: result.staticData });
		expect(genuine.workflowData?.[0]?.[0]?.json).toMatchObject({ taskId: task.id });
	});

	it.each([
		['query parameter', { query: { token: TOKEN } }],
		['header', { headers: { 'X-APIModels-Token': TOKEN } }],
		['header beside an empty query parameter', { query: { token: '' }, headers: { 'x-apimodels-token': TOKEN } }],
	] as const)('accepts the token as a %s, and outputs neither it nor the secret', async (_name, request) => {
		const task = await endedTask();
		const result = await post(callbackFor(task), { secret: SECRET, request });
		expect(result.response.statusCode).toBe(200);
		expect(result.workflowData?.[0]?.[0]?.json).toMatchObject({ taskId: task.id, status: 'completed' });
		const everything = JSON.stringify([result.workflowData, result.staticData, result.response]);
		expect(everything).not.toContain(SECRET);
		expect(everything).not.toContain(TOKEN);
	});

	it('refuses a forgery before reading any other parameter or evaluating any expression', async () => {
		const task = await endedTask();
		for (const request of [{}, { query: { token: 'guess' } }, { query: { token: [TOKEN] } }]) {
			const result = await post(callbackFor(task), { secret: SECRET, parameters: TRAPS, request });
			expect([401, 403]).toContain(result.response.statusCode);
		}
		// The same parameters, read once the token is right, fail the call: the traps work.
		await expect(post(callbackFor(task), { secret: SECRET, parameters: TRAPS, request: { query: { token: TOKEN } } })).rejects.toThrow(
			"Referenced node doesn't exist",
		);
	});

	it('checks the token before reading the body: a tokenless malformed body gets 401, not 400', async () => {
		const result = await post('not json', { secret: SECRET });
		expect(result.response.statusCode).toBe(401);
	});

	it('also guards an unverified trigger (where the token is the only protection)', async () => {
		const body = { task_id: 'clsecretunverified000000001', status: 'completed', videos: ['https://cdn.example.com/v.mp4'] };
		const run = (query: Record<string, string>) => post(body, { secret: SECRET, parameters: { verifyWithApi: false }, request: { query } });
		const missing = await run({});
		const wrong = await run({ token: 'nope' });
		expect([missing.response.statusCode, wrong.response.statusCode]).toEqual([401, 403]);
		expect(missing.workflowData ?? wrong.workflowData).toBeUndefined();
		const right = await run({ token: TOKEN });
		expect(right.workflowData?.[0]?.[0]?.json).toMatchObject({ taskId: body.task_id, videoUrl: body.videos[0] });
	});

	it('asks for the Callback Secret unless Security is set to None, and has no token parameter', () => {
		const { properties, version, defaultVersion } = new ApiModelsCallbackTrigger().description;
		expect([version, defaultVersion]).toEqual([[1, 2], 2]);
		const v2 = properties.filter((property) => JSON.stringify(property.displayOptions?.show?.['@version']) !== '[1]');
		expect(v2.find((property) => property.name === 'security')?.default).toBe('token');
		expect(v2.map((property) => property.name)).not.toContain('secretToken');
	});

	it.each([
		['no token', {}],
		['an empty token', { query: { token: '' } }],
		['any token', { query: { token: 'guess' } }],
	] as const)('with a credential that has no Callback Secret, refuses a callback carrying %s with 401', async (_name, request) => {
		const task = await endedTask();
		const result = await post(callbackFor(task), { secret: '', request });
		expect(result.response.statusCode).toBe(401);
		expect(result.response.body).toMatchObject({ received: false, message: 'The trigger\'s APIModels credential has no Callback Secret set' });
		expect(result.workflowData).toBeUndefined();
		expect(emulator().stats().totals.status).toBe(0);
	});

	it('needs no token with Security: None', async () => {
		const task = await endedTask();
		const result = await post(callbackFor(task), { parameters: { security: 'none' } });
		expect(result.workflowData).toHaveLength(1);
	});

	it('refuses to publish while the credential has no Callback Secret, saying what to set', async () => {
		await expect(publish({ secret: '' })).rejects.toThrow('The trigger\'s APIModels credential has no Callback Secret set');
		await expect(publish({ secret: SECRET })).resolves.toBe(true);
		await expect(publish({ secret: '', parameters: { security: 'none' } })).resolves.toBe(true);
	});

	it('publishing reads the credential anew: a secret set since applies at once', async () => {
		const credentialId = 'secret-set-late';
		const refused = await post(callbackFor(await endedTask()), { secret: '', credentialId, request: { query: { token: TOKEN } } });
		expect(refused.response.statusCode).toBe(401);
		await expect(publish({ secret: SECRET, credentialId })).resolves.toBe(true);
		const task = await endedTask();
		const accepted = await post(callbackFor(task), { secret: SECRET, credentialId, request: { query: { token: TOKEN } } });
		expect(accepted.workflowData?.[0]?.[0]?.json).toMatchObject({ taskId: task.id });
	});

	it('acts on a changed Callback Secret once the remembered one has expired', async () => {
		const call = async (secret: string, token: string) =>
			await post(callbackFor(await endedTask()), { secret, credentialId: 'rotated-credential', request: { query: { token } } });
		const realNow = Date.now.bind(Date);
		const clock = jest.spyOn(Date, 'now');
		try {
			expect((await call('old-secret', callbackToken('old-secret'))).response.statusCode).toBe(200);
			// The credential now holds a new secret; within the memory the old one still decides.
			expect((await call('new-secret', callbackToken('old-secret'))).response.statusCode).toBe(200);
			clock.mockImplementation(() => realNow() + SECRET_MEMORY_MS + 1);
			expect((await call('new-secret', callbackToken('old-secret'))).response.statusCode).toBe(403);
			expect((await call('new-secret', callbackToken('new-secret'))).response.statusCode).toBe(200);
		} finally {
			clock.mockRestore();
		}
	});
});

describe('APIModels Video → Create Video signs its Callback URL from the credential', () => {
	const createWith = async (callbackUrl: string, callbackSecret?: string) => {
		const result = await runVideo(emulator(), { operation: 'create', model: 'grok-video-3', prompt: 'A signed heron', options: { callbackUrl } }, [{}], {
			callbackSecret,
		});
		const [item] = outputOf(result);
		const task = emulator().tasks().find((candidate) => candidate.id === item.json.taskId);
		return { item, sent: String(task?.body.callback_url) };
	};

	it('adds the token derived from the Callback Secret, never the secret, and outputs neither', async () => {
		const { item, sent } = await createWith('https://n8n.example.com/webhook/abc/callback?keep=1', SECRET);
		expect(sent).toBe(`https://n8n.example.com/webhook/abc/callback?keep=1&token=${TOKEN}`);
		expect(JSON.stringify(item)).not.toContain(SECRET);
		expect(JSON.stringify(item)).not.toContain(TOKEN);
	});

	it('sends the URL as it is without a Callback Secret, or when it carries a token already', async () => {
		expect((await createWith('https://n8n.example.com/webhook/abc/callback')).sent).toBe('https://n8n.example.com/webhook/abc/callback');
		const tokened = 'https://n8n.example.com/webhook/abc/callback?token=my-v1-token';
		expect((await createWith(tokened, SECRET)).sent).toBe(tokened);
	});
});

describe('APIModels Callback Trigger typeVersion 1 (workflows saved before) keeps its Secret Token parameter', () => {
	const V1_TOKEN = `v1-${randomBytes(12).toString('base64url')}`;
	const v1 = (request: Request, parameters: IDataObject = {}) => ({
		typeVersion: 1,
		parameters: { secretToken: V1_TOKEN, ...parameters },
		request,
	});

	it.each([
		['no token', 401, {}],
		['a wrong token', 403, { query: { token: 'guess' } }],
		['the token as an array', 401, { query: { token: [V1_TOKEN] } }],
		['the token repeated', 401, { query: { token: [V1_TOKEN, V1_TOKEN] } }],
	] as Array<[string, number, Request]>)('refuses %s with %d', async (_name, status, request) => {
		const task = await endedTask();
		const result = await post(callbackFor(task), v1(request));
		expect(result.response.statusCode).toBe(status);
		expect(result.workflowData).toBeUndefined();
		expect(emulator().stats().totals.status).toBe(0);
	});

	it('accepts its token in the query or the header, verified or not', async () => {
		const task = await endedTask();
		const query = await post(callbackFor(task), v1({ query: { token: V1_TOKEN } }));
		expect(query.workflowData?.[0]?.[0]?.json).toMatchObject({ taskId: task.id, status: 'completed' });
		const body = { task_id: 'clsecretv1unverified0000001', status: 'completed', videos: ['https://cdn.example.com/v.mp4'] };
		const header = await post(body, { ...v1({ headers: { 'x-apimodels-token': V1_TOKEN } }, { verify: false }), credentials: false });
		expect(header.workflowData?.[0]?.[0]?.json).toMatchObject({ taskId: body.task_id });
	});

	it('refuses to publish without its Secret Token', async () => {
		await expect(publish({ typeVersion: 1, parameters: { secretToken: '' } })).rejects.toThrow('This trigger has no Secret Token set');
		await expect(publish({ typeVersion: 1, parameters: { secretToken: V1_TOKEN } })).resolves.toBe(true);
	});

	it('left without a token, refuses every callback with 401', async () => {
		const task = await endedTask();
		const result = await post(callbackFor(task), v1({ query: { token: 'guess' } }, { secretToken: '' }));
		expect(result.response.statusCode).toBe(401);
		expect(result.response.body).toMatchObject({ received: false, message: 'This trigger has no Secret Token set' });
	});
});
