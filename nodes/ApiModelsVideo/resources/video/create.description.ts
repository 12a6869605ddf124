import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { optionsActingWhen, waitOptionFields } from '../../../shared/descriptions';
import type { VideoModel } from '../../../shared/models';
import type { BooleanSpec, ChoiceSpec, InputDefinition, InputName, InputSpecs, MediaSpec, TextSpec } from '../../../shared/inputs';
import { modelCatalogue, otherModel } from '../../../shared/models';
import { INPUT_NAMES, modelInputs } from '../../../shared/inputs';
import { showFor } from './shared.description';

const panelModels: readonly VideoModel[] = [...modelCatalogue, otherModel];

const forModels = (models: string[], extra: Record<string, string[]> = {}) =>
	showFor(['create'], { model: models, ...extra });

function modelsWith(predicate: (name: InputName) => boolean): string[] {
	return panelModels
		.filter((model) => INPUT_NAMES.some((name) => model.inputs[name] !== undefined && predicate(name)))
		.map((model) => model.id);
}

const isMedia = (name: InputName) => modelInputs[name].kind === 'media';

function textProperty(name: string, definition: InputDefinition & { kind: 'text' }, spec: TextSpec): INodeProperties {
	return {
		displayName: definition.label,
		name,
		type: 'string',
		typeOptions: { rows: 4 },
		required: spec.required,
		default: '',
		placeholder: definition.placeholder,
		description: definition.description,
	};
}

/** Catalogue models send their default; for other models "Default" leaves the field out. */
function choiceProperty(name: string, definition: InputDefinition & { kind: 'choice' }, spec: ChoiceSpec): INodeProperties {
	const options: INodePropertyOptions[] = spec.options.map((value) => ({
		name: definition.optionName?.(value) ?? String(value),
		value,
	}));
	if (spec.default === undefined) options.unshift({ name: 'Default', value: '' });
	const initial = spec.default ?? '';
	return {
		displayName: definition.label,
		name,
		type: 'options',
		options,
		default: initial,
		description: definition.description,
	};
}

function booleanProperty(name: string, definition: InputDefinition, spec: BooleanSpec): INodeProperties {
	const property: INodeProperties = {
		displayName: definition.label,
		name,
		type: 'boolean',
		default: false,
		description: definition.description,
	};
	return { ...property, default: spec.default };
}

/** A media input as URLs or as input binary fields, following Media Source. */
function mediaProperties(name: string, definition: InputDefinition, spec: MediaSpec, models: string[]): INodeProperties[] {
	const several = spec.max > 1;
	const required = spec.min > 0;
	return [
		{
			displayName: `${definition.label} URL${several ? 's' : ''}`,
			name: `${name}Url`,
			type: 'string',
			default: '',
			required,
			placeholder: several ? 'e.g. https://example.com/a.png, https://example.com/b.png' : 'e.g. https://example.com/image.png',
			description: `${definition.description}${several ? '. Separate several URLs with commas.' : ''}`,
			displayOptions: forModels(models, { mediaSource: ['url'] }),
		},
		{
			// "<Input> Input Binary Fields" is cut off at the default panel width for Character Images.
			displayName: `${definition.label} Binary Field${several ? 's' : ''}`,
			name: `${name}Binary`,
			type: 'string',
			default: '',
			required,
			placeholder: several ? 'e.g. data, data_1' : 'e.g. data',
			description: `${definition.description}: the name of the input binary field${several ? 's, separated by commas' : ''}`,
			displayOptions: forModels(models, { mediaSource: ['binary'] }),
		},
	];
}

/**
 * One property per input and spec: models whose spec of an input is identical share it, so
 * the panel shows exactly what the chosen model accepts, with that model's choices and default.
 */
function inputProperties(name: InputName): INodeProperties[] {
	const definition = modelInputs[name];
	const groups = new Map<string, { spec: NonNullable<InputSpecs[InputName]>; models: string[] }>();
	for (const model of panelModels) {
		const spec = model.inputs[name];
		if (spec === undefined) continue;
		const key = JSON.stringify(spec);
		const group = groups.get(key) ?? { spec, models: [] };
		group.models.push(model.id);
		groups.set(key, group);
	}
	return [...groups.values()].flatMap(({ spec, models }) => {
		switch (definition.kind) {
			case 'text':
				return [{ ...textProperty(name, definition, spec as TextSpec), displayOptions: forModels(models) }];
			case 'choice':
				return [{ ...choiceProperty(name, definition, spec as ChoiceSpec), displayOptions: forModels(models) }];
			case 'boolean':
				return [{ ...booleanProperty(name, definition, spec as BooleanSpec), displayOptions: forModels(models) }];
			case 'media':
				return mediaProperties(name, definition, spec as MediaSpec, models);
		}
	});
}

const firstModel = modelCatalogue[0].id;

const priceText = (model: VideoModel) =>
	model.priceUsd === null ? '' : ` ${model.priceIsMinimum ? 'From ' : ''}$${model.priceUsd} per video.`;

export const createDescription: INodeProperties[] = [
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		noDataExpression: true,
		options: panelModels.map((model) => ({
			name: model.displayName,
			value: model.id,
			description: `${model.description}.${priceText(model)}`,
		})),
		default: firstModel,
		displayOptions: showFor(['create']),
	},
	{
		displayName: 'Model Name or ID',
		name: 'customModel',
		type: 'options',
		required: true,
		default: '',
		description:
			'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		typeOptions: { loadOptionsMethod: 'listModels' },
		displayOptions: forModels([otherModel.id]),
	},
	...INPUT_NAMES.filter((name) => !isMedia(name)).flatMap(inputProperties),
	{
		displayName: 'Media Source',
		name: 'mediaSource',
		type: 'options',
		options: [
			{ name: 'Public URL', value: 'url', description: 'Images and videos the API can download from the internet' },
			{
				name: 'Binary Data',
				value: 'binary',
				description: 'Files in binary fields of the input item, uploaded to the API first',
			},
		],
		default: 'url',
		displayOptions: forModels(modelsWith(isMedia)),
	},
	...INPUT_NAMES.filter(isMedia).flatMap(inputProperties),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(['create']),
		options: [
			{
				displayName: 'Additional Body Fields',
				name: 'additionalBodyFields',
				type: 'json',
				default: '{}',
				description:
					'JSON object of parameters this node does not know yet, added to the request. Fields the panel sets (model, callback_url, the model\'s own fields) are refused, not replaced.',
			},
			{
				displayName: 'Callback URL',
				name: 'callbackUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://your-n8n.example.com/webhook/...',
				description:
					'URL the API notifies when the task ends. Paste the Production URL of an APIModels Callback Trigger node here (usually in another workflow) instead of waiting. With a Callback Secret in the credential, the node adds the token the trigger checks by itself, unless the URL carries a token already.',
			},
			{
				displayName: 'Max Estimated Cost (USD)',
				name: 'maxCostUsd',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 3 },
				default: 0,
				description:
					'Per execution of this node: items that would push its estimated cost past this amount fail before any request. 0 means no limit.',
			},
			{
				displayName: 'Wait for Completion',
				name: 'waitForCompletion',
				type: 'boolean',
				default: false,
				description:
					'Whether to wait until every task has finished before the node outputs, polling all of them together',
			},
			// Creates run side by side too; polling and downloads only happen while waiting.
			...waitOptionFields.map((field) =>
				field.name === 'concurrency' ? field : optionsActingWhen([field], { waitForCompletion: [true] })[0],
			),
		],
	},
];
