/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, import-x/no-unresolved -- tests run on Node, outside n8n; the MCP SDK is found through its package exports, which the import linter does not read */
/**
 * The node as AI tools, as an MCP client sees them: a published workflow with n8n's MCP Server
 * Trigger and the node's tool variant connected (one Create Video tool per model, Get Status and
 * Wait for Completion with the task id from the caller), called by the official MCP client
 * (`@modelcontextprotocol/sdk`); the editor's "Execute step" on a tool node; and an AI Agent
 * (mcpAgent.ts). n8n runs a tool call through the node's `execute()`, outside the workflow
 * engine's `runNode`, so these are paths of their own. Runs in the suite's `n8n start`, with an
 * emulator of its own.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Emulator } from '../../../emulator/server';
import { startEmulator } from '../../../emulator/server';
import type { Workflow, WorkflowNode } from '../../../harness/n8n/examples';
import { CREDENTIAL } from '../../../harness/n8n/examples';
import type { N8n, N8nServer } from '../../../harness/n8n/instance';
import { modelCatalogue } from '../../../nodes/shared/models';
import type { Report } from '../lib/report';
import { agentCases, agentWorkflow, MODEL_CREDENTIAL, ScriptedModel } from './mcpAgent';

const TOOL_TYPE = 'n8n-nodes-apimodels.apiModelsVideoTool';
const MCP_PATH = 'apimodels-video';
/** An API key the emulator accepts but answers 402 on create, as for an account without credits. */
const BROKE_ACCOUNT_LOGIN = 'e2e-account-without-credits';
const ACCOUNT = { id: 'apiModelsMcp', name: 'APIModels (e2e MCP)' };
const BROKE_ACCOUNT = { id: 'apiModelsMcpNoCredit', name: 'APIModels (e2e MCP, no credits)' };

const fromAI = (key: string, description: string) => `={{ $fromAI('${key}', '${description}', 'string') }}`;
const PROMPT = fromAI('prompt', 'What the video shows');
const TASK_ID = fromAI('taskId', 'The taskId that a Create Video tool returned');

/** The tools, by the name n8n derives from the node name; each a node of the tool variant. */
const TOOLS: Array<{ name: string; parameters: Record<string, unknown>; account?: typeof ACCOUNT }> = [
	{ name: 'Create Grok Video', parameters: { operation: 'create', model: 'grok-video-3', prompt: PROMPT } },
	{ name: 'Create VEO Video', parameters: { operation: 'create', model: 'veo-3.1-fast', prompt: PROMPT } },
	{
		name: 'Create Video Any Model',
		parameters: { operation: 'create', model: 'other', customModel: fromAI('model', 'The model ID'), prompt: PROMPT },
	},
	{ name: 'Create Video No Credits', parameters: { operation: 'create', model: 'grok-video-3', prompt: PROMPT }, account: BROKE_ACCOUNT },
	{ name: 'Get Video Status', parameters: { operation: 'getStatus', taskId: TASK_ID } },
	{ name: 'Wait for Video', parameters: { operation: 'waitForCompletion', taskId: TASK_ID, options: { pollIntervalSeconds: 1 } } },
];
const toolName = (nodeName: string) => nodeName.replace(/ /g, '_');

function mcpWorkflow(): Workflow {
	const trigger: WorkflowNode = {
		id: randomUUID(),
		name: 'MCP Server Trigger',
		type: '@n8n/n8n-nodes-langchain.mcpTrigger',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { path: MCP_PATH },
	};
	const tools: WorkflowNode[] = TOOLS.map(({ name, parameters, account }, index) => ({
		id: randomUUID(),
		name,
		type: TOOL_TYPE,
		typeVersion: 1,
		position: [index * 200, 300],
		parameters: { resource: 'video', ...parameters },
		credentials: { [CREDENTIAL.type]: account ?? ACCOUNT },
	}));
	const toTrigger = [[{ node: trigger.name, type: 'ai_tool', index: 0 }]];
	return {
		id: 'apiModelsMcpE2e',
		name: 'APIModels as MCP tools (e2e)',
		active: false,
		nodes: [trigger, ...tools],
		connections: Object.fromEntries(tools.map((tool) => [tool.name, { ai_tool: toTrigger }])) as unknown as Workflow['connections'],
		settings: { executionOrder: 'v1' },
	};
}

interface CallResult {
	isError: boolean;
	text: string;
	ms: number;
}

