/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling that drives n8n from outside */
/**
 * Runs workflows through n8n's real execution engine (n8n-core's WorkflowExecute,
 * RoutingNode and WebhookContext), so node tests exercise the same code paths as
 * an n8n instance: parameter resolution, credential `authenticate`, declarative
 * routing, customOperations dispatch, retryOnFail, continueOnFail/onError,
 * pairedItem bookkeeping, the BinaryDataService and execution cancellation.
 *
 * What n8n's server package (n8n-io/n8n packages/cli) normally provides around the
 * engine is rebuilt here in small form, modelled on n8n's own test harness
 * (packages/core/nodes-testing): a node-type registry, a credentials helper backed
 * by an in-memory map, and the `additionalData` bag the engine is handed.
 * HTTP is never mocked: nodes talk to whatever server the test starts.
 */
import 'reflect-metadata';

import { Container } from '@n8n/di';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
	BinaryDataConfig,
	BinaryDataService,
	ExecuteContext,
	ExecutionLifecycleHooks,
	RoutingNode,
	WebhookContext,
	WorkflowExecute,
} from 'n8n-core';
import {
	ApplicationError,
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	isExpression,
	type ExecutionError,
	type ExecutionStatus,
	type IBinaryData,
	type IConnections,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialTestResult,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRequestOptionsSimplified,
	type IRunData,
	type IRunExecutionData,
	type IVersionedNodeType,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

// ---------------------------------------------------------------------------
// Process-wide runtime
// ---------------------------------------------------------------------------

// n8n-core's InstanceSettings (read by every node context) creates `<N8N_USER_FOLDER>/.n8n`
// with a generated encryption key, and the filesystem binary store lives below it.
// Point it at a throwaway folder so tests never touch ~/.n8n. The variables are read
// lazily, when the DI container first builds those services, so setting them here is early
// enough even if n8n-core was imported first.
const userFolder = mkdtempSync(path.join(tmpdir(), 'n8n-harness-'));
process.env.N8N_USER_FOLDER = userFolder;
const removeUserFolder = () => rmSync(userFolder, { recursive: true, force: true });
// Jest workers outlive a test file and never emit 'exit' for it; plain scripts (benchmarks) do.
if (typeof afterAll === 'function') afterAll(removeUserFolder);
else process.once('exit', removeUserFolder);
// n8n logs every node error with its stack (ErrorReporter -> Logger); tests assert on the
// returned errors instead. Set N8N_LOG_LEVEL=debug to see the engine's log while debugging.
process.env.N8N_LOG_LEVEL ??= 'silent';

/**
 * Selects the binary-data mode the way n8n's start-up does (config, then
 * `BinaryDataService.init()`): 'default' keeps binary data base64-encoded inside
 * the items, 'filesystem' streams it into files under the user folder and leaves only
 * an id in the item. `init()` always registers the filesystem manager, so items
 * stored by an earlier run stay readable after switching modes.
 */
async function initBinaryData(mode: BinaryMode): Promise<void> {
	Container.get(BinaryDataConfig).mode = mode;
	await Container.get(BinaryDataService).init();
}

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

export type BinaryMode = 'default' | 'filesystem';

export interface HarnessNode {
	name: string;
	type: string;
	typeVersion?: number;
	parameters: Record<string, unknown>;
	/** Defaults to every credential type the node declares that `RunOptions.credentials` has. */
	credentials?: Record<string, { id: string; name: string }>;
	continueOnFail?: boolean;
	onError?: 'continueRegularOutput' | 'continueErrorOutput' | 'stopWorkflow';
	retryOnFail?: boolean;
	/** n8n clamps this to 2..5 (default 3). */
	maxTries?: number;
	/** Milliseconds, n8n clamps to 0..5000; note n8n treats 0 as "unset" and waits 1000. */
	waitBetweenTries?: number;
	position?: [number, number];
	disabled?: boolean;
	alwaysOutputData?: boolean;
	executeOnce?: boolean;
	webhookId?: string;
}

export interface EngineOptions {
	/** Keyed by the type names used in `HarnessNode.type`. */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	credentialTypes?: ICredentialType[];
	/** Decrypted credential data keyed by credential type name. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	binaryMode?: BinaryMode;
	/** Workflow static data (as returned by an earlier run) to start from. */
	staticData?: IDataObject;
	executionId?: string;
}

export interface RunOptions extends EngineOptions {
	nodes: HarnessNode[];
	/** Defaults to chaining `nodes` in order (main output 0 -> input 0). */
	connections?: IConnections;
	/** Items the built-in start node emits into the first node; binary is stored via the BinaryDataService. */
	input?: INodeExecutionData[] | IDataObject[];
	/** Aborting cancels the execution like n8n's "stop execution". */
	abortSignal?: AbortSignal;
}

export interface RunResult {
	runData: IRunData;
	/** Items a node emitted; throws if the node has no such run (the message carries the execution error). */
	output(nodeName: string, runIndex?: number, outputIndex?: number): INodeExecutionData[];
	error?: ExecutionError;
	status: ExecutionStatus;
	executionId: string;
	/** Workflow static data after the run, plain JSON, to feed into a later run. */
	staticData: IDataObject;
}

export interface WebhookRequest {
	method?: string;
	headers?: Record<string, string>;
	query?: Record<string, string>;
	params?: Record<string, string>;
	/** An object is sent as JSON; a string or Buffer is taken as the raw body (and parsed if it is JSON). */
	body?: unknown;
}

export interface WebhookOptions extends EngineOptions {
	node: HarnessNode;
	request: WebhookRequest;
	/** Which of the node's `description.webhooks` to call; defaults to 'default'. */
	webhookName?: string;
}

export interface RecordedResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: unknown;
	/** True once the node called send/json/end. */
	ended: boolean;
}

