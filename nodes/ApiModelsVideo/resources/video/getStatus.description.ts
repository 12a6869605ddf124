import type { INodeProperties } from 'n8n-workflow';
import { showFor, taskIdProperty } from './shared.description';
import { downloadOptionFields, optionsActingWhen } from '../../../shared/descriptions';

export const getStatusDescription: INodeProperties[] = [
	taskIdProperty('getStatus'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(['getStatus']),
		options: optionsActingWhen(downloadOptionFields),
	},
];