/** One MCP tool call; its text content and how long n8n took to answer. */
async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallResult> {
	const started = Date.now();
	const result = (await client.callTool({ name, arguments: args })) as { isError?: boolean; content: Array<{ type: string; text?: string }> };
	const text = result.content.map((part) => part.text ?? '').join('\n');
	return { isError: Boolean(result.isError), text, ms: Date.now() - started };
}

function tasksOf(result: CallResult): Array<Record<string, unknown>> {
	assert.equal(result.isError, false, `the tool failed: ${result.text}`);
	return JSON.parse(result.text) as Array<Record<string, unknown>>;
}

/** Requests the emulator saw by route since the last reset, and none anywhere but the API's routes. */
function assertRequests(emulator: Emulator, expected: { create: number; status?: number }): void {
	const stats = emulator.stats();
	assert.equal(stats.totals.create, expected.create, 'create requests');
	if (expected.status !== undefined) assert.equal(stats.totals.status, expected.status, 'status requests');
	assert.equal(stats.totals.unknown, 0, `requests outside the API: ${JSON.stringify(stats.log.filter((entry) => entry.route === 'unknown'))}`);
	assert.deepEqual(stats.log.filter((entry) => entry.path === '/'), [], 'requests to /');
}

const NEVER_SAY = /workflow again|run the workflow|after retrying/i;

async function connect(server: N8nServer, url: URL): Promise<Client> {
	let client: Client | undefined;
	await server.waitUntil(
		async () => {
			const candidate = new Client({ name: 'apimodels-e2e', version: '1.0.0' });
			await candidate.connect(new StreamableHTTPClientTransport(url));
			client = candidate;
			return true;
		},
		30_000,
		`the MCP server at ${url.href}`,
	);
	return client as Client;
}

/** A manual execution as the editor starts it, to its end: its status and n8n's serialized run data. */
async function runStep(server: N8nServer, workflowId: string, body: object): Promise<{ status: string; data: string }> {
	// n8n 1.x runs the workflow the editor sends; 2.x loads it and ignores workflowData.
	const workflowData = await server.restData<object>(`/rest/workflows/${workflowId}`);
	const { executionId } = await server.restData<{ executionId: string }>(`/rest/workflows/${workflowId}/run`, {
		method: 'POST',
		body: JSON.stringify({ ...body, workflowData }),
	});
	let execution = { status: 'new', data: '' };
	await server.waitUntil(
		async () => {
			execution = await server.restData<{ status: string; data: string }>(`/rest/executions/${executionId}`);
			return !['new', 'running', 'waiting'].includes(execution.status);
		},
		30_000,
		`execution ${executionId} to end`,
	);
	return execution;
}

/**
 * The editor's "Execute step" on a tool node: n8n swaps the node the tool feeds (here the MCP
 * trigger) for its ToolExecutor and calls the tool with the arguments typed into the editor.
 */
async function stepCases(report: Report, server: N8nServer, workflowId: string, emulator: Emulator, taskId: string): Promise<void> {
	const step = (nodeName: string, args: Record<string, unknown>) => {
		const tool = toolName(nodeName);
		return runStep(server, workflowId, {
			destinationNode: { nodeName, mode: 'inclusive' },
			// As each version's editor sends it: n8n 2.x's ToolExecutor reads the arguments under the tool's name.
			agentRequest: { query: server.major < 2 ? args : { [tool]: args }, tool: { name: tool } },
		});
	};
	await report.check('"Execute step" on the Get Status tool reads the task once, through the tool path', async () => {
		const before = emulator.stats().totals.status;
		const execution = await step('Get Video Status', { taskId });
		assert.equal(execution.status, 'success', execution.data.slice(0, 500));
		assert.ok(execution.data.includes(emulator.videoUrl(taskId)), 'the run data holds the video URL');
		assert.equal(emulator.stats().totals.status, before + 1);
	});
	await report.check('"Execute step" on a Create Video tool creates exactly one task, with the typed prompt', async () => {
		const before = emulator.stats().totals.create;
		const prompt = 'A paper boat on a river (execute step)';
		const execution = await step('Create Grok Video', { prompt });
		assert.equal(execution.status, 'success', execution.data.slice(0, 500));
		assert.equal(emulator.stats().totals.create, before + 1);
		const task = emulator.tasks().find((candidate) => candidate.body.prompt === prompt);
		assert.ok(task && execution.data.includes(task.id), 'the run data holds the new task id');
	});
}

/**
 * The MCP and AI Agent cases, run by the suite's `n8n start` instance: what that instance must
 * import and publish (their own credentials, on an emulator of their own, so counts never mix
 * with the other cases'), then the calls once it runs.
 */
export class McpSuite {
	readonly workflows: Workflow[];

