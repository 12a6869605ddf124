import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { defaultConcurrency, RequestSlots } from '../../../shared/concurrency';
import type { DownloadOptions } from '../../../shared/downloads';
import { readDownloadOptions } from '../../../shared/downloads';
import type { PollOptions } from '../../../shared/poll';

export interface ResultOptions {
	poll: PollOptions & { slots: RequestSlots };
	/** Undefined when Download Video is off. */
	download?: DownloadOptions;
}

/**
 * The wait and download options of the node; one schedule serves the whole batch, so item 0's
 * values apply. Max Concurrent Requests left unset (or 0) adapts to the number of items.
 */
export function readResultOptions(ctx: IExecuteFunctions, options: IDataObject): ResultOptions {
	const signal = ctx.getExecutionCancelSignal();
	const number = (key: string, fallback: number) => {
		const value = Number(options[key] ?? fallback);
		return Number.isFinite(value) ? value : fallback;
	};
	const concurrency = chosenConcurrency(options, ctx.getInputData().length);
	return {
		poll: {
			intervalMs: Math.max(1, number('pollIntervalSeconds', 5)) * 1000,
			timeoutMs: Math.min(120, Math.max(0, number('timeoutMinutes', 10))) * 60_000,
			concurrency,
			slots: new RequestSlots(concurrency),
			signal,
		},
		download: readDownloadOptions(options, signal),
	};
}

/** Max Concurrent Requests: the option when set (1 or more), otherwise adapted to the number of items. */
export function chosenConcurrency(options: IDataObject, items: number): number {
	const chosen = Math.floor(Number(options.concurrency ?? 0));
	return Number.isFinite(chosen) && chosen >= 1 ? chosen : defaultConcurrency(items);
}
