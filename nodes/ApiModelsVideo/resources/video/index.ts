import type { INodeProperties } from 'n8n-workflow';
import { createDescription } from './create.description';
import { getStatusDescription } from './getStatus.description';
import { simplifyProperties, toolDescriptionProperty } from './tool';
import { waitForCompletionDescription } from './waitForCompletion.description';

export const videoOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['video'] } },
	options: [
		{
			name: 'Create Video',
			value: 'create',
			action: 'Create a video',
			description: 'Start a video generation task with the chosen model',
		},
		{
			name: 'Get Status',
			value: 'getStatus',
			action: 'Get the status of a video task',
			description: 'Read the current state of a task and its video URLs',
		},
		{
			name: 'Wait for Completion',
			value: 'waitForCompletion',
			action: 'Wait for video tasks to complete',
			description: 'Poll the tasks of all items together until each one has finished',
		},
	],
	default: 'create',
};

export const videoProperties: INodeProperties[] = [
	// First, where n8n puts the Tool Description of other tools.
	toolDescriptionProperty,
	videoOperations,
	...createDescription,
	...getStatusDescription,
	...waitForCompletionDescription,
	...simplifyProperties,
];
