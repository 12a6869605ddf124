/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run on Node, outside n8n */
/**
 * The examples that start by hand, each run with `n8n execute`, asserted on the run n8n
 * reports, the binary data it stored and what the emulator saw. They have an emulator of their
 * own and run one at a time, so every task and request it counts belongs to the case at hand.
 */
import assert from 'node:assert/strict';
import { promptsOf } from '../../../harness/n8n/examples';
import { assertSucceeded, assertTask, assertVideo, outputOf } from '../lib/expect';
import type { ExecutionRun } from '../../../harness/n8n/instance';
import type { SuiteContext } from './context';
import { executeExample, tasksSince, workflowOf } from './context';

const GROK = { model: 'grok-video-3', priceUsd: 0.028 };

/** Runs an example; the checks get its run, or are all failed with the reason it did not run. */
async function withRun(
	context: SuiteContext,
	example: string,
	checks: Record<string, (run: ExecutionRun, since: number) => unknown>,
): Promise<void> {
	const since = Date.now();
	let run: ExecutionRun | undefined;
	let failure: unknown;
	try {
		run = await executeExample(context, example);
	} catch (error) {
		failure = error;
	}
	for (const [name, check] of Object.entries(checks)) {
		await context.report.check(`${example}: ${name}`, () => {
			if (!run) throw failure;
			return check(run, since);
		});
	}
}

async function textToVideo(context: SuiteContext): Promise<void> {
	const { emulator, n8n } = context;
	await withRun(context, '1-text-to-video-grok', {
		'the execution succeeds': (run) => assertSucceeded(run),
		'Create Video outputs the pending task': (run) => {
			const items = outputOf(run, 'Create Video');
			assert.equal(items.length, 1);
			assertTask(emulator, items[0].json, { status: 'pending', ...GROK });
		},
		'the API got the panel as its request body': (_run, since) => {
			const tasks = tasksSince(emulator, since);
			assert.equal(tasks.length, 1, 'exactly one task created');
			const { model, prompt, aspect_ratio, size } = tasks[0].body;
			assert.deepEqual({ model, prompt, aspect_ratio, size }, {
				model: 'grok-video-3',
				prompt: 'A cat playing piano in a jazz club, cinematic lighting',
				aspect_ratio: '16:9',
				size: '720P',
			});
		},
		'Wait for Completion outputs the completed task with its video in "video"': (run) => {
			const [item] = outputOf(run, 'Wait for Completion');
			assertTask(emulator, item.json, { status: 'completed', ...GROK });
			assertVideo(emulator, n8n.n8nFolder, item.binary?.video, String(item.json.taskId));
		},
	});
}

async function veoFrames(context: SuiteContext): Promise<void> {
	const { emulator, n8n } = context;
	const code = String(workflowOf(context, '2-veo-first-last-frame').nodes.find((node) => node.name === 'Frame Images')?.parameters.jsCode);
	const frames = [...code.matchAll(/'(iVBOR[A-Za-z0-9+/=]+)'/g)].map((match) => Buffer.from(match[1], 'base64'));
	await withRun(context, '2-veo-first-last-frame', {
		'the execution succeeds': (run) => assertSucceeded(run),
		'Create Video waits and outputs the completed task with its video': (run) => {
			const [item] = outputOf(run, 'Create Video');
			assertTask(emulator, item.json, { status: 'completed', model: 'veo-3.1-fast', priceUsd: 0.06 });
			assertVideo(emulator, n8n.n8nFolder, item.binary?.data, String(item.json.taskId));
		},
		'both frames were uploaded and sent as images, first then last': async (_run, since) => {
			const [task] = tasksSince(emulator, since);
			assert.equal(task.body.generate_audio, true);
			const images = task.body.images as string[];
			assert.equal(images.length, 2);
			assert.equal(frames.length, 2, 'two PNGs in the Code node');
			for (const [index, url] of images.entries()) {
				assert.ok(url.startsWith(`${emulator.url}/files/`), `images[${index}] is an upload: ${url}`);
				assert.match(url, index === 0 ? /first-frame\.png$/ : /last-frame\.png$/);
				const response = await fetch(url);
				assert.equal(response.headers.get('content-type'), 'image/png');
				assert.ok(Buffer.from(await response.arrayBuffer()).equals(frames[index]), `images[${index}] bytes`);
			}
		},
	});
}

