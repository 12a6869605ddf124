/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
/**
 * Runs every clock of a test file `factor` times faster, so a scenario written in the vendor's and
 * n8n's real durations (a 60 s create timeout, the vendor's 10 s per callback attempt, a 2-minute
 * wait) plays out in a fraction of the time, unchanged. The node, n8n's engine, n8n-workflow's
 * sleep and the emulator all run in the test file's context and read time through its globals:
 * `setTimeout`/`setInterval` wait `ms / factor`, `Date` counts `factor` ms per real ms, and
 * `AbortSignal.timeout` and an HTTP request's `setTimeout` (the socket timeouts of axios and of the
 * emulator's callback sender) shrink alike. Jest's own test timeouts stay real (it keeps the
 * timers it found at start-up).
 *
 * Real work (HTTP over loopback, n8n's engine) is not sped up, so it looks `factor` times longer in
 * warped time: a file picks a factor under which its slack still holds on a loaded machine.
 */
import http from 'node:http';

export function warpTime(factor: number): void {
	const real = {
		setTimeout: globalThis.setTimeout,
		setInterval: globalThis.setInterval,
		Date: globalThis.Date,
		abortTimeout: AbortSignal.timeout,
		requestTimeout: http.ClientRequest.prototype.setTimeout,
	};
	const shrink = (ms: number | undefined) => Math.max(0, Number(ms ?? 0) / factor);
	const origin = real.Date.now();
	const now = () => Math.floor(origin + (real.Date.now() - origin) * factor);

	globalThis.setTimeout = ((handler: unknown, ms?: number, ...args: unknown[]) =>
		Reflect.apply(real.setTimeout, globalThis, [handler, shrink(ms), ...args])) as typeof setTimeout;
	globalThis.setInterval = ((handler: unknown, ms?: number, ...args: unknown[]) =>
		Reflect.apply(real.setInterval, globalThis, [handler, shrink(ms), ...args])) as typeof setInterval;
	globalThis.Date = new Proxy(real.Date, {
		construct: (target, args: unknown[]) => Reflect.construct(target, args.length === 0 ? [now()] : args),
		apply: () => new real.Date(now()).toString(),
		get: (target, property, receiver) => (property === 'now' ? now : Reflect.get(target, property, receiver)),
	});
	// These two live on Node's own classes, shared by every file of this worker: put back after the file.
	AbortSignal.timeout = (ms: number) => real.abortTimeout.call(AbortSignal, shrink(ms));
	http.ClientRequest.prototype.setTimeout = function (this: http.ClientRequest, ms: number, callback?: () => void) {
		return real.requestTimeout.call(this, shrink(ms), callback);
	};

	afterAll(() => {
		globalThis.setTimeout = real.setTimeout;
		globalThis.setInterval = real.setInterval;
		globalThis.Date = real.Date;
		AbortSignal.timeout = real.abortTimeout;
		http.ClientRequest.prototype.setTimeout = real.requestTimeout;
	});
}
