/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run on Node, outside n8n */
/**
 * An API in front of the emulator whose task answers list video URLs of its own choosing, served
 * by itself: for downloads from URLs the emulator does not make (other names, other types).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject } from 'n8n-workflow';
import type { Emulator } from '../../emulator/server';

export interface VideoProxy {
	url: string;
	close(): Promise<void>;
}

export interface VideoProxyRoutes {
	/** The video URLs a task answer lists, given the emulator's and the proxy's own base URL. */
	videos(emulatorVideos: string[], taskId: string, proxyUrl: string): string[];
	/** Answers a request for a path that is not the API's. */
	serve(path: string, res: http.ServerResponse): Promise<void>;
}

export async function startVideoProxy(emulator: () => Emulator, routes: VideoProxyRoutes): Promise<VideoProxy> {
	let url = '';
	const proxy = http.createServer((req, res) => {
		void (async () => {
			if (!req.url?.startsWith('/api/')) return await routes.serve(req.url ?? '/', res);
			const upstream = await fetch(`${emulator().url}${req.url}`, { headers: { Authorization: req.headers.authorization ?? '' } });
			const body = (await upstream.json()) as { data: IDataObject };
			const videos = body.data.videos as string[] | undefined;
			if (videos) body.data.videos = routes.videos(videos, String(body.data.task_id), url);
			res.writeHead(upstream.status, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(body));
		})();
	});
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
	return { url, close: async () => await new Promise<void>((resolve) => proxy.close(() => resolve())) };
}
