import { z } from 'zod';
import type { ChoiceSpec, InputSpecs, MediaSpec } from './inputs';
import { inputsOf } from './models';
import { acceptedInputs, commonFields, labelOfField, MAX_PROMPT_LENGTH } from './inputs';

/** A refused create body: the API field and a sentence about it. */
export interface BodyProblem {
	field: string;
	label: string;
	message: string;
}

const httpUrl = z
	.string()
	.trim()
	.url('must be a URL')
	.refine((value) => /^https?:\/\//i.test(value), 'must start with http:// or https://');

function choice(spec: ChoiceSpec) {
	return z.union([z.string(), z.number()]).refine((value) => spec.options.includes(value), {
		message: `must be one of ${spec.options.join(', ')}`,
	});
}

/** Media inputs can share a body list (first and last frame): one array rule per body field. */
function mediaRules(inputs: InputSpecs): Map<string, { min: number; max: number; noun: string }> {
	const rules = new Map<string, { min: number; max: number; noun: string }>();
	for (const { definition, spec } of acceptedInputs(inputs)) {
		if (definition.kind !== 'media') continue;
		const media = spec as MediaSpec;
		const rule = rules.get(definition.key) ?? { min: 0, max: 0, noun: definition.label.toLowerCase() };
		rule.min += media.min;
		rule.max += media.max;
		rules.set(definition.key, rule);
	}
	return rules;
}

/** The zod schema of a create body for one model, built from the catalogue. */
function createBodySchema(modelId: string) {
	const inputs = inputsOf(modelId);
	const shape: z.ZodRawShape = {
		[commonFields.model.key]: z.string({ invalid_type_error: 'must be text' }).trim().min(1, 'is required'),
		[commonFields.callbackUrl.key]: httpUrl.optional(),
	};
	for (const { definition, spec } of acceptedInputs(inputs)) {
		if (definition.kind === 'text') {
			const text = z
				.string({ required_error: 'is required', invalid_type_error: 'must be text' })
				.trim()
				.min(1, 'must not be empty')
				.max(MAX_PROMPT_LENGTH, `must be at most ${MAX_PROMPT_LENGTH} characters`);
			shape[definition.key] = (spec as { required: boolean }).required ? text : text.optional();
		} else if (definition.kind === 'choice') {
			shape[definition.key] = choice(spec as ChoiceSpec).optional();
		} else if (definition.kind === 'boolean') {
			shape[definition.key] = z.boolean({ invalid_type_error: 'must be true or false' }).optional();
		}
	}
	for (const [key, rule] of mediaRules(inputs)) {
		const list = z
			.array(httpUrl, { required_error: `needs at least one ${rule.noun}` })
			.max(rule.max, `takes at most ${rule.max}`);
		shape[key] = rule.min > 0 ? list.min(rule.min, `needs at least ${rule.min}`) : list.optional();
	}
	// Fields the catalogue does not know (Additional Body Fields) pass through untouched.
	return z.object(shape).passthrough();
}

/** Checks a create body against the catalogue before it is sent. */
export function findBodyProblem(body: unknown): BodyProblem | undefined {
	const model = body && typeof body === 'object' ? (body as Record<string, unknown>).model : undefined;
	const modelId = typeof model === 'string' ? model : '';
	const result = createBodySchema(modelId).safeParse(body);
	if (result.success) return undefined;
	const issue = result.error.issues[0];
	const field = String(issue.path[0] ?? 'body');
	const entry = issue.path.length > 1 ? Number(issue.path[1]) : undefined;
	const label = labelOfField(field, inputsOf(modelId), entry);
	return { field, label, message: `${label} ${issue.message}` };
}
