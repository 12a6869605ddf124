/**
 * The node as an AI tool: the description n8n gives an agent for each operation and model
 * (n8n-workflow's own getToolDescriptionForNode, the expression evaluated by n8n's expression
 * engine), and the Simplify Output option through n8n's engine.
 */
import type { INode, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import { modelCatalogue } from '../../nodes/shared/models';
import { ApiModelsVideo } from '../../nodes/ApiModelsVideo/ApiModelsVideo.node';
import { SIMPLE_FIELDS } from '../../nodes/ApiModelsVideo/resources/video/tool';
import { createTasks, errorOf, grok, nodeTypes, outputOf, runVideo, useEmulator } from '../support/fixtures';

/** The tool variant as n8n registers it: the node renamed with a `Tool` suffix (which `@tool` display options test). */
const base = new ApiModelsVideo();
const toolType: INodeType = Object.assign(new ApiModelsVideo(), { description: { ...base.description, name: 'apiModelsVideoTool' } });
const types: INodeTypes = {
	getByName: () => toolType,
	getByNameAndVersion: () => toolType,
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

/** What n8n tells an agent the tool does, for a tool node with these parameters. */
function toolDescription(parameters: INode['parameters']): string {
	const node: INode = {
		id: '1',
		name: 'Video Tool',
		type: 'n8n-nodes-apimodels.apiModelsVideoTool',
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'video', ...parameters },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: types });
	const filled = workflow.getNode(node.name) as INode;
	return NodeHelpers.getToolDescriptionForNode(filled, toolType as INodeType & IVersionedNodeType, () =>
		String(
			// As when an agent lists its tools: the parent's input, no arguments yet.
			workflow.expression.getParameterValue(filled.parameters.toolDescription as string, null, 0, 0, node.name, [{ json: {} }], 'internal', {}),
		),
	);
}

describe('the tool description an agent sees', () => {
	it.each(modelCatalogue.map((model) => [model.id, model] as const))('names %s, its price and that the task is pending', (id, model) => {
		const text = toolDescription({ operation: 'create', model: id });
		expect(text).toContain(model.displayName);
		expect(text).toContain(`(model ${id}`);
		expect(text).toContain(`$${model.priceUsd} per video`);
		expect(text).toContain('pending task');
		expect(text).toContain('Get Status');
		expect(text).not.toMatch(/workflow again/);
	});

	it('says a create with Wait for Completion returns the finished video, and the wait limit', () => {
		const text = toolDescription({ operation: 'create', model: 'veo-3.1', options: { waitForCompletion: true, timeoutMinutes: 4 } });
		expect(text).toContain('VEO 3.1');
		expect(text).toContain('at most 4 minutes');
		expect(text).not.toContain('pending task');
	});

	it('names a model outside the catalogue and says its price is unknown', () => {
		const text = toolDescription({ operation: 'create', model: 'other', customModel: 'wan-2.5' });
		expect(text).toContain('with the model wan-2.5 on');
		expect(toolDescription({ operation: 'create', model: 'other', customModel: "={{ $fromAI('model') }}" })).toContain(
			'with the model given in the call on',
		);
		expect(text).toContain('price of this model is not in');
	});

	it('says Get Status and Wait for Completion are free and read a task by its taskId', () => {
		expect(toolDescription({ operation: 'getStatus' })).toMatch(/^Reads a video task .*taskId.*Free; creates nothing\.$/);
		expect(toolDescription({ operation: 'waitForCompletion' })).toMatch(/^Waits until .*at most 10 minutes.*Free/);
	});

	it('uses a description the user wrote instead', () => {
		expect(toolDescription({ operation: 'create', model: 'grok-video-3', toolDescription: 'Make a cat video' })).toBe('Make a cat video');
	});

	it('is not shown on the workflow node', () => {
		const workflowNode = new Workflow({
			nodes: [{ id: '1', name: 'n', type: 'apiModelsVideo', typeVersion: 1, position: [0, 0], parameters: { resource: 'video' } }],
			connections: {},
			active: false,
			nodeTypes: { ...types, getByNameAndVersion: () => base } as INodeTypes,
		}).getNode('n') as INode;
		expect(workflowNode.parameters.toolDescription).toBeUndefined();
		expect(workflowNode.parameters.simplify).toBe(false);
	});
});

