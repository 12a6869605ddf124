/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { dirname, join, relative } from 'path';
import { N8N_VERSIONS } from '../../harness/n8n/n8nVersions';
import { readmeWithTable } from '../../scripts/model-table';
import { headingAnchors, relativeLinks } from '../support/markdown';

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

const documents = [
	'README.md',
	'CONTRIBUTING.md',
	'examples/README.md',
	...readdirSync(join(root, 'docs')).map((name) => `docs/${name}`),
];

describe('README', () => {
	const readme = read('README.md');

	it('carries the model table rendered from the catalogue (run `npm run docs` after changing models.ts)', () => {
		expect(readme).toBe(readmeWithTable(readme));
	});

	it('stays a user guide of at most 200 lines (measurements go to docs/)', () => {
		expect(readme.trimEnd().split('\n').length).toBeLessThanOrEqual(200);
	});
});

describe('README Compatibility', () => {
	const section = read('README.md').split('## Compatibility')[1]?.split('\n## ')[0] ?? '';

	it('names the minimum n8n and every version CI tests (harness/n8n/versions.json)', () => {
		expect(section).toMatch(/\| Minimum n8n \| 1\.123\.x \|/);
		for (const version of N8N_VERSIONS) expect(section).toContain(version);
	});

	it('is proven in CI: the compatibility stage runs every other listed version', () => {
		expect(read('.ci/run')).toMatch(/^npm run test:compat$/m);
	});
});

describe('CONTRIBUTING', () => {
	it('gives the same test command that CI runs', () => {
		expect(read('CONTRIBUTING.md')).toContain('`npm test`');
		expect(read('.ci/run')).toMatch(/^npm test$/m);
	});
});

/** Repository paths a document names in code spans, such as `test/node/park.test.ts` or a command's arguments. */
const TOP_FOLDERS = ['nodes', 'credentials', 'emulator', 'harness', 'scripts', 'bench', 'test', 'examples', 'docs', '.ci', '.github'];
function namedPaths(markdown: string): string[] {
	return [...markdown.matchAll(/`([^`]+)`/g)]
		.flatMap((match) => match[1].split(/\s+/))
		.filter((text) => TOP_FOLDERS.some((folder) => text.startsWith(`${folder}/`)));
}

describe.each(documents)('%s', (document) => {
	it('names only repository files and folders that exist', () => {
		expect(namedPaths(read(document)).filter((path) => !existsSync(join(root, path)))).toEqual([]);
	});

	it('links only to files and headings that exist', () => {
		const broken = relativeLinks(read(document)).filter((link) => {
			const [path, anchor] = link.split('#');
			const target = path ? join(root, dirname(document), path) : join(root, document);
			if (!existsSync(target)) return true;
			if (!anchor) return false;
			return !headingAnchors(read(relative(root, target))).has(anchor);
		});
		expect(broken).toEqual([]);
	});
});
