/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run on Node, outside n8n */
/**
 * The package in n8n's editor, as a person uses it: Debian's chromium (no browser download) driven
 * by playwright-core, signed in through n8n's sign-in page. Expectations come from the package
 * itself (codex aliases, the nodes' descriptions, the model catalogue, the output contract), so a
 * change there is checked here without editing this file. Screenshots go to one folder, printed.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { INodeTypeDescription } from 'n8n-workflow';
import type { N8nServer } from '../../../harness/n8n/instance';
import { OWNER } from '../../../harness/n8n/instance';
import { ROOT } from '../../../harness/n8n/package';
import type { VideoModel } from '../../../nodes/shared/models';
import { modelCatalogue, otherModel } from '../../../nodes/shared/models';
import { INPUT_NAMES, modelInputs } from '../../../nodes/shared/inputs';
import { OUTPUT_FIELDS } from '../../support/contract';
import type { Report } from '../lib/report';

export const BROWSER = '/usr/bin/chromium';
/** Where the screenshots of the last run are (a fresh folder each run). */
export const SCREENSHOTS = path.join(ROOT, '.cache', 'e2e-screenshots');

export interface BrowserContext {
	report: Report;
	/** A running n8n with the package, the owner account, and `example` imported. */
	server: Pick<N8nServer, 'url' | 'rest'>;
	/** The workflow of example 1 as imported, its credential pointing at an emulator with this key. */
	example: { id: string; apiKey: string };
}

