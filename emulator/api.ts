/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the API emulator, a Node server, not n8n code */
/** The JSON API: create a task, query it, list models. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from './context';
import { videoUrlOf } from './context';
import { bearerKey, readJson, sendError, sendJson } from './http';
import { acceptsModel, LISTED_MODEL_IDS } from './listedModels';
import { success, taskData } from './spellings';
import type { EmulatorTask, TaskStatus } from './tasks';
import { statusAt } from './tasks';
import { findCreateProblem } from './vendorRules';

/** The caller's key, or undefined after answering 401. */
export function authenticate(context: EmulatorContext, req: IncomingMessage, res: ServerResponse): string | undefined {
	const key = bearerKey(req);
	const { apiKeys, noCreditKeys } = context.options();
	if (key && (apiKeys.includes(key) || noCreditKeys.includes(key))) return key;
	sendError(res, 401, 'Invalid API key');
	return undefined;
}

/** The query answer's `data`; callbacks send the same. */
export function renderTask(context: EmulatorContext, task: EmulatorTask, status: TaskStatus): Record<string, unknown> {
	return taskData(task, status, context.options().spelling, videoUrlOf(context.baseUrl, task.id));
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function createTask(context: EmulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const key = authenticate(context, req, res);
	if (!key) return;
	const body = await readJson(req);
	if (!isObject(body)) return sendError(res, 400, 'The body must be a JSON object', { field: 'body' });
	const { model } = body;
	if (typeof model !== 'string' || !model.trim()) return sendError(res, 400, 'model is required', { field: 'model' });
	if (!acceptsModel(model)) return sendError(res, 400, 'Invalid model', { field: 'model' });
	const problem = findCreateProblem(body);
	if (problem) return sendError(res, 400, problem.msg, { field: problem.field });
	if (context.options().noCreditKeys.includes(key)) return sendError(res, 402, 'Insufficient credits');
	const task = context.tasks.create(body, key, context.options());
	context.stats.taskCreated();
	context.callbacks.schedule(task);
	sendJson(res, 200, success(renderTask(context, task, 'pending')));
}

export function queryTask(context: EmulatorContext, req: IncomingMessage, res: ServerResponse, url: URL): void {
	if (!authenticate(context, req, res)) return;
	const taskId = url.searchParams.get('task_id');
	if (!taskId) return sendError(res, 400, 'task_id is required', { field: 'task_id' });
	context.stats.polled(taskId);
	const task = context.tasks.get(taskId);
	if (!task) return sendError(res, 404, 'Task not found');
	sendJson(res, 200, success(renderTask(context, task, statusAt(task, Date.now()))));
}

export function listModels(context: EmulatorContext, req: IncomingMessage, res: ServerResponse): void {
	if (!authenticate(context, req, res)) return;
	sendJson(res, 200, success(LISTED_MODEL_IDS.map((id) => ({ id }))));
}

/** A callback carries the query answer, wrapped like it or as the bare `data` (option `callbackShape`). */
export function callbackPayload(context: EmulatorContext, task: EmulatorTask): unknown {
	const data = renderTask(context, task, task.outcome);
	return context.options().callbackShape === 'bare' ? data : success(data);
}