export interface WebhookResult extends IWebhookResponseData {
	/** What the node wrote to the express Response it got from `getResponseObject()`. */
	response: RecordedResponse;
	staticData: IDataObject;
}

// ---------------------------------------------------------------------------
// Node types
// ---------------------------------------------------------------------------

const START_NODE_TYPE = 'harness.manualTrigger';
const START_NODE_NAME = 'Manual Trigger';

/**
 * Start node standing in for n8n's Manual Trigger. It emits the run's input items,
 * re-storing any binary data through the BinaryDataService so that in filesystem
 * mode the next node receives ids, exactly as after a real trigger.
 */
function startNodeType(input: INodeExecutionData[]): INodeType {
	return {
		description: {
			displayName: 'Manual Trigger',
			name: START_NODE_TYPE,
			group: ['trigger'],
			version: 1,
			description: 'Emits the harness input',
			defaults: { name: START_NODE_NAME },
			inputs: [],
			outputs: ['main'],
			properties: [],
		},
		async execute(this: IExecuteFunctions) {
			const items: INodeExecutionData[] = [];
			for (const item of input) {
				const binary: Record<string, IBinaryData> = {};
				for (const [key, data] of Object.entries(item.binary ?? {})) {
					binary[key] = data.id
						? data
						: await this.helpers.prepareBinaryData(
								Buffer.from(data.data, 'base64'),
								data.fileName,
								data.mimeType,
							);
				}
				items.push({ ...item, ...(item.binary && { binary }) });
			}
			return [items];
		},
	};
}

/**
 * Same rule as n8n's server (packages/cli `shouldAssignExecuteMethod`): a declarative
 * node gets an `execute` that runs RoutingNode with the real ExecuteContext. Going
 * through `execute` (rather than WorkflowExecute's test-only fallback) is what gives
 * routing requests the execution's cancel signal.
 */
function isDeclarative(nodeType: INodeType): boolean {
	const declarative = nodeType.description.requestDefaults !== undefined;
	return (
		!nodeType.execute &&
		!nodeType.supplyData &&
		!nodeType.poll &&
		!nodeType.trigger &&
		(!nodeType.webhook || declarative) &&
		(!nodeType.methods || declarative)
	);
}

