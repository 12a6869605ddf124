/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- tests run on Node, outside n8n */
/** Setting up n8n instances for the suite: the package installed, credentials and workflows imported. */
import assert from 'node:assert/strict';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Emulator } from '../../../emulator/server';
import type { Workflow } from '../../../harness/n8n/examples';
import { writeCredentials, writeWorkflows } from '../../../harness/n8n/examples';
import type { N8n, N8nServer, Ports } from '../../../harness/n8n/instance';
import { buildAndPack, bundledCopies, installLikeN8n } from '../../../harness/n8n/package';
import type { Report } from './report';

/** An n8n instance and what it gets imported: credentials (each for an emulator) and workflows. */
export interface Instance {
	label: string;
	n8n: N8n;
	credentials: Array<{ id: string; name: string; emulator: Emulator; callbackSecret?: string }>;
	workflows: Workflow[];
	published: Workflow[];
}

/** Builds and packs the package once and installs the tarball into every instance. */
export async function installPackage(report: Report, instances: Instance[], work: string): Promise<void> {
	const tarball = await report.require('the package builds and packs', () => buildAndPack(work));
	for (const { label, n8n } of instances) {
		await report.require(`the tarball installs into .n8n/nodes as n8n installs community packages (${label})`, () =>
			installLikeN8n(tarball, n8n.n8nFolder),
		);
	}
	await report.check('the installed package brings no n8n-workflow or zod of its own (n8n provides them)', () =>
		assert.deepEqual(bundledCopies(instances[0].n8n.n8nFolder, ['n8n-workflow', 'n8n-core', 'zod']), []),
	);
}

/** Credentials and workflows through n8n's CLI, then the workflows that must listen published. */
export async function importInto(report: Report, instance: Instance, work: string): Promise<void> {
	const { label, n8n, credentials, workflows, published } = instance;
	const folder = path.join(work, `import-${label}`);
	const credentialsFile = path.join(folder, 'credentials.json');
	writeWorkflows(path.join(folder, 'workflows'), workflows);
	writeCredentials(
		credentialsFile,
		credentials.map(({ id, name, emulator, callbackSecret }) => ({
			id,
			name,
			data: { apiKey: emulator.apiKey, baseUrl: emulator.url, ...(callbackSecret && { callbackSecret }) },
		})),
	);
	await report.require(`n8n imports the credentials (${label})`, () =>
		n8n.cliExpecting(['import:credentials', `--input=${credentialsFile}`], /Successfully imported \d+ credentials?\./),
	);
	await report.check(`the imported API keys and Callback Secrets are stored encrypted, in no database file as plain text (${label})`, () =>
		assertNotStored(n8n, credentials.flatMap(({ emulator, callbackSecret }) => [emulator.apiKey, callbackSecret ?? []].flat())),
	);
	await report.require(`n8n imports the workflows (${label})`, () =>
		n8n.cliExpecting(['import:workflow', '--separate', `--input=${path.join(folder, 'workflows')}`], /Successfully imported \d+ workflows?\./),
	);
	for (const workflow of published) {
		await report.require(`n8n publishes "${workflow.name}" (${label})`, () =>
			n8n.publish(workflow.id),
		);
	}
}

/**
 * None of these values is anywhere in the instance's database files (workflows, executions,
 * credentials, static data, in the main file or its write-ahead log).
 */
export function assertNotStored(n8n: N8n, values: string[]): void {
	const files = readdirSync(n8n.n8nFolder).filter((file) => file.startsWith('database.sqlite'));
	assert.ok(files.length, 'no database file');
	for (const file of files) {
		const bytes = readFileSync(path.join(n8n.n8nFolder, file));
		for (const value of values) assert.equal(bytes.includes(value), false, `${value} in ${file}`);
	}
}

/** Runs steps side by side; the first failure is rethrown once all have ended. */
export async function together(...steps: Array<Promise<unknown>>): Promise<void> {
	const failure = (await Promise.allSettled(steps)).find((result) => result.status === 'rejected');
	if (failure) throw (failure as PromiseRejectedResult).reason;
}

/** `n8n start`, logging to n8n-server.log in the work folder, stopped at the end of the suite. */
export async function startServer(
	report: Report,
	n8n: N8n,
	ports: Ports,
	work: string,
	cleanups: Array<() => Promise<unknown>>,
): Promise<N8nServer> {
	const log = createWriteStream(path.join(work, 'n8n-server.log'));
	const server = await report.require('n8n starts with the package loaded', async () => {
		try {
			return await n8n.start(ports, (line) => log.write(`${line}\n`));
		} catch (error) {
			log.end();
			throw error;
		}
	});
	cleanups.push(async () => {
		await server.stop();
		log.end();
	});
	return server;
}
