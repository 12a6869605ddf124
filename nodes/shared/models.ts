/**
 * The model catalogue: the one place that says which models exist, which inputs each accepts,
 * with what choices and defaults, and its price. `modelInputs` says once what each kind of
 * input is (its API field, its label, how the panel shows it); the panels, the request
 * builder, validation, the README table and the tests all derive from these two tables, so
 * adding a model, or a kind of input, is a change here only.
 */

const ASPECT_RATIOS = ['16:9', '9:16', '1:1', '2:3', '3:2'] as const;

/** A prompt or other free text. */
export interface TextSpec {
	required: boolean;
}

/** A pick from a list; without a default, "Default" leaves the field to the API. */
export interface ChoiceSpec {
	options: ReadonlyArray<string | number>;
	default?: string | number;
}

export interface BooleanSpec {
	default: boolean;
}

/** An image or video given as a public URL or uploaded from binary data. */
export interface MediaSpec {
	/** How many the model needs (0 when optional). */
	min: number;
	/** How many it takes: 1 for a single file; Infinity where the vendor names no limit. */
	max: number;
}

export interface InputSpecs {
	prompt?: TextSpec;
	aspectRatio?: ChoiceSpec;
	size?: ChoiceSpec;
	duration?: ChoiceSpec;
	resolution?: ChoiceSpec;
	characterOrientation?: ChoiceSpec;
	generateAudio?: BooleanSpec;
	firstFrameImage?: MediaSpec;
	lastFrameImage?: MediaSpec;
	referenceImages?: MediaSpec;
	characterImages?: MediaSpec;
	motionVideos?: MediaSpec;
}

export type InputName = keyof InputSpecs;

interface InputBase {
	/** The request body field it is sent as. */
	key: string;
	/** What the panel and error messages call it. */
	label: string;
	description: string;
}

/** What each kind of input is, whichever model takes it. The panel parameter is named after the input. */
export type InputDefinition =
	| (InputBase & { kind: 'text'; placeholder: string })
	| (InputBase & { kind: 'choice'; optionName?: (value: string | number) => string })
	| (InputBase & { kind: 'boolean' })
	| (InputBase & {
			kind: 'media';
			/** Its place in a body list shared with other inputs (first and last frame); absent appends. */
			position?: number;
			/** An input that must be given before this one. */
			after?: InputName;
	  });

export const modelInputs: Record<InputName, InputDefinition> = {
	prompt: {
		kind: 'text',
		key: 'prompt',
		label: 'Prompt',
		description: 'What the video shows',
		placeholder: 'e.g. A cat playing piano in a jazz club, cinematic lighting',
	},
	aspectRatio: { kind: 'choice', key: 'aspect_ratio', label: 'Aspect Ratio', description: 'Width to height of the video' },
	size: { kind: 'choice', key: 'size', label: 'Size', description: 'Resolution of the video' },
	duration: {
		kind: 'choice',
		key: 'duration',
		label: 'Duration',
		description: 'Length of the video',
		optionName: (value) => `${value} Seconds`,
	},
	resolution: {
		kind: 'choice',
		key: 'mode',
		label: 'Resolution',
		description: 'Resolution of the video',
		// The API takes 720p; the panel writes it as Size does for the other models (720P).
		optionName: (value) => String(value).toUpperCase(),
	},
	characterOrientation: {
		kind: 'choice',
		key: 'character_orientation',
		label: 'Character Orientation',
		description: 'Whether the character faces as in the image or follows the video',
		optionName: (value) => (value === 'image' ? 'As in the Image' : 'As in the Video'),
	},
	generateAudio: { kind: 'boolean', key: 'generate_audio', label: 'Generate Audio', description: 'Whether to add an audio track' },
	firstFrameImage: {
		kind: 'media',
		key: 'images',
		position: 0,
		label: 'First Frame',
		description: 'Image the video starts from',
	},
	lastFrameImage: {
		kind: 'media',
		key: 'images',
		position: 1,
		after: 'firstFrameImage',
		label: 'Last Frame',
		description: 'Image the video ends on; needs a first frame',
	},
	referenceImages: { kind: 'media', key: 'images', label: 'Reference Images', description: 'Images to guide the video' },
	characterImages: { kind: 'media', key: 'input_urls', label: 'Character Images', description: 'Images of the character to animate' },
	motionVideos: { kind: 'media', key: 'video_urls', label: 'Motion Videos', description: 'Videos whose motion the character copies' },
};

export const INPUT_NAMES = Object.keys(modelInputs) as InputName[];

/** Body fields every create may carry, whatever the model. */
export const commonFields = {
	model: { key: 'model', label: 'Model' },
	callbackUrl: { key: 'callback_url', label: 'Callback URL' },
} as const;

/**
 * The longest prompt the node sends. The vendor documents no limit; its gateway answered a
 * 10 MB prompt with a bare 413, so the node refuses long prompts itself, naming item and field.
 */
export const MAX_PROMPT_LENGTH = 10_000;

