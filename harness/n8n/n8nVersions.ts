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
