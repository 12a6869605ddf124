/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
	ICredentialType,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	IWebhookFunctions,
} from 'n8n-workflow';

import { cancellableRun, readBinary, runWebhook, runWorkflow, testCredential } from '../../harness/engine';

interface Seen {
	method: string;
	url: string;
	authorization?: string;
}

/** Throwaway API: /hang never answers, /fail/<n> fails while counting, everything else echoes. */
function startServer() {
	const seen: Seen[] = [];
	let closedHangs = 0;
	const server = http.createServer((req, res) => {
		seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization });
		if (req.url === '/hang') {
			req.on('close', () => closedHangs++);
			return;
		}
		if (req.headers.authorization !== 'Bearer sk_test') {
			res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad key"}');
			return;
		}
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ path: req.url }));
	});
	return new Promise<{ server: http.Server; baseUrl: string; seen: Seen[]; closedHangs: () => number }>(
		(resolve) =>
			server.listen(0, '127.0.0.1', () => {
				const { port } = server.address() as AddressInfo;
				resolve({ server, baseUrl: `http://127.0.0.1:${port}`, seen, closedHangs: () => closedHangs });
			}),
	);
}

const testApi: ICredentialType = {
	name: 'testApi',
	displayName: 'Test API',
	properties: [
		{ displayName: 'API Key', name: 'apiKey', type: 'string', default: '' },
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: 'https://example.invalid' },
	],
	authenticate: {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	},
	test: { request: { baseURL: '={{$credentials.baseUrl}}', url: '/me' } },
};

/** Declarative: one routed GET per item, plus a custom operation dispatched by resource/operation. */
const calls: string[] = [];
const thingNode: INodeType = {
	description: {
		displayName: 'Thing',
		name: 'thing',
		group: ['transform'],
		version: 1,
		description: 'Declarative test node',
		defaults: { name: 'Thing' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'testApi', required: true }],
		requestDefaults: { baseURL: '={{$credentials.baseUrl}}' },
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Thing', value: 'thing' }],
				default: 'thing',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Get', value: 'get', routing: { request: { method: 'GET', url: '=/things/{{$json.id}}' } } },
					{ name: 'Custom', value: 'custom' },
					{ name: 'Hang', value: 'hang', routing: { request: { method: 'GET', url: '/hang' } } },
				],
				default: 'get',
			},
		],
	},
	customOperations: {
		thing: {
			async custom(this: IExecuteFunctions) {
				const { baseUrl } = await this.getCredentials<{ baseUrl: string }>('testApi');
				calls.push(this.getExecutionId());
				const items = this.getInputData();
				const out: INodeExecutionData[] = [];
				for (let i = 0; i < items.length; i++) {
					const response = await this.helpers.httpRequestWithAuthentication.call(this, 'testApi', {
						url: `${baseUrl}/custom/${i}`,
						json: true,
					});
					out.push({
						json: { ...response, hasCancelSignal: this.getExecutionCancelSignal() !== undefined },
						pairedItem: { item: i },
					});
				}
				return [out];
			},
		},
	},
};

