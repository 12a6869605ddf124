/* eslint-disable @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
/**
 * The n8n versions the real-n8n suites run in, read from versions.json (which
 * scripts/provide-n8n.sh reads too, for the Node each runs on and its install's npm overrides):
 * adding a version is one line there.
 */
import list from './versions.json';

export const N8N_VERSIONS: readonly string[] = list.n8n.map((entry) => entry.version);

/** The version every stage runs in (the browser cases, the queue stage and the benches only there). */
export const PRIMARY_N8N = N8N_VERSIONS[0];

export function majorOf(version: string): number {
	return Number(version.split('.')[0]);
}

/** The version a suite's `--n8n=<version>` argument names, else the primary one. */
export function n8nVersionArgument(argv: readonly string[] = process.argv): string {
	return argv.find((arg) => arg.startsWith('--n8n='))?.slice('--n8n='.length) ?? PRIMARY_N8N;
}
