/**
 * What an AI agent sees of the node. n8n registers a tool variant of every `usableAsTool`
 * node (here `apiModelsVideoTool`); the AI Agent and the MCP Server Trigger call its
 * `execute()` once per tool call, with the agent's arguments as the only input item.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { VideoModel } from '../../../shared/models';
import { modelCatalogue } from '../../../shared/models';
import { raisedBeforeCreating } from '../../../shared/errors';
import { ON_N8N_1 } from '../../../shared/n8nRuntime';

/** True when n8n runs the tool variant (an agent or MCP client called it). */
export function isToolCall(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

const SITE = 'apimodels.app';
const DEFAULT_TIMEOUT_MINUTES = 10;

function priceOf(model: VideoModel): string {
	return `${model.priceIsMinimum ? 'from ' : ''}$${model.priceUsd} per video`;
}

/** The first sentences of a Create Video tool: which model, what it makes, what a call costs. */
function createSummary(model: VideoModel): string {
	return (
		`Generates one video with ${model.displayName} (model ${model.id}) on ${SITE}: ${model.description}. ` +
		`Every call creates a new task and costs ${priceOf(model)}, charged to the APIModels account.`
	);
}

/** For a model outside the catalogue the node knows no price. */
const OTHER_SUMMARY =
	`Generates one video with {model} on ${SITE}. Every call creates a new, paid task ` +
	"(the price of this model is not in the node's catalogue).";

const PENDING_RESULT =
	' Returns at once with a pending task (taskId, status "pending"), not the video: get the result ' +
	'by calling the Get Status tool of this APIModels node with that taskId every few seconds until ' +
	'status is "completed" (videoUrl) or "failed" (error), or with its Wait for Completion tool; a ' +
	'workflow with the APIModels Callback Trigger can also receive the result by callback. Never call ' +
	'this tool again to check on or retry a task you already have: that pays for another video.';

const WAITED_RESULT =
	' Waits until the video has finished (at most {minutes} minutes) and returns the task: status ' +
	'"completed" with videoUrl, or "failed" with error. If the wait times out the task keeps ' +
	'running: read it later with Get Status instead of creating it again.';

const GET_STATUS_SUMMARY =
	`Reads a video task on ${SITE} by the taskId that Create Video returned: status "pending" or ` +
	'"processing" (still running: call again in a few seconds), "completed" with videoUrl, or ' +
	'"failed" with error. Free; creates nothing.';

const WAIT_SUMMARY =
	`Waits until a video task on ${SITE} has finished, given the taskId that Create Video returned, ` +
	'and returns it: status "completed" with videoUrl, or "failed" with error. Takes as long as the ' +
	'video (at most {minutes} minutes). Free; creates nothing.';

const minutes = `String(($parameter.options || {}).timeoutMinutes || ${DEFAULT_TIMEOUT_MINUTES})`;
const text = (value: string) => JSON.stringify(value);

/**
 * The expression behind the default description. n8n's own default is the operation's action
 * ("Create a video in APIModels Video"), the same for every model; n8n evaluates a description
 * that is an expression, so this one picks the model's sentences from the catalogue.
 */
const TOOL_DESCRIPTION_EXPRESSION = [
	`$parameter.operation === "getStatus" ? ${text(GET_STATUS_SUMMARY)}`,
	`: $parameter.operation === "waitForCompletion" ? ${text(WAIT_SUMMARY)}.replace("{minutes}", ${minutes})`,
	`: (${JSON.stringify(Object.fromEntries(modelCatalogue.map((model) => [model.id, createSummary(model)])))}[$parameter.model]`,
	// A model given by $fromAI has no value until the agent calls.
	`|| ${text(OTHER_SUMMARY)}.replace("{model}", $parameter.customModel ? "the model " + $parameter.customModel : "the model given in the call"))`,
	`+ (($parameter.options || {}).waitForCompletion ? ${text(WAITED_RESULT)}.replace("{minutes}", ${minutes}) : ${text(PENDING_RESULT)})`,
].join(' ');

/**
 * Shown only in the tool variant. Because the node declares `toolDescription`, n8n adds no
 * "Tool Description" field of its own, and uses this value (evaluated) as the tool's description.
 */
const evaluatedToolDescription: INodeProperties = {
	displayName: 'Tool Description',
	name: 'toolDescription',
	type: 'string',
	typeOptions: { rows: 4 },
	default: `={{ ${TOOL_DESCRIPTION_EXPRESSION} }}`,
	displayOptions: { show: { '@tool': [true] } },
	description:
		'What the AI agent is told this tool does. The default names the model, its price and how to get the result; replace it with your own text to say more.',
};

/**
 * n8n 1.x hands the agent this value unevaluated, so there the default stays empty and n8n falls
 * back to the operation's action ("Create video in APIModels Video").
 */
export const toolDescriptionProperty: INodeProperties = ON_N8N_1
	? {
			...evaluatedToolDescription,
			default: '',
			description:
				"What the AI agent is told this tool does. Empty, n8n 1.x tells it the operation's name: write the model, its price and how to get the result here (n8n 2.x writes them by default).",
		}
	: evaluatedToolDescription;

const simplifyDescription = 'Whether to output only taskId, status, videoUrl and error instead of the whole task';

/** On for the tool variant, where every field costs the agent tokens; off in workflows. */
export const simplifyProperties: INodeProperties[] = [
	{
		displayName: 'Simplify Output',
		name: 'simplify',
		type: 'boolean',
		default: false,
		displayOptions: { show: { '@tool': [false] } },
		description: simplifyDescription,
	},
	{
		displayName: 'Simplify Output',
		name: 'simplify',
		type: 'boolean',
		default: true,
		displayOptions: { show: { '@tool': [true] } },
		description: simplifyDescription,
	},
];

export const SIMPLE_FIELDS = ['taskId', 'status', 'videoUrl', 'error'] as const;

/** Items that carry a task keep only the simple fields (and their binary video); others stay as they are. */
export function simplifyOutput(ctx: IExecuteFunctions, output: INodeExecutionData[][]): INodeExecutionData[][] {
	return output.map((items) =>
		items.map((item, index) => {
			const paired = item.pairedItem;
			const itemIndex = typeof paired === 'object' && !Array.isArray(paired) ? paired.item : index;
			if (!('taskId' in item.json) || !ctx.getNodeParameter('simplify', itemIndex, false)) return item;
			const json: IDataObject = {};
			for (const field of SIMPLE_FIELDS) json[field] = item.json[field] ?? null;
			return { ...item, json };
		}),
	);
}

type Operation = 'create' | 'getStatus' | 'waitForCompletion';

function statusOf(error: unknown): number | undefined {
	if (!(error instanceof NodeApiError)) return undefined;
	const status = Number(error.httpCode);
	return Number.isFinite(status) ? status : undefined;
}

function apiSaid(error: Error & { description?: string | null }): string {
	return error.description ? ` (${error.description})` : '';
}

/** A redirect or a rejected key: only the user's credential can fix either. */
function credentialAdvice(error: Error, status: number | undefined): string | undefined {
	if (status === 401 || status === 403) {
		return 'the API rejected the APIModels API key. Tell the user to check the APIModels credential in n8n; calling again will not help.';
	}
	if (status !== undefined && status >= 300 && status < 400) {
		return `${error.message}. Tell the user to check the Base URL of the APIModels credential in n8n; calling again will not help.`;
	}
	return undefined;
}

/** What an agent should do after a create failed, by whether a request went out and how it ended. */
function createAdvice(error: Error & { description?: string | null }, sent: boolean): string {
	const status = statusOf(error);
	const credential = credentialAdvice(error, status);
	if (credential) return `No video was created: ${credential}`;
	if (!sent) return `No video was created and nothing was charged: ${error.message}. Fix the arguments and call the tool again.`;
	if (status === 402) {
		return 'No video was created: the APIModels account has no credits left. Calls will keep failing until the balance is topped up, so tell the user instead of calling again.';
	}
	if (status === 429) return 'No video was created: the API is limiting the request rate. Wait a minute before calling again.';
	if (status !== undefined && status >= 400 && status < 500) {
		return `No video was created: the API refused the request${apiSaid(error)}. Change the arguments before calling again.`;
	}
	// The node's own message may suggest trying again, which here could pay twice: only the cause is kept.
	const cause = status !== undefined ? `the API answered with status ${status}` : (error.description ?? error.message);
	return (
		'The create request may have reached the API, so a video task may exist and be charged, but its taskId is unknown. ' +
		'Do not call this tool again for the same video without asking the user: that could pay twice. ' +
		`The user can look the task up in the APIModels dashboard. Cause: ${cause}.`
	);
}

/** What an agent should do after reading a task failed: the task itself is never affected. */
function readAdvice(error: Error & { description?: string | null }): string {
	const status = statusOf(error);
	if (status === 404) {
		return `${error.message}. Check that the taskId is one that Create Video returned; do not create a new video unless the user asks.`;
	}
	const credential = credentialAdvice(error, status);
	if (credential) return credential.charAt(0).toUpperCase() + credential.slice(1);
	if (!(error instanceof NodeApiError)) return `${error.message}${apiSaid(error)}. Pass the taskId that Create Video returned.`;
	return `The task could not be read just now: ${error.message}${apiSaid(error)}. The task itself is not affected: call this tool again in a minute.`;
}

/**
 * Each tool call is a new video. The create ledger (Retry On Fail's memory) keys tasks by run and
 * execution, but n8n runs every call of an MCP client as run 0 with no execution id, so a second
 * call with the same prompt would get the first call's task back instead of a new video.
 */
export function startToolCall(ctx: IExecuteFunctions): void {
	delete ctx.getWorkflowStaticData('node').createdTasks;
}

/**
 * An error rephrased for the agent that made the call: what happened to the video, and what to
 * do next (never "run the workflow", which an agent cannot do).
 */
export function agentError(ctx: IExecuteFunctions, operation: Operation, error: unknown): NodeOperationError {
	const cause = error instanceof Error ? error : new Error(String(error));
	const message = operation === 'create' ? createAdvice(cause, !raisedBeforeCreating(error)) : readAdvice(cause);
	return new NodeOperationError(ctx.getNode(), message, {
		itemIndex: 0,
		description: (cause as { description?: string }).description ?? undefined,
	});
}
