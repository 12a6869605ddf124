/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run on Node, outside n8n */
/**
 * The other AI tool path: n8n's AI Agent calling the node's tool variant. The agent's chat model
 * is n8n's OpenAI Chat Model pointed at a scripted stand-in for OpenAI's chat completions API on
 * loopback, which asks for Create Video, then Get Status with the task id it got, then answers.
 * What it was sent is what an LLM would see: the tools' names, descriptions and results.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Emulator } from '../../../emulator/server';
import type { Workflow, WorkflowNode } from '../../../harness/n8n/examples';
import type { N8nServer } from '../../../harness/n8n/instance';
import type { Report } from '../lib/report';

interface ChatMessage {
	role: string;
	content: string | null;
	tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
	tool_call_id?: string;
}

interface ChatRequest {
	messages: ChatMessage[];
	tools?: Array<{ function: { name: string; description: string } }>;
	stream?: boolean;
}

export const AGENT_PATH = 'apimodels-agent';
export const AGENT_PROMPT = 'A red fox in the snow';
export const MODEL_CREDENTIAL = { id: 'fakeOpenAi', name: 'Scripted chat model (e2e)', type: 'openAiApi' };

/** The scripted model: what it was asked, and its next move from the tool results so far. */
export class ScriptedModel {
	readonly requests: ChatRequest[] = [];
	private server = createServer((req, res) => void this.answer(req, res));

	get url(): string {
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
	}

	async start(): Promise<void> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(resolve));
	}

	private next(request: ChatRequest): Omit<ChatMessage, 'role'> {
		const results = request.messages.filter((message) => message.role === 'tool');
		const call = (name: string, args: object) => ({
			content: null,
			tool_calls: [{ id: `call_${results.length}`, type: 'function', function: { name, arguments: JSON.stringify(args) } }],
		});
		if (results.length === 0) return call('Create_Grok_Video', { prompt: AGENT_PROMPT });
		if (results.length === 1) {
			const [task] = JSON.parse(String(results[0].content)) as Array<{ taskId: string }>;
			return call('Get_Video_Status', { taskId: task.taskId });
		}
		return { content: `Video task status: ${results[1].content}` };
	}

	private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
		let raw = '';
		for await (const chunk of req) raw += String(chunk);
		if (!req.url?.endsWith('/chat/completions')) {
			res.writeHead(404).end();
			return;
		}
		const request = JSON.parse(raw) as ChatRequest;
		this.requests.push(request);
		const message = { role: 'assistant', ...this.next(request) };
		const finish = message.tool_calls ? 'tool_calls' : 'stop';
		const base = { id: randomUUID(), created: Math.floor(Date.now() / 1000), model: 'scripted' };
		if (request.stream) {
			const toolCalls = message.tool_calls?.map((call, index) => ({ index, ...call }));
			const chunks = [
				{ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { ...message, tool_calls: toolCalls }, finish_reason: null }] },
				{ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: finish }] },
			];
			res.writeHead(200, { 'Content-Type': 'text/event-stream' });
			res.end(`${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`);
			return;
		}
		const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.end(JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: finish }], usage }));
	}
}

/** Webhook → AI Agent, with the scripted chat model and two of the node's tools. */
export function agentWorkflow(tools: WorkflowNode[]): Workflow {
	const node = (name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, extra: Partial<WorkflowNode> = {}) =>
		({ id: randomUUID(), name, type, typeVersion, position: [0, 0], parameters, ...extra }) as WorkflowNode;
	const webhook = node(
		'Webhook',
		'n8n-nodes-base.webhook',
		2,
		{ httpMethod: 'POST', path: AGENT_PATH, responseMode: 'lastNode', options: {} },
		{ webhookId: randomUUID() },
	);
	const agent = node('AI Agent', '@n8n/n8n-nodes-langchain.agent', 2.2, {
		promptType: 'define',
		text: '={{ $json.body.request }}',
		options: {},
	});
	const model = node(
		'Chat Model',
		'@n8n/n8n-nodes-langchain.lmChatOpenAi',
		1.2,
		{ model: { __rl: true, mode: 'id', value: 'scripted' }, options: {} },
		{ credentials: { openAiApi: { id: MODEL_CREDENTIAL.id, name: MODEL_CREDENTIAL.name } } },
	);
	const toAgent = (type: string) => ({ [type]: [[{ node: agent.name, type, index: 0 }]] });
	return {
		id: 'apiModelsAgentE2e',
		name: 'APIModels as AI Agent tools (e2e)',
		active: false,
		nodes: [webhook, agent, model, ...tools.map((tool) => ({ ...tool, id: randomUUID() }))],
		connections: {
			[webhook.name]: { main: [[{ node: agent.name, type: 'main', index: 0 }]] },
			[model.name]: toAgent('ai_languageModel'),
			...Object.fromEntries(tools.map((tool) => [tool.name, toAgent('ai_tool')])),
		} as unknown as Workflow['connections'],
		settings: { executionOrder: 'v1' },
	};
}

export async function agentCases(report: Report, server: N8nServer, emulator: Emulator, model: ScriptedModel): Promise<void> {
	await report.check('an AI Agent creates a video with the tool, then reads it with Get Status, each exactly once', async () => {
		emulator.resetStats();
		const started = Date.now();
		const response = await fetch(`${server.url}/webhook/${AGENT_PATH}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ request: 'Make a short video of a red fox in the snow' }),
		});
		const answer = (await response.json()) as { output?: string };
		report.note(`agent run: ${Date.now() - started} ms, ${model.requests.length} model requests; answer: ${JSON.stringify(answer)}`);
		assert.equal(response.status, 200, JSON.stringify(answer));
		const stats = emulator.stats();
		assert.deepEqual([stats.totals.create, stats.totals.status, stats.totals.unknown], [1, 1, 0]);
		const task = emulator.tasks().find((candidate) => candidate.body.prompt === AGENT_PROMPT);
		assert.ok(task, 'the emulator has the task the agent asked for');
		assert.match(String(answer.output), new RegExp(task.id));
		const offered = model.requests[0].tools?.map((tool) => tool.function) ?? [];
		const create = offered.find((tool) => tool.name === 'Create_Grok_Video');
		// n8n 1.x does not evaluate the default Tool Description, so the node leaves it to n8n's own.
		assert.match(
			String(create?.description),
			server.major < 2 ? /^Create video in APIModels Video$/ : /Grok Video 3 \(5 s\) \(model grok-video-3\).*\$0\.028 per video.*pending task/,
		);
		const toolResults = model.requests.at(-1)?.messages.filter((message) => message.role === 'tool') ?? [];
		assert.deepEqual(Object.keys(JSON.parse(String(toolResults[0]?.content))[0]), ['taskId', 'status', 'videoUrl', 'error']);
	});
}
