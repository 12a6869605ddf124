/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error -- test tooling that drives n8n from outside */
/** A real n8n (a version harness/n8n/versions.json lists) driven through its CLI and HTTP server. */
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { ROOT } from './package';
import { majorOf } from './n8nVersions';

/** The owner account, so the editor opens on a login page instead of the signup form. */
export const OWNER = { email: 'owner@example.com', password: 'Apimodels-dev-1', firstName: 'Dev', lastName: 'Owner' };

/**
 * Installs (first time, minutes) or finds the cached n8n of `version` (the primary one of
 * versions.json when not given) and the Node it runs on; answers the cache folder.
 */
export function provideN8n(version?: string): string {
	const output = execFileSync('bash', [path.join(ROOT, 'scripts/provide-n8n.sh'), ...(version ? [version] : [])], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	return output.trim().split('\n').pop() ?? '';
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

/** n8n's HTTP port and its task broker's port: each n8n process needs its own pair. */
export interface Ports {
	http: number;
	broker: number;
}

export async function freePorts(): Promise<Ports> {
	return { http: await freePort(), broker: await freePort() };
}

interface CliResult {
	code: number | null;
	output: string;
}

/** What `n8n execute` prints: n8n's IRun of the execution. */
export interface ExecutionRun {
	status: string;
	data: {
		resultData: {
			runData: Record<string, Array<{ data?: { main: Array<NodeItem[] | null> } }>>;
			error?: { message: string; description?: string; node?: { name: string } };
		};
	};
}

export interface NodeItem {
	json: Record<string, unknown>;
	binary?: Record<string, BinaryMeta>;
}

export interface BinaryMeta {
	id?: string;
	data?: string;
	fileName?: string;
	mimeType?: string;
}

/** The JSON object n8n logs in the middle of other log lines: from a lone `{` to the `}` that closes it. */
export function parseLoggedJson(output: string): ExecutionRun | undefined {
	const lines = output.split('\n');
	const start = lines.findIndex((line) => line === '{');
	if (start < 0) return undefined;
	for (let end = start + 1; end < lines.length; end++) {
		if (lines[end] !== '}') continue;
		try {
			return JSON.parse(lines.slice(start, end + 1).join('\n')) as ExecutionRun;
		} catch {
			// a nested closing brace at column 0: keep looking
		}
	}
	return undefined;
}

/**
 * One n8n instance: a user folder (database, settings, binary data, community packages) and the
 * n8n it runs with. n8n's SQLite database takes one process at a time (a second writer fails
 * with SQLITE_BUSY), so this class runs its CLI commands one after the other.
 */
export class N8n {
	readonly node: string;
	readonly bin: string;
	/** The n8n version in the cache folder, e.g. `1.123.81`. */
	readonly version: string;
	private queue: Promise<unknown> = Promise.resolve();

	constructor(
		readonly cache: string,
		readonly userFolder: string,
	) {
		this.node = path.join(cache, 'bin/node');
		this.bin = path.join(cache, 'node_modules/n8n/bin/n8n');
		this.version = (JSON.parse(readFileSync(path.join(cache, 'node_modules/n8n/package.json'), 'utf8')) as { version: string }).version;
	}

	get major(): number {
		return majorOf(this.version);
	}

	/** n8n keeps its database, settings, binary data and community packages under this folder. */
	get n8nFolder(): string {
		return path.join(this.userFolder, '.n8n');
	}

	/** Owner from the environment: n8n applies it on `start` only, hashed with n8n's own bcryptjs. */
	private ownerEnv(): NodeJS.ProcessEnv {
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- n8n's own copy, found at run time
		const bcrypt = require(path.join(this.cache, 'node_modules/bcryptjs')) as { hashSync(text: string, rounds: number): string };
		return {
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
			N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
			N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
			N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(OWNER.password, 10),
		};
	}

	env(ports: Ports): NodeJS.ProcessEnv {
		return {
			...process.env,
			// n8n makes its encryption key on first use and keeps it in the user folder's config.
			N8N_USER_FOLDER: this.userFolder,
			DB_TYPE: 'sqlite',
			N8N_PORT: String(ports.http),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(ports.broker),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_WEBHOOK_URL: `http://127.0.0.1:${ports.http}/`,
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${ports.http}/`,
			N8N_SECURE_COOKIE: 'false',
			// `n8n execute` prints its result through the logger: `warn` would hide it.
			N8N_LOG_LEVEL: 'info',
			GENERIC_TIMEZONE: 'UTC',
			// Nothing may call out of this machine (there is no internet here, and tests should not need it).
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			// Binary data stays in each version's default mode (1.x: memory): 1.x's filesystem mode loses
			// the files of webhook executions that run at once (docs/compatibility.md).
		};
	}

	/** One CLI command to completion, e.g. `import:workflow --separate --input=dir`, after those before it. */
	async cli(args: string[]): Promise<CliResult> {
		const run = this.queue.then(async () => {
			const child = spawn(this.node, [this.bin, ...args], { env: this.env(await freePorts()), stdio: ['ignore', 'pipe', 'pipe'] });
			let output = '';
			child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
			child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
			const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
			return { code, output };
		});
		this.queue = run.catch(() => undefined);
		return await run;
	}

	/** A CLI command that must succeed, recognised by a line it prints. */
	async cliExpecting(args: string[], success: RegExp): Promise<string> {
		const { code, output } = await this.cli(args);
		if (code !== 0 || !success.test(output)) {
			throw new Error(`n8n ${args.join(' ')} failed (exit ${code}):\n${tail(output)}`);
		}
		return output;
	}

	/** `n8n execute --id`: the workflow's run as n8n reports it, successful or not. */
	async execute(workflowId: string): Promise<ExecutionRun> {
		const { output } = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput']);
		const run = parseLoggedJson(output);
		if (!run) throw new Error(`n8n execute printed no execution:\n${tail(output)}`);
		return run;
	}

	/** Publishes a workflow through the CLI. */
	async publish(workflowId: string): Promise<string> {
		return await this.cliExpecting(...publishCommand(this.major, workflowId));
	}

	/** `n8n start` in the background; resolves once the HTTP server answers. */
	async start(ports: Ports, log: (line: string) => void = () => undefined): Promise<N8nServer> {
		const env = { ...this.env(ports), ...(this.major < 2 ? {} : this.ownerEnv()) };
		const child = spawn(this.node, [this.bin, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
		const server = new N8nServer(child, `http://127.0.0.1:${ports.http}`, this.major, log);
		try {
			await server.waitUntil(async () => (await fetch(`${server.url}/healthz/readiness`)).ok, 120_000, 'n8n to start');
			await server.setUpOwner();
		} catch (error) {
			await server.stop();
			throw error;
		}
		return server;
	}
}

/** The CLI command that publishes a workflow and what it prints; n8n 1.x, which has no publishing, activates it. */
export function publishCommand(major: number, workflowId: string): [string[], RegExp] {
	if (major < 2) return [['update:workflow', `--id=${workflowId}`, '--active=true'], /Activating workflow/];
	return [['publish:workflow', `--id=${workflowId}`], /Publishing workflow/];
}

/**
 * n8n 1.x reads no owner from the environment: the first start claims it as its signup form does.
 * False while the route is not there yet.
 */
async function claimOwner(url: string): Promise<boolean> {
	const response = await fetch(`${url}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', 'browser-id': BROWSER_ID },
		body: JSON.stringify(OWNER),
	});
	const answer = await response.text();
	if (response.status === 404) return false;
	if (!response.ok && !answer.includes('already setup')) throw new Error(`setting up the owner failed: ${response.status} ${answer}`);
	return true;
}

function tail(output: string): string {
	return output.split('\n').slice(-25).join('\n');
}

/** The header n8n ties a session to; any stable value does. */
const BROWSER_ID = 'apimodels-e2e';

export class N8nServer {
	private lines: string[] = [];
	private exited = false;
	private session?: Promise<string>;

	constructor(
		private readonly child: ChildProcess,
		readonly url: string,
		/** The running n8n's major version, for the few checks whose n8n API differs by version. */
		readonly major: number,
		log: (line: string) => void,
	) {
		const collect = (chunk: Buffer) => {
			for (const line of chunk.toString().split('\n')) {
				if (!line) continue;
				this.lines.push(line);
				log(line);
			}
			if (this.lines.length > 5000) this.lines.splice(0, this.lines.length - 5000);
		};
		child.stdout?.on('data', collect);
		child.stderr?.on('data', collect);
		child.on('exit', () => (this.exited = true));
	}

	/** n8n 2.x takes the owner from the environment; on 1.x the main process's first start claims it. */
	async setUpOwner(): Promise<void> {
		// Its REST routes come a moment after the readiness check answers.
		if (this.major < 2) await this.waitUntil(() => claimOwner(this.url), 60_000, 'the owner to be set up');
	}

	get running(): boolean {
		return !this.exited;
	}

	/** The n8n process's id (its bin runs directly under Node), to sample its CPU time and memory in /proc. */
	get pid(): number | undefined {
		return this.child.pid;
	}

	recentLog(count = 30): string {
		return this.lines.slice(-count).join('\n');
	}

	/** Polls `probe` (errors count as "not yet") until it answers true. */
	async waitUntil(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.exited) throw new Error(`n8n exited while waiting for ${what}:\n${this.recentLog()}`);
			if (await probe().catch(() => false)) return;
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}:\n${this.recentLog()}`);
	}

	/**
	 * A request to n8n as its editor makes it, logged in as the owner (n8n ties the session to
	 * a `browser-id` header). `path` is from the server root, e.g. `/rest/executions` or
	 * `/types/nodes.json`; a JSON body gets its Content-Type.
	 */
	async rest(path: string, init: RequestInit = {}): Promise<Response> {
		const cookie = await this.login();
		const headers = new Headers(init.headers);
		headers.set('browser-id', BROWSER_ID);
		headers.set('cookie', cookie);
		if (init.body !== undefined && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
		return await fetch(`${this.url}${path}`, { ...init, headers });
	}

	/** A REST call that must succeed: the `data` of n8n's `{ data }` answer. */
	async restData<T>(path: string, init: RequestInit = {}): Promise<T> {
		const response = await this.rest(path, init);
		if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path} failed: ${response.status} ${await response.text()}`);
		return ((await response.json()) as { data: T }).data;
	}

	/** Logs in as the owner once; answers the session cookie. */
	private login(): Promise<string> {
		this.session ??= (async () => {
			const login = await fetch(`${this.url}/rest/login`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'browser-id': BROWSER_ID },
				body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
			});
			if (!login.ok) throw new Error(`login as the owner failed: ${login.status} ${await login.text()}`);
			return (login.headers.get('set-cookie') ?? '').split(';')[0];
		})();
		// A failed login is tried again by the next request.
		this.session.catch(() => (this.session = undefined));
		return this.session;
	}

	/** The executions n8n recorded for a workflow, through the REST API its editor uses. */
	async executionsOf(workflowId: string): Promise<Array<{ id: string; status: string; mode: string }>> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const data = await this.restData<{ results: Array<{ id: string; status: string; mode: string }> }>(
			`/rest/executions?filter=${filter}&limit=1000`,
		);
		return data.results;
	}

	/** SIGTERM lets n8n finish running executions; SIGKILL after a grace period. */
	async stop(graceMs = 30_000): Promise<void> {
		if (this.exited) return;
		const exited = new Promise((resolve) => this.child.once('exit', resolve));
		this.child.kill('SIGTERM');
		const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
		await exited;
		clearTimeout(timer);
	}
}