	private constructor(
		private readonly emulator: Emulator,
		private readonly model: ScriptedModel,
	) {
		const mcp = mcpWorkflow();
		this.workflows = [mcp, agentWorkflow(mcp.nodes.filter((node) => ['Create Grok Video', 'Get Video Status'].includes(node.name)))];
	}

	static async start(): Promise<McpSuite> {
		const emulator = await startEmulator({ pendingMs: 1500, processingMs: 1500, noCreditKeys: [BROKE_ACCOUNT_LOGIN] });
		const model = new ScriptedModel();
		await model.start();
		return new McpSuite(emulator, model);
	}

	async close(): Promise<void> {
		await this.model.close();
		await this.emulator.close();
	}

	/** The APIModels credentials, for the instance's import. */
	get credentials(): Array<{ id: string; name: string; emulator: Emulator }> {
		return [
			{ ...ACCOUNT, emulator: this.emulator },
			{ ...BROKE_ACCOUNT, emulator: { ...this.emulator, apiKey: BROKE_ACCOUNT_LOGIN } },
		];
	}

	/** The scripted chat model's credential, which the instance's import (APIModels only) does not make. */
	async importModelCredential(report: Report, n8n: N8n, work: string): Promise<void> {
		const file = path.join(work, 'model-credential.json');
		writeFileSync(file, JSON.stringify([{ ...MODEL_CREDENTIAL, data: { apiKey: 'scripted', url: this.model.url } }]));
		await report.require('n8n imports the chat model credential (server instance)', () =>
			n8n.cliExpecting(['import:credentials', `--input=${file}`], /Successfully imported \d+ credentials?\./),
		);
	}

	async run(report: Report, server: N8nServer): Promise<void> {
		report.section('AI tools through the MCP Server Trigger and the official MCP client:');
		const client = await report.require('an MCP client connects to the published MCP Server Trigger', () =>
			connect(server, new URL(`${server.url}/mcp/${MCP_PATH}`)),
		);
		try {
			await mcpCases(report, server, this.emulator, this.workflows[0].id, client);
		} finally {
			await client.close();
		}
		report.section("AI tools through n8n's AI Agent (a scripted chat model on loopback):");
		await agentCases(report, server, this.emulator, this.model);
	}
}

