/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- the API emulator, a Node server, not n8n code */
/**
 * `npm run emulator [-- --port 4010 --spelling live ...]`: runs the emulator until SIGINT/SIGTERM.
 * Prints `APIModels emulator listening on <url>` and `API key: <key>`, one per line, for scripts to read.
 */
import { parseArgs } from 'node:util';
import { firstIssue, runtimeOptionsPatch } from './options';
import type { EmulatorOptions } from './options';
import { startEmulator } from './server';

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Accepts plain bytes or a binary unit: 314572800, 300MB, 300m. */
function parseSize(text: string): number {
	const match = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(text.trim());
	if (!match) throw new Error(`not a size: ${text}`);
	return Math.round(Number(match[1]) * SIZE_UNITS[match[2].toLowerCase()]);
}

function parseNumber(text: string | undefined): number | undefined {
	if (text === undefined) return undefined;
	const value = Number(text);
	if (!Number.isFinite(value)) throw new Error(`not a number: ${text}`);
	return value;
}

function readOptions(): EmulatorOptions {
	const { values } = parseArgs({
		options: {
			port: { type: 'string' },
			host: { type: 'string' },
			spelling: { type: 'string' },
			'pending-ms': { type: 'string' },
			'processing-ms': { type: 'string' },
			'video-size': { type: 'string' },
			'callback-shape': { type: 'string' },
			'api-key': { type: 'string' },
		},
	});
	const env = process.env;
	const pick = (flag: keyof typeof values, variable: string) => (values[flag] as string | undefined) ?? env[variable];
	const videoSize = pick('video-size', 'EMULATOR_VIDEO_SIZE');
	const apiKey = pick('api-key', 'EMULATOR_API_KEY');
	const runtime = runtimeOptionsPatch.safeParse({
		spelling: pick('spelling', 'EMULATOR_SPELLING'),
		pendingMs: parseNumber(pick('pending-ms', 'EMULATOR_PENDING_MS')),
		processingMs: parseNumber(pick('processing-ms', 'EMULATOR_PROCESSING_MS')),
		videoSizeBytes: videoSize === undefined ? undefined : parseSize(videoSize),
		callbackShape: pick('callback-shape', 'EMULATOR_CALLBACK_SHAPE'),
		apiKeys: apiKey === undefined ? undefined : [apiKey],
	});
	if (!runtime.success) throw new Error(firstIssue(runtime.error));
	return {
		...runtime.data,
		port: parseNumber(pick('port', 'EMULATOR_PORT')) ?? 4010,
		host: pick('host', 'EMULATOR_HOST') ?? '127.0.0.1',
	};
}

async function main(): Promise<void> {
	const emulator = await startEmulator(readOptions());
	console.log(`APIModels emulator listening on ${emulator.url}`);
	console.log(`API key: ${emulator.apiKey}`);
	console.log(`Control API: ${emulator.url}/__emulator/stats`);
	const stop = () => void emulator.close().then(() => process.exit(0));
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
	console.error(`emulator: ${error.message}`);
	process.exit(1);
});