export interface VideoModel {
	/** The id the API expects in `model`. */
	id: string;
	displayName: string;
	description: string;
	/** USD per video as the vendor lists it; null when unknown (models outside the catalogue). */
	priceUsd: number | null;
	/** True when the listed price is a starting price ("$0.03+"). */
	priceIsMinimum?: boolean;
	/** Length of the video when the model fixes it. */
	durationSeconds?: number;
	inputs: InputSpecs;
}

const grokInputs: InputSpecs = {
	prompt: { required: true },
	aspectRatio: { options: ASPECT_RATIOS, default: '16:9' },
	size: { options: ['720P', '1080P'], default: '720P' },
};

const veoInputs: InputSpecs = {
	prompt: { required: true },
	aspectRatio: { options: ASPECT_RATIOS, default: '16:9' },
	size: { options: ['720P', '1080P', '4K'], default: '720P' },
	generateAudio: { default: true },
	firstFrameImage: { min: 0, max: 1 },
	lastFrameImage: { min: 0, max: 1 },
};

export const modelCatalogue: readonly VideoModel[] = [
	{
		id: 'grok-video-3',
		displayName: 'Grok Video 3 (5 s)',
		description: 'Text-to-video, 5 second clips',
		priceUsd: 0.028,
		durationSeconds: 5,
		inputs: grokInputs,
	},
	{
		id: 'grok-video-3-10s',
		displayName: 'Grok Video 3 (10 s)',
		description: 'Text-to-video with audio, 10 second clips',
		priceUsd: 0.056,
		durationSeconds: 10,
		inputs: grokInputs,
	},
	{
		id: 'grok-video-3-15s',
		displayName: 'Grok Video 3 (15 s)',
		description: 'Text-to-video, 15 second clips in 720p or 1080p',
		priceUsd: 0.07,
		durationSeconds: 15,
		inputs: grokInputs,
	},
	{
		id: 'veo-3.1-fast',
		displayName: 'VEO 3.1 Fast',
		description: '8 second clips up to 4K with audio; optional first and last frame',
		priceUsd: 0.06,
		durationSeconds: 8,
		inputs: veoInputs,
	},
	{
		id: 'veo-3.1',
		displayName: 'VEO 3.1',
		description: '8 second clips up to 4K; optional first and last frame',
		priceUsd: 0.12,
		durationSeconds: 8,
		inputs: veoInputs,
	},
	{
		id: 'kling-motion-control',
		displayName: 'Kling Motion Control',
		description: 'Transfers the motion of a reference video onto a character image',
		priceUsd: 0.03,
		priceIsMinimum: true,
		inputs: {
			characterImages: { min: 1, max: Infinity },
			motionVideos: { min: 1, max: Infinity },
			resolution: { options: ['720p', '1080p'], default: '720p' },
			characterOrientation: { options: ['image', 'video'], default: 'video' },
		},
	},
];

/** The panel value for a model the catalogue does not know (picked from the API's list or typed). */
export const OTHER_MODEL = 'other';

/** What the generic panel of "Other model" offers: the API's documented text-to-video fields. */
export const otherModel: VideoModel = {
	id: OTHER_MODEL,
	displayName: 'Other Model',
	description: 'Any model ID from the API, with a generic panel',
	priceUsd: null,
	inputs: {
		prompt: { required: true },
		aspectRatio: { options: ASPECT_RATIOS },
		size: { options: ['720P', '1080P', '4K'] },
		duration: { options: [5, 8, 10] },
		referenceImages: { min: 0, max: 4 },
	},
};

export function findModel(id: string): VideoModel | undefined {
	return modelCatalogue.find((model) => model.id === id);
}

/** The API answers with a provider prefix (`cloud-video/grok-video-3`); requests and the catalogue use the bare id. */
export function bareModelId(model: string | undefined): string | undefined {
	return model ? model.slice(model.lastIndexOf('/') + 1) : undefined;
}

export function inputsOf(modelId: string): InputSpecs {
	return (findModel(modelId) ?? otherModel).inputs;
}

/** The inputs a model takes, each with its definition and the model's spec of it. */
export function acceptedInputs(inputs: InputSpecs) {
	return INPUT_NAMES.flatMap((name) => {
		const spec = inputs[name];
		return spec === undefined ? [] : [{ name, definition: modelInputs[name], spec }];
	});
}

/**
 * What the panel calls a body field, so errors name what the user sees: for a list shared by
 * positioned inputs (first and last frame) the input at that place, else the label and entry.
 */
export function labelOfField(key: string, inputs: InputSpecs, entry?: number): string {
	const sharing = acceptedInputs(inputs).filter(({ definition }) => definition.key === key);
	const positioned = sharing.find(
		({ definition }) => definition.kind === 'media' && definition.position === entry,
	);
	if (positioned) return positioned.definition.label;
	const label =
		sharing.map(({ definition }) => definition.label).join(' and ') ||
		(Object.values(commonFields).find((field) => field.key === key)?.label ?? key);
	return entry === undefined ? label : `${label} (entry ${entry + 1})`;
}
