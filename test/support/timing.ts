/* eslint-disable @n8n/community-nodes/no-restricted-globals -- tests run on Node, outside n8n */
/** Waiting in tests: a plain pause, and polling a condition until it holds or a deadline passes. */
export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
		await sleep(5);
	}
}
