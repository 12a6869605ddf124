import { createHash, timingSafeEqual } from 'crypto';
import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { callbackToken, TOKEN_HEADER, TOKEN_PARAMETER } from '../shared/callbackToken';
import { CREDENTIAL_TYPE } from '../shared/constants';
import { keepsOwnToken } from './versions';

/** A refusal: the answer's status and message. */
export interface TokenProblem {
	status: number;
	message: string;
}

type TriggerContext = IHookFunctions | IWebhookFunctions;

const digest = (value: string) => createHash('sha256').update(value).digest();

function securityOff(ctx: TriggerContext): boolean {
	return ctx.getNodeParameter('security', '') === 'none';
}

/**
 * How long a trigger acts on a Callback Secret it has read. Reading a credential makes n8n take an
 * expression sandbox, the dearest part of answering a forged callback; a changed secret applies
 * once this has passed, and a callback refused meanwhile is sent again by the vendor.
 */
export const SECRET_MEMORY_MS = 60_000;

/** Per credential id: the digest of the token its Callback Secret gives (empty: no secret), and until when. */
const rememberedTokens = new Map<string, { token: Buffer; until: number }>();

/** The digest of the token a callback must carry, empty when none is set; `fresh` reads the credential anew. */
async function expectedToken(ctx: TriggerContext, fresh = false): Promise<Buffer> {
	if (keepsOwnToken(ctx)) {
		const token = String(ctx.getNodeParameter('secretToken', '') ?? '');
		return token ? digest(token) : Buffer.alloc(0);
	}
	const key = ctx.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? '';
	const remembered = rememberedTokens.get(key);
	if (!fresh && remembered && remembered.until > Date.now()) return remembered.token;
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const secret = String(credentials.callbackSecret ?? '');
	const token = secret ? digest(callbackToken(secret)) : Buffer.alloc(0);
	rememberedTokens.set(key, { token, until: Date.now() + SECRET_MEMORY_MS });
	return token;
}

function missingSecret(ctx: TriggerContext): string {
	return keepsOwnToken(ctx)
		? 'This trigger has no Secret Token set'
		: 'The trigger\'s APIModels credential has no Callback Secret set';
}

/**
 * Publishing (and listening for a test event) fails while Security asks for a token none is set for.
 * It reads the credential anew: a secret set or changed since applies from then on.
 */
export async function refuseWithoutSecret(this: IHookFunctions): Promise<boolean> {
	if (securityOff(this) || (await expectedToken(this, true)).length > 0) return true;
	const fix = keepsOwnToken(this)
		? 'Set a Secret Token, or choose Security: None. Callbacks must then carry it: append ?token=YOUR_TOKEN to the Production URL you give Create Video.'
		: 'Open the APIModels credential and set a Callback Secret, or choose Security: None. Create Video, with the same credential, then adds the token to its Callback URL.';
	throw new NodeOperationError(this.getNode(), missingSecret(this), { description: fix });
}

/**
 * The token a request carries: exactly one string, in the `token` query parameter or the header.
 * Repeats and arrays (`?token=a&token=b`, `?token[]=a`) are refused rather than picked from.
 */
function givenToken(ctx: IWebhookFunctions): string | TokenProblem {
	const query = (ctx.getQueryData() as IDataObject)[TOKEN_PARAMETER];
	const header = ctx.getHeaderData()[TOKEN_HEADER];
	const present = [query, header].filter((value) => value !== undefined && value !== '');
	if (present.length === 0) return { status: 401, message: 'Missing token' };
	if (present.length > 1 || typeof present[0] !== 'string') {
		return { status: 401, message: 'The token must be one text value, in the token query parameter or the X-APIModels-Token header' };
	}
	return present[0];
}

/**
 * Checks a callback's token before anything else is read or evaluated, so a forgery costs as little
 * as n8n lets it. Compares digests in constant time, so answer timing does not reveal how much of a
 * guess was right.
 */
export async function tokenProblem(ctx: IWebhookFunctions): Promise<TokenProblem | undefined> {
	if (securityOff(ctx)) return undefined;
	const given = givenToken(ctx);
	let expected: Buffer;
	try {
		expected = await expectedToken(ctx);
	} catch {
		return { status: 401, message: 'The trigger has no APIModels credential to check the token with' };
	}
	// Never accept an empty token, whatever the request carries.
	if (expected.length === 0) return { status: 401, message: missingSecret(ctx) };
	if (typeof given !== 'string') return given;
	return timingSafeEqual(digest(given), expected) ? undefined : { status: 403, message: 'Wrong token' };
}
