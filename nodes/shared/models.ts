/**
 * The model catalogue: the one place that says which models exist, which inputs each accepts,
 * with what choices and defaults, and its price. `modelInputs` says once what each kind of
 * input is (its API field, its label, how the panel shows it); the panels, the request
 * builder, validation, the README table and the tests all derive from these two tables, so
 * adding a model, or a kind of input, is a change here only.
 */

import type { InputSpecs } from './inputs';

const ASPECT_RATIOS = ['16:9', '9:16', '1:1', '2:3', '3:2'] as const;

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
