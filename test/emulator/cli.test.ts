/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- tests run on Node, outside n8n */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import axios from 'axios';

const ROOT = join(__dirname, '..', '..');

function runCli(args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
	return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'emulator/cli.ts', ...args], {
		cwd: ROOT,
		env: { ...process.env, ...env },
	});
}

/** Reads stdout until the `API key:` line and returns the announced URL and key. */
function announcement(child: ChildProcessWithoutNullStreams): Promise<{ url: string; apiKey: string }> {
	return new Promise((resolve, reject) => {
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			const url = /^APIModels emulator listening on (\S+)$/m.exec(output)?.[1];
			const apiKey = /^API key: (\S+)$/m.exec(output)?.[1];
			if (url && apiKey) resolve({ url, apiKey });
		});
		child.once('exit', (code) => reject(new Error(`exited with ${code} before announcing: ${output}`)));
	});
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
	return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

test('prints its URL and key, applies flags and env, and stops on SIGTERM', async () => {
	const child = runCli(['--port', '0', '--pending-ms', '0', '--processing-ms', '0', '--video-size', '1MB'], {
		EMULATOR_SPELLING: 'live',
		EMULATOR_API_KEY: 'sk_cli',
	});
	try {
		const { url, apiKey } = await announcement(child);
		expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(apiKey).toBe('sk_cli');
		const api = axios.create({ baseURL: url, headers: { Authorization: `Bearer ${apiKey}` } });
		const created = await api.post('/api/v1/video/generations', { model: 'grok-video-3', prompt: 'x' });
		const taskId = created.data.data.taskId;
		const { data } = await api.get('/api/v1/video/generations', { params: { task_id: taskId } });
		expect(data.data.state).toBe('completed');
		const video = await axios.head(data.data.resultUrls[0]);
		expect(video.headers['content-length']).toBe(String(1024 * 1024));
	} finally {
		child.kill('SIGTERM');
	}
	expect(await exitOf(child)).toBe(0);
});

test('an invalid value stops it with a message and exit code 1', async () => {
	const child = runCli(['--port', '0', '--spelling', 'british']);
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	expect(await exitOf(child)).toBe(1);
	expect(stderr).toMatch(/^emulator: .*spelling/m);
});
