/** What `GET /api/v1/models` lists: the catalogue plus ids the live API shows beyond it. */
import { modelCatalogue } from '../nodes/ApiModelsVideo/models';

/** Listed and accepted on create, validated with the generic "other model" fields. */
export const EXTRA_MODEL_IDS = [
	'grok-video-3-official',
	'veo-3.1-fast-fhd',
	'seedance-2.0-fast',
	'kling-v2-6',
	'minimax-h3',
];

/** Listed but internal: create answers "Invalid model" (the public alias is the dotted form). */
export const INTERNAL_MODEL_IDS = ['seedance-2-0-fast'];

export const LISTED_MODEL_IDS = [...modelCatalogue.map((model) => model.id), ...EXTRA_MODEL_IDS, ...INTERNAL_MODEL_IDS];

export function acceptsModel(id: string): boolean {
	return LISTED_MODEL_IDS.includes(id) && !INTERNAL_MODEL_IDS.includes(id);
}
