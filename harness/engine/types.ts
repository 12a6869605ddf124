/** What a test hands the engine harness: the nodes of a workflow and the registry they come from. */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	INodeType,
	IVersionedNodeType,
} from 'n8n-workflow';
import type { BinaryMode } from './binaryData';

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
	/** Where n8n serves waiting executions' resume URLs (`$execution.resumeUrl`); n8n's default address otherwise. */
	webhookWaitingBaseUrl?: string;
}
