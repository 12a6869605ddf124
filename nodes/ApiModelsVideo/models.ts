/**
 * The model catalogue: the one place that says which models exist, what each accepts,
 * its defaults and its price. Panels, request validation, the README table, the emulator
 * and the tests all derive from this list, so adding a model is a change here only.
 */

export const ASPECT_RATIOS = ['16:9', '9:16', '1:1', '2:3', '3:2'] as const;

export interface ChoiceField<T extends string | number> {
	options: readonly T[];
	default?: T;
}

/** What a model accepts in its create request, field by field (absent = not accepted). */
export interface ModelInputs {
	/** Text prompt (`prompt`). */
	prompt?: { required: boolean };
	aspectRatio?: ChoiceField<string>;
	size?: ChoiceField<string>;
	/** Free duration choice (`duration`); fixed-length models omit it. */
	duration?: ChoiceField<number>;
	/** First and last frame, sent as `images` in that order. */
	frameImages?: { max: number };
	/** Free list of reference images, sent as `images`. */
	referenceImages?: { max: number };
	generateAudio?: { default: boolean };
	/** Character images for motion transfer (`input_urls`). */
	characterImages?: { min: number };
	/** Motion reference videos (`video_urls`). */
	motionVideos?: { min: number };
	mode?: ChoiceField<string>;
	characterOrientation?: ChoiceField<string>;
}

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
	inputs: ModelInputs;
}

const grokInputs: ModelInputs = {
	prompt: { required: true },
	aspectRatio: { options: ASPECT_RATIOS, default: '16:9' },
	size: { options: ['720P', '1080P'], default: '720P' },
};

const veoInputs: ModelInputs = {
	prompt: { required: true },
	aspectRatio: { options: ASPECT_RATIOS, default: '16:9' },
	size: { options: ['720P', '1080P', '4K'], default: '720P' },
	frameImages: { max: 2 },
	generateAudio: { default: true },
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
			characterImages: { min: 1 },
			motionVideos: { min: 1 },
			mode: { options: ['720p', '1080p'], default: '720p' },
			characterOrientation: { options: ['image', 'video'], default: 'video' },
		},
	},
];

/** The panel value for a model the catalogue does not know (picked from the API's list or typed). */
export const OTHER_MODEL = 'other';

/** What the generic panel of "Other model" offers: the API's documented text-to-video fields. */
export const otherModelInputs: ModelInputs = {
	prompt: { required: true },
	aspectRatio: { options: ASPECT_RATIOS },
	size: { options: ['720P', '1080P', '4K'] },
	duration: { options: [5, 8, 10] },
	referenceImages: { max: 4 },
};

export function findModel(id: string): VideoModel | undefined {
	return modelCatalogue.find((model) => model.id === id);
}

/** The API answers with a provider prefix (`cloud-video/grok-video-3`); requests and the catalogue use the bare id. */
export function bareModelId(model: string | undefined): string | undefined {
	return model ? model.slice(model.lastIndexOf('/') + 1) : undefined;
}

export function inputsOf(modelId: string): ModelInputs {
	return findModel(modelId)?.inputs ?? otherModelInputs;
}

/** Request body fields: the API's key and the label the panel shows, so errors name what the user sees. */
export const bodyFields = {
	prompt: { key: 'prompt', label: 'Prompt' },
	aspectRatio: { key: 'aspect_ratio', label: 'Aspect Ratio' },
	size: { key: 'size', label: 'Size' },
	duration: { key: 'duration', label: 'Duration' },
	images: { key: 'images', label: 'Images' },
	generateAudio: { key: 'generate_audio', label: 'Generate Audio' },
	characterImages: { key: 'input_urls', label: 'Character Images' },
	motionVideos: { key: 'video_urls', label: 'Motion Videos' },
	mode: { key: 'mode', label: 'Mode' },
	characterOrientation: { key: 'character_orientation', label: 'Character Orientation' },
	callbackUrl: { key: 'callback_url', label: 'Callback URL' },
} as const;
