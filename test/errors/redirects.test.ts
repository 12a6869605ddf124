/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run on Node, outside n8n */
/**
 * The API key never leaves the Base URL's host: every API request (create, upload, status, the
 * wait schedule's reads, Park's reads, the trigger's verification, the list of models, the
 * credential test) refuses a redirect instead of following it. The Base URL here is a server on
 * 127.0.0.1 that answers every request with a redirect to a second server, under another host
 * name (localhost), which records whatever reaches it and would answer with content the user must
 * never see.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { ApiModelsApi } from '../../credentials/ApiModelsApi.credentials';
import type { RunOptions } from '../../harness/engine';
import { loadOptions, runWebhook, runWorkflow, testCredential } from '../../harness/engine';
import { credentialsFor, credentialTypes, nodeTypes, TRIGGER_TYPE, VIDEO_NODE, VIDEO_TYPE, videoNode } from '../../harness/nodes';

const API_KEY = 'sk_redirect_test_key';
const SECRET_CONTENT = 'INTERNAL-SECRET-CONTENT';

interface Seen {
	method: string;
	path: string;
	authorization?: string;
}

interface Host {
	url: string;
	/** host:port, as an error names it. */
	host: string;
	seen: Seen[];
	close(): Promise<void>;
}

async function startHost(name: string, answer: (res: http.ServerResponse) => void): Promise<Host> {
	const seen: Seen[] = [];
	const server = http.createServer((req, res) => {
		seen.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization });
		req.resume();
		req.on('end', () => answer(res));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const host = `${name}:${(server.address() as AddressInfo).port}`;
	return {
		url: `http://${host}`,
		host,
		seen,
		close: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

let elsewhere: Host;
let api: Host;
/** The status of the redirect the Base URL answers with. */
let status = 302;

beforeAll(async () => {
	elsewhere = await startHost('localhost', (res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(SECRET_CONTENT));
	api = await startHost('127.0.0.1', (res) => res.writeHead(status, { location: `${elsewhere.url}/stolen` }).end(SECRET_CONTENT));
});
afterAll(async () => await Promise.all([elsewhere.close(), api.close()]));
beforeEach(() => {
	status = 302;
	api.seen.length = 0;
	elsewhere.seen.length = 0;
});

const credentials = () => credentialsFor({ url: api.url, apiKey: API_KEY });

async function runVideo(parameters: IDataObject, input: INodeExecutionData[] = [{ json: {} }], extra: Partial<RunOptions> = {}) {
	return await runWorkflow({ nodeTypes, credentialTypes, credentials: credentials(), input, nodes: [videoNode(parameters)], ...extra });
}

/** The key went to the Base URL's host and nowhere else; nothing of the other host reached the user. */
function expectKeptHome(shown: string[]) {
	expect(api.seen.length).toBeGreaterThan(0);
	expect(api.seen.every((request) => request.authorization === `Bearer ${API_KEY}`)).toBe(true);
	expect(elsewhere.seen).toEqual([]);
	for (const text of shown) expect(text).not.toContain(SECRET_CONTENT);
}

function shownOf(error: unknown): string[] {
	const { message, description } = error as { message: string; description?: string | null };
	return [message, String(description ?? '')];
}

describe('No API request follows a redirect', () => {
	it.each([301, 302, 303, 307, 308])('Get Status: a %i is an error naming the status and the target host', async (code) => {
		status = code;
		const result = await runVideo({ operation: 'getStatus', taskId: 'task_1' });
		expect(result.error?.message).toContain(`redirect (HTTP ${code}) to ${elsewhere.host}`);
		expect(result.error?.message).toContain('task_1');
		expect(api.seen).toHaveLength(1); // definite: not retried
		expectKeptHome(shownOf(result.error));
	});

	it('Create Video: the create is refused once, not retried, and no task is said to exist', async () => {
		const result = await runVideo({ operation: 'create', model: 'grok-video-3', prompt: 'A cat' });
		expect(result.error?.message).toContain(`redirect (HTTP 302) to ${elsewhere.host}`);
		expect(result.error?.message).not.toMatch(/may have been created/);
		expect(api.seen.map(({ method, path }) => `${method} ${path}`)).toEqual(['POST /api/v1/video/generations']);
		expectKeptHome(shownOf(result.error));
	});

	it('Create Video with a binary input: the upload is refused before any create', async () => {
		const file = (name: string, mimeType: string) => ({ data: Buffer.from(name).toString('base64'), mimeType, fileName: name });
		const result = await runVideo(
			{ operation: 'create', model: 'kling-motion-control', mediaSource: 'binary', characterImagesBinary: 'image', motionVideosBinary: 'video' },
			[{ json: {}, binary: { image: file('hero.png', 'image/png'), video: file('dance.mp4', 'video/mp4') } }],
		);
		expect(result.error?.message).toContain(`redirect (HTTP 302) to ${elsewhere.host}`);
		expect(api.seen.map(({ method, path }) => `${method} ${path}`)).toEqual(['POST /api/v1/files']);
		expectKeptHome(shownOf(result.error));
	});

	it("Wait for Completion: the wait schedule's read ends the task's wait with the error", async () => {
		const result = await runVideo({ operation: 'waitForCompletion', taskId: 'task_1', options: { pollIntervalSeconds: 1 } });
		expect(result.error?.message).toContain(`redirect (HTTP 302) to ${elsewhere.host}`);
		expect(api.seen).toHaveLength(1);
		expectKeptHome(shownOf(result.error));
	});

	it("Park Execution: the read before parking and the callback's reads keep the key home", async () => {
		const parameters = { operation: 'waitForCompletion', taskId: 'task_1', options: { waitMode: 'park', timeoutMinutes: 1 } };
		const parked = await runVideo(parameters);
		expect(parked.error).toBeUndefined();
		expect(parked.status).toBe('waiting');
		expect(api.seen.map(({ path }) => path)).toEqual(['/api/v1/video/generations?task_id=task_1']);

		const resumed = await runWebhook({
			nodeTypes,
			credentialTypes,
			credentials: credentials(),
			node: videoNode(parameters),
			request: { body: { code: 200, msg: 'success', data: { task_id: 'task_1', status: 'completed' } } },
			executionId: parked.executionId,
			runExecutionData: structuredClone(parked.executionData),
		});
		// Not resumed: the callback is refused, so the vendor sends it again.
		expect(resumed.workflowData).toBeUndefined();
		expect(resumed.response.statusCode).toBe(503);
		const { message } = resumed.response.body as { message: string };
		expect(message).toContain(`redirect (HTTP 302) to ${elsewhere.host}`);
		expectKeptHome([message]);
	});

	it("the trigger's verification answers 503 naming the redirect, and starts nothing", async () => {
		const result = await runWebhook({
			nodeTypes,
			credentialTypes,
			credentials: credentials(),
			node: { name: 'APIModels Callback Trigger', type: TRIGGER_TYPE, parameters: { security: 'none' } },
			request: { body: { code: 200, msg: 'success', data: { task_id: 'task_1', status: 'completed', videos: ['https://example.com/v.mp4'] } } },
		});
		expect(result.response.statusCode).toBe(503);
		expect(result.workflowData).toBeUndefined();
		const { message } = result.response.body as { message: string };
		expect(message).toContain(`redirect (HTTP 302) to ${elsewhere.host}`);
		expectKeptHome([message]);
	});

	it("Other Model's list of the API's models fails naming the redirect", async () => {
		const listing = loadOptions({
			nodeTypes,
			credentialTypes,
			credentials: credentials(),
			node: { name: VIDEO_NODE, type: VIDEO_TYPE, parameters: { operation: 'create', model: 'other' } },
			method: 'listModels',
		});
		const error = await listing.then(() => undefined, (thrown: unknown) => thrown);
		expect((error as Error).message).toContain(`redirect (HTTP 302) to ${elsewhere.host}`);
		expect(api.seen.map(({ path }) => path)).toEqual(['/api/v1/models']);
		expectKeptHome(shownOf(error));
	});

	it('the credential test fails naming the redirect, without following it', async () => {
		const result = await testCredential({ credentialType: new ApiModelsApi(), data: { apiKey: API_KEY, baseUrl: api.url } });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/redirect \(HTTP 302\)/);
		expectKeptHome([result.message]);
	});
});
