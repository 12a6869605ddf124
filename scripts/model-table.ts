/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- a development tool, not n8n code */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { ModelInputs } from '../nodes/ApiModelsVideo/models';
import { modelCatalogue } from '../nodes/ApiModelsVideo/models';

/** The README's model table, rendered from the catalogue so the two cannot disagree. */
export const TABLE_START = '<!-- model-table:start (npm run docs) -->';
export const TABLE_END = '<!-- model-table:end -->';

function accepts(inputs: ModelInputs): string {
	const parts: string[] = [];
	if (inputs.prompt) parts.push('prompt');
	if (inputs.aspectRatio) parts.push(`aspect ratio ${inputs.aspectRatio.options.join('/')}`);
	if (inputs.size) parts.push(`size ${inputs.size.options.join('/')}`);
	if (inputs.frameImages) parts.push('first/last frame image');
	if (inputs.generateAudio) parts.push('audio on/off');
	if (inputs.characterImages) parts.push('character image(s)');
	if (inputs.motionVideos) parts.push('motion video(s)');
	if (inputs.mode) parts.push(`mode ${inputs.mode.options.join('/')}`);
	if (inputs.characterOrientation) {
		parts.push(`orientation ${inputs.characterOrientation.options.join('/')}`);
	}
	return parts.join(', ');
}

export function renderModelTable(): string {
	const rows = modelCatalogue.map((model) => {
		const price = `${model.priceIsMinimum ? 'from ' : ''}$${model.priceUsd}`;
		const length = model.durationSeconds ? `${model.durationSeconds} s` : 'from the video';
		return `| ${model.displayName} | \`${model.id}\` | ${length} | ${accepts(model.inputs)} | ${price} |`;
	});
	return [
		'| Model | API id | Length | Panel fields | Price per video |',
		'|---|---|---|---|---|',
		...rows,
		'| Other model | any id from `GET /api/v1/models` | duration 5/8/10 | prompt, aspect ratio, size, duration, reference images | unknown (`estimatedCostUsd: null`) |',
	].join('\n');
}

export function readmeWithTable(readme: string): string {
	const start = readme.indexOf(TABLE_START);
	const end = readme.indexOf(TABLE_END);
	if (start < 0 || end < start) throw new Error('README.md lacks the model table markers');
	return `${readme.slice(0, start + TABLE_START.length)}\n${renderModelTable()}\n${readme.slice(end)}`;
}

if (require.main === module) {
	const path = join(__dirname, '..', 'README.md');
	writeFileSync(path, readmeWithTable(readFileSync(path, 'utf8')));
}
