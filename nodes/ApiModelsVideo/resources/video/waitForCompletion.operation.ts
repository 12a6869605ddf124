import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { ItemOutcome } from '../../../shared/task';
import { pollTasks } from '../../../shared/poll';
import { normalizeTask } from '../../../shared/task';
import { isParkMode, refuseOversizedPark, waitByParking } from './park';
import { outputItems } from './output';
import { readResultOptions } from './resultOptions';
import { readTaskIds } from './taskIds';

/** Wait for Completion: the tasks of all items, waited for together, output in input order. */
export async function waitForCompletion(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const rawOptions = this.getNodeParameter('options', 0, {}) as IDataObject;
	const options = readResultOptions(this, rawOptions);
	const ids = readTaskIds(this);
	const invalid = ids.filter((entry) => !entry.taskId);
	// Without Continue On Fail a missing id fails the node before minutes of waiting.
	if (invalid.length && !this.continueOnFail()) throw invalid[0].error;
	const targets = ids.flatMap(({ itemIndex, taskId }) => (taskId ? [{ itemIndex, taskId }] : []));
	if (isParkMode(rawOptions)) {
		refuseOversizedPark(this);
		const known = targets.map(({ itemIndex, taskId }) => ({ itemIndex, task: normalizeTask({}, { taskId }) }));
		return await waitByParking(this, [...known, ...invalid], options);
	}
	const outcomes: ItemOutcome[] = [...(await pollTasks(this, targets, options.poll)), ...invalid];
	return await outputItems(this, outcomes, options);
}
