/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
/**
 * Imports run one way: node folders use nodes/shared, shared uses nothing of the nodes, an
 * operation never imports another operation, and the tools (scripts, bench, emulator, harness)
 * import no test code, the engine harness drives any node without knowing this package's, and a test
 * folder takes its helpers from itself or test/support. A newcomer can then change one layer
 * without reading the others.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

function sourceFiles(entry: string): string[] {
	if (!statSync(entry).isDirectory()) return /\.(ts|js|mjs)$/.test(entry) ? [entry] : [];
	return readdirSync(entry).flatMap((name) => sourceFiles(path.join(entry, name)));
}

/** Every relative import of the files under `folder`, resolved to a path from the root. */
function importsUnder(folder: string): Array<{ from: string; to: string }> {
	return sourceFiles(path.join(ROOT, folder)).flatMap((file) =>
		ts
			.preProcessFile(readFileSync(file, 'utf8'), true, true)
			.importedFiles.filter(({ fileName }) => fileName.startsWith('.'))
			.map(({ fileName }) => ({
				from: path.relative(ROOT, file),
				to: path.relative(ROOT, path.resolve(path.dirname(file), fileName)),
			})),
	);
}

const within = (file: string, folder: string) => file === folder || file.startsWith(`${folder}/`);

test('nodes/shared imports nothing of the node folders (the credential sits below both)', () => {
	const imports = importsUnder('nodes/shared');
	expect(imports.length).toBeGreaterThan(20);
	expect(imports.filter(({ to }) => !within(to, 'nodes/shared') && !within(to, 'credentials'))).toEqual([]);
});

test('the node folders do not import each other', () => {
	const crossing = ['nodes/ApiModelsVideo', 'nodes/ApiModelsCallbackTrigger'].flatMap((folder) =>
		importsUnder(folder).filter(
			({ to }) => within(to, 'nodes') && !within(to, 'nodes/shared') && !within(to, folder),
		),
	);
	expect(crossing).toEqual([]);
});

test('an operation never imports another operation', () => {
	const imports = importsUnder('nodes/ApiModelsVideo/resources');
	const operationToOperation = imports.filter(
		({ from, to }) => from.endsWith('.operation.ts') && to.endsWith('.operation'),
	);
	expect(imports.some(({ from }) => from.endsWith('.operation.ts'))).toBe(true);
	expect(operationToOperation).toEqual([]);
});

test('tools import no test code', () => {
	const tools = ['scripts', 'bench', 'emulator', 'harness'].flatMap(importsUnder);
	expect(tools.length).toBeGreaterThan(20);
	expect(tools.filter(({ to }) => within(to, 'test'))).toEqual([]);
});

test('the emulator judges requests by its own rules: it imports nothing of the nodes', () => {
	expect(importsUnder('emulator').filter(({ to }) => within(to, 'nodes'))).toEqual([]);
});

test("the engine harness knows nothing of this package's nodes (harness/nodes.ts registers them)", () => {
	const imports = importsUnder('harness/engine');
	expect(imports.length).toBeGreaterThan(10);
	expect(imports.filter(({ to }) => !within(to, 'harness/engine'))).toEqual([]);
});

test('a test folder takes its helpers from itself or test/support, never from another feature', () => {
	const folders = readdirSync(path.join(ROOT, 'test')).filter(
		(name) => name !== 'support' && statSync(path.join(ROOT, 'test', name)).isDirectory(),
	);
	const crossing = folders.flatMap((folder) =>
		importsUnder(`test/${folder}`).filter(
			({ to }) => within(to, 'test') && !within(to, `test/${folder}`) && !within(to, 'test/support'),
		),
	);
	expect(folders.length).toBeGreaterThan(8);
	expect(crossing).toEqual([]);
});

test('test files sit in a feature folder, named <aspect>.test.ts (or <aspect>.slow.test.ts)', () => {
	const tests = sourceFiles(path.join(ROOT, 'test'))
		.map((file) => path.relative(ROOT, file))
		.filter((file) => file.endsWith('.test.ts'));
	expect(tests.length).toBeGreaterThan(50);
	expect(tests.filter((file) => !/^test\/[a-z]+\/[a-zA-Z]+(\.slow)?\.test\.ts$/.test(file))).toEqual([]);
});
