/** The control API under `/__emulator/`, for clients in another process (the e2e suite, a developer with curl). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodError } from 'zod';
import { faultRequest } from './faults';
import { readJson, sendError, sendJson } from './http';
import { runtimeOptionsPatch } from './options';
import type { Emulator } from './server';

export const CONTROL_PREFIX = '/__emulator/';

function describe(error: ZodError): string {
	const issue = error.issues[0];
	return issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

export async function handleControl(emulator: Emulator, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
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
			if (!parsed.success) return sendError(res, 400, describe(parsed.error));
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
			if (!parsed.success) return sendError(res, 400, describe(parsed.error));
			return sendJson(res, 200, emulator.setOptions(parsed.data));
		}
		case 'GET tasks':
			return sendJson(res, 200, emulator.tasks());
		default:
			return sendError(res, 404, 'Unknown control endpoint');
	}
}
