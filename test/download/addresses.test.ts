/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run on Node, outside n8n */
/**
 * Downloads and private addresses: the node connects to video URLs itself, so an API answer naming
 * a private host other than the API's own (a hijacked or hostile API pointing into the network n8n
 * runs in) is refused before any connection, whether the host is a literal, `localhost` or a name
 * the hosts file maps there, and a redirect onto such a host is refused before anything is stored.
 * The API's own host may serve its videos (the emulator here, a local proxy for users).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { videoBytes } from '../../emulator/video';
import { readBinary } from '../../harness/engine';
import { createTasks, outputOf, runVideo, useEmulator } from '../support/fixtures';
import { hostsFileName } from '../support/hostsFile';
import { startVideoProxy } from './videoProxy';

const emulator = useEmulator();

const DONE = 'A cat [pendingMs=0][processingMs=0]';
const getStatus = { operation: 'getStatus', options: { downloadVideo: true } };

/** A host serving a real MP4 on any path, counting the requests it gets. */
let hits = 0;
let port = 0;
let videoHost: http.Server;
beforeAll(async () => {
	videoHost = http.createServer((_req, res) => {
		hits += 1;
		res.writeHead(200, { 'Content-Type': 'video/mp4' }).end(videoBytes({ label: 'inner' }));
	});
	await new Promise<void>((resolve) => videoHost.listen(0, '127.0.0.1', resolve));
	port = (videoHost.address() as AddressInfo).port;
});
afterAll(async () => await new Promise((resolve) => videoHost.close(resolve)));
beforeEach(() => {
	hits = 0;
});

/** Get Status with Download Video against an API whose answer lists `videoUrl` (given the API's own URL). */
async function downloadFrom(videoUrl: (apiUrl: string) => string, serve?: (path: string, res: http.ServerResponse) => void) {
	const proxy = await startVideoProxy(emulator, {
		videos: (_videos, _taskId, proxyUrl) => [videoUrl(proxyUrl)],
		serve: async (path, res) => serve?.(path, res),
	});
	try {
		const [taskId] = await createTasks(emulator(), [DONE]);
		const result = await runVideo({ ...emulator(), url: proxy.url }, getStatus, [{ taskId }], {
			binaryMode: 'filesystem',
			node: { onError: 'continueRegularOutput' },
		});
		return { taskId, item: outputOf(result)[0], proxyUrl: proxy.url };
	} finally {
		await proxy.close();
	}
}

describe('a private host other than the API\'s own is refused before connecting', () => {
	it('a name the hosts file maps to a private address, naming it and what it resolves to', async () => {
		const { name, address } = hostsFileName();
		const { taskId, item } = await downloadFrom(() => `http://${name}:${port}/v.mp4`);
		expect(String(item.json.error)).toContain(
			`Downloading the video of task ${taskId} failed: its host ${name.toLowerCase()} is a private or local address (it resolves to ${address})`,
		);
		expect(item.binary).toBeUndefined();
		expect(hits).toBe(0);
	});

	it.each([['localhost'], ['LOCALHOST.'], ['[::ffff:127.0.0.1]'], ['127.0.0.2'], ['[::1]']])('%s', async (host) => {
		const { taskId, item } = await downloadFrom(() => `http://${host}:${port}/v.mp4`);
		expect(String(item.json.error)).toContain(`Downloading the video of task ${taskId} failed: its host`);
		expect(String(item.json.error)).toContain("only on the API's own host (127.0.0.1)");
		expect(item.binary).toBeUndefined();
		expect(hits).toBe(0);
	});
});

describe('the API\'s own host', () => {
	it('serves its videos from its private address', async () => {
		const { item } = await downloadFrom((apiUrl) => `${apiUrl}/media/own.mp4`, (_path, res) => {
			res.writeHead(200, { 'Content-Type': 'video/mp4' }).end(videoBytes({ label: 'own' }));
		});
		expect(item.json.error).toBeNull();
		expect((await readBinary(item)).equals(videoBytes({ label: 'own' }))).toBe(true);
	});

	it('cannot redirect onto another private host: refused before connecting to it', async () => {
		const { taskId, item } = await downloadFrom((apiUrl) => `${apiUrl}/media/moved.mp4`, (_path, res) => {
			res.writeHead(302, { Location: `http://localhost:${port}/inner.mp4` }).end();
		});
		expect(String(item.json.error)).toContain(
			`Downloading the video of task ${taskId} failed: its host localhost is a private or local address`,
		);
		expect(item.binary).toBeUndefined();
		expect(hits).toBe(0);
	});

	it('may redirect to its own host, and to a public name that does not resolve here, which then fails to connect', async () => {
		const own = await downloadFrom((apiUrl) => `${apiUrl}/media/moved.mp4`, (path, res) => {
			if (path === '/media/moved.mp4') return void res.writeHead(301, { Location: '/media/here.mp4' }).end();
			res.writeHead(200, { 'Content-Type': 'video/mp4' }).end(videoBytes({ label: 'here' }));
		});
		expect((await readBinary(own.item)).equals(videoBytes({ label: 'here' }))).toBe(true);

		const away = await downloadFrom((apiUrl) => `${apiUrl}/media/away.mp4`, (_path, res) => {
			res.writeHead(302, { Location: 'http://videos.invalid/v.mp4' }).end();
		});
		expect(String(away.item.json.error)).toContain(`Downloading the video of task ${away.taskId} failed`);
		expect(String(away.item.json.error)).not.toContain('private');
	});

	it('a redirect loop ends after a few hops', async () => {
		const { taskId, item } = await downloadFrom((apiUrl) => `${apiUrl}/media/loop.mp4`, (_path, res) => {
			res.writeHead(302, { Location: '/media/loop.mp4' }).end();
		});
		expect(String(item.json.error)).toContain(`Downloading the video of task ${taskId} failed: the server redirected it more than 5 times`);
	});

	it('an error status is named, never the body that came with it', async () => {
		const { taskId, item } = await downloadFrom((apiUrl) => `${apiUrl}/media/gone.mp4`, (_path, res) => {
			res.writeHead(403, { 'Content-Type': 'text/plain' }).end('INTERNAL-SECRET-CONTENT');
		});
		expect(String(item.json.error)).toContain(`Downloading the video of task ${taskId} failed: the server answered HTTP 403`);
		expect(JSON.stringify(item.json)).not.toContain('INTERNAL-SECRET-CONTENT');
	});
});
