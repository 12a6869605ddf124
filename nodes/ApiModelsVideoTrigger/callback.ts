import { createHash, timingSafeEqual } from 'crypto';
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import type { TaskStatus } from '../shared/task';
import { isTerminal, readStatus, readTaskId, unwrapData } from '../shared/task';

/** A callback body that names a task in a terminal state, in either spelling and shape. */
export interface Callback {
	taskId: string;
	status: TaskStatus;
	data: IDataObject;
}

export function readCallback(body: unknown): Callback | { problem: string } {
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		return { problem: 'The body must be a JSON object' };
	}
	const data = unwrapData(body);
	const taskId = readTaskId(data);
	if (!taskId) return { problem: 'The body names no task (task_id or taskId)' };
	const status = readStatus(data);
	if (!status || !isTerminal(status)) {
		return { problem: 'The body carries no final status (completed or failed)' };
	}
	return { taskId, status, data };
}

/** Compares in constant time, so response timing does not reveal how much of a guess was right. */
function sameSecret(given: string, expected: string): boolean {
	const digest = (value: string) => createHash('sha256').update(value).digest();
	return timingSafeEqual(digest(given), digest(expected));
}

/** Checks the Secret Token against the callback URL's `token` query parameter or header. */
export function secretProblem(ctx: IWebhookFunctions): { status: number; message: string } | undefined {
	const expected = String(ctx.getNodeParameter('secretToken', '') ?? '');
	if (!expected) return undefined;
	const query = ctx.getQueryData() as IDataObject;
	const header = ctx.getHeaderData()['x-apimodels-token'];
	const given = String(query.token || (Array.isArray(header) ? header[0] : header) || '');
	if (!given) return { status: 401, message: 'Missing token' };
	return sameSecret(given, expected) ? undefined : { status: 403, message: 'Wrong token' };
}
