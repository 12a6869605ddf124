/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- tests run on Node, outside n8n */
/**
 * What n8n's verification looks at, checked with n8n's own tools: `npm run scan` (n8n's package
 * scanner on the source and the packed tarball) fails on any finding, and `n8n-node` sees the
 * package as eligible for n8n Cloud (strict mode, its default eslint config).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

describe('npm run scan', () => {
	let copy: string;

	beforeAll(() => {
		copy = mkdtempSync(path.join(tmpdir(), 'apimodels-scan-test-'));
		for (const entry of ['package.json', 'README.md', 'LICENSE.md', 'index.js', 'nodes', 'credentials', 'scripts']) {
			cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
		}
		symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
	});
	afterAll(() => rmSync(copy, { recursive: true, force: true }));

	it('fails on a finding in the source and one in the packed tarball, naming each', () => {
		const manifest = JSON.parse(readFileSync(path.join(copy, 'package.json'), 'utf8'));
		writeFileSync(path.join(copy, 'package.json'), JSON.stringify({ ...manifest, author: { name: 'Someone' } }));
		// Compiled code that n8n Cloud would refuse: the scanner's tarball leg reads dist/*.js.
		mkdirSync(path.join(copy, 'dist'));
		writeFileSync(path.join(copy, 'dist', 'late.js'), 'setTimeout(() => undefined, 1);\n');

		const run = spawnSync('node', ['scripts/scan-package.mjs', '--no-build'], { cwd: copy, encoding: 'utf8' });
		expect(run.status).toBe(1);
		expect(run.stdout).toMatch(/scan source: FAILED[\s\S]*@n8n\/community-nodes\/valid-author/);
		expect(run.stdout).toMatch(/scan tarball n8n-nodes-apimodels-[\d.]+\.tgz: FAILED[\s\S]*no-restricted-globals/);
	});
});

describe('n8n-node', () => {
	it("uses the CLI's default eslint config unchanged, in strict mode", () => {
		const template = readFileSync(
			path.join(root, 'node_modules/@n8n/node-cli/dist/template/templates/shared/default/eslint.config.mjs'),
			'utf8',
		);
		expect(readFileSync(path.join(root, 'eslint.config.mjs'), 'utf8')).toBe(template);
		expect(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).n8n.strict).toBe(true);
	});

	it('cloud-support reports the package eligible for n8n Cloud verification', () => {
		const run = spawnSync('npx', ['n8n-node', 'cloud-support'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
		expect(run.status).toBe(0);
		expect(run.stdout).toContain('Status: eligible for n8n Cloud verification');
	});
});
