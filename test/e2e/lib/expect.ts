/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run on Node, outside n8n */
/** Assertions on what n8n reports: the node's output contract, binary data, execution errors. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Emulator } from '../../../emulator/server';
import { videoSha256 } from '../../../emulator/video';
import { OUTPUT_FIELDS } from '../../support/contract';
import type { BinaryMeta, ExecutionRun, NodeItem } from '../../../harness/n8n/instance';

const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The items a node sent out of one output in its first run. */
export function outputOf(run: ExecutionRun, nodeName: string, output = 0): NodeItem[] {
	const runs = run.data.resultData.runData[nodeName];
	assert.ok(runs?.length, `node "${nodeName}" did not run`);
	return runs[0].data?.main[output] ?? [];
}

export function assertSucceeded(run: ExecutionRun): void {
	const error = run.data.resultData.error;
	assert.equal(run.status, 'success', `execution ${run.status}: ${error?.message ?? ''} ${error?.description ?? ''}`);
}

/** A task as the contract shapes it, checked against what the emulator knows of that task. */
export function assertTask(
	emulator: Emulator,
	json: Record<string, unknown>,
	expected: { status: string; model: string; priceUsd: number },
): void {
	assert.deepEqual(Object.keys(json).slice(0, OUTPUT_FIELDS.length), OUTPUT_FIELDS, 'contract keys in order');
	const task = emulator.tasks().find((candidate) => candidate.id === json.taskId);
	assert.ok(task, `the emulator knows no task ${String(json.taskId)}`);
	assert.equal(json.status, expected.status);
	assert.equal(json.model, expected.model);
	assert.equal(json.estimatedCostUsd, expected.priceUsd);
	assert.equal(json.createdAt, new Date(task.createdAt).toISOString());
	assert.equal(typeof json.response, 'object');
	const done = expected.status === 'completed' || expected.status === 'failed';
	assert.equal(json.completedAt, done ? new Date(task.finishedAt).toISOString() : null);
	if (expected.status === 'completed') {
		assert.deepEqual(json.videoUrls, [emulator.videoUrl(task.id)]);
		assert.equal(json.videoUrl, emulator.videoUrl(task.id));
		assert.equal(json.error, null);
	} else {
		assert.deepEqual(json.videoUrls, []);
		assert.equal(json.videoUrl, null);
		if (expected.status === 'failed') assert.match(String(json.error), /Content policy violation/);
		else assert.equal(json.error, null);
	}
	for (const key of ['createdAt', 'completedAt'] as const) {
		if (json[key] !== null) assert.match(String(json[key]), ISO_DATE, key);
	}
}

/** n8n's filesystem binary mode stores `filesystem-v2:<path>` under `<n8n folder>/storage`; its memory mode keeps `data` inline. */
export function readBinary(n8nFolder: string, meta: BinaryMeta): Buffer {
	const match = /^filesystem(?:-v2)?:(.+)$/.exec(meta.id ?? '');
	if (match) return readFileSync(path.join(n8nFolder, 'storage', match[1]));
	assert.ok(meta.data && meta.data !== 'filesystem-v2', `binary data neither stored nor inline: ${JSON.stringify(meta)}`);
	return Buffer.from(meta.data, 'base64');
}

export function sha256(bytes: Buffer): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** A downloaded result video: its name, type and bytes are the emulator's video of that task. */
export function assertVideo(emulator: Emulator, n8nFolder: string, meta: BinaryMeta | undefined, taskId: string): void {
	assert.ok(meta, 'no binary video');
	assert.equal(meta.fileName, `${taskId}.mp4`);
	assert.equal(meta.mimeType, 'video/mp4');
	assert.equal(sha256(readBinary(n8nFolder, meta)), videoSha256(emulator.videoSpec(taskId)), 'video bytes');
}
