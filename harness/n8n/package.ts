/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test tooling that drives n8n from outside */
/** Builds the package and installs it into an n8n user folder the way n8n installs community packages. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
const PACKAGE_NAME = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string }).name;

function run(command: string, args: string[], cwd: string): string {
	return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `npm run build`, then `npm pack`: the tarball holds exactly what npm would publish. */
export function buildAndPack(destination: string): string {
	run('npm', ['run', 'build'], ROOT);
	const output = run('npm', ['pack', '--silent', '--pack-destination', destination], ROOT);
	const tarball = path.join(destination, output.trim().split('\n').pop() ?? '');
	if (!existsSync(tarball)) throw new Error(`npm pack produced no tarball (${output.trim()})`);
	return tarball;
}

/**
 * Mirrors CommunityPackagesService.downloadPackage of n8n 2.40 (replacing any installed copy): unpack into
 * `<user>/.n8n/nodes/node_modules/<name>`, drop dev, peer and optional dependencies from its
 * package.json, `npm install` what is left, and list the package in `nodes/package.json`.
 * Dropping the peers is what keeps a second n8n-workflow out: the package then resolves
 * n8n-workflow (and zod) from n8n's own node_modules through the NODE_PATH n8n sets at boot.
 */
export function installLikeN8n(tarball: string, n8nFolder: string): void {
	const nodesFolder = path.join(n8nFolder, 'nodes');
	const packageFolder = path.join(nodesFolder, 'node_modules', PACKAGE_NAME);
	rmSync(packageFolder, { recursive: true, force: true });
	mkdirSync(packageFolder, { recursive: true });
	run('tar', ['-xzf', tarball, '-C', packageFolder, '--strip-components=1'], nodesFolder);

	const manifestPath = path.join(packageFolder, 'package.json');
	const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
	for (const field of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete manifest[field];
	writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	run(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		],
		packageFolder,
	);

	const listPath = path.join(nodesFolder, 'package.json');
	const list = existsSync(listPath)
		? JSON.parse(readFileSync(listPath, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };
	list.dependencies[PACKAGE_NAME] = manifest.version;
	writeFileSync(listPath, JSON.stringify(list, null, 2));
}

/** Modules the package must take from n8n rather than bring along. */
export function bundledCopies(n8nFolder: string, modules: string[]): string[] {
	const nodesFolder = path.join(n8nFolder, 'nodes', 'node_modules');
	const candidates = [nodesFolder, path.join(nodesFolder, PACKAGE_NAME, 'node_modules')];
	return candidates.flatMap((folder) =>
		modules.filter((name) => existsSync(path.join(folder, name))).map((name) => path.join(folder, name)),
	);
}
