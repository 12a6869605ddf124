/* eslint-disable n8n-nodes-base/node-param-default-missing -- defaults come from the model catalogue, not literals */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import type { ChoiceField, ModelInputs } from '../../models';
import { bodyFields, modelCatalogue, OTHER_MODEL, otherModelInputs } from '../../models';
import { API_PATHS } from '../../../shared/constants';
import { showFor } from './shared.description';
import { waitOptionFields } from './waitOptions.description';

const inputsByModel: Array<[string, ModelInputs]> = [
	...modelCatalogue.map((model): [string, ModelInputs] => [model.id, model.inputs]),
	[OTHER_MODEL, otherModelInputs],
];

/**
 * Groups the models whose spec of one input is identical, so each group gets one property
 * shown only for those models: the panel shows exactly what the chosen model accepts.
 */
function perModelGroup<K extends keyof ModelInputs>(
	input: K,
	build: (spec: NonNullable<ModelInputs[K]>, models: string[]) => INodeProperties,
): INodeProperties[] {
	const groups = new Map<string, { spec: NonNullable<ModelInputs[K]>; models: string[] }>();
	for (const [model, inputs] of inputsByModel) {
		const spec = inputs[input];
		if (spec === undefined) continue;
		const key = JSON.stringify(spec);
		const group = groups.get(key) ?? { spec: spec as NonNullable<ModelInputs[K]>, models: [] };
		group.models.push(model);
		groups.set(key, group);
	}
	return [...groups.values()].map(({ spec, models }) => build(spec, models));
}

function modelsWith(...inputs: Array<keyof ModelInputs>): string[] {
	return inputsByModel
		.filter(([, accepted]) => inputs.some((input) => accepted[input] !== undefined))
		.map(([model]) => model);
}

const forModels = (models: string[]) => showFor(['create'], { model: models });

/** Catalogue models send their default; for other models "Default" leaves the field out. */
function choiceProperty(
	name: string,
	label: string,
	description: string,
): (spec: ChoiceField<string> | ChoiceField<number>, models: string[]) => INodeProperties {
	return (spec, models) => {
		const options: INodePropertyOptions[] = spec.options.map((value) => ({
			name: String(value),
			value,
		}));
		if (spec.default === undefined) options.unshift({ name: 'Default', value: '' });
		return {
			displayName: label,
			name,
			type: 'options',
			options,
			default: spec.default ?? '',
			description,
			displayOptions: forModels(models),
		};
	};
}

const mediaSourceProperty: INodeProperties = {
	displayName: 'Media Source',
	name: 'mediaSource',
	type: 'options',
	options: [
		{
			name: 'Public URL',
			value: 'url',
			description: 'Images and videos the API can download from the internet',
		},
		{
			name: 'Binary Data',
			value: 'binary',
			description: 'Files in binary properties of the input item, uploaded to the API first',
		},
	],
	default: 'url',
	displayOptions: forModels(
		modelsWith('frameImages', 'referenceImages', 'characterImages', 'motionVideos'),
	),
};

/** One media input, as URLs or as binary property names depending on Media Source. */
function mediaProperties(
	name: string,
	label: string,
	models: string[],
	options: { required?: boolean; multiple: boolean; description: string },
): INodeProperties[] {
	const plural = options.multiple ? 's' : '';
	return [
		{
			displayName: `${label} URL${plural}`,
			name: `${name}Url`,
			type: 'string',
			default: '',
			required: options.required,
			placeholder: 'https://example.com/file',
			description: `${options.description}${options.multiple ? '. Separate several URLs with commas.' : ''}`,
			displayOptions: showFor(['create'], { model: models, mediaSource: ['url'] }),
		},
		{
			displayName: `${label} Binary Propert${options.multiple ? 'ies' : 'y'}`,
			name: `${name}Binary`,
			type: 'string',
			default: '',
			required: options.required,
			placeholder: options.multiple ? 'data, data_1' : 'data',
			description: `Name of the input binary propert${options.multiple ? 'ies' : 'y'} holding the file${plural}${options.multiple ? ', separated by commas' : ''}`,
			displayOptions: showFor(['create'], { model: models, mediaSource: ['binary'] }),
		},
	];
}

