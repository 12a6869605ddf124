import { createHash, timingSafeEqual } from 'crypto';
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

/** Compares in constant time, so response timing does not reveal how much of a guess was right. */
function sameSecret(given: string, expected: string): boolean {
	const digest = (value: string) => createHash('sha256').update(value).digest();
	return timingSafeEqual(digest(given), digest(expected));
}

/** Checks the Secret Token against the callback URL's `token` query parameter or header. */
export function secretProblem(ctx: IWebhookFunctions): { status: number; message: string } | undefined {
	const expected = String(ctx.getNodeParameter('secretToken', '') ?? '');
	if (!expected) return undefined;
	const query = ctx.getQueryData() as IDataObject;
	const header = ctx.getHeaderData()['x-apimodels-token'];
	const given = String(query.token || (Array.isArray(header) ? header[0] : header) || '');
	if (!given) return { status: 401, message: 'Missing token' };
	return sameSecret(given, expected) ? undefined : { status: 403, message: 'Wrong token' };
}