class HarnessNodeTypes implements INodeTypes {
	// Wrappers are cached so the engine sees one stable object per node type, and the
	// caller's node instances are never mutated.
	private readonly routed = new WeakMap<INodeType, INodeType>();

	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(type: string): INodeType | IVersionedNodeType {
		const nodeType = this.types[type];
		if (!nodeType) throw new ApplicationError(`Unknown node type "${type}" (pass it in nodeTypes)`);
		return nodeType;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		const nodeType = NodeHelpers.getVersionedNodeType(this.getByName(type), version);
		if (!isDeclarative(nodeType)) return nodeType;
		let wrapped = this.routed.get(nodeType);
		if (!wrapped) {
			wrapped = Object.create(nodeType, {
				execute: {
					value: async function (this: ExecuteContext) {
						return (await new RoutingNode(this, nodeType).runNode()) ?? [];
					},
				},
			}) as INodeType;
			this.routed.set(nodeType, wrapped);
		}
		return wrapped;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

// ---------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------

/**
 * In-memory stand-in for the server's CredentialsHelper. `getDecrypted` fills in the
 * credential type's defaults (as n8n's applyDefaultsAndOverwrites does; credential
 * values are taken literally, not evaluated as expressions), and `authenticate`
 * applies the type's `authenticate`: a function is called, a generic one has its
 * `={{$credentials...}}` expressions resolved by the workflow's expression engine.
 */
class HarnessCredentialsHelper extends ICredentialsHelper {
	private readonly types: Map<string, ICredentialType>;

	constructor(
		types: ICredentialType[],
		private readonly data: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
		this.types = new Map(types.map((type) => [type.name, type]));
	}

	private getType(name: string): ICredentialType {
		const type = this.types.get(name);
		if (!type) throw new ApplicationError(`Unknown credential type "${name}" (pass it in credentialTypes)`);
		return type;
	}

	getParentTypes(name: string): string[] {
		return this.getType(name).extends ?? [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.getType(type).properties;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) {
			throw new ApplicationError(
				`Credential "${nodeCredentials.name}" of type "${type}" not found (pass it in credentials)`,
			);
		}
		return this.withDefaults(type, data);
	}

	withDefaults(type: string, data: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
		const { properties } = this.getType(type);
		return {
			...data,
			...NodeHelpers.getNodeParameters(properties, data as INodeParameters, true, false, null, null),
		} as ICredentialDataDecryptedObject;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.getType(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate?.type === 'generic') {
			if (!workflow || !node) throw new ApplicationError('Generic authentication needs workflow and node');
			const resolve = (value: string) =>
				isExpression(value)
					? String(
							workflow.expression.getSimpleParameterValue(node, value, 'internal', {
								$credentials: credentials,
							}) ?? '',
						)
					: value;
			const target = requestOptions as unknown as Record<string, Record<string, string>>;
			for (const [section, entries] of Object.entries(authenticate.properties)) {
				target[section] ??= {};
				for (const [key, value] of Object.entries(entries as Record<string, string>)) {
					target[section][resolve(key)] = resolve(value);
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	// Only credentials with an expirable token (OAuth-like) use pre-authentication.
	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new ApplicationError('Stored (encrypted) credentials are not available in the harness');
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}
}

// ---------------------------------------------------------------------------
// Engine plumbing
// ---------------------------------------------------------------------------

let executionCounter = 0;

/** The bag of services the engine receives; n8n's server builds it in WorkflowExecuteAdditionalData.getBase. */
function buildAdditionalData(
	credentialsHelper: ICredentialsHelper,
	hooks: ExecutionLifecycleHooks | undefined,
	executionId: string | undefined,
	extra: Partial<IWorkflowExecuteAdditionalData> = {},
): IWorkflowExecuteAdditionalData {
	const baseUrl = 'http://localhost:5678';
	return {
		credentialsHelper,
		hooks,
		executionId,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${baseUrl}/rest`,
		instanceBaseUrl: baseUrl,
		formBaseUrl: `${baseUrl}/form`,
		formWaitingBaseUrl: `${baseUrl}/form-waiting`,
		formTestBaseUrl: `${baseUrl}/form-test`,
		webhookBaseUrl: `${baseUrl}/webhook`,
		webhookWaitingBaseUrl: `${baseUrl}/webhook-waiting`,
		webhookTestBaseUrl: `${baseUrl}/webhook-test`,
		mcpBaseUrl: `${baseUrl}/mcp`,
		mcpTestBaseUrl: `${baseUrl}/mcp-test`,
		variables: {},
		executeWorkflow: async () => {
			throw new ApplicationError('Sub-workflows are not supported by the harness');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		...extra,
	} as IWorkflowExecuteAdditionalData;
}

function toINode(node: HarnessNode, index: number, opts: EngineOptions, nodeTypes: INodeTypes): INode {
	const { position, typeVersion, credentials, ...rest } = node;
	const nodeType = NodeHelpers.getVersionedNodeType(nodeTypes.getByName(node.type), typeVersion);
	const declared = (nodeType.description.credentials ?? [])
		.map(({ name }) => name)
		.filter((name) => opts.credentials?.[name] !== undefined);
	return {
		...rest,
		id: `node-${index}`,
		typeVersion: typeVersion ?? latestVersion(nodeType),
		position: position ?? [index * 220, 0],
		parameters: node.parameters as INodeParameters,
		credentials:
			credentials ?? Object.fromEntries(declared.map((name) => [name, { id: name, name }])),
	};
}

function latestVersion(nodeType: INodeType): number {
	const { version } = nodeType.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

function chain(names: string[]): IConnections {
	const connections: IConnections = {};
	for (let i = 0; i < names.length - 1; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

function toItems(input: INodeExecutionData[] | IDataObject[] | undefined): INodeExecutionData[] {
	if (!input) return [{ json: {} }];
	return input.map((item) =>
		typeof item.json === 'object' && item.json !== null
			? (item as INodeExecutionData)
			: { json: item as IDataObject },
	);
}

/** Plain JSON copy of the workflow's (proxied, change-tracking) static data. */
function plainStaticData(workflow: Workflow): IDataObject {
	return JSON.parse(
		JSON.stringify(workflow.staticData, (key, value: unknown) =>
			key === '__dataChanged' ? undefined : value,
		),
	) as IDataObject;
}

// ---------------------------------------------------------------------------
// Running workflows
// ---------------------------------------------------------------------------

/**
 * Runs `nodes` with `new WorkflowExecute(additionalData, 'manual').run(...)`, the
 * same call n8n makes for a manual execution. A start node is prepended unless one
 * of the nodes is a trigger.
 */
export async function runWorkflow(opts: RunOptions): Promise<RunResult> {
	await initBinaryData(opts.binaryMode ?? 'default');

	const executionId = opts.executionId ?? `harness-${++executionCounter}`;
	const nodeTypes = new HarnessNodeTypes({
		...opts.nodeTypes,
		[START_NODE_TYPE]: startNodeType(toItems(opts.input)),
	});
	const nodes = opts.nodes.map((node, index) => toINode(node, index + 1, opts, nodeTypes));

	const hasTrigger = nodes.some((node) => {
		const { description } = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		return description.group.includes('trigger');
	});
	if (hasTrigger && opts.input) {
		throw new ApplicationError('`input` needs the built-in start node; leave trigger nodes out');
	}
	if (!hasTrigger) {
		nodes.unshift({
			id: 'node-0',
			name: START_NODE_NAME,
			type: START_NODE_TYPE,
			typeVersion: 1,
			position: [-220, 0],
			parameters: {},
		});
	}
	const connections = { ...(opts.connections ?? chain(opts.nodes.map((node) => node.name))) };
	if (!hasTrigger && opts.nodes.length > 0) {
		connections[START_NODE_NAME] ??= {
			main: [[{ node: opts.nodes[0].name, type: 'main', index: 0 }]],
		};
	}

	const workflowData: IWorkflowBase = {
		id: 'harness-workflow',
		name: 'Harness workflow',
		active: false,
		isArchived: false,
		activeVersionId: null,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		staticData: opts.staticData,
		createdAt: new Date(),
		updatedAt: new Date(),
	};
	const workflow = new Workflow({ ...workflowData, nodeTypes });

	const credentialsHelper = new HarnessCredentialsHelper(
		opts.credentialTypes ?? [],
		opts.credentials ?? {},
	);
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
	const additionalData = buildAdditionalData(credentialsHelper, hooks, executionId, {
		workflowId: workflow.id,
	});

	const execution = new WorkflowExecute(additionalData, 'manual').run({
		workflow,
		startNode: nodes[0],
	});
	// Cancelling the PCancelable is n8n's "stop execution": it aborts the signal nodes
	// see through getExecutionCancelSignal(), and the promise still resolves with
	// status 'canceled' once the running node returns.
	const cancel = () => execution.cancel();
	if (opts.abortSignal?.aborted) cancel();
	opts.abortSignal?.addEventListener('abort', cancel, { once: true });

	try {
		const run = await execution;
		const { runData, error } = run.data.resultData;
		return {
			runData,
			error,
			status: run.status,
			executionId,
			staticData: plainStaticData(workflow),
			output(nodeName, runIndex = 0, outputIndex = 0) {
				const task = runData[nodeName]?.[runIndex];
				if (!task) {
					const why = error ? `: ${error.message}` : '';
					throw new ApplicationError(
						`Node "${nodeName}" has no run ${runIndex} (status ${run.status}${why})`,
					);
				}
				return task.data?.main?.[outputIndex] ?? [];
			},
		};
	} finally {
		opts.abortSignal?.removeEventListener('abort', cancel);
	}
}

/** `runWorkflow` plus a handle to stop the execution while it runs. */
export function cancellableRun(opts: Omit<RunOptions, 'abortSignal'>): {
	promise: Promise<RunResult>;
	cancel(): void;
} {
	const controller = new AbortController();
	return {
		promise: runWorkflow({ ...opts, abortSignal: controller.signal }),
		cancel: () => controller.abort(),
	};
}

/** Bytes of a binary property, whether kept inline or in the filesystem store. */
export async function readBinary(item: INodeExecutionData, property = 'data'): Promise<Buffer> {
	const binary = item.binary?.[property];
	if (!binary) throw new ApplicationError(`Item has no binary property "${property}"`);
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}

// ---------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------

/** Just enough of an express Response to record what a webhook node answers. */
function recordingResponse(recorded: RecordedResponse) {
	const res = {
		status(code: number) {
			recorded.statusCode = code;
			return res;
		},
		setHeader(name: string, value: string) {
			recorded.headers[name.toLowerCase()] = value;
			return res;
		},
		set(name: string, value: string) {
			return res.setHeader(name, value);
		},
		header(name: string, value: string) {
			return res.setHeader(name, value);
		},
		json(body: unknown) {
			res.setHeader('content-type', 'application/json');
			return res.send(body);
		},
		send(body?: unknown) {
			recorded.body = body;
			recorded.ended = true;
			return res;
		},
		end(body?: unknown) {
			return res.send(body);
		},
		get headersSent() {
			return recorded.ended;
		},
	};
	return res;
}

/**
 * Express-like request as n8n's webhook server hands it over: lower-cased headers,
 * a parsed `body` and the exact bytes in `rawBody` (for signature checks).
 */
function fakeRequest(request: WebhookRequest) {
	const headers = Object.fromEntries(
		Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
	);
	let { body } = request;
	let rawBody: Buffer;
	if (typeof body === 'string' || Buffer.isBuffer(body)) {
		rawBody = Buffer.from(body);
		try {
			body = JSON.parse(rawBody.toString('utf8'));
		} catch {
			body = rawBody.toString('utf8');
		}
	} else {
		rawBody = Buffer.from(body === undefined ? '' : JSON.stringify(body));
		if (body !== undefined) headers['content-type'] ??= 'application/json';
	}
	return {
		method: (request.method ?? 'POST').toUpperCase(),
		headers,
		query: request.query ?? {},
		params: request.params ?? {},
		body: body ?? {},
		rawBody,
		header: (name: string) => headers[name.toLowerCase()],
		get: (name: string) => headers[name.toLowerCase()],
	};
}

/**
 * Calls a trigger node's `webhook()` the way n8n's WebhookService does: through
 * n8n-core's WebhookContext in 'webhook' mode, with the request and response in
 * additionalData. Returns the node's answer (`workflowData`, `noWebhookResponse`,
 * ...) plus what it wrote to the response and the resulting static data.
 */
export async function runWebhook(opts: WebhookOptions): Promise<WebhookResult> {
	await initBinaryData(opts.binaryMode ?? 'default');

	const nodeTypes = new HarnessNodeTypes(opts.nodeTypes);
	const node = toINode(opts.node, 0, opts, nodeTypes);
	node.webhookId ??= 'harness-webhook';
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	if (!nodeType.webhook) throw new ApplicationError(`Node type "${node.type}" has no webhook method`);

	const webhookName = opts.webhookName ?? 'default';
	const webhookDescription = nodeType.description.webhooks?.find(
		(webhook) => webhook.name === webhookName,
	);
	if (!webhookDescription) {
		throw new ApplicationError(`Node type "${node.type}" has no "${webhookName}" webhook`);
	}

	const workflow = new Workflow({
		id: 'harness-workflow',
		name: 'Harness workflow',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
		staticData: opts.staticData,
		settings: { executionOrder: 'v1' },
	});

	const response: RecordedResponse = { statusCode: 200, headers: {}, body: undefined, ended: false };
	const additionalData = buildAdditionalData(
		new HarnessCredentialsHelper(opts.credentialTypes ?? [], opts.credentials ?? {}),
		undefined,
		opts.executionId,
		{
			workflowId: workflow.id,
			httpRequest: fakeRequest(opts.request) as unknown as IWorkflowExecuteAdditionalData['httpRequest'],
			httpResponse: recordingResponse(response) as unknown as IWorkflowExecuteAdditionalData['httpResponse'],
		},
	);
	const webhookData: IWebhookData = {
		httpMethod: (opts.request.method ?? 'POST').toUpperCase() as IWebhookData['httpMethod'],
		node: node.name,
		path: node.webhookId,
		webhookDescription,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
	};

	const closeFunctions: Array<() => Promise<void>> = [];
	const context = new WebhookContext(
		workflow,
		node,
		additionalData,
		'webhook',
		webhookData,
		closeFunctions,
		null,
	);
	try {
		const result = await nodeType.webhook.call(context);
		return { ...result, response, staticData: plainStaticData(workflow) };
	} finally {
		await Promise.allSettled(closeFunctions.map(async (close) => await close()));
	}
}

// ---------------------------------------------------------------------------
// Credential test
// ---------------------------------------------------------------------------

/**
 * Runs a credential type's declarative `test` request like n8n's CredentialsTester:
 * a throwaway node whose only property routes `test.request`, executed by
 * RoutingNode with the given (decrypted) credential data. Non-2xx answers and
 * `test.rules` turn into status 'Error'.
 */
export async function testCredential(opts: {
	credentialType: ICredentialType;
	data: ICredentialDataDecryptedObject;
}): Promise<INodeCredentialTestResult> {
	const { credentialType } = opts;
	const test = credentialType.test;
	if (!test) return { status: 'Error', message: 'No testing function found for this credential.' };

	const credentialsHelper = new HarnessCredentialsHelper([credentialType], {});
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: 'harness-credential',
		name: credentialType.displayName,
		type: credentialType.name,
		data: credentialsHelper.withDefaults(credentialType.name, opts.data),
	};
	const testNodeType: INodeType = {
		description: {
			displayName: 'Credential test',
			name: 'harness.credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: [],
			outputs: [],
			credentials: [{ name: credentialType.name, required: true }],
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: test.request } },
			],
		},
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: testNodeType.description.name,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialType.name]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new HarnessNodeTypes({ [node.type]: testNodeType }),
	});
	const runExecutionData: IRunExecutionData = { resultData: { runData: {} } } as IRunExecutionData;
	const context = new ExecuteContext(
		workflow,
		node,
		buildAdditionalData(credentialsHelper, undefined, undefined),
		'internal',
		runExecutionData,
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);

	let response: INodeExecutionData[][] | undefined;
	try {
		response = await new RoutingNode(context, testNodeType, credentialsDecrypted).runNode();
	} catch (error) {
		// Same mapping as n8n's CredentialsTester: HTTP status first, then network error code.
		const failed = error.cause?.response as { status: number; statusText?: string } | undefined;
		if (failed) {
			const rule = test.rules?.find(
				(r) => r.type === 'responseCode' && r.properties.value === failed.status,
			);
			if (rule) return { status: 'Error', message: rule.properties.message };
			return {
				status: 'Error',
				message: failed.statusText || `Received HTTP status code: ${failed.status}`,
			};
		}
		return { status: 'Error', message: error.cause?.code ?? error.message };
	}
	for (const rule of test.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const json = response?.[0]?.[0]?.json ?? {};
		const value = rule.properties.key.split('.').reduce<unknown>(
			(acc, key) => (acc as IDataObject | undefined)?.[key],
			json,
		);
		if (value === rule.properties.value) return { status: 'Error', message: rule.properties.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
