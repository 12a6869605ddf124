import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { ModelInputs } from '../../models';
import { bodyFields, inputsOf, OTHER_MODEL, otherModelInputs } from '../../models';
import type { MediaRef } from '../../../shared/media';
import { isPrivateUrl, splitList } from '../../../shared/media';
import { findBodyProblem } from '../../../shared/validation';

/** A media slot of the body (`images[1]`, `input_urls[0]`, ...) still to be filled from binary data. */
export interface PendingUpload {
	key: string;
	index: number;
	property: string;
}

/** One item's create request, checked and ready to send once its binary inputs are uploaded. */
export interface CreateRequest {
	itemIndex: number;
	body: IDataObject;
	uploads: PendingUpload[];
}

type Choice = 'aspectRatio' | 'size' | 'duration' | 'mode' | 'characterOrientation';
const CHOICES: Choice[] = ['aspectRatio', 'size', 'duration', 'mode', 'characterOrientation'];

interface MediaSlot {
	accepted: (inputs: ModelInputs) => boolean;
	parameter: string;
	key: string;
	/** Position inside the body array; undefined appends every entry. */
	position?: number;
}

const MEDIA_SLOTS: MediaSlot[] = [
	{ accepted: (i) => !!i.frameImages, parameter: 'firstFrameImage', key: bodyFields.images.key, position: 0 },
	{ accepted: (i) => !!i.frameImages, parameter: 'lastFrameImage', key: bodyFields.images.key, position: 1 },
	{ accepted: (i) => !!i.referenceImages, parameter: 'referenceImages', key: bodyFields.images.key },
	{ accepted: (i) => !!i.characterImages, parameter: 'characterImages', key: bodyFields.characterImages.key },
	{ accepted: (i) => !!i.motionVideos, parameter: 'motionVideos', key: bodyFields.motionVideos.key },
];

/** Stands in for a not yet uploaded file so the body can be validated before any request. */
const UPLOAD_PLACEHOLDER = 'https://upload.pending.invalid/';

function inputError(ctx: IExecuteFunctions, itemIndex: number, message: string, description?: string) {
	return new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: ${message}`, {
		itemIndex,
		description,
	});
}

function readMedia(
	ctx: IExecuteFunctions,
	itemIndex: number,
	slot: MediaSlot,
	source: string,
): MediaRef[] {
	const parameter = `${slot.parameter}${source === 'binary' ? 'Binary' : 'Url'}`;
	const values = splitList(ctx.getNodeParameter(parameter, itemIndex, ''));
	if (source === 'binary') {
		return values.map((property) => {
			const binary = ctx.getInputData()[itemIndex]?.binary?.[property];
			if (!binary) {
				throw inputError(
					ctx,
					itemIndex,
					`the input item has no binary property "${property}"`,
					'Check the binary property names of the Create Video panel against the input item',
				);
			}
			return { kind: 'binary', property };
		});
	}
	return values.map((url) => {
		if (isPrivateUrl(url)) {
			throw inputError(
				ctx,
				itemIndex,
				`${url} is on a private or local address, which the API cannot reach`,
				'Set Media Source to Binary Data to upload the file instead',
			);
		}
		return { kind: 'url', url };
	});
}

function parseAdditionalFields(ctx: IExecuteFunctions, itemIndex: number, raw: unknown): IDataObject {
	if (raw === undefined || raw === '') return {};
	if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) return raw as IDataObject;
	try {
		const parsed = JSON.parse(String(raw)) as unknown;
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as IDataObject;
	} catch {
		// reported below
	}
	throw inputError(ctx, itemIndex, 'Additional Body Fields must be a JSON object');
}

/**
 * Reads an item's panel into the API's request body and checks it against the catalogue,
 * so a bad item fails here, before anything is sent or paid.
 */
export function buildCreateRequest(ctx: IExecuteFunctions, itemIndex: number): CreateRequest {
	const panelModel = ctx.getNodeParameter('model', itemIndex) as string;
	const model =
		panelModel === OTHER_MODEL
			? String(ctx.getNodeParameter('customModel', itemIndex, '')).trim()
			: panelModel;
	const inputs = panelModel === OTHER_MODEL ? otherModelInputs : inputsOf(model);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const body: IDataObject = { model };

	if (inputs.prompt) body[bodyFields.prompt.key] = ctx.getNodeParameter('prompt', itemIndex, '');
	for (const choice of CHOICES) {
		if (!inputs[choice]) continue;
		const value = ctx.getNodeParameter(choice, itemIndex, '');
		if (value !== '' && value !== undefined) body[bodyFields[choice].key] = value;
	}
	if (inputs.generateAudio) {
		body[bodyFields.generateAudio.key] = ctx.getNodeParameter('generateAudio', itemIndex);
	}

	const uploads: PendingUpload[] = [];
	const source = inputs.frameImages || inputs.referenceImages || inputs.characterImages || inputs.motionVideos
		? (ctx.getNodeParameter('mediaSource', itemIndex, 'url') as string)
		: 'url';
	for (const slot of MEDIA_SLOTS.filter((candidate) => candidate.accepted(inputs))) {
		const refs = readMedia(ctx, itemIndex, slot, source);
		if (refs.length === 0) continue;
		const list = (body[slot.key] as string[] | undefined) ?? [];
		if (slot.position === 1 && list.length === 0) {
			throw inputError(ctx, itemIndex, 'Last Frame Image needs a First Frame Image');
		}
		for (const ref of refs) {
			const index = slot.position ?? list.length;
			if (ref.kind === 'binary') uploads.push({ key: slot.key, index, property: ref.property });
			list[index] = ref.kind === 'url' ? ref.url : `${UPLOAD_PLACEHOLDER}${ref.property}`;
		}
		body[slot.key] = list;
	}

	const callbackUrl = String(options.callbackUrl ?? '').trim();
	if (callbackUrl) body[bodyFields.callbackUrl.key] = callbackUrl;
	Object.assign(body, parseAdditionalFields(ctx, itemIndex, options.additionalBodyFields));

	const problem = findBodyProblem(body);
	if (problem) {
		throw inputError(ctx, itemIndex, problem.message, `Field: ${problem.label} (${problem.field})`);
	}
	return { itemIndex, body, uploads };
}
