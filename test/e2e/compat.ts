/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, no-console -- tests run on Node, outside n8n */
/**
 * `npm run test:compat`: the real-n8n suite (test/e2e/run.ts) in each n8n of
 * harness/n8n/versions.json after the primary one, which `npm run test:e2e` covers. One version
 * after the other, so their timings do not blur each other; fails if any version fails.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { N8N_VERSIONS, PRIMARY_N8N } from '../../harness/n8n/n8nVersions';

const failed = N8N_VERSIONS.filter((version) => version !== PRIMARY_N8N)
	.filter((version) => {
		console.log(`\n=== The e2e suite in n8n ${version} ===`);
		const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'run.ts'), `--n8n=${version}`], {
			stdio: 'inherit',
		});
		return run.status !== 0;
	});
if (failed.length) console.log(`\nFailed in n8n ${failed.join(', ')}`);
process.exit(failed.length ? 1 : 0);
