/**
 * Runs workflows through n8n's real execution engine (n8n-core's WorkflowExecute,
 * RoutingNode and WebhookContext), so node tests exercise the same code paths as
 * an n8n instance: parameter resolution, credential `authenticate`, declarative
 * routing, customOperations dispatch, retryOnFail, continueOnFail/onError,
 * pairedItem bookkeeping, the BinaryDataService and execution cancellation.
 *
 * What n8n's server package (n8n-io/n8n packages/cli) normally provides around the
 * engine is rebuilt here in small form, modelled on n8n's own test harness
 * (packages/core/nodes-testing), one role a module: a node-type registry (nodeTypes),
 * a credentials helper backed by an in-memory map (credentials), the `additionalData`
 * bag the engine is handed (additionalData), the binary-data store (binaryData), and
 * the ways in: a workflow run (workflow), a webhook call (webhook, express), a credential
 * test (credentialTest) and an editor's list of options (loadOptions).
 * HTTP is never mocked: nodes talk to whatever server the test starts.
 */
export { readBinary, type BinaryMode } from './binaryData';
export { testCredential } from './credentialTest';
export { loadOptions } from './loadOptions';
export type { RecordedResponse, WebhookRequest } from './express';
export type { EngineOptions, HarnessNode } from './types';
export { runWebhook, runWebhookMethod, type WebhookOptions, type WebhookResult } from './webhook';
export { cancellableRun, runWorkflow, type RunOptions, type RunResult } from './workflow';
