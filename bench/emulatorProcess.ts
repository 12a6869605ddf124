/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- benchmarks run on Node, outside n8n */
/**
 * The API emulator in a child process, driven through its control API (`/__emulator/...`), so
 * its own memory and CPU stay out of the measurements taken in this process.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { RuntimeOptions } from '../emulator/options';
import type { EmulatorStats } from '../emulator/stats';
import type { EmulatorTask } from '../emulator/tasks';
import type { VideoSpec } from '../emulator/video';

export interface RemoteEmulator {
	url: string;
	apiKey: string;
	setOptions(patch: Partial<RuntimeOptions>): Promise<void>;
	stats(): Promise<EmulatorStats>;
	resetStats(): Promise<void>;
	/** Creates tasks at once, straight at the API; a prompt can carry `[pendingMs=N]` and the like. */
	createTasks(count: number, prompt?: string): Promise<string[]>;
	videoSpec(taskId: string): Promise<VideoSpec>;
	/** Every task with its schedule (createdAt, finishedAt). */
	tasks(): Promise<EmulatorTask[]>;
	close(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..');

export async function startEmulatorProcess(): Promise<RemoteEmulator> {
	const child: ChildProcess = spawn(
		process.execPath,
		['-r', 'ts-node/register/transpile-only', 'emulator/cli.ts', '--port', '0'],
		{ cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
	);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const lines = readline.createInterface({ input: child.stdout! });
	const banner = { url: '', apiKey: '' };
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('the emulator did not start within 30 s')), 30_000);
		child.once('exit', (code) => reject(new Error(`the emulator exited with code ${code}`)));
		lines.on('line', (line) => {
			banner.url ||= /listening on (\S+)/.exec(line)?.[1] ?? '';
			banner.apiKey ||= /^API key: (\S+)/.exec(line)?.[1] ?? '';
			if (banner.url && banner.apiKey) {
				clearTimeout(timer);
				resolve();
			}
		});
	});
	const { url, apiKey } = banner;

	const control = async (method: string, route: string, body?: unknown) => {
		const response = await fetch(`${url}/__emulator/${route}`, {
			method,
			headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (!response.ok) throw new Error(`emulator ${method} ${route}: ${response.status} ${await response.text()}`);
		return (await response.json()) as unknown;
	};

	const createOne = async (prompt: string) => {
		const response = await fetch(`${url}/api/v1/video/generations`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ model: 'grok-video-3', prompt }),
		});
		const { data } = (await response.json()) as { data: Record<string, unknown> };
		return String(data.task_id ?? data.taskId);
	};

	return {
		url,
		apiKey,
		setOptions: async (patch) => void (await control('POST', 'options', patch)),
		stats: async () => (await control('GET', 'stats')) as EmulatorStats,
		resetStats: async () => void (await control('DELETE', 'stats')),
		createTasks: async (count, prompt = 'A benchmark cat') =>
			await Promise.all(Array.from({ length: count }, async () => await createOne(prompt))),
		// What the emulator serves: the task id as label, sized by the option in force (see context.ts).
		videoSpec: async (taskId) => {
			const options = (await control('GET', 'options')) as RuntimeOptions;
			return { label: taskId, sizeBytes: options.videoSizeBytes };
		},
		tasks: async () => (await control('GET', 'tasks')) as EmulatorTask[],
		async close() {
			child.kill('SIGTERM');
			await exited;
		},
	};
}
