/**
 * The kinds of input a model may take: `modelInputs` says once what each is (its API field, its
 * label, how the panel shows it), and each model of the catalogue (models.ts) says which it
 * accepts, with what choices and defaults.
 */

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