export const createDescription: INodeProperties[] = [
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		noDataExpression: true,
		options: [
			...modelCatalogue.map((model) => ({
				name: model.displayName,
				value: model.id,
				description: `${model.description}. ${model.priceIsMinimum ? 'From ' : ''}$${model.priceUsd} per video.`,
			})),
			{
				name: 'Other Model',
				value: OTHER_MODEL,
				description: 'Any model ID from the API, with a generic panel',
			},
		],
		default: modelCatalogue[0].id,
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
		typeOptions: {
			loadOptions: {
				routing: {
					request: { method: 'GET', url: API_PATHS.models },
					output: {
						postReceive: [
							{ type: 'rootProperty', properties: { property: 'data' } },
							{ type: 'setKeyValue', properties: { name: '={{$responseItem.id}}', value: '={{$responseItem.id}}' } },
							{ type: 'sort', properties: { key: 'name' } },
						],
					},
				},
			},
		},
		displayOptions: forModels([OTHER_MODEL]),
	},
	...perModelGroup('prompt', (spec, models) => ({
		displayName: bodyFields.prompt.label,
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		required: spec.required,
		default: '',
		placeholder: 'A cat playing piano in a jazz club, cinematic lighting',
		description: 'What the video shows',
		displayOptions: forModels(models),
	})),
	...perModelGroup(
		'aspectRatio',
		choiceProperty('aspectRatio', bodyFields.aspectRatio.label, 'Width to height of the video'),
	),
	...perModelGroup('size', choiceProperty('size', bodyFields.size.label, 'Resolution of the video')),
	...perModelGroup(
		'duration',
		choiceProperty('duration', bodyFields.duration.label, 'Length of the video in seconds'),
	),
	...perModelGroup('mode', choiceProperty('mode', bodyFields.mode.label, 'Output resolution')),
	...perModelGroup(
		'characterOrientation',
		choiceProperty(
			'characterOrientation',
			bodyFields.characterOrientation.label,
			'Whether the character keeps the orientation of the image or follows the video',
		),
	),
	...perModelGroup('generateAudio', (spec, models) => ({
		displayName: bodyFields.generateAudio.label,
		name: 'generateAudio',
		type: 'boolean',
		default: spec.default,
		description: 'Whether to generate an audio track',
		displayOptions: forModels(models),
	})),
	mediaSourceProperty,
	...mediaProperties('firstFrameImage', 'First Frame Image', modelsWith('frameImages'), {
		multiple: false,
		description: 'Optional image the video starts from',
	}),
	...mediaProperties('lastFrameImage', 'Last Frame Image', modelsWith('frameImages'), {
		multiple: false,
		description: 'Optional image the video ends on (sent after the first frame)',
	}),
	...mediaProperties('referenceImages', 'Reference Image', modelsWith('referenceImages'), {
		multiple: true,
		description: 'Optional reference images',
	}),
	...mediaProperties('characterImages', 'Character Image', modelsWith('characterImages'), {
		required: true,
		multiple: true,
		description: 'Images of the character to animate',
	}),
	...mediaProperties('motionVideos', 'Motion Video', modelsWith('motionVideos'), {
		required: true,
		multiple: true,
		description: 'Videos whose motion the character copies',
	}),
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
					'JSON object merged into the request last, for parameters this node does not know yet',
			},
			{
				displayName: 'Callback URL',
				name: 'callbackUrl',
				type: 'string',
				default: '',
				placeholder: 'https://your-n8n.example.com/webhook/...',
				description:
					'URL the API notifies when the task ends. Paste the Production URL of an APIModels Video Trigger node here (usually in another workflow) instead of waiting.',
			},
			{
				displayName: 'Max Estimated Cost per Execution (USD)',
				name: 'maxCostUsd',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 3 },
				default: 0,
				description:
					'Items that would push the estimated cost of this node in one execution past this amount fail before any request. 0 means no limit.',
			},
			{
				displayName: 'Wait for Completion',
				name: 'waitForCompletion',
				type: 'boolean',
				default: false,
				description:
					'Whether to wait until every task has finished before the node outputs, polling all of them together',
			},
			...waitOptionFields(),
		],
	},
];
