import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { DownloadOptions } from '../../../shared/media';
import { readDownloadOptions } from '../../../shared/media';
import type { PollOptions } from '../../../shared/poll';

export interface ResultOptions {
	poll: PollOptions;
	/** Undefined when Download Video is off. */
	download?: DownloadOptions;
}

/** The wait and download options of the node; one schedule serves the whole batch, so item 0's values apply. */
export function readResultOptions(ctx: IExecuteFunctions, options: IDataObject): ResultOptions {
	const signal = ctx.getExecutionCancelSignal();
	const number = (key: string, fallback: number) => {
		const value = Number(options[key] ?? fallback);
		return Number.isFinite(value) ? value : fallback;
	};
	return {
		poll: {
			intervalMs: Math.max(1, number('pollIntervalSeconds', 5)) * 1000,
			timeoutMs: Math.min(120, Math.max(0, number('timeoutMinutes', 10))) * 60_000,
			concurrency: Math.max(1, Math.floor(number('concurrency', 10))),
			maxConsecutiveErrors: 5,
			signal,
		},
		download: readDownloadOptions(options, signal),
	};
}
