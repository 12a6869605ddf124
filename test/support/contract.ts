/** The keys every operation and the trigger output, in the README's order: the output contract. */
export const OUTPUT_FIELDS = [
	'taskId',
	'status',
	'model',
	'videoUrls',
	'videoUrl',
	'error',
	'createdAt',
	'completedAt',
	'estimatedCostUsd',
	'response',
];
