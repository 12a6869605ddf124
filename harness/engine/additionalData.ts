/** What the engine is handed around a run and what a run leaves behind in the workflow. */
import './runtime';

import type { ExecutionLifecycleHooks } from 'n8n-core';
import {
	ApplicationError,
	type ICredentialsHelper,
	type IDataObject,
	type IWorkflowExecuteAdditionalData,
	type Workflow,
} from 'n8n-workflow';

/** The bag of services the engine receives; n8n's server builds it in WorkflowExecuteAdditionalData.getBase. */
export function buildAdditionalData(
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

/** Plain JSON copy of the workflow's (proxied, change-tracking) static data. */
export function plainStaticData(workflow: Workflow): IDataObject {
	return JSON.parse(
		JSON.stringify(workflow.staticData, (key, value: unknown) =>
			key === '__dataChanged' ? undefined : value,
		),
	) as IDataObject;
}