const emulator = useEmulator();

describe('Simplify Output', () => {
	const simple = (items: Array<{ json: object }>) => items.map((item) => Object.keys(item.json));

	it('leaves taskId, status, videoUrl and error for Create Video, Get Status and Wait for Completion', async () => {
		const created = outputOf(await runVideo(emulator(), { ...grok(), simplify: true }));
		expect(simple(created)).toEqual([[...SIMPLE_FIELDS]]);
		expect(created[0].json.status).toBe('pending');
		const [taskId] = await createTasks(emulator(), ['a [pendingMs=0][processingMs=0]']);
		for (const operation of ['getStatus', 'waitForCompletion']) {
			const items = outputOf(await runVideo(emulator(), { operation, simplify: true, options: { pollIntervalSeconds: 1 } }, [{ taskId }]));
			expect(items.map((item) => item.json)).toEqual([{ taskId, status: 'completed', videoUrl: emulator().videoUrl(taskId), error: null }]);
		}
	});

	it('keeps the error of a failed item under Continue On Fail', async () => {
		const items = outputOf(
			await runVideo(emulator(), { operation: 'getStatus', simplify: true }, [{ taskId: 'cl_gone' }], { node: { onError: 'continueRegularOutput' } }),
		);
		expect(items[0].json.taskId).toBeUndefined();
		expect(String(items[0].json.error)).toContain('cl_gone');
	});
});

/**
 * The node's execute() as the tool variant runs it (the type name ends in Tool), here through the
 * workflow engine so each failure is quick to make; the e2e suite calls it through n8n's tool path.
 */
describe('errors an agent can act on', () => {
	const asTool = { nodeTypes: { ...nodeTypes, apiModelsVideoTool: toolType }, node: { type: 'apiModelsVideoTool' } };
	const NEVER = /workflow again|run the workflow|after retrying/i;

	it('a tool answers in the simple shape by default', async () => {
		const items = outputOf(await runVideo(emulator(), grok(), [{}], asTool));
		expect(Object.keys(items[0].json)).toEqual([...SIMPLE_FIELDS]);
	});

	// Empty arguments as an agent may send them (n8n only checks required fields that are not expressions).
	const fromArgs = { prompt: '={{ $json.prompt }}' };
	it.each([
		['an input the node refuses: nothing created or charged', { ...grok(), ...fromArgs }, undefined, /^No video was created and nothing was charged: .*Prompt.*call the tool again/, 0],
		['a rejected key: tell the user, calling again will not help', grok(), 'sk_wrong', /rejected the APIModels API key.*will not help/, 0],
		['a dropped answer after the task was made: it may exist', grok(), undefined, /may exist.*Do not call this tool again/, 1],
	])('%s', async (_, parameters, apiKey, expected, created) => {
		if (created) emulator().inject('create', { kind: 'drop', afterHandling: true });
		const before = emulator().tasks().length;
		const message = errorOf(await runVideo(emulator(), parameters, [{ prompt: '' }], { ...asTool, apiKey }));
		expect(message).toMatch(expected);
		expect(message).not.toMatch(NEVER);
		expect(emulator().tasks().length - before).toBe(created);
	});

	it('an empty task id: pass the one Create Video returned', async () => {
		const message = errorOf(await runVideo(emulator(), { operation: 'getStatus', taskId: '={{ $json.taskId }}' }, [{ taskId: '' }], asTool));
		expect(message).toMatch(/Task ID is empty.*Pass the taskId that Create Video returned/);
	});
});
