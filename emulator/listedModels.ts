/** What `GET /api/v1/models` lists: the reference's model table plus ids the live API shows beyond it. */
import { DOCUMENTED_MODELS } from './vendorRules';

/** Listed and accepted on create, validated with the text-to-video rules. */
export const EXTRA_MODEL_IDS = [
	'grok-video-3-official',
	'veo-3.1-fast-fhd',
	'seedance-2.0-fast',
	'kling-v2-6',
	'minimax-h3',
];

/** Listed but internal: create answers "Invalid model" (the public alias is the dotted form). */
export const INTERNAL_MODEL_IDS = ['seedance-2-0-fast'];

export const LISTED_MODEL_IDS = [...Object.keys(DOCUMENTED_MODELS), ...EXTRA_MODEL_IDS, ...INTERNAL_MODEL_IDS];

export function acceptsModel(id: string): boolean {
	return LISTED_MODEL_IDS.includes(id) && !INTERNAL_MODEL_IDS.includes(id);
}