let failuresLeft = 0;
const flakyNode: INodeType = {
	description: {
		displayName: 'Flaky',
		name: 'flaky',
		group: ['transform'],
		version: 1,
		description: 'Fails until failuresLeft reaches 0',
		defaults: { name: 'Flaky' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	},
	async execute(this: IExecuteFunctions) {
		calls.push(this.getExecutionId());
		if (failuresLeft-- > 0) throw new Error('flaky failure');
		return [this.getInputData()];
	},
};

const hookNode: INodeType = {
	description: {
		displayName: 'Hook',
		name: 'hook',
		group: ['trigger'],
		version: 1,
		description: 'Webhook test node',
		defaults: { name: 'Hook' },
		inputs: [],
		outputs: ['main'],
		credentials: [{ name: 'testApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'hook' }],
		properties: [{ displayName: 'Secret', name: 'secret', type: 'string', default: '' }],
	},
	async webhook(this: IWebhookFunctions) {
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		if (this.getHeaderData()['x-secret'] !== this.getNodeParameter('secret')) {
			res.status(401).json({ ok: false });
			return { noWebhookResponse: true };
		}
		const state = this.getWorkflowStaticData('node');
		state.count = ((state.count as number) ?? 0) + 1;
		const { baseUrl } = await this.getCredentials<{ baseUrl: string }>('testApi');
		const fetched = await this.helpers.httpRequestWithAuthentication.call(this, 'testApi', {
			url: `${baseUrl}/from-hook`,
			json: true,
		});
		const binary = await this.helpers.prepareBinaryData(Buffer.from('video-bytes'), 'v.mp4', 'video/mp4');
		return {
			workflowData: [
				[
					{
						json: { body: this.getBodyData(), query: this.getQueryData(), fetched, raw: String((req as unknown as { rawBody: Buffer }).rawBody) },
						binary: { data: binary },
					},
				],
			],
		};
	},
};

const nodeTypes = { thing: thingNode, flaky: flakyNode, hook: hookNode };

describe('engine harness', () => {
	let api: Awaited<ReturnType<typeof startServer>>;
	const base = () => ({
		nodeTypes,
		credentialTypes: [testApi],
		credentials: { testApi: { apiKey: 'sk_test', baseUrl: api.baseUrl } },
	});

	beforeAll(async () => {
		api = await startServer();
	});
	afterAll(() => api.server.close());
	beforeEach(() => {
		api.seen.length = 0;
		calls.length = 0;
		failuresLeft = 0;
	});

	it('runs a declarative node through RoutingNode with generic Bearer auth and pairedItem', async () => {
		const result = await runWorkflow({
			...base(),
			nodes: [{ name: 'Thing', type: 'thing', parameters: { resource: 'thing', operation: 'get' } }],
			input: [{ id: 'a' }, { id: 'b' }],
		});

		expect(result.status).toBe('success');
		expect(api.seen).toEqual([
			{ method: 'GET', url: '/things/a', authorization: 'Bearer sk_test' },
			{ method: 'GET', url: '/things/b', authorization: 'Bearer sk_test' },
		]);
		expect(result.output('Thing')).toEqual([
			{ json: { path: '/things/a' }, pairedItem: { item: 0 } },
			{ json: { path: '/things/b' }, pairedItem: { item: 1 } },
		]);
	});

	it('dispatches customOperations of a declarative node', async () => {
		const result = await runWorkflow({
			...base(),
			executionId: 'exec-custom',
			nodes: [{ name: 'Thing', type: 'thing', parameters: { resource: 'thing', operation: 'custom' } }],
			input: [{ id: 'a' }],
		});

		expect(result.output('Thing')).toEqual([
			{ json: { path: '/custom/0', hasCancelSignal: true }, pairedItem: { item: 0 } },
		]);
		expect(api.seen[0].authorization).toBe('Bearer sk_test');
		expect(calls).toEqual(['exec-custom']);
	});

	it('re-runs a failing node with retryOnFail inside the same execution', async () => {
		failuresLeft = 2;
		const result = await runWorkflow({
			...base(),
			nodes: [{ name: 'Flaky', type: 'flaky', parameters: {}, retryOnFail: true, maxTries: 3, waitBetweenTries: 1 }],
		});

		expect(result.status).toBe('success');
		expect(calls).toHaveLength(3);
		expect(new Set(calls)).toEqual(new Set([result.executionId]));
		expect(result.runData.Flaky).toHaveLength(1);
	});

	it('reports the error when retries run out', async () => {
		failuresLeft = 5;
		const result = await runWorkflow({
			...base(),
			nodes: [{ name: 'Flaky', type: 'flaky', parameters: {}, retryOnFail: true, maxTries: 2, waitBetweenTries: 1 }],
		});

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('flaky failure');
		expect(calls).toHaveLength(2);
	});

	it('passes onError through: a thrown error lets the workflow go on', async () => {
		failuresLeft = 1;
		const result = await runWorkflow({
			...base(),
			nodes: [
				{ name: 'Flaky', type: 'flaky', parameters: {}, onError: 'continueRegularOutput' },
				{ name: 'After', type: 'flaky', parameters: {} },
			],
			input: [{ n: 1 }],
		});

		expect(result.runData.Flaky[0].error?.message).toBe('flaky failure');
		expect(result.output('After')).toEqual([{ json: { n: 1 }, pairedItem: { item: 0 } }]);
	});

	it('cancels a running execution and aborts its HTTP request', async () => {
		const run = cancellableRun({
			...base(),
			nodes: [{ name: 'Thing', type: 'thing', parameters: { resource: 'thing', operation: 'hang' } }],
		});
		while (!api.seen.some((s) => s.url === '/hang')) await new Promise((r) => setTimeout(r, 10));
		run.cancel();

		const result = await run.promise;
		expect(result.status).toBe('canceled');
		await new Promise((r) => setTimeout(r, 50));
		expect(api.closedHangs()).toBe(1);
	});

	it.each(['default', 'filesystem'] as const)('passes binary input through in %s mode', async (binaryMode) => {
		const bytes = Buffer.from('hello binary');
		const result = await runWorkflow({
			...base(),
			binaryMode,
			nodes: [{ name: 'Flaky', type: 'flaky', parameters: {} }],
			input: [{ json: {}, binary: { data: { data: bytes.toString('base64'), mimeType: 'text/plain', fileName: 'a.txt' } } }],
		});

		const [item] = result.output('Flaky');
		expect(item.binary?.data.id !== undefined).toBe(binaryMode === 'filesystem');
		expect(await readBinary(item, 'data')).toEqual(bytes);
	});

	it('calls a trigger webhook through WebhookContext', async () => {
		const common = { ...base(), node: { name: 'Hook', type: 'hook', parameters: { secret: 's3' } } };
		const request = { headers: { 'X-Secret': 's3' }, body: { task: 't1' }, query: { q: '1' } };

		const first = await runWebhook({ ...common, request });
		expect(first.workflowData?.[0][0].json).toEqual({
			body: { task: 't1' },
			query: { q: '1' },
			fetched: { path: '/from-hook' },
			raw: '{"task":"t1"}',
		});
		expect(await readBinary(first.workflowData![0][0], 'data')).toEqual(Buffer.from('video-bytes'));
		expect(api.seen[0].authorization).toBe('Bearer sk_test');

		const second = await runWebhook({ ...common, request, staticData: first.staticData });
		expect(second.staticData).toEqual({ 'node:Hook': { count: 2 } });

		const rejected = await runWebhook({ ...common, request: { ...request, headers: {} } });
		expect(rejected.noWebhookResponse).toBe(true);
		expect(rejected.response).toMatchObject({ statusCode: 401, body: { ok: false }, ended: true });
	});

	it("runs a credential type's test request", async () => {
		await expect(
			testCredential({ credentialType: testApi, data: { apiKey: 'sk_test', baseUrl: api.baseUrl } }),
		).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(api.seen[0]).toEqual({ method: 'GET', url: '/me', authorization: 'Bearer sk_test' });

		const bad = await testCredential({ credentialType: testApi, data: { apiKey: 'nope', baseUrl: api.baseUrl } });
		expect(bad).toEqual({ status: 'Error', message: 'Unauthorized' });
	});
});
