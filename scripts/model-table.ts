/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- a development tool, not n8n code */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { VideoModel } from '../nodes/shared/models';
import type { ChoiceSpec, MediaSpec } from '../nodes/shared/inputs';
import { modelCatalogue, otherModel } from '../nodes/shared/models';
import { acceptedInputs } from '../nodes/shared/inputs';

/** The README's model table, rendered from the catalogue so the two cannot disagree. */
export const TABLE_START = '<!-- model-table:start (npm run docs) -->';
export const TABLE_END = '<!-- model-table:end -->';

/** Each input the model takes, as the panel offers it. */
function panelFields(model: VideoModel): string {
	return acceptedInputs(model.inputs)
		.map(({ definition, spec }) => {
			const label = definition.label.toLowerCase();
			if (definition.kind === 'choice') {
				const { options, default: chosen } = spec as ChoiceSpec;
				const values = options.map((value) => (value === chosen ? `**${value}**` : String(value)));
				return `${label} ${values.join('/')}`;
			}
			if (definition.kind === 'boolean') return `${label} on/off`;
			if (definition.kind === 'media') {
				const { min, max } = spec as MediaSpec;
				const count = max === 1 ? '' : max === Infinity ? ` (${min} or more)` : ` (up to ${max})`;
				return `${label}${count}${min > 0 ? '' : ', optional'}`;
			}
			return label;
		})
		.join('; ');
}

function price(model: VideoModel): string {
	if (model.priceUsd === null) return 'unknown (`estimatedCostUsd: null`)';
	return `${model.priceIsMinimum ? 'from ' : ''}$${model.priceUsd}`;
}

function length(model: VideoModel): string {
	if (model.durationSeconds) return `${model.durationSeconds} s`;
	return model.inputs.duration ? 'duration field' : 'from the motion video';
}

export function renderModelTable(): string {
	const rows = [...modelCatalogue, otherModel].map((model) => {
		const id = model === otherModel ? 'any id from `GET /api/v1/models`' : `\`${model.id}\``;
		return `| ${model.displayName} | ${id} | ${length(model)} | ${panelFields(model)} | ${price(model)} |`;
	});
	return [
		'| Model | API id | Length | Panel fields (**default**) | Price per video |',
		'|---|---|---|---|---|',
		...rows,
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
