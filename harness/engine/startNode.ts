/** The node a run starts from when the workflow has no trigger of its own. */
import type { IBinaryData, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

export const START_NODE_TYPE = 'harness.manualTrigger';
export const START_NODE_NAME = 'Manual Trigger';

/**
 * Start node standing in for n8n's Manual Trigger. It emits the run's input items,
 * re-storing any binary data through the BinaryDataService so that in filesystem
 * mode the next node receives ids, exactly as after a real trigger.
 */
export function startNodeType(input: INodeExecutionData[]): INodeType {
	return {
		description: {
			displayName: 'Manual Trigger',
			name: START_NODE_TYPE,
			group: ['trigger'],
			version: 1,
			description: 'Emits the harness input',
			defaults: { name: START_NODE_NAME },
			inputs: [],
			outputs: ['main'],
			properties: [],
		},
		async execute(this: IExecuteFunctions) {
			const items: INodeExecutionData[] = [];
			for (const item of input) {
				const binary: Record<string, IBinaryData> = {};
				for (const [key, data] of Object.entries(item.binary ?? {})) {
					binary[key] = data.id
						? data
						: await this.helpers.prepareBinaryData(
								Buffer.from(data.data, 'base64'),
								data.fileName,
								data.mimeType,
							);
				}
				items.push({ ...item, ...(item.binary && { binary }) });
			}
			return [items];
		},
	};
}
