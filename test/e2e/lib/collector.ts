/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
/**
 * A loopback HTTP endpoint that workflows report to through a plain HTTP Request node:
 * one POST per execution, so the suite counts executions exactly and sees what each one had.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery<T> {
	body: T;
	receivedAt: number;
	/** Whatever `onReceive` derived while the execution was still running. */
	extra?: unknown;
}

export class Collector<T = Record<string, unknown>> {
	readonly deliveries: Array<Delivery<T>> = [];
	private server?: http.Server;
	url = '';

	/** `onReceive` runs before the answer, i.e. while the reporting execution still waits for it. */
	constructor(private readonly onReceive: (body: T) => unknown = () => undefined) {}

	async start(): Promise<void> {
		const server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', async () => {
				try {
					const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
					const extra = await this.onReceive(body);
					this.deliveries.push({ body, receivedAt: Date.now(), extra });
					res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
				} catch (error) {
					res.writeHead(400).end(String(error));
				}
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		this.server = server;
		this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	}

	/** Waits until `done(deliveries)` holds; then, with `settleMs`, that long more, to catch extras. */
	async waitFor(done: (deliveries: Array<Delivery<T>>) => boolean, timeoutMs: number, settleMs = 0): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!done(this.deliveries)) {
			if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms (${this.deliveries.length} deliveries)`);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		if (settleMs) await new Promise((resolve) => setTimeout(resolve, settleMs));
	}

	async close(): Promise<void> {
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server?.close(resolve));
	}
}
