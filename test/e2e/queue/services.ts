/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- tests run on Node, outside n8n */
/**
 * The services n8n's queue mode needs, each as a process of this suite on its own port and
 * folder: Debian's PostgreSQL 15 and redis-server. PostgreSQL refuses to run as root, so it
 * runs as the `postgres` system user (spawned with that uid, so its pid is postgres itself).
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../../harness/n8n/instance';

const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface Service {
	port: number;
	stop(): Promise<void>;
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill(signal);
	const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
}

async function waitFor(probe: () => boolean, what: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!probe()) {
		if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

function succeeds(command: string, args: string[]): boolean {
	try {
		execFileSync(command, args, { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

/** Who runs PostgreSQL: the `postgres` user when we are root, else ourselves. */
function postgresUser(): { uid?: number; gid?: number } {
	if (process.getuid?.() !== 0) return {};
	const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
	const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
	return { uid, gid };
}

/**
 * A fresh cluster (no fsync: a test database) trusting local connections as user `n8n`, in a
 * folder of its own under the system temp folder, which the `postgres` user can reach; removed
 * when stopped.
 */
export async function startPostgres(): Promise<Service & { user: string; database: string }> {
	const user = postgresUser();
	const folder = mkdtempSync(path.join(tmpdir(), 'apimodels-postgres-'));
	if (user.uid !== undefined) chownSync(folder, user.uid, user.gid as number);
	const data = path.join(folder, 'data');
	execFileSync(path.join(PG_BIN, 'initdb'), ['-D', data, '-U', 'n8n', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
		...user,
		stdio: 'ignore',
	});
	const port = await freePort();
	const child = spawn(
		path.join(PG_BIN, 'postgres'),
		['-D', data, '-p', String(port), '-k', folder, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200'],
		{ ...user, stdio: 'ignore' },
	);
	const ready = () => succeeds(path.join(PG_BIN, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]);
	await waitFor(ready, 'PostgreSQL', child);
	// SIGINT is PostgreSQL's fast shutdown: roll back open transactions and stop.
	const stop = async () => {
		await stopChild(child, 'SIGINT');
		rmSync(folder, { recursive: true, force: true });
	};
	return { port, user: 'n8n', database: 'postgres', stop };
}

export async function startRedis(folder: string): Promise<Service> {
	mkdirSync(folder, { recursive: true });
	const port = await freePort();
	const child = spawn(
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--dir', folder, '--save', '', '--appendonly', 'no'],
		{ stdio: 'ignore' },
	);
	await waitFor(() => succeeds('redis-cli', ['-p', String(port), 'ping']), 'redis-server', child);
	return { port, stop: () => stopChild(child) };
}

/** Whether the machine has what the queue stage needs (.ci/run installs it). */
export function queueServicesAvailable(): string | undefined {
	try {
		statSync(path.join(PG_BIN, 'postgres'));
	} catch {
		return `PostgreSQL 15 is not installed (${PG_BIN})`;
	}
	return succeeds('redis-server', ['--version']) ? undefined : 'redis-server is not installed';
}
