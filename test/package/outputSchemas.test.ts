/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
/**
 * The output schemas the build ships for n8n's editor (scripts/output-schemas.js): derived from the
 * output contract and the nodes' descriptions, found where n8n looks for them, and true to what the
 * operations output when they run through n8n's engine.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IDataObject } from 'n8n-workflow';
import { ApiModelsVideo } from '../../nodes/ApiModelsVideo/ApiModelsVideo.node';
import { ApiModelsCallbackTrigger } from '../../nodes/ApiModelsCallbackTrigger/ApiModelsCallbackTrigger.node';
import { normalizeTask } from '../../nodes/shared/task';
import { OUTPUT_FIELDS } from '../support/contract';
import { createTasks, grok, outputOf, runVideo, useEmulator } from '../support/fixtures';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS build script
const { contractSchema, schemaPaths } = require('../../scripts/output-schemas') as {
	contractSchema(): JsonSchema;
	schemaPaths(description: unknown): string[];
};

interface JsonSchema {
	type?: string | string[];
	enum?: unknown[];
	items?: JsonSchema;
	properties?: Record<string, JsonSchema>;
	required?: string[];
}

const root = path.join(__dirname, '..', '..');
const schema = contractSchema();

/** The problems of `value` against the schema's subset the contract uses; none means it conforms. */
function problems(value: unknown, against: JsonSchema, at = '$'): string[] {
	const types = against.type === undefined ? [] : [against.type].flat();
	const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
	if (types.length && !types.includes(actual)) return [`${at} is ${actual}, not ${types.join(' or ')}`];
	if (against.enum && !against.enum.includes(value)) return [`${at} is ${String(value)}, not one of ${against.enum.join(', ')}`];
	if (actual === 'array' && against.items) {
		return (value as unknown[]).flatMap((entry, index) => problems(entry, against.items as JsonSchema, `${at}[${index}]`));
	}
	if (actual !== 'object') return [];
	const record = value as IDataObject;
	const missing = (against.required ?? []).filter((key) => !(key in record)).map((key) => `${at}.${key} is missing`);
	return [
		...missing,
		...Object.entries(against.properties ?? {}).flatMap(([key, property]) =>
			key in record ? problems(record[key], property, `${at}.${key}`) : [],
		),
	];
}

describe('the output contract schema', () => {
	it("has the contract's fields, in its order", () => {
		expect(Object.keys(schema.properties ?? {})).toEqual(OUTPUT_FIELDS);
		expect(schema.required).toEqual(OUTPUT_FIELDS);
	});

	it('types each field as the interface does', () => {
		expect(schema.properties).toMatchObject({
			taskId: { type: 'string' },
			status: { type: 'string', enum: ['pending', 'processing', 'completed', 'failed'] },
			videoUrls: { type: 'array', items: { type: 'string' } },
			videoUrl: { type: ['string', 'null'] },
			estimatedCostUsd: { type: ['number', 'null'] },
			response: { type: 'object' },
		});
	});

	it('rejects what breaks the contract, so conformance below means something', () => {
		const task = normalizeTask({ task_id: 't1', status: 'completed', videos: ['https://x/v.mp4'] });
		expect(problems(task, schema)).toEqual([]);
		expect(problems({ ...task, status: 'done' }, schema)).toEqual(['$.status is done, not one of pending, processing, completed, failed']);
		expect(problems({ ...task, videoUrls: [1] }, schema)).toEqual(['$.videoUrls[0] is number, not string']);
		const withoutId: IDataObject = { ...task };
		delete withoutId.taskId;
		expect(problems(withoutId, schema)).toEqual(['$.taskId is missing']);
	});

	it.each([
		['seed', { task_id: 't1', status: 'failed', error: 'Content policy', created_at: 1767225600000, model: 'cloud-video/veo-3.1-fast' }],
		['live', { taskId: 't2', state: 'success', resultUrls: ['https://x/v.mp4'], createTime: '2026-01-01T00:00:00Z' }],
	])('holds for a task read from the %s spelling', (_, body) => {
		expect(problems(normalizeTask({ code: 200, data: body }), schema)).toEqual([]);
	});
});

describe('where the schemas go', () => {
	it("one per version, resource and operation of APIModels Video, as n8n's editor asks for them", () => {
		const { description } = new ApiModelsVideo();
		const operations = description.properties.find((property) => property.name === 'operation')?.options ?? [];
		expect(schemaPaths(description)).toEqual(
			operations.map((operation) => `v1.0.0/video/${(operation as { value: string }).value}.json`),
		);
		expect(schemaPaths(description)).toEqual(['v1.0.0/video/create.json', 'v1.0.0/video/getStatus.json', 'v1.0.0/video/waitForCompletion.json']);
	});

	it('one per version of the trigger, which has no resource or operation', () => {
		expect(schemaPaths(new ApiModelsCallbackTrigger().description)).toEqual(['v1.0.0.json', 'v2.0.0.json']);
	});

	it('the build wrote each of them beside its compiled node, with the contract schema', () => {
		const files = [
			...schemaPaths(new ApiModelsVideo().description).map((file) => `dist/nodes/ApiModelsVideo/__schema__/${file}`),
			...schemaPaths(new ApiModelsCallbackTrigger().description).map((file) => `dist/nodes/ApiModelsCallbackTrigger/__schema__/${file}`),
		];
		for (const file of files) {
			expect(existsSync(path.join(root, file))).toBe(true);
			expect(JSON.parse(readFileSync(path.join(root, file), 'utf8'))).toEqual(schema);
		}
	});
});

describe('what the operations output through n8n', () => {
	const emulator = useEmulator();

	it('Create Video items conform to the create schema', async () => {
		const items = outputOf(await runVideo(emulator(), grok()));
		expect(items).toHaveLength(1);
		expect(problems(items[0].json, schema)).toEqual([]);
	});

	it('Get Status items conform to the getStatus schema, whatever the status', async () => {
		const ids = await createTasks(emulator(), ['a [pendingMs=60000]', 'b [pendingMs=0][processingMs=0]', 'c [pendingMs=0][processingMs=0] [fail]']);
		const items = outputOf(await runVideo(emulator(), { operation: 'getStatus' }, ids.map((taskId) => ({ taskId }))));
		expect(items.map((item) => item.json.status)).toEqual(['pending', 'completed', 'failed']);
		for (const item of items) expect(problems(item.json, schema)).toEqual([]);
	});
});
