/** The credentials the engine's nodes get: n8n's server keeps them encrypted, the harness in memory. */
import {
	ApplicationError,
	ICredentialsHelper,
	NodeHelpers,
	isExpression,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeParameters,
	type INodeProperties,
	type IRequestOptionsSimplified,
	type IWorkflowExecuteAdditionalData,
	type Workflow,
} from 'n8n-workflow';

/**
 * In-memory stand-in for the server's CredentialsHelper. `getDecrypted` fills in the
 * credential type's defaults (as n8n's applyDefaultsAndOverwrites does; credential
 * values are taken literally, not evaluated as expressions), and `authenticate`
 * applies the type's `authenticate`: a function is called, a generic one has its
 * `={{$credentials...}}` expressions resolved by the workflow's expression engine.
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
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
