/** A credential's Test button, run the way n8n's CredentialsTester runs it. */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type ICredentialsDecrypted,
	type IDataObject,
	type INode,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type IRunExecutionData,
} from 'n8n-workflow';
import { buildAdditionalData } from './additionalData';
import { HarnessCredentialsHelper } from './credentials';
import { HarnessNodeTypes } from './nodeTypes';

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
