import { z } from 'zod';
import type { ChoiceField } from '../ApiModelsVideo/models';
import { bodyFields, inputsOf } from '../ApiModelsVideo/models';

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

function choice<T extends string | number>(field: ChoiceField<T>) {
	const allowed = field.options as readonly (string | number)[];
	return z.union([z.string(), z.number()]).refine((value) => allowed.includes(value), {
		message: `must be one of ${field.options.join(', ')}`,
	});
}

/** The zod schema of a create body for one model, built from the catalogue. */
export function createBodySchema(modelId: string) {
	const inputs = inputsOf(modelId);
	const shape: z.ZodRawShape = { model: z.string().trim().min(1, 'is required') };
	const optional = (schema: z.ZodTypeAny) => schema.optional();
	if (inputs.prompt) {
		const prompt = z.string({ required_error: 'is required' }).trim().min(1, 'must not be empty');
		shape[bodyFields.prompt.key] = inputs.prompt.required ? prompt : prompt.optional();
	}
	if (inputs.aspectRatio) shape[bodyFields.aspectRatio.key] = optional(choice(inputs.aspectRatio));
	if (inputs.size) shape[bodyFields.size.key] = optional(choice(inputs.size));
	if (inputs.duration) shape[bodyFields.duration.key] = optional(choice(inputs.duration));
	const imageLimit = inputs.frameImages?.max ?? inputs.referenceImages?.max;
	if (imageLimit !== undefined) {
		shape[bodyFields.images.key] = optional(
			z.array(httpUrl).max(imageLimit, `takes at most ${imageLimit} images`),
		);
	}
	if (inputs.generateAudio) shape[bodyFields.generateAudio.key] = optional(z.boolean());
	if (inputs.characterImages) {
		shape[bodyFields.characterImages.key] = z
			.array(httpUrl, { required_error: 'needs at least one character image' })
			.min(inputs.characterImages.min, 'needs at least one character image');
	}
	if (inputs.motionVideos) {
		shape[bodyFields.motionVideos.key] = z
			.array(httpUrl, { required_error: 'needs at least one motion reference video' })
			.min(inputs.motionVideos.min, 'needs at least one motion reference video');
	}
	if (inputs.mode) shape[bodyFields.mode.key] = optional(choice(inputs.mode));
	if (inputs.characterOrientation) {
		shape[bodyFields.characterOrientation.key] = optional(choice(inputs.characterOrientation));
	}
	shape[bodyFields.callbackUrl.key] = optional(httpUrl);
	// Fields the catalogue does not know (Additional Body Fields) pass through untouched.
	return z.object(shape).passthrough();
}

const labelOf = new Map<string, string>(
	Object.values(bodyFields).map(({ key, label }) => [key, label]),
);

/** Checks a create body against the catalogue; used by the node before sending and by the emulator. */
export function findBodyProblem(body: unknown): BodyProblem | undefined {
	const model =
		body && typeof body === 'object' ? (body as Record<string, unknown>).model : undefined;
	const result = createBodySchema(typeof model === 'string' ? model : '').safeParse(body);
	if (result.success) return undefined;
	const issue = result.error.issues[0];
	const field = String(issue.path[0] ?? 'body');
	const label = labelOf.get(field) ?? (field === 'model' ? 'Model' : field);
	const index = issue.path.length > 1 ? ` (entry ${Number(issue.path[1]) + 1})` : '';
	return { field, label, message: `${label}${index} ${issue.message}` };
}
