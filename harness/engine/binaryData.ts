/** The binary-data store the engine's nodes write to, switched per run the way n8n's start-up selects it. */
import './runtime';

import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';
import { ApplicationError, type INodeExecutionData } from 'n8n-workflow';

export type BinaryMode = 'default' | 'filesystem';

/**
 * Selects the binary-data mode the way n8n's start-up does (config, then
 * `BinaryDataService.init()`): 'default' keeps binary data base64-encoded inside
 * the items, 'filesystem' streams it into files under the user folder and leaves only
 * an id in the item. `init()` always registers the filesystem manager, so items
 * stored by an earlier run stay readable after switching modes.
 */
export async function initBinaryData(mode: BinaryMode): Promise<void> {
	Container.get(BinaryDataConfig).mode = mode;
	await Container.get(BinaryDataService).init();
}

/** Bytes of a binary property, whether kept inline or in the filesystem store. */
export async function readBinary(item: INodeExecutionData, property = 'data'): Promise<Buffer> {
	const binary = item.binary?.[property];
	if (!binary) throw new ApplicationError(`Item has no binary property "${property}"`);
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}
