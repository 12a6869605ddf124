import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { VideoModel } from '../../../shared/models';
import type { InputName, MediaSpec } from '../../../shared/inputs';
import { findModel, OTHER_MODEL, otherModel } from '../../../shared/models';
import { acceptedInputs, commonFields, labelOfField, modelInputs } from '../../../shared/inputs';
import { splitList } from '../../../shared/lists';
import { mediaUrls, privateAddressOf, resolvedTo } from '../../../shared/privateAddresses';
import { findBodyProblem } from '../../../shared/validation';

/** A media slot of the body (`images[1]`, `input_urls[0]`, ...) still to be filled from binary data. */
interface PendingUpload {
	key: string;
	index: number;
	property: string;
}

/** One item's create request, checked and ready to send once its binary inputs are uploaded. */
export interface CreateRequest {
	itemIndex: number;
	body: IDataObject;
	uploads: PendingUpload[];
	/** The catalogue's price, or 0 for a model it does not know. */
	priceUsd: number;
}

/** The node's options that a create reads per item. */
export interface CreateOptions {
	callbackUrl?: string;
	additionalBodyFields?: unknown;
}

/** Stands in for a not yet uploaded file so the body can be validated before any request. */
const UPLOAD_PLACEHOLDER = 'https://upload.pending.invalid/';

function inputError(ctx: IExecuteFunctions, itemIndex: number, message: string, description?: string) {
	return new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: ${message}`, { itemIndex, description });
}

/** The files of one media input: URLs as given, binary properties as placeholders to upload. */
function readMedia(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: InputName,
	spec: MediaSpec,
	source: string,
): Array<{ url: string } | { property: string }> {
	const label = modelInputs[name].label;
	const values = splitList(ctx.getNodeParameter(`${name}${source === 'binary' ? 'Binary' : 'Url'}`, itemIndex, ''));
	if (values.length > spec.max) {
		throw inputError(ctx, itemIndex, `${label} takes ${spec.max === 1 ? 'one file' : `at most ${spec.max} files`}, not ${values.length}`);
	}
	if (source !== 'binary') return values.map((url) => ({ url }));
	return values.map((property) => {
		if (!ctx.getInputData()[itemIndex]?.binary?.[property]) {
			throw inputError(
				ctx,
				itemIndex,
				`${label}: the input item has no binary field "${property}"`,
				'Check the Input Binary Field names of the Create Video panel against the input item',
			);
		}
		return { property };
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

/** `callBackUrl`, `Callback-URL` and `callback_url` are one field to a lenient gateway. */
const fieldSpelling = (key: string) => key.toLowerCase().replace(/[\s_-]/g, '');

/**
 * Additional Body Fields may add what the panel does not know, but not replace what it sets:
 * a silent `model` would change the price and the checks, a `callback_url` would take a parked
 * execution's resume URL away. A field the panel owns is refused, naming it.
 */
function refusePanelFields(ctx: IExecuteFunctions, itemIndex: number, model: VideoModel, extra: IDataObject): void {
	const owned = [commonFields.model.key, commonFields.callbackUrl.key, ...acceptedInputs(model.inputs).map(({ definition }) => definition.key)];
	for (const key of Object.keys(extra)) {
		const field = owned.find((ownedKey) => fieldSpelling(ownedKey) === fieldSpelling(key));
		if (field === undefined) continue;
		const label = labelOfField(field, model.inputs);
		throw inputError(
			ctx,
			itemIndex,
			`Additional Body Fields cannot set "${key}": the node sends ${field} from ${label}`,
			`Set ${label} in the node's panel and remove "${key}" from Additional Body Fields, which are for parameters the node does not know`,
		);
	}
}

function readModelId(ctx: IExecuteFunctions, itemIndex: number): string {
	const panelModel = ctx.getNodeParameter('model', itemIndex);
	const model = panelModel === OTHER_MODEL ? ctx.getNodeParameter('customModel', itemIndex, '') : panelModel;
	if (typeof model !== 'string') {
		throw inputError(ctx, itemIndex, `Model must be a model ID (text), not ${typeof model}`);
	}
	return model.trim();
}

/**
 * Reads an item's panel into the API's request body and checks it against the catalogue,
 * so a bad item fails here, before anything is sent or paid.
 */
export async function buildCreateRequest(ctx: IExecuteFunctions, itemIndex: number, options: CreateOptions): Promise<CreateRequest> {
	const modelId = readModelId(ctx, itemIndex);
	const model = ctx.getNodeParameter('model', itemIndex) === OTHER_MODEL ? otherModel : (findModel(modelId) ?? otherModel);
	const body: IDataObject = { [commonFields.model.key]: modelId };
	const uploads: PendingUpload[] = [];
	const inputs = acceptedInputs(model.inputs);
	const source = inputs.some(({ definition }) => definition.kind === 'media')
		? String(ctx.getNodeParameter('mediaSource', itemIndex, 'url'))
		: 'url';

	for (const { name, definition, spec } of inputs) {
		if (definition.kind !== 'media') {
			const value = ctx.getNodeParameter(name, itemIndex, '');
			if (value !== '' && value !== undefined) body[definition.key] = value;
			continue;
		}
		const files = readMedia(ctx, itemIndex, name, spec as MediaSpec, source);
		if (files.length === 0) continue;
		const list = (body[definition.key] as string[] | undefined) ?? [];
		if (definition.after && list.length === 0) {
			throw inputError(ctx, itemIndex, `${definition.label} needs a ${modelInputs[definition.after].label}`);
		}
		for (const file of files) {
			const index = definition.position ?? list.length;
			if ('property' in file) uploads.push({ key: definition.key, index, property: file.property });
			list[index] = 'url' in file ? file.url : `${UPLOAD_PLACEHOLDER}${file.property}`;
		}
		body[definition.key] = list;
	}

	const callbackUrl = String(options.callbackUrl ?? '').trim();
	if (callbackUrl) body[commonFields.callbackUrl.key] = callbackUrl;
	const extra = parseAdditionalFields(ctx, itemIndex, options.additionalBodyFields);
	refusePanelFields(ctx, itemIndex, model, extra);
	Object.assign(body, extra);

	const problem = findBodyProblem(body);
	if (problem) {
		throw inputError(ctx, itemIndex, problem.message, `Field: ${problem.label} (${problem.field})`);
	}
	for (const url of mediaUrls(body, callbackUrl)) {
		const address = await privateAddressOf(ctx, url);
		if (address === undefined) continue;
		throw inputError(
			ctx,
			itemIndex,
			`${url} is on a private or local address${resolvedTo(address)}, which the API cannot reach`,
			'Set Media Source to Binary Data to upload the file instead',
		);
	}
	// Priced by the model the body carries, the one the API bills.
	return { itemIndex, body, uploads, priceUsd: findModel(String(body[commonFields.model.key]))?.priceUsd ?? 0 };
}
