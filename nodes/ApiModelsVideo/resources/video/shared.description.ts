import type { INodeProperties } from 'n8n-workflow';

/** Gates a property to the Video resource and some of its operations (and models). */
export function showFor(operations: string[], extra: Record<string, string[]> = {}) {
	return { show: { resource: ['video'], operation: operations, ...extra } };
}

/** The task id input of Get Status and Wait for Completion, mapped from Create Video's output. */
export function taskIdProperty(operation: string): INodeProperties {
	return {
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		required: true,
		default: '={{ $json.taskId }}',
		description: 'The ID Create Video returned',
		displayOptions: showFor([operation]),
	};
}
