import { createHash, timingSafeEqual } from 'crypto';
import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Compares in constant time, so response timing does not reveal how much of a guess was right. */
function sameSecret(given: string, expected: string): boolean {
	const digest = (value: string) => createHash('sha256').update(value).digest();
	return timingSafeEqual(digest(given), digest(expected));
}

/** The token a callback must carry; undefined when Security is None. */
function expectedToken(ctx: IHookFunctions | IWebhookFunctions): string | undefined {
	if (ctx.getNodeParameter('security', 'token') === 'none') return undefined;
	return String(ctx.getNodeParameter('secretToken', '') ?? '');
}

/** Publishing (and listening for a test event) fails while Security asks for a token none is set for. */
export async function refuseWithoutToken(this: IHookFunctions): Promise<boolean> {
	if (expectedToken(this) === '') {
		throw new NodeOperationError(this.getNode(), 'Set a Secret Token, or choose Security: None', {
			description: 'Callbacks must carry the token: append ?token=YOUR_TOKEN to the Production URL you give Create Video.',
		});
	}
	return true;
}

/** Checks the Secret Token against the callback URL's `token` query parameter or header. */
export function secretProblem(ctx: IWebhookFunctions): { status: number; message: string } | undefined {
	const expected = expectedToken(ctx);
	if (expected === undefined) return undefined;
	// Never accept an empty token, whatever the request carries.
	if (!expected) return { status: 401, message: 'This trigger has no Secret Token set' };
	const query = ctx.getQueryData() as IDataObject;
	const header = ctx.getHeaderData()['x-apimodels-token'];
	const given = String(query.token || (Array.isArray(header) ? header[0] : header) || '');
	if (!given) return { status: 401, message: 'Missing token' };
	return sameSecret(given, expected) ? undefined : { status: 403, message: 'Wrong token' };
}
