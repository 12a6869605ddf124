/** The two spellings of a task in answers and callbacks (see "live documentation pages" in the API reference). */
import type { Spelling } from './options';
import type { EmulatorTask, TaskStatus } from './tasks';
import { FAILURE_CODE, FAILURE_MESSAGE } from './tasks';

/** The API answers with a provider prefix the request did not carry. */
export const MODEL_PREFIX = 'cloud-video/';

export function taskData(
	task: EmulatorTask,
	status: TaskStatus,
	spelling: Spelling,
	videoUrl: string,
): Record<string, unknown> {
	const model = `${MODEL_PREFIX}${task.model}`;
	const completed = status === 'completed';
	const failed = status === 'failed';
	if (spelling === 'live') {
		return {
			taskId: task.id,
			state: status,
			model,
			createTime: task.createdAt,
			...(completed && { resultUrls: [videoUrl] }),
			...(failed && { failMsg: FAILURE_MESSAGE, failCode: FAILURE_CODE }),
			...((completed || failed) && { completeTime: task.finishedAt }),
		};
	}
	return {
		task_id: task.id,
		status,
		model,
		created_at: task.createdAt,
		...(completed && { videos: [videoUrl] }),
		...(failed && { error: FAILURE_MESSAGE }),
		...((completed || failed) && { completed_at: task.finishedAt }),
	};
}

export function success(data: unknown): { code: 200; msg: 'success'; data: unknown } {
	return { code: 200, msg: 'success', data };
}
