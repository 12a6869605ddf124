/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- tests run on Node, outside n8n */
import { execFileSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('the npm package', () => {
	it('is a community node package with no runtime dependencies', () => {
		expect(manifest.name).toBe('n8n-nodes-apimodels');
		expect(manifest.keywords).toContain('n8n-community-node-package');
		expect(manifest.dependencies ?? {}).toEqual({});
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(manifest.n8n).toMatchObject({ n8nNodesApiVersion: 1, strict: true });
	});

	it('points n8n at built files that exist, each with light and dark icons and a codex file', () => {
		const paths: string[] = [...manifest.n8n.nodes, ...manifest.n8n.credentials];
		for (const path of paths) expect(existsSync(join(root, path))).toBe(true);
		for (const node of manifest.n8n.nodes as string[]) {
			const folder = join(root, node, '..');
			expect(existsSync(join(folder, 'apimodels.svg'))).toBe(true);
			expect(existsSync(join(folder, 'apimodels.dark.svg'))).toBe(true);
			expect(existsSync(node.replace(/\.js$/, '.json').replace(/^/, `${root}/`))).toBe(true);
		}
	});

	it('packs dist/, package.json, README.md, the licence and index.js, and nothing else', () => {
		const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
			cwd: root,
			encoding: 'utf8',
		});
		const files = (JSON.parse(output)[0].files as Array<{ path: string }>).map((file) => file.path);
		const outside = files.filter((path) => !path.startsWith('dist/'));
		expect(outside.sort()).toEqual(['LICENSE.md', 'README.md', 'index.js', 'package.json']);
		expect(files).toEqual(expect.arrayContaining(manifest.n8n.nodes));
		expect(files.filter((path) => path.endsWith('.svg'))).toHaveLength(4);
		expect(files.some((path) => /\.test\.|tsbuildinfo|^dist\/package\.json$/.test(path))).toBe(false);
	});
});
