/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the API emulator, a Node server, not n8n code */
/** The control API under `/__emulator/`, for clients in another process (the e2e suite, a developer with curl). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { faultRequest } from './faults';
import { readJson, sendError, sendJson } from './http';
import { firstIssue, runtimeOptionsPatch } from './options';
import type { Emulator } from './server';

export const CONTROL_PREFIX = '/__emulator/';

export async function handleControl(
	emulator: Emulator,
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
): Promise<void> {
	switch (`${req.method} ${url.pathname.slice(CONTROL_PREFIX.length)}`) {
		case 'GET stats':
			return sendJson(res, 200, emulator.stats());
		case 'DELETE stats':
			emulator.resetStats();
			return sendJson(res, 200, emulator.stats());
		case 'POST reset':
			emulator.reset();
			return sendJson(res, 200, { options: emulator.options() });
		case 'GET faults':
			return sendJson(res, 200, emulator.pendingFaults());
		case 'POST faults': {
			const parsed = faultRequest.safeParse((await readJson(req)) ?? {});
			if (!parsed.success) return sendError(res, 400, firstIssue(parsed.error));
			emulator.inject(parsed.data.route, parsed.data.fault, parsed.data.count);
			return sendJson(res, 200, emulator.pendingFaults());
		}
		case 'DELETE faults':
			emulator.clearFaults();
			return sendJson(res, 200, emulator.pendingFaults());
		case 'GET options':
			return sendJson(res, 200, emulator.options());
		case 'POST options': {
			const parsed = runtimeOptionsPatch.safeParse((await readJson(req)) ?? {});
			if (!parsed.success) return sendError(res, 400, firstIssue(parsed.error));
			return sendJson(res, 200, emulator.setOptions(parsed.data));
		}
		case 'GET tasks':
			return sendJson(res, 200, emulator.tasks());
		default:
			return sendError(res, 404, 'Unknown control endpoint');
	}
}
