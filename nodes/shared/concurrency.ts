/** Runs `work` over `inputs` with at most `limit` calls in flight; results keep input order. */
export async function mapWithConcurrency<T, R>(
	inputs: readonly T[],
	limit: number,
	work: (input: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(inputs.length);
	let next = 0;
	const worker = async () => {
		while (next < inputs.length) {
			const index = next++;
			results[index] = await work(inputs[index], index);
		}
	};
	const workers = Array.from({ length: Math.max(1, Math.min(limit, inputs.length)) }, worker);
	await Promise.all(workers);
	return results;
}

/**
 * Max Concurrent Requests when the option is not set: a floor for small batches, then one more per
 * `itemsPerRequest` items, up to a cap. A batch of N tasks polled every i seconds needs about
 * N × (answer time) / i requests in flight to keep to its schedule; the cap keeps one workflow
 * from hammering the API.
 */
const AUTO_CONCURRENCY = { min: 10, itemsPerRequest: 20, max: 50 };

export function defaultConcurrency(items: number): number {
	const { min, itemsPerRequest, max } = AUTO_CONCURRENCY;
	return Math.min(max, Math.max(min, Math.ceil(items / itemsPerRequest)));
}

/**
 * The bound on requests in flight that one node run shares between its creates and its status
 * reads; whoever waits is served in turn, so neither starves the other.
 */
export class RequestSlots {
	private used = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(readonly limit: number) {}

	/** A slot now, unless none is free or others wait for one (they come first). */
	tryAcquire(): boolean {
		if (this.used >= this.limit || this.waiting.length > 0) return false;
		this.used++;
		return true;
	}

	async acquire(): Promise<void> {
		if (this.tryAcquire()) return;
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}

	release(): void {
		const next = this.waiting.shift();
		// The slot passes straight to the next waiter.
		if (next) return next();
		this.used--;
	}

	async run<T>(work: () => Promise<T>): Promise<T> {
		await this.acquire();
		try {
			return await work();
		} finally {
			this.release();
		}
	}
}
