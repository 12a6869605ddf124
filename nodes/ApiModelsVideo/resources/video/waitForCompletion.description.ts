import type { INodeProperties } from 'n8n-workflow';
import { showFor, taskIdProperty } from './shared.description';
import { optionsActingWhen, waitOptionFields } from '../../../shared/descriptions';

export const waitForCompletionDescription: INodeProperties[] = [
	taskIdProperty('waitForCompletion'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(['waitForCompletion']),
		options: optionsActingWhen(waitOptionFields),
	},
];
