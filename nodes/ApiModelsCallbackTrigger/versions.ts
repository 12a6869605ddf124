import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

/** typeVersion 1's switch for the API check; 2 names it apart, so the credential's rule can tell them. */
export const V1_VERIFY = 'verify';
export const VERIFY = 'verifyWithApi';

/** typeVersion 1 keeps its token in a parameter; 2 derives it from the credential's Callback Secret. */
export function keepsOwnToken(ctx: IHookFunctions | IWebhookFunctions): boolean {
	return ctx.getNode().typeVersion < 2;
}

/** Whether this trigger asks the API for each task, in either version's parameter. */
export function verifies(ctx: IWebhookFunctions): boolean {
	return ctx.getNodeParameter(keepsOwnToken(ctx) ? V1_VERIFY : VERIFY, true) as boolean;
}