async function klingMotion(context: SuiteContext): Promise<void> {
	const { emulator, n8n } = context;
	await withRun(context, '3-kling-motion-control', {
		'the execution succeeds': (run) => assertSucceeded(run),
		'the character image and motion video URLs reach the API': (_run, since) => {
			const [task] = tasksSince(emulator, since);
			const { model, input_urls, video_urls, mode, character_orientation } = task.body;
			assert.deepEqual({ model, input_urls, video_urls, mode, character_orientation }, {
				model: 'kling-motion-control',
				input_urls: ['https://example.com/character.png'],
				video_urls: ['https://example.com/dance.mp4'],
				mode: '720p',
				character_orientation: 'video',
			});
		},
		'Create Video outputs the completed task with its video': (run) => {
			const [item] = outputOf(run, 'Create Video');
			assertTask(emulator, item.json, { status: 'completed', model: 'kling-motion-control', priceUsd: 0.03 });
			assertVideo(emulator, n8n.n8nFolder, item.binary?.data, String(item.json.taskId));
		},
	});
}

async function scheduledBatch(context: SuiteContext): Promise<void> {
	const { emulator } = context;
	const expected = promptsOf(workflowOf(context, '5-scheduled-batch'));
	await withRun(context, '5-scheduled-batch', {
		'the manual trigger runs the batch': (run) => assertSucceeded(run),
		'each prompt became exactly one task': (_run, since) => {
			const tasks = tasksSince(emulator, since);
			assert.deepEqual(tasks.map((task) => task.body.prompt).sort(), [...expected].sort());
		},
		'the tasks are waited for together and output in prompt order': (run, since) => {
			const items = outputOf(run, 'Create Video');
			const taskOf = new Map(tasksSince(emulator, since).map((task) => [task.id, task.body.prompt]));
			assert.deepEqual(items.map((item) => taskOf.get(String(item.json.taskId))), expected);
			for (const item of items) assertTask(emulator, item.json, { status: 'completed', ...GROK });
		},
	});
}

async function errorHandling(context: SuiteContext): Promise<void> {
	const { emulator } = context;
	await withRun(context, '6-error-handling', {
		'the execution succeeds despite the failed task': (run) => assertSucceeded(run),
		'the completed task leaves through the success output': (run) => {
			const items = outputOf(run, 'Videos Ready');
			assert.equal(items.length, 1);
			assertTask(emulator, items[0].json, { status: 'completed', ...GROK });
		},
		'the failed task leaves through the error output, naming the task and the reason': (run, since) => {
			const items = outputOf(run, 'Failed Videos');
			assert.equal(items.length, 1);
			const failed = tasksSince(emulator, since).find((task) => task.outcome === 'failed');
			assert.ok(failed, 'the emulator failed no task');
			// n8n 2.40 replaces the json of an item that carries an error with { error: message }
			// (WorkflowExecute.normalizeNodeErrors), so the message is what reaches this branch.
			assert.match(String(items[0].json.error), new RegExp(`${failed.id}.*Content policy violation`));
		},
	});
}

/** Faults injected into the emulator, each on a fresh run of example 1. */
async function faults(context: SuiteContext): Promise<void> {
	const { emulator } = context;
	const example = '1-text-to-video-grok';
	const createRequests = () => emulator.stats().totals.create;

	emulator.resetStats();
	emulator.inject('create', { kind: 'errorInBody', code: 402, msg: 'Insufficient credits' });
	await withRun(context, example, {
		'a 402 inside an HTTP 200 fails Create Video with the API message': (run) => {
			assert.equal(run.status, 'error');
			const error = run.data.resultData.error;
			assert.equal(error?.node?.name, 'Create Video');
			assert.match(`${error?.message} ${error?.description}`, /Insufficient credits/);
		},
		'...and was not retried': () => assert.equal(createRequests(), 1),
	});

	emulator.resetStats();
	emulator.inject('create', { kind: 'rateLimit', retryAfterSeconds: 0 }, 2);
	emulator.inject('status', 'serverError', 2);
	await withRun(context, example, {
		'429s on create and 500s on status are retried to success': (run) => assertSucceeded(run),
		'...creating the task once': (_run, since) => {
			assert.equal(tasksSince(emulator, since).length, 1);
			assert.deepEqual(emulator.stats().requests.create, { 429: 2, 200: 1 });
			assert.equal(emulator.stats().requests.status['500'], 2);
		},
	});

	emulator.resetStats();
	emulator.inject('create', 'drop');
	await withRun(context, example, {
		'a connection dropped on create fails the execution': (run) => {
			assert.equal(run.status, 'error');
			assert.match(String(run.data.resultData.error?.message), /a task may have been created and charged, so the request was not repeated/);
		},
		'...without a second create, which could pay twice': () => assert.equal(createRequests(), 1),
	});
	emulator.reset();
}

export async function executionCases(context: SuiteContext): Promise<void> {
	context.report.section('Examples run with `n8n execute`:');
	await textToVideo(context);
	await veoFrames(context);
	await klingMotion(context);
	await scheduledBatch(context);
	await errorHandling(context);
	await faults(context);
}
