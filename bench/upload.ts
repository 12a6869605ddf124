/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- benchmarks run on Node, outside n8n */
/**
 * `node -r ts-node/register/transpile-only bench/upload.ts [--tarball <file.tgz>]`: the memory a
 * binary upload costs a real n8n. n8n 2.40 (`n8n start`, filesystem binary data mode) runs
 * Webhook -> Read Files from Disk (a character image and a motion video) -> Merge -> APIModels
 * Video (Create, Kling Motion Control, Media Source Binary Data) against the emulator in a
 * child process. For a 1 MiB and a 300 MiB motion video it prints the rise of the n8n process's
 * peak RSS (VmHWM, reset through /proc/<pid>/clear_refs before each run, against VmRSS then),
 * and exits non-zero when the 300 MiB upload raises it by BAR_MB or more.
 *
 * Without --tarball it builds and packs this tree; with one (e.g. a pack of an older commit) it
 * measures that package instead, for a before/after comparison. `--mode default` runs n8n's
 * in-memory binary data mode instead, for information only: there the item itself holds the file
 * (base64), so no bar applies.
 */
import { closeSync, ftruncateSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CREDENTIAL } from '../harness/n8n/examples';
import type { N8nServer } from '../harness/n8n/instance';
import { freePorts, N8n, provideN8n } from '../harness/n8n/instance';
import { buildAndPack, installLikeN8n } from '../harness/n8n/package';
import type { RemoteEmulator } from './emulatorProcess';
import { startEmulatorProcess } from './emulatorProcess';

const MB = 1024 * 1024;
const SIZES_MB = [1, 300];
/**
 * The bar for the 300 MiB upload, a third of the file: any whole copy of it (a Buffer, a Blob, the
 * body axios's redirect layer keeps to resend) is 300 MiB and fails it. Measured here: 922 MiB
 * when the node read the file into a Buffer and a Blob, 204 MiB when it streamed with redirects
 * followed, 50 MiB streamed (of which ~23 MiB is n8n reading the file into its store, measured
 * with the upload left out); twice that leaves room for GC timing on a busy machine.
 */
const BAR_MB = 100;
const WEBHOOK_PATH = 'apimodels-upload-bench';
const megabytes = (bytes: number) => `${(bytes / MB).toFixed(1)} MiB`;

function log(message: string) {
	process.stderr.write(`[bench:upload] ${message}\n`);
}

