/** What the route handlers share within one emulator instance. */
import type { CallbackSender } from './callbacks';
import type { RuntimeOptions } from './options';
import type { StatsRecorder } from './stats';
import type { TaskStore } from './tasks';
import type { UploadStore } from './uploads';
import type { VideoSpec } from './video';

export interface EmulatorContext {
	options(): RuntimeOptions;
	baseUrl: string;
	tasks: TaskStore;
	uploads: UploadStore;
	stats: StatsRecorder;
	callbacks: CallbackSender;
}

export function videoUrlOf(baseUrl: string, taskId: string): string {
	return `${baseUrl}/videos/${taskId}.mp4`;
}

/** Each task's video is labelled with its id and sized by the option in force at download. */
export function videoSpecOf(context: EmulatorContext, taskId: string): VideoSpec {
	return { label: taskId, sizeBytes: context.options().videoSizeBytes };
}