async function mcpCases(report: Report, server: N8nServer, emulator: Emulator, workflowId: string, client: Client): Promise<void> {
	const durations: string[] = [];
	const timed = async (label: string, name: string, args: Record<string, unknown>) => {
		const result = await call(client, name, args);
		durations.push(`${label}: ${result.isError ? 'error' : 'ok'} in ${result.ms} ms`);
		return result;
	};

	// n8n 1.x does not evaluate a Tool Description expression: there the node leaves it to n8n's own (the action).
	const described = server.major < 2 ? 'described by its operation' : 'described with its model and price';
	await report.check(`the client lists one tool per node, each ${described}, inputs from $fromAI`, async () => {
		const { tools } = await client.listTools();
		const byName = new Map(tools.map((tool) => [tool.name, tool]));
		const descriptionOf = (name: string) => String(byName.get(name)?.description);
		assert.deepEqual([...byName.keys()].sort(), TOOLS.map((tool) => toolName(tool.name)).sort());
		for (const tool of tools) report.note(`${tool.name}(${Object.keys(tool.inputSchema.properties ?? {}).join(', ')}): ${tool.description}`);
		for (const [name, id] of [['Create_Grok_Video', 'grok-video-3'], ['Create_VEO_Video', 'veo-3.1-fast']]) {
			const model = modelCatalogue.find((candidate) => candidate.id === id);
			const description = descriptionOf(name);
			if (server.major < 2) assert.equal(description, 'Create video in APIModels Video');
			else {
				assert.ok(description.includes(`${model?.displayName} (model ${id}`), `${name} names its model: ${description}`);
				assert.ok(description.includes(`$${model?.priceUsd} per video`), `${name} names its price`);
				assert.match(description, /pending task.*Get Status/);
			}
			assert.deepEqual(Object.keys(byName.get(name)?.inputSchema.properties ?? {}), ['prompt']);
		}
		assert.deepEqual(Object.keys(byName.get('Get_Video_Status')?.inputSchema.properties ?? {}), ['taskId']);
		if (server.major < 2) assert.equal(descriptionOf('Get_Video_Status'), 'Get video status in APIModels Video');
		else {
			assert.match(descriptionOf('Get_Video_Status'), /^Reads a video task/);
			assert.match(descriptionOf('Create_Video_Any_Model'), /the model given in the call.*price of this model is not in/);
		}
	});

	emulator.resetStats();
	const created: Record<string, string> = {};
	for (const [tool, model] of [['Create_Grok_Video', 'grok-video-3'], ['Create_VEO_Video', 'veo-3.1-fast']]) {
		await report.check(`${tool} creates exactly one ${model} task and answers it pending, in the simple shape`, async () => {
			const before = emulator.stats().totals.create;
			const prompt = `A lighthouse in a storm (${model})`;
			const [task] = tasksOf(await timed(`create ${model}`, tool, { prompt }));
			assert.deepEqual(Object.keys(task), ['taskId', 'status', 'videoUrl', 'error']);
			assert.equal(task.status, 'pending');
			assert.equal(emulator.stats().totals.create, before + 1);
			const sent = emulator.tasks().find((candidate) => candidate.id === task.taskId);
			assert.ok(sent, 'the emulator has the task');
			assert.deepEqual([sent.body.model, sent.body.prompt], [model, prompt]);
			created[model] = String(task.taskId);
		});
	}

	await report.check('Get_Video_Status reads the Grok task until it is completed, with its video URL', async () => {
		const taskId = created['grok-video-3'];
		assert.ok(taskId, 'no task to read');
		const seen: string[] = [];
		const deadline = Date.now() + 30_000;
		for (;;) {
			const [task] = tasksOf(await timed('get status', 'Get_Video_Status', { taskId }));
			seen.push(String(task.status));
			if (task.status === 'completed') {
				assert.equal(task.videoUrl, emulator.videoUrl(taskId));
				break;
			}
			assert.ok(Date.now() < deadline, `still ${task.status} after 30 s`);
			await new Promise((resolve) => setTimeout(resolve, 300));
		}
		report.note(`statuses read: ${seen.join(', ')}`);
	});

	await report.check('Wait_for_Video returns the VEO task completed', async () => {
		const taskId = created['veo-3.1-fast'];
		const [task] = tasksOf(await timed('wait for completion', 'Wait_for_Video', { taskId }));
		assert.deepEqual(task, { taskId, status: 'completed', videoUrl: emulator.videoUrl(taskId), error: null });
	});

	await stepCases(report, server, workflowId, emulator, created['grok-video-3']);

	await report.check('the same prompt twice creates two tasks (each call is a new video)', async () => {
		const before = emulator.stats().totals.create;
		const prompt = 'Two takes of a sunrise';
		const first = tasksOf(await timed('create again (1)', 'Create_Grok_Video', { prompt }))[0].taskId;
		const second = tasksOf(await timed('create again (2)', 'Create_Grok_Video', { prompt }))[0].taskId;
		assert.notEqual(first, second);
		assert.equal(emulator.stats().totals.create, before + 2);
	});

	await report.check('the successful calls reached only the API endpoints, never /', () => assertRequests(emulator, { create: 5 }));

	const failing = async (label: string, name: string, args: Record<string, unknown>, creates: number, expected: RegExp[]) => {
		await report.check(label, async () => {
			emulator.resetStats();
			const result = await timed(label.split(':')[0], name, args);
			report.note(`${name} -> ${result.text.replace(/\s+/g, ' ')}`);
			assert.equal(result.isError, true, `not reported as an error: ${result.text}`);
			for (const pattern of expected) assert.match(result.text, pattern);
			assert.doesNotMatch(result.text, NEVER_SAY);
			assertRequests(emulator, { create: creates });
		});
	};
	await failing('unknown task: an error that says to check the taskId, not to create', 'Get_Video_Status', { taskId: 'cl_no_such_task' }, 0, [
		/Task not found/,
		/cl_no_such_task/,
		/do not create a new video/,
	]);
	await failing('unknown model: nothing created, change the arguments', 'Create_Video_Any_Model', { model: 'no-such-model', prompt: 'A cat' }, 1, [
		/No video was created/,
		/Change the arguments/,
	]);
	await failing('no credits (402): nothing created, tell the user', 'Create_Video_No_Credits', { prompt: 'A cat' }, 1, [
		/no credits left/,
		/tell the user/,
	]);
	emulator.inject('create', { kind: 'serverError', status: 502, afterHandling: true });
	await failing('a 5xx on create after the task was made: may exist, not repeated, do not call again blindly', 'Create_Grok_Video', { prompt: 'A dog' }, 1, [
		/may exist/,
		/Do not call this tool again/,
	]);
	report.note(`durations: ${durations.join('; ')}`);
	await report.check('the emulator holds exactly the 6 tasks the calls created (5 answered, 1 whose answer was lost)', () =>
		assert.equal(emulator.tasks().length, 6),
	);
}
