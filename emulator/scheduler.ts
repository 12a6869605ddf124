/* eslint-disable @n8n/community-nodes/no-restricted-globals -- the API emulator, a Node server, not n8n code */
/** Timers that `close()` can cancel all at once, so a closed emulator never calls out again. */

export class Scheduler {
	private readonly waits = new Map<NodeJS.Timeout, (fired: boolean) => void>();
	private closed = false;

	/** Resolves true after `ms`, or false as soon as the scheduler closes. */
	wait(ms: number): Promise<boolean> {
		if (this.closed) return Promise.resolve(false);
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.waits.delete(timer);
				resolve(true);
			}, ms);
			this.waits.set(timer, resolve);
		});
	}

	/** Runs `task` after `ms` unless the scheduler closes first. */
	after(ms: number, task: () => Promise<void>): void {
		void this.wait(ms).then((fired) => (fired ? task() : undefined));
	}

	get isClosed(): boolean {
		return this.closed;
	}

	close(): void {
		this.closed = true;
		for (const [timer, resolve] of this.waits) {
			clearTimeout(timer);
			resolve(false);
		}
		this.waits.clear();
	}
}
