import type { INodeProperties } from 'n8n-workflow';
import { DEFAULT_MAX_VIDEO_MB } from './downloads';

/** Downloading result videos: shared by the operations of the video node and by the trigger. */
export const downloadOptionFields: INodeProperties[] = [
	{
		displayName: 'Download Video',
		name: 'downloadVideo',
		type: 'boolean',
		default: false,
		description:
			'Whether to put each result video into a binary property, since the API deletes videos after 7 days',
	},
	{
		displayName: 'Put Video in Field',
		name: 'binaryProperty',
		type: 'string',
		default: 'data',
		description: 'Binary property for the first video; further videos get _1, _2 and so on appended to this name',
	},
	{
		displayName: 'Download Timeout (Seconds)',
		name: 'downloadTimeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 600,
		description: 'How long one video download may take, from the request to its last byte',
	},
	{
		displayName: 'Max Video Size (MB)',
		name: 'maxVideoSizeMb',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_MAX_VIDEO_MB,
		description:
			'Larger answers are refused as soon as their size shows. 500 MB is about ten times the largest video these models make; in n8n\'s default in-memory binary mode each video is held in memory.',
	},
];

/** Polling until tasks end: shared by Wait for Completion and Create Video's wait option. */
export const waitOptionFields: INodeProperties[] = [
	{
		displayName: 'Wait Mode',
		name: 'waitMode',
		type: 'options',
		options: [
			{
				name: 'Poll',
				value: 'poll',
				description: 'Check the tasks on a schedule; the execution keeps running (and holds a worker) until they end',
			},
			{
				name: 'Park Execution',
				value: 'park',
				description:
					"Put the execution into n8n's waiting state until the tasks' callbacks say they ended: holds no worker and survives restarts. Needs a webhook URL the API can reach. Wait for Completion: create the tasks in this execution with Callback URL {{ $execution.resumeUrl }}. On n8n 1.x in queue mode with several webhook processes use Poll: 1.x can resume the execution twice.",
			},
		],
		default: 'poll',
		description: 'How to wait for the tasks',
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollIntervalSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 5,
		description: 'Time between two status checks of a task (the vendor advises 5 to 10 seconds)',
	},
	{
		displayName: 'Timeout (Minutes)',
		name: 'timeoutMinutes',
		type: 'number',
		typeOptions: { minValue: 0.05, maxValue: 120 },
		default: 10,
		description:
			'How long to wait for each task, from its creation when this node creates it. A task still running then is reported; it may still finish.',
	},
	{
		displayName: 'Max Concurrent Requests',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100 },
		default: 0,
		description:
			'How many requests (creates, status checks, downloads) may be in flight at once. 0 adapts to the batch: 10 up to 200 items, then one more per 20 items, at most 50.',
	},
	...downloadOptionFields,
];

const DOWNLOAD_SWITCH = 'downloadVideo';
const DOWNLOAD_DETAILS = new Set(downloadOptionFields.map((field) => field.name).filter((name) => name !== DOWNLOAD_SWITCH));

/**
 * Collection options offered only where they act: each option is shown while the options named
 * in `when` have those values, and the download details (field, timeout, size) only with Download
 * Video on. n8n reads these conditions against the collection's own values.
 */
export function optionsActingWhen(
	fields: INodeProperties[],
	when: Record<string, Array<string | number | boolean>> = {},
): INodeProperties[] {
	return fields.map((field) => {
		const show = DOWNLOAD_DETAILS.has(field.name) ? { ...when, [DOWNLOAD_SWITCH]: [true] } : when;
		return Object.keys(show).length ? { ...field, displayOptions: { show } } : field;
	});
}
