/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run on Node, outside n8n */
/** Fixtures for the emulator's tests: an emulator per test, an axios client that never throws on status, a callback receiver. */
import type { AxiosInstance } from 'axios';
import axios from 'axios';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorOptions } from '../../emulator/options';
import type { Emulator } from '../../emulator/server';
import { startEmulator } from '../../emulator/server';

export function client(emulator: Emulator, apiKey: string | null = emulator.apiKey): AxiosInstance {
	return axios.create({
		baseURL: emulator.url,
		headers: apiKey === null ? {} : { Authorization: `Bearer ${apiKey}` },
		validateStatus: () => true,
	});
}

/** A fresh emulator for each test of the file; `fixture.emulator` and `fixture.api` inside a test. */
export function useEmulator(options: EmulatorOptions = {}): { emulator: Emulator; api: AxiosInstance } {
	const fixture = {} as { emulator: Emulator; api: AxiosInstance };
	beforeEach(async () => {
		fixture.emulator = await startEmulator(options);
		fixture.api = client(fixture.emulator);
	});
	afterEach(() => fixture.emulator.close());
	return fixture;
}

export const GROK_BODY = { model: 'grok-video-3', prompt: 'A cat playing piano in a jazz club', aspect_ratio: '16:9' };

/** Creates a task and returns its id (either spelling). */
export async function createTask(api: AxiosInstance, body: Record<string, unknown> = GROK_BODY): Promise<string> {
	const { status, data } = await api.post('/api/v1/video/generations', body);
	if (status !== 200) throw new Error(`create answered ${status}: ${JSON.stringify(data)}`);
	return data.data.task_id ?? data.data.taskId;
}

export async function queryTask(api: AxiosInstance, taskId: string): Promise<Record<string, unknown>> {
	const { data } = await api.get('/api/v1/video/generations', { params: { task_id: taskId } });
	return data;
}

export interface ReceivedCallback {
	at: number;
	headers: http.IncomingHttpHeaders;
	body: unknown;
}

export interface Receiver {
	url: string;
	hits: ReceivedCallback[];
	close(): Promise<void>;
}

/**
 * A webhook endpoint on loopback that answers each hit with the next of `statuses` (then 200);
 * a status of 0 never answers, to exercise the sender's timeout.
 */
export async function startReceiver(statuses: number[] = []): Promise<Receiver> {
	const hits: ReceivedCallback[] = [];
	const script = [...statuses];
	const server = http.createServer(async (req, res) => {
		const at = Date.now();
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		hits.push({ at, headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
		const status = script.shift() ?? 200;
		if (status !== 0) res.writeHead(status).end();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
		hits,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