/** A sparse file of `bytes` that starts like an MP4: made in no time, and no byte of it in this process. */
function makeVideo(file: string, bytes: number): void {
	const fd = openSync(file, 'w');
	writeSync(fd, Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex'));
	ftruncateSync(fd, bytes);
	closeSync(fd);
}

function workflow(folder: string, credentialId: string) {
	const apiModels = { [CREDENTIAL.type]: { id: credentialId, name: CREDENTIAL.name } };
	const node = (name: string, type: string, typeVersion: number, x: number, parameters: Record<string, unknown>) => ({
		id: name.toLowerCase().replace(/\W+/g, '-'),
		name,
		type,
		typeVersion,
		position: [x, 0] as [number, number],
		parameters,
	});
	return {
		name: 'Upload benchmark',
		nodes: [
			{
				...node('Upload', 'n8n-nodes-base.webhook', 2, 0, { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'lastNode', options: {} }),
				webhookId: WEBHOOK_PATH,
			},
			node('Read Image', 'n8n-nodes-base.readWriteFile', 1.1, 250, {
				fileSelector: path.join(folder, 'hero.png'),
				options: { dataPropertyName: 'image' },
			}),
			node('Read Video', 'n8n-nodes-base.readWriteFile', 1.1, 250, {
				fileSelector: '={{ $json.query.file }}',
				options: { dataPropertyName: 'video' },
			}),
			node('Merge', 'n8n-nodes-base.merge', 3.2, 500, { mode: 'combine', combineBy: 'combineByPosition', options: {} }),
			{
				...node('Create Video', 'n8n-nodes-apimodels.apiModelsVideo', 1, 750, {
					resource: 'video',
					operation: 'create',
					model: 'kling-motion-control',
					mediaSource: 'binary',
					characterImagesBinary: 'image',
					motionVideosBinary: 'video',
					options: {},
				}),
				credentials: apiModels,
			},
		],
		connections: {
			Upload: {
				main: [
					[
						{ node: 'Read Image', type: 'main', index: 0 },
						{ node: 'Read Video', type: 'main', index: 0 },
					],
				],
			},
			'Read Image': { main: [[{ node: 'Merge', type: 'main', index: 0 }]] },
			'Read Video': { main: [[{ node: 'Merge', type: 'main', index: 1 }]] },
			Merge: { main: [[{ node: 'Create Video', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** The `n8n start` process: the child of this one whose command line runs n8n's bin. */
function n8nPid(bin: string): number {
	for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
		try {
			const parent = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
			if (parent === process.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(bin)) return Number(entry);
		} catch {
			// a process that ended while listing
		}
	}
	throw new Error('found no n8n process started by this one');
}

function kilobytesOf(pid: number, field: 'VmRSS' | 'VmHWM'): number {
	const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
	return Number(match[1]) * 1024;
}

interface Measured {
	rise: number;
	before: number;
	peak: number;
	seconds: number;
}

/** One webhook call; the rise of n8n's peak RSS over its RSS at the start. */
async function measure(server: N8nServer, pid: number, api: RemoteEmulator, video: string, bytes: number): Promise<Measured> {
	const uploadsBefore = (await api.stats()).requests.files['200'] ?? 0;
	// Writing 5 to clear_refs sets the peak (VmHWM) back to the current RSS (Linux >= 4.0).
	writeFileSync(`/proc/${pid}/clear_refs`, '5');
	const before = kilobytesOf(pid, 'VmRSS');
	const started = Date.now();
	const response = await fetch(`${server.url}/webhook/${WEBHOOK_PATH}?file=${encodeURIComponent(video)}`, { method: 'POST' });
	const answer = await response.text();
	const seconds = (Date.now() - started) / 1000;
	const peak = kilobytesOf(pid, 'VmHWM');
	if (!response.ok || !/"taskId"/.test(answer)) throw new Error(`the ${megabytes(bytes)} run failed (${response.status}): ${answer.slice(0, 500)}`);
	const uploads = ((await api.stats()).requests.files['200'] ?? 0) - uploadsBefore;
	if (uploads !== 2) throw new Error(`the ${megabytes(bytes)} run made ${uploads} uploads, not 2`);
	return { rise: peak - before, before, peak, seconds };
}

async function main(): Promise<number> {
	const { values } = parseArgs({ options: { tarball: { type: 'string' }, mode: { type: 'string', default: 'filesystem' } } });
	const mode = values.mode === 'default' ? 'default' : 'filesystem';
	const started = Date.now();
	const work = mkdtempSync(path.join(os.tmpdir(), 'apimodels-upload-bench-'));
	const cleanups: Array<() => Promise<unknown>> = [async () => rmSync(work, { recursive: true, force: true })];
	try {
		const n8n = new N8n(provideN8n(), path.join(work, 'user'));
		const tarball = values.tarball ? path.resolve(values.tarball) : (log('building and packing the package'), buildAndPack(work));
		installLikeN8n(tarball, n8n.n8nFolder);
		writeFileSync(path.join(work, 'hero.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
		const videos = SIZES_MB.map((size) => ({ size, file: path.join(work, `motion-${size}mb.mp4`) }));
		for (const { size, file } of videos) makeVideo(file, size * MB);

		log(`package ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
		const api = await startEmulatorProcess();
		cleanups.push(async () => await api.close());
		// n8n reads these from the environment its process inherits (N8n.env spreads process.env).
		process.env.N8N_DEFAULT_BINARY_DATA_MODE = mode;
		process.env.N8N_RESTRICT_FILE_ACCESS_TO = work;
		log('starting n8n');
		const server = await n8n.start(await freePorts());
		cleanups.push(async () => await server.stop());
		// Through the editor's REST API: each CLI import would boot n8n once more (~20 s).
		const post = async <T>(route: string, body: unknown) =>
			await server.restData<T>(route, { method: 'POST', body: JSON.stringify(body) });
		const credential = await post<{ id: string }>('/rest/credentials', {
			name: CREDENTIAL.name,
			type: CREDENTIAL.type,
			data: { apiKey: api.apiKey, baseUrl: api.url },
		});
		const created = await post<{ id: string; versionId: string }>('/rest/workflows', workflow(work, credential.id));
		await post(`/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
		// n8n registers a published workflow's webhook a moment after answering; until then it answers 404.
		await server.waitUntil(
			async () => (await fetch(`${server.url}/webhook/${WEBHOOK_PATH}`, { method: 'POST' })).status !== 404,
			30_000,
			'the webhook to be registered',
		);
		const pid = n8nPid(n8n.bin);
		log(`n8n ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);

		// A first run loads what n8n loads lazily (the nodes' modules, the binary data store, the HTTP agents).
		await measure(server, pid, api, videos[0].file, MB);
		const results = [];
		for (const { size, file } of videos) {
			log(`uploading ${size} MiB`);
			results.push({ size, ...(await measure(server, pid, api, file, size * MB)) });
		}

		console.log(`\nUpload memory of a real n8n 2.40 (${mode} binary data mode), Node.js of n8n, ${os.cpus().length} CPUs`);
		console.log(`package: ${values.tarball ?? 'this tree'}`);
		console.log('motion video | n8n RSS before | peak RSS | peak rise | time');
		for (const result of results) {
			console.log(
				`${`${result.size} MiB`.padEnd(12)} | ${megabytes(result.before).padEnd(14)} | ${megabytes(result.peak).padEnd(8)} | ${megabytes(result.rise).padEnd(9)} | ${result.seconds.toFixed(1)} s`,
			);
		}
		const largest = results[results.length - 1];
		const pass = mode === 'default' || largest.rise < BAR_MB * MB;
		const bar = mode === 'default' ? 'no bar in the in-memory mode' : `bar < ${BAR_MB} MiB: ${pass ? 'PASS' : 'FAIL'}`;
		console.log(`\n${largest.size} MiB upload: peak RSS rise ${megabytes(largest.rise)}, ${bar}`);
		console.log(`in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		return pass ? 0 : 1;
	} finally {
		for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => log(`cleanup: ${(error as Error).message}`));
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(`bench:upload: ${(error as Error).stack ?? String(error)}`);
		process.exit(1);
	},
);
