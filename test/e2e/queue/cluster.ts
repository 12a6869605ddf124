/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- tests run on Node, outside n8n */
/**
 * n8n in queue mode, as production runs it: PostgreSQL, Redis, a main process (editor, REST API,
 * the waiting-execution tracker; production webhooks off), workers that run the executions, and
 * webhook processes that receive production and resume calls. A balancer in front of the webhook
 * processes stands for the load balancer: it sends each request to the next process in turn.
 * Every process shares one user folder (the community package, settings) and one encryption key.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Ports } from '../../../harness/n8n/instance';
import { freePorts, N8n, N8nServer } from '../../../harness/n8n/instance';
import type { Service } from './services';
import { startPostgres, startRedis } from './services';

export type Role = 'main' | 'worker' | 'webhook';

export interface ProcessHandle {
	role: Role;
	name: string;
	ports: Ports;
	server: N8nServer;
	child: ChildProcess;
	pid: number;
}

/** Round-robin HTTP forwarding to the webhook processes that are up; `only` pins one. */
export class Balancer {
	private next = 0;
	private server = http.createServer((req, res) => this.forward(req, res));
	targets: string[] = [];
	url = '';
	forwarded = 0;

	async listen(): Promise<void> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
		if (this.targets.length === 0) {
			req.resume();
			res.writeHead(502).end('no webhook process');
			return;
		}
		const target = new URL(req.url ?? '/', this.targets[this.next++ % this.targets.length]);
		this.forwarded += 1;
		const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		});
		upstream.on('error', () => {
			if (!res.headersSent) res.writeHead(502).end('webhook process unreachable');
			else res.destroy();
		});
		req.pipe(upstream);
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(resolve));
	}
}

export class QueueCluster {
	readonly n8n: N8n;
	readonly balancer = new Balancer();
	readonly processes: ProcessHandle[] = [];
	private postgres?: Service & { user: string; database: string };
	private redis?: Service;
	private readonly encryptionKey = randomBytes(24).toString('hex');
	private readonly logs: string;

	constructor(
		cache: string,
		private readonly work: string,
	) {
		this.n8n = new N8n(cache, path.join(work, 'n8n-user'));
		this.logs = path.join(work, 'logs');
		mkdirSync(this.logs, { recursive: true });
	}

	async startServices(): Promise<void> {
		this.postgres = await startPostgres();
		this.redis = await startRedis(path.join(this.work, 'redis'));
		await this.balancer.listen();
	}

	env(role: Role, ports: Ports): NodeJS.ProcessEnv {
		const { postgres, redis } = this;
		if (!postgres || !redis) throw new Error('start the services first');
		return {
			...this.n8n.env(ports),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: '',
			DB_POSTGRESDB_DATABASE: postgres.database,
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(ports.http),
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			// Resume URLs and production URLs point at the balancer, in front of the webhook processes.
			WEBHOOK_URL: `${this.balancer.url}/`,
			N8N_WEBHOOK_URL: `${this.balancer.url}/`,
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: role === 'main' ? 'true' : 'false',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
			N8N_LOG_LEVEL: process.env.QUEUE_LOG_LEVEL ?? 'info',
		};
	}

	/** An n8n CLI command against the cluster's database, to completion. */
	async cli(args: string[], success: RegExp): Promise<string> {
		const child = spawn(this.n8n.node, [this.n8n.bin, ...args], {
			env: this.env('main', await freePorts()),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
		if (code !== 0 || !success.test(output)) throw new Error(`n8n ${args.join(' ')} failed (${code}):\n${output.slice(-2000)}`);
		return output;
	}

	async startProcess(role: Role, name: string, extra: string[] = []): Promise<ProcessHandle> {
		const ports = await freePorts();
		const command = role === 'main' ? 'start' : role;
		const env = { ...this.env(role, ports), ...(role === 'main' ? this.ownerEnv() : {}) };
		const child = spawn(this.n8n.node, [this.n8n.bin, command, ...extra], { env, stdio: ['ignore', 'pipe', 'pipe'] });
		const log = createWriteStream(path.join(this.logs, `${name}.log`), { flags: 'a' });
		const url = `http://127.0.0.1:${ports.http}`;
		const server = new N8nServer(child, url, this.n8n.major, (line) => log.write(`${line}\n`));
		child.once('exit', () => log.end());
		const handle = { role, name, ports, server, child, pid: child.pid ?? 0 };
		// Registered before it is ready, so a process that never gets ready is still stopped.
		this.processes.push(handle);
		const probe = role === 'worker' ? '/healthz' : '/healthz/readiness';
		// n8n takes 15-60 s to boot here, longer when several start at once on a shared machine.
		await server.waitUntil(async () => (await fetch(`${url}${probe}`)).ok, 240_000, `${name} to start`);
		if (role === 'main') await server.setUpOwner();
		if (role === 'webhook') this.balancer.targets.push(url);
		return handle;
	}

	private ownerEnv(): NodeJS.ProcessEnv {
		// The owner account the harness's N8n applies on `start`.
		return (this.n8n as unknown as { ownerEnv(): NodeJS.ProcessEnv }).ownerEnv();
	}

	get main(): N8nServer {
		const main = this.processes.find((handle) => handle.role === 'main');
		if (!main) throw new Error('no main process');
		return main.server;
	}

	/** Starts a main, then `workers` workers and `webhooks` webhook processes side by side. */
	async startN8n(workers: number, webhooks: number, workerConcurrency: number): Promise<void> {
		await this.startProcess('main', 'main');
		await Promise.all([
			...Array.from({ length: workers }, (_, index) =>
				this.startProcess('worker', `worker-${index + 1}`, [`--concurrency=${workerConcurrency}`]),
			),
			...Array.from({ length: webhooks }, (_, index) => this.startProcess('webhook', `webhook-${index + 1}`)),
		]);
	}

	/** Ends one n8n process: SIGKILL at once, or SIGTERM with n8n's graceful shutdown. */
	async stopProcess(handle: ProcessHandle, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
		this.balancer.targets = this.balancer.targets.filter((url) => url !== handle.server.url);
		if (handle.server.running) {
			const exited = new Promise((resolve) => handle.child.once('exit', resolve));
			handle.child.kill(signal);
			const timer = setTimeout(() => handle.child.kill('SIGKILL'), 30_000);
			await exited;
			clearTimeout(timer);
		}
		this.processes.splice(this.processes.indexOf(handle), 1);
	}

	async stopN8n(signal: 'SIGKILL' | 'SIGTERM' = 'SIGTERM'): Promise<void> {
		await Promise.all([...this.processes].map((handle) => this.stopProcess(handle, signal)));
	}

	async stop(): Promise<void> {
		await this.stopN8n('SIGKILL');
		await this.balancer.close();
		await this.redis?.stop();
		await this.postgres?.stop();
	}
}
