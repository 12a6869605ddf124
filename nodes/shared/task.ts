import type { IDataObject } from 'n8n-workflow';
import { bareModelId, findModel } from './models';

export const TASK_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** The output contract shared by every operation and the trigger. */
export interface VideoTask extends IDataObject {
	taskId: string;
	status: TaskStatus;
	model: string | null;
	videoUrls: string[];
	videoUrl: string | null;
	error: string | null;
	createdAt: string | null;
	completedAt: string | null;
	estimatedCostUsd: number | null;
	response: IDataObject;
}

/** What became of one input item: its task (as last seen), and the error that ended it unless it completed. */
export interface ItemOutcome {
	itemIndex: number;
	task?: VideoTask;
	error?: Error;
}

const STATUS_SYNONYMS: Record<string, TaskStatus> = {
	pending: 'pending',
	queued: 'pending',
	waiting: 'pending',
	processing: 'processing',
	running: 'processing',
	generating: 'processing',
	completed: 'completed',
	success: 'completed',
	succeeded: 'completed',
	failed: 'failed',
	fail: 'failed',
	error: 'failed',
};

function parseStatus(value: unknown): TaskStatus | undefined {
	return typeof value === 'string' ? STATUS_SYNONYMS[value.trim().toLowerCase()] : undefined;
}

export function isTerminal(status: TaskStatus): boolean {
	return status === 'completed' || status === 'failed';
}

/** The `data` object of a `{code, msg, data}` answer, or the object itself when it comes bare. */
export function unwrapData(body: unknown): IDataObject {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
	const record = body as IDataObject;
	const data = record.data;
	return data && typeof data === 'object' && !Array.isArray(data) ? (data as IDataObject) : record;
}

function pick(data: IDataObject, ...keys: string[]): unknown {
	for (const key of keys) if (data[key] !== undefined && data[key] !== null) return data[key];
	return undefined;
}

function toIso(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) {
		// The API speaks milliseconds; a value this small can only be seconds.
		return new Date(value < 1e11 ? value * 1000 : value).toISOString();
	}
	if (typeof value === 'string' && value.trim()) {
		const numeric = Number(value);
		if (Number.isFinite(numeric)) return toIso(numeric);
		const date = new Date(value);
		return Number.isNaN(date.getTime()) ? null : date.toISOString();
	}
	return null;
}

function toUrls(value: unknown): string[] {
	const list = Array.isArray(value) ? value : value ? [value] : [];
	return list
		.map((entry) => (entry && typeof entry === 'object' ? (entry as IDataObject).url : entry))
		.filter((url): url is string => typeof url === 'string' && url.length > 0);
}

export function readTaskId(data: IDataObject): string | undefined {
	const id = pick(data, 'task_id', 'taskId', 'id');
	return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

export function readStatus(data: IDataObject): TaskStatus | undefined {
	return parseStatus(pick(data, 'status', 'state'));
}

/**
 * Maps either response spelling (`task_id/status/videos/error/created_at` or
 * `taskId/state/resultUrls/failMsg/createTime`) to the output contract.
 */
export function normalizeTask(
	body: unknown,
	known: { taskId?: string; model?: string } = {},
): VideoTask {
	const data = unwrapData(body);
	const status = readStatus(data) ?? 'pending';
	const responseModel = pick(data, 'model');
	const model = bareModelId(typeof responseModel === 'string' ? responseModel : known.model);
	const catalogueModel = model ? findModel(model) : undefined;
	const videoUrls = toUrls(pick(data, 'videos', 'resultUrls', 'result_urls', 'video_urls'));
	const failure = pick(data, 'error', 'failMsg', 'fail_msg', 'failCode');
	return {
		taskId: readTaskId(data) ?? known.taskId ?? '',
		status,
		model: model ?? null,
		videoUrls,
		videoUrl: videoUrls[0] ?? null,
		error: status === 'failed' ? String(failure ?? 'The task failed without a reason') : null,
		createdAt: toIso(pick(data, 'created_at', 'createTime', 'createdAt')),
		completedAt: toIso(pick(data, 'completed_at', 'completeTime', 'completedAt')),
		estimatedCostUsd: catalogueModel?.priceUsd ?? null,
		response: data,
	};
}
