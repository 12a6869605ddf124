/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmarks run on Node, outside n8n */
/**
 * The floor under a download's memory: the Node.js that runs n8n, without n8n, piping the same
 * videos from the emulator into files (`http.get(url).pipe(createWriteStream(file))`), its peak RSS
 * sampled as the real-n8n stage samples n8n's. What n8n and the node add is the difference.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/** Run by the child: downloads every URL at once, then prints its peak RSS rise in bytes. */
const PIPE_SCRIPT = `
const http = require('node:http');
const fs = require('node:fs');
const [folder, sampleMs, ...urls] = process.argv.slice(1);
const start = process.memoryUsage().rss;
let peak = start;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), Number(sampleMs));
Promise.all(urls.map((url, index) => new Promise((resolve, reject) => {
	http.get(url, (response) => response.pipe(fs.createWriteStream(folder + '/' + index)).on('finish', resolve).on('error', reject)).on('error', reject);
}))).then(() => {
	clearInterval(sampler);
	console.log(peak - start);
});
`;

export async function pipeFloorRise(node: string, urls: string[], sampleMs: number): Promise<number> {
	const folder = mkdtempSync(path.join(tmpdir(), 'apimodels-pipe-'));
	try {
		const { stdout } = await promisify(execFile)(node, ['-e', PIPE_SCRIPT, folder, String(sampleMs), ...urls]);
		return Number(stdout.trim());
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
}
