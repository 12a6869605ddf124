import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';
import { ApiModelsApi } from '../../credentials/ApiModelsApi.credentials';
import { CREDENTIAL_TYPE } from './constants';
import type { ApiContext } from './transport';

/** Where requests go and the headers that authenticate them, from one read of the credential. */
export interface ApiConnection {
	baseUrl: string;
	headers: Record<string, string>;
	/** The node, for errors: n8n copies it on every getNode(). */
	node: INode;
}

const AUTHENTICATE = new ApiModelsApi().authenticate;

/**
 * Renders one value of the credential's `authenticate` block: the `{{$credentials.x}}` references
 * it is written with. Anything richer is refused, so a change there is caught by the tests, not
 * sent as literal text.
 */
function renderAuthValue(template: string, credentials: ICredentialDataDecryptedObject): string {
	if (!template.startsWith('=')) return template;
	const rendered = template
		.slice(1)
		.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, key: string) => String(credentials[key] ?? ''));
	if (rendered.includes('{{')) throw new Error(`Unsupported credential expression: ${template}`);
	return rendered;
}

/** The connection a credential describes; its headers come from the credential's own `authenticate`. */
export function connectionFrom(credentials: ICredentialDataDecryptedObject, node: INode): ApiConnection {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(AUTHENTICATE.properties.headers ?? {})) {
		headers[name] = renderAuthValue(String(value), credentials);
	}
	return { baseUrl: String(credentials.baseUrl || 'https://apimodels.app').replace(/\/+$/, ''), headers, node };
}

/**
 * One credential read per node run, keyed on the run's own context object, so it ends with the
 * run and never crosses executions or credentials. The header is rendered here rather than by
 * n8n's `httpRequestWithAuthentication`, which reads, decrypts and renders the credential again
 * for every request and so costs n8n far more CPU per request (docs/performance.md has the
 * figures), for the same request.
 */
const connections = new WeakMap<object, Promise<ApiConnection>>();

export async function apiConnection(ctx: ApiContext): Promise<ApiConnection> {
	let connection = connections.get(ctx);
	if (!connection) {
		connection = ctx.getCredentials(CREDENTIAL_TYPE).then((credentials) => connectionFrom(credentials, ctx.getNode()));
		connections.set(ctx, connection);
		// A failed read is not remembered: the next request reads again.
		connection.catch(() => connections.delete(ctx));
	}
	return await connection;
}
