/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
/**
 * Every package the code and its tooling import is declared in package.json, so a fresh `npm ci`
 * runs them; a package that only arrives as someone else's dependency can vanish on any update.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');
const SOURCES = ['nodes', 'credentials', 'emulator', 'harness', 'bench', 'scripts', 'test', 'gulpfile.js', 'eslint.config.mjs'];

function sourceFiles(entry: string): string[] {
	if (!statSync(entry).isDirectory()) return /\.(ts|js|mjs|cjs)$/.test(entry) ? [entry] : [];
	return readdirSync(entry).flatMap((name) => sourceFiles(path.join(entry, name)));
}

const PACKAGE_NAME = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/;

/**
 * `@scope/name/sub` → `@scope/name`; `name/sub` → `name`; undefined for relative paths, Node's own
 * modules, and strings that are no package name (TypeScript also reports `report.require('a step')`).
 */
function packageOf(specifier: string): string | undefined {
	if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
	const name = specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
	return PACKAGE_NAME.test(name) && !builtinModules.includes(name) ? name : undefined;
}

test('every imported package is declared in package.json', () => {
	const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const declared = new Set(
		Object.keys({ ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies }),
	);
	const undeclared: string[] = [];
	let imports = 0;
	for (const file of SOURCES.flatMap((source) => sourceFiles(path.join(ROOT, source)))) {
		const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
		for (const { fileName } of importedFiles) {
			const name = packageOf(fileName);
			if (!name) continue;
			imports += 1;
			if (!declared.has(name)) undeclared.push(`${name} (${path.relative(ROOT, file)})`);
		}
	}
	expect(imports).toBeGreaterThan(50);
	expect(undeclared).toEqual([]);
});
