import { createHmac } from 'crypto';

/** The query parameter a callback URL carries its token in (the X-APIModels-Token header also works). */
export const TOKEN_PARAMETER = 'token';
export const TOKEN_HEADER = 'x-apimodels-token';

/**
 * The token a credential's Callback Secret gives callback URLs: an HMAC of a fixed label rather
 * than the secret itself, so a URL seen by the vendor, a proxy or a log reveals no secret, and
 * changing the secret changes the token.
 */
export function callbackToken(secret: string): string {
	return createHmac('sha256', secret).update('apimodels-callback-token').digest('base64url');
}

/**
 * A callback URL with the token added. A URL that already carries a token is left as it is: it was
 * written for a trigger that keeps its own token (typeVersion 1). So is one that is no URL, which
 * the request's validation then reports.
 */
export function signCallbackUrl(url: string, secret: string): string {
	if (!URL.canParse(url)) return url;
	const parsed = new URL(url);
	if (parsed.searchParams.has(TOKEN_PARAMETER)) return url;
	parsed.searchParams.set(TOKEN_PARAMETER, callbackToken(secret));
	return parsed.toString();
}
