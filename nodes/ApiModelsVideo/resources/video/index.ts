import type { INodeProperties } from 'n8n-workflow';
import { modelCatalogue } from '../../../shared/models';
import { createDescription } from './create.description';
import { getStatusDescription } from './getStatus.description';
import { simplifyProperties, toolDescriptionProperty } from './tool';
import { waitForCompletionDescription } from './waitForCompletion.description';

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [{ name: 'Video', value: 'video' }],
	default: 'video',
};

const videoOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['video'] } },
	options: [
		{
			name: 'Create Video',
			value: 'create',
			action: 'Create video',
			description: 'Start a video generation task with the chosen model',
		},
		{
			name: 'Get Status',
			value: 'getStatus',
			action: 'Get video status',
			description: 'Read the current state of a task and its video URLs',
		},
		{
			name: 'Wait for Completion',
			value: 'waitForCompletion',
			action: 'Wait for video completion',
			description: 'Poll the tasks of all items together until each one has finished',
		},
	],
	default: 'create',
};

/**
 * The canvas subtitle: the operation, and for Create Video the model's display name from the
 * catalogue (the typed ID for Other Model).
 */
export function videoSubtitle(): string {
	const modelNames = Object.fromEntries(modelCatalogue.map((model) => [model.id, model.displayName]));
	const operationNames = Object.fromEntries(
		(videoOperations.options as Array<{ name: string; value: string }>).map(({ name, value }) => [value, name]),
	);
	const model = `(${JSON.stringify(modelNames)}[$parameter["model"]] || $parameter["customModel"])`;
	return `={{ $parameter["operation"] === "create" ? "Create: " + ${model} : ${JSON.stringify(operationNames)}[$parameter["operation"]] }}`;
}

export const videoProperties: INodeProperties[] = [
	// First, where n8n puts the Tool Description of other tools.
	toolDescriptionProperty,
	videoOperations,
	...createDescription,
	...getStatusDescription,
	...waitForCompletionDescription,
	...simplifyProperties,
];