/** A node's codex file, found through package.json's list of built nodes (`dist/nodes/<folder>/<Name>.node.js`). */
const codex = (folder: string) => {
	const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } };
	const built = manifest.n8n.nodes.find((file) => file.startsWith(`dist/nodes/${folder}/`));
	assert.ok(built, `package.json lists no node in ${folder}`);
	const source = path.join(ROOT, built.replace(/^dist\//, '').replace(/\.js$/, '.json'));
	return JSON.parse(readFileSync(source, 'utf8')) as { node: string; alias: string[] };
};

type Option = { name: string; value: string; action?: string };
/** The part of a DOM element these checks read (the test code is type-checked without the DOM library). */
type Box = { offsetParent: unknown; innerText: string };

/** The two nodes as n8n serves them to its editor, found by the types their codex files name. */
async function servedNodes(server: BrowserContext['server']) {
	const response = await server.rest('/types/nodes.json');
	const nodes = (await response.json()) as INodeTypeDescription[];
	const find = (folder: string) => {
		const found = nodes.find((node) => node.name === codex(folder).node);
		assert.ok(found, `n8n serves no ${codex(folder).node}`);
		return found;
	};
	const video = find('ApiModelsVideo');
	const trigger = find('ApiModelsCallbackTrigger');
	return {
		video,
		trigger,
		// What n8n's picker titles a trigger card with actions (the trigger's Events): its name without "Trigger".
		triggerCardTitle: trigger.displayName.replace(/ Trigger$/, ''),
		// n8n adds a Custom API Call operation to declarative nodes; its picker leaves it out of the actions.
		operations: ((video.properties.find((property) => property.name === 'operation')?.options ?? []) as Option[]).filter(
			(operation) => operation.value !== '__CUSTOM_API_CALL__',
		),
	};
}

/** The panel of Create Video for a model, from the catalogue: each accepted input is a parameter named after it. */
function expectedPanel(model: VideoModel): Array<{ name: string; label: string }> {
	const accepted = INPUT_NAMES.filter((name) => model.inputs[name] !== undefined);
	const media = accepted.filter((name) => modelInputs[name].kind === 'media');
	return [
		{ name: 'resource', label: 'Resource' },
		{ name: 'operation', label: 'Operation' },
		{ name: 'model', label: 'Model' },
		...(model === otherModel ? [{ name: 'customModel', label: 'Model Name or ID' }] : []),
		...accepted.filter((name) => !media.includes(name)).map((name) => ({ name, label: modelInputs[name].label })),
		...(media.length ? [{ name: 'mediaSource', label: 'Media Source' }] : []),
		// Media Source starts at Public URL: one URL field per media input, labelled after it.
		...media.map((name) => ({ name: `${name}Url`, label: modelInputs[name].label })),
		{ name: 'options', label: 'Options' },
	];
}

/** The parameters the panel shows at the top level, in order: their names and label texts. */
async function panelParameters(page: Page): Promise<Array<{ name: string; label: string }>> {
	return await page.$$eval('[data-test-id=node-parameters] label.n8n-input-label[for]', (labels) =>
		labels
			.filter((label) => (label as unknown as Box).offsetParent !== null && !label.closest('.collection-parameter'))
			// The title only: the label row also holds the Fixed/Expression toggle.
			.map((label) => ({ name: label.getAttribute('for') ?? '', label: (label.querySelector('[class*="_title_"]')?.textContent ?? '').trim() })),
	);
}

/** Labels (and open dropdown entries) whose text the panel cuts off: wider than their box. */
async function truncatedTexts(page: Page): Promise<string[]> {
	return await page.$$eval('[data-test-id=ndv] label.n8n-input-label, [role=option]', (elements) =>
		elements
			.filter((element) => (element as unknown as Box).offsetParent !== null)
			.flatMap((element) => [element, ...Array.from(element.querySelectorAll('*'))])
			.filter((element) => element.scrollWidth > element.clientWidth + 1 && element.clientWidth > 0)
			.map((element) => (element.textContent ?? '').trim()),
	);
}

async function search(page: Page, term: string): Promise<Array<{ title: string; text: string }>> {
	await page.locator('[data-test-id=node-creator-search-bar]').fill(term);
	// The list re-renders after typing stops.
	await page.waitForTimeout(600);
	return await page.$$eval('[data-test-id=item-iterator-item]', (items) =>
		items.map((item) => ({
			title: (item.querySelector('[data-test-id=node-creator-item-name]')?.textContent ?? '').trim(),
			text: (item as unknown as Box).innerText,
		})),
	);
}

function assertFound(results: Array<{ title: string; text: string }>, title: string, description: string, term: string) {
	assert.ok(
		results.some((result) => result.title === title && result.text.includes(description)),
		`searching "${term}" shows no "${title}" card with its description; it shows ${JSON.stringify(results.map((result) => result.title))}`,
	);
}

async function chooseOption(page: Page, parameter: string, name: string): Promise<void> {
	await page.click(`[data-test-id=parameter-input-${parameter}]`);
	const exact = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
	await page.locator('[role=option]:visible').filter({ has: page.locator('.option-headline', { hasText: exact }) }).click();
}

/** The option names "Add Option" offers in the panel's Options collection. */
async function offeredOptions(page: Page): Promise<string[]> {
	await page.click('[data-test-id=collection-parameter-add]');
	await page.waitForTimeout(300);
	const names = await page.$$eval('[role=option]', (options) =>
		options.filter((option) => (option as unknown as Box).offsetParent !== null).map((option) => (option.textContent ?? '').trim()),
	);
	await page.keyboard.press('Escape');
	// The dropdown fades out; screenshots and clicks wait for it.
	await page.waitForTimeout(400);
	return names;
}

async function addOption(page: Page, name: string): Promise<void> {
	await page.click('[data-test-id=collection-parameter-add]');
	await page.locator('[role=option]:visible', { hasText: name }).first().click();
}

export async function browserCases({ report, server, example }: BrowserContext): Promise<void> {
	report.section(`The editor in a real browser (chromium; screenshots in ${SCREENSHOTS}):`);
	rmSync(SCREENSHOTS, { recursive: true, force: true });
	mkdirSync(SCREENSHOTS, { recursive: true });
	const browser = await chromium.launch({
		executablePath: BROWSER,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	const { video, trigger, triggerCardTitle, operations } = await servedNodes(server);
	try {
		const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
		// n8n's editor is a large app: on a loaded 2-core machine a page load takes up to ~40 s.
		page.setDefaultNavigationTimeout(120_000);
		page.setDefaultTimeout(30_000);
		const opened = (selector: string) => page.waitForSelector(selector, { timeout: 120_000 });
		const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });

		await report.require("signs in through n8n's sign-in page as the owner", async () => {
			await page.goto(`${server.url}/signin`);
			await page.fill('input[name=emailOrLdapLoginId]', OWNER.email);
			await page.fill('input[name=password]', OWNER.password);
			await shot('01-sign-in');
			await page.click('[data-test-id=form-submit-button]');
			await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 120_000 });
		});

		await report.check(`the empty-canvas trigger picker finds ${trigger.displayName} by name and by each alias, with its own description`, async () => {
			await page.goto(`${server.url}/workflow/new`);
			await opened('[data-test-id=canvas-add-button]');
			await page.click('[data-test-id=canvas-add-button]');
			for (const term of ['APIModels', ...codex('ApiModelsCallbackTrigger').alias]) {
				assertFound(await search(page, term), triggerCardTitle, trigger.description, term);
			}
			await search(page, 'APIModels');
			await shot('02-trigger-picker');
			// Adding the trigger opens the canvas's node picker on its output.
			const card = page.locator('[data-test-id=item-iterator-item]').filter({ hasText: trigger.description });
			await card.click();
			// Its actions slide in in place of the cards: clicking before that would pick a card.
			await card.waitFor({ state: 'detached' });
			await page.locator('[data-test-id=item-iterator-item]').first().click();
			await page.click('[data-test-id=ndv-close-button]');
		});

		// n8n's picker would fold a trigger typed <action>Trigger into the action node's card, with the
		// trigger's description (generateMergedNodesAndActions): the trigger's type name avoids that.
		await report.check(`the node picker finds ${video.displayName} by name and by each alias, with its own description`, async () => {
			await page.click('[data-test-id=canvas-handle-plus]');
			for (const term of ['APIModels', video.displayName, ...codex('ApiModelsVideo').alias]) {
				assertFound(await search(page, term), video.displayName, video.description, term);
			}
			await search(page, 'APIModels');
			await shot('03-node-picker');
		});

		await report.check(`${video.displayName}'s details list exactly its operations as actions`, async () => {
			await search(page, video.displayName);
			await page.locator('[data-test-id=item-iterator-item]').filter({ has: page.getByText(video.displayName, { exact: true }) }).click();
			// Read once the actions have replaced the cards.
			await page.locator('[data-test-id=node-creator-item-name]', { hasText: operations[0].action }).waitFor();
			const actions = await page.$$eval('[data-test-id=item-iterator-item]', (items) =>
				items
					.filter((item) => item.querySelector('[class*="_action_"]'))
					.map((item) => (item.querySelector('[data-test-id=node-creator-item-name]')?.textContent ?? '').trim()),
			);
			assert.deepEqual(actions, operations.map((operation) => operation.action));
			// The details panel slides in.
			await page.waitForTimeout(500);
			await shot('04-node-details');
			await page.locator('[data-test-id=node-creator-item-name]', { hasText: operations[0].action }).click();
			await page.waitForSelector('[data-test-id=parameter-input-model]');
		});

		const panelModels = [...modelCatalogue, otherModel];
		await report.check(`Create Video shows, for each of the ${panelModels.length} models, exactly the fields the catalogue gives it`, async () => {
			for (const model of panelModels) {
				await chooseOption(page, 'model', model.displayName);
				await page.waitForTimeout(300);
				const shown = await panelParameters(page);
				const expected = expectedPanel(model);
				// After the catalogue's fields come parameters for every model (e.g. Simplify Output).
				const catalogued = shown.slice(0, shown.findIndex((parameter) => parameter.name === 'options') + 1);
				assert.deepEqual(catalogued.map((parameter) => parameter.name), expected.map((parameter) => parameter.name), model.id);
				for (const [index, { label }] of expected.entries()) {
					assert.ok(catalogued[index].label.startsWith(label), `${model.id}: "${catalogued[index].label}" is not labelled "${label}"`);
				}
				for (const { name } of shown.slice(catalogued.length)) {
					const property = video.properties.find((candidate) => candidate.name === name && !candidate.displayOptions?.show?.model);
					assert.ok(property, `${model.id}: "${name}" is shown but is not a parameter of every model`);
				}
				await shot(`05-create-${model.id}`);
			}
		});

		await report.check('Create Video offers the wait options only with Wait for Completion on, the download details only with Download Video on', async () => {
			const off = await offeredOptions(page);
			for (const waitOnly of ['Poll Interval', 'Timeout', 'Download Video', 'Put Video in Field', 'Download Timeout']) {
				assert.ok(!off.some((name) => name.startsWith(waitOnly)), `${waitOnly} offered with Wait for Completion off: ${off}`);
			}
			await addOption(page, 'Wait for Completion');
			await page.locator('[data-test-id=parameter-input-waitForCompletion] .el-switch').click();
			const waiting = await offeredOptions(page);
			for (const name of ['Poll Interval', 'Timeout', 'Download Video']) {
				assert.ok(waiting.some((offered) => offered.startsWith(name)), `${name} not offered while waiting: ${waiting}`);
			}
			assert.ok(!waiting.some((name) => name.startsWith('Put Video in Field')), `Put Video in Field offered with Download Video off: ${waiting}`);
			await addOption(page, 'Download Video');
			await page.locator('[data-test-id=parameter-input-downloadVideo] .el-switch').click();
			const downloading = await offeredOptions(page);
			assert.ok(downloading.some((name) => name.startsWith('Put Video in Field')), `Put Video in Field not offered: ${downloading}`);
			await shot('06-create-wait-options');
		});

		await report.check('no label of Create Video is cut off at the default panel width, for any model or option', async () => {
			const cut: string[] = [];
			for (const model of panelModels) {
				await chooseOption(page, 'model', model.displayName);
				if (model.inputs.firstFrameImage || model.inputs.characterImages) {
					await chooseOption(page, 'mediaSource', 'Binary Data');
					cut.push(...(await truncatedTexts(page)));
					await chooseOption(page, 'mediaSource', 'Public URL');
				}
				cut.push(...(await truncatedTexts(page)));
			}
			// Every option added (Wait for Completion and Download Video are on from the case before).
			// "Add Option" goes once nothing is left to add.
			while (await page.locator('[data-test-id=collection-parameter-add]').isVisible()) {
				const [next] = await offeredOptions(page);
				if (!next) break;
				await addOption(page, next);
			}
			cut.push(...(await truncatedTexts(page)));
			await shot('07-create-all-options');
			assert.deepEqual([...new Set(cut)], []);
		});

		await report.check("the canvas shows Create Video's model by its display name", async () => {
			await chooseOption(page, 'model', modelCatalogue[3].displayName);
			await page.click('[data-test-id=ndv-close-button]');
			const subtitles = await page.$$eval('[data-test-id=canvas-node]', (nodes) => nodes.map((node) => (node as unknown as Box).innerText));
			assert.ok(
				subtitles.some((text) => text.includes(`Create: ${modelCatalogue[3].displayName}`)),
				`no node subtitle names ${modelCatalogue[3].displayName}: ${JSON.stringify(subtitles)}`,
			);
			await shot('08-canvas-subtitle');
		});

		await report.check('a node after Create Video offers its output fields before any run (the output schema)', async () => {
			await page.click('[data-test-id=canvas-handle-plus] >> nth=-1');
			await search(page, 'No Operation');
			await page.keyboard.press('Enter');
			const input = page.locator('[data-test-id=ndv] [data-test-id=ndv-input-panel], [data-test-id=ndv] .ndv-input-panel, [data-test-id=ndv]').first();
			await page.waitForSelector('[data-test-id=ndv] >> text=Usually outputs the following fields');
			const text = await input.innerText();
			for (const field of OUTPUT_FIELDS) assert.ok(text.includes(field), `${field} not offered: ${text.slice(0, 400)}`);
			await shot('09-output-schema-preview');
			await page.click('[data-test-id=ndv-close-button]');
		});

		await report.check("example 1: the credential's Test passes, a wrong key says what to do, and the run shows the video under Binary", async () => {
			await page.goto(`${server.url}/workflow/${example.id}`);
			await opened('[data-test-id=canvas-node]');
			await page.locator('[data-test-id=canvas-node][data-node-name="Create Video"]').dblclick();
			await page.click('[data-test-id=credential-edit-button]');
			const modal = page.locator('[data-test-id=editCredential-modal]');
			await modal.getByText('Connection tested successfully').waitFor();
			await shot('10-credential-test-passes');
			const apiKey = modal.locator('[data-test-id=credential-connection-parameter]').filter({ hasText: 'API Key' }).locator('input');
			await apiKey.fill('sk_wrong_key');
			await page.click('[data-test-id=credential-save-button]');
			await modal.getByText('More details').click();
			await modal.getByText('Invalid API key').waitFor();
			assert.match(await modal.innerText(), /Invalid API key: the API rejected it\. Copy the key again from the APIModels console\./);
			await shot('11-credential-wrong-key');
			await apiKey.fill(example.apiKey);
			await page.click('[data-test-id=credential-save-button]');
			await modal.getByText('Connection tested successfully').waitFor();
			await page.keyboard.press('Escape');
			if (await page.locator('[data-test-id=ndv-close-button]').isVisible()) await page.click('[data-test-id=ndv-close-button]');

			await page.click('[data-test-id=execute-workflow-button]');
			const last = page.locator('[data-test-id=canvas-node][data-node-name="Wait for Completion"]');
			await last.locator('[data-test-id=canvas-node-status-success]').waitFor();
			await last.dblclick();
			await page.click('[data-test-id=output-panel] [data-test-id=radio-button-binary]');
			const binary = await page.locator('[data-test-id=output-panel] [data-test-id=ndv-data-container]').innerText();
			assert.match(binary, /^video\b/);
			assert.match(binary, /video\/mp4/);
			assert.match(binary, /\.mp4/);
			await shot('12-example-1-binary');
		});
	} finally {
		await browser.close();
	}
}
