/**
 * The emulator's oracle: what a create body must look like, written from the vendor's reference
 * (/work/shared/api/video-generation-api.md) and nothing of the node, so a validation bug in the
 * node reaches this check instead of being shared by it. Where the reference leaves a question
 * open, the rule takes the lenient reading and says so: the emulator then refuses only what the
 * vendor certainly refuses.
 */

export const ASPECT_RATIOS = ['1:1', '16:9', '9:16', '2:3', '3:2'];

/** One body field: its JSON type, and the documented constraints on it. */
type FieldRule =
	| { type: 'text'; required?: boolean }
	| { type: 'choice'; of: ReadonlyArray<string | number> }
	| { type: 'boolean' }
	| { type: 'url' }
	| { type: 'urls'; required?: boolean; max?: number };

type BodyRules = Record<string, FieldRule>;

/**
 * "Request body — text-to-video (Grok, VEO)". Open in the reference, so accepted for every
 * text-to-video model: `size` (4K is listed for VEO only) and `duration` (the model table ties
 * lengths to the Grok variants and 8 s to VEO), `generate_audio` ("VEO only", yet Grok 10s lists
 * audio) and `images` (described as VEO's frames, with no count for other models).
 */
const textToVideo: BodyRules = {
	prompt: { type: 'text', required: true },
	aspect_ratio: { type: 'choice', of: ASPECT_RATIOS },
	size: { type: 'choice', of: ['720P', '1080P', '4K'] },
	duration: { type: 'choice', of: [5, 8, 10] },
	images: { type: 'urls' },
	generate_audio: { type: 'boolean' },
	callback_url: { type: 'url' },
};

/** VEO's images are its first and last frame: two at most. */
const veo: BodyRules = { ...textToVideo, images: { type: 'urls', max: 2 } };

/**
 * "Request body — motion control (Kling)": both lists are required ("Kling requires both a
 * character image and a motion video"); no maximum is documented. `callback_url` is not in this
 * table, but the reference offers it for every long-running task.
 */
const motionControl: BodyRules = {
	input_urls: { type: 'urls', required: true },
	video_urls: { type: 'urls', required: true },
	mode: { type: 'choice', of: ['720p', '1080p'] },
	character_orientation: { type: 'choice', of: ['image', 'video'] },
	callback_url: { type: 'url' },
};

/** The reference's model table. */
export const DOCUMENTED_MODELS: Record<string, BodyRules> = {
	'grok-video-3': textToVideo,
	'grok-video-3-10s': textToVideo,
	'grok-video-3-15s': textToVideo,
	'veo-3.1-fast': veo,
	'veo-3.1': veo,
	'kling-motion-control': motionControl,
};

/** Models the API lists beyond the table: their bodies are undocumented, so the text-to-video rules apply. */
export function rulesOf(model: string): BodyRules {
	return DOCUMENTED_MODELS[model] ?? textToVideo;
}

export interface CreateProblem {
	field: string;
	msg: string;
}

/** A URL the API can fetch. The vendor also refuses private addresses; the emulator cannot, since its uploads live on loopback. */
function isHttpUrl(value: unknown): boolean {
	if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) return false;
	try {
		new URL(value);
		return true;
	} catch {
		return false;
	}
}

function isMissing(value: unknown): boolean {
	return value === undefined || value === null;
}

/** What is wrong with one field, as the rest of a `msg` after the field's name; undefined when fine. */
function fieldProblem(rule: FieldRule, value: unknown): string | undefined {
	switch (rule.type) {
		case 'text':
			if (isMissing(value)) return rule.required ? 'is required' : undefined;
			if (typeof value !== 'string') return 'must be a string';
			return rule.required && !value.trim() ? 'is required' : undefined;
		case 'choice':
			if (isMissing(value)) return undefined;
			return rule.of.includes(value as string | number) ? undefined : `must be one of ${rule.of.join(', ')}`;
		case 'boolean':
			return isMissing(value) || typeof value === 'boolean' ? undefined : 'must be a boolean';
		case 'url':
			return isMissing(value) || isHttpUrl(value) ? undefined : 'must be an http(s) URL';
		case 'urls': {
			if (isMissing(value)) return rule.required ? 'is required' : undefined;
			if (!Array.isArray(value)) return 'must be an array of URLs';
			if (rule.required && value.length === 0) return 'must not be empty';
			if (rule.max !== undefined && value.length > rule.max) return `takes at most ${rule.max} URLs`;
			const bad = value.findIndex((entry) => !isHttpUrl(entry));
			return bad === -1 ? undefined : `[${bad}] must be an http(s) URL`;
		}
	}
}

/**
 * The first problem of a create body whose model the API accepts, in the reference's field order;
 * fields the reference does not list pass, as the vendor documents no refusal of them.
 */
export function findCreateProblem(body: Record<string, unknown>): CreateProblem | undefined {
	for (const [field, rule] of Object.entries(rulesOf(String(body.model)))) {
		const problem = fieldProblem(rule, body[field]);
		if (problem) return { field, msg: `${field}${problem.startsWith('[') ? '' : ' '}${problem}` };
	}
	return undefined;
}
