/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error -- tests run on Node, outside n8n */
import { rmSync } from 'node:fs';

/** Collects named checks and prints the summary whose last line CI reads: `N passed, M failed`. */

interface Outcome {
	name: string;
	ok: boolean;
	detail?: string;
	ms: number;
}

export class Report {
	private constructor(
		private readonly outcomes: Outcome[],
		private readonly started: number,
		/** Lines held back until `flush()`, for a track of checks that runs beside another. */
		private readonly held?: string[],
	) {}

	static create(): Report {
		return new Report([], Date.now());
	}

	/** A report for a track that runs beside others: same results, output printed by `flush()`. */
	track(): Report {
		return new Report(this.outcomes, this.started, []);
	}

	flush(): void {
		if (this.held?.length) console.log(this.held.splice(0).join('\n'));
	}

	/** A heading, with the time since the suite started, so slow phases show. */
	section(title: string): void {
		this.print(`\n[${((Date.now() - this.started) / 1000).toFixed(0)} s] ${title}`);
	}

	/** A line of information under the current heading. */
	note(text: string): void {
		this.print(`  (${text})`);
	}

	private print(line: string): void {
		if (this.held) this.held.push(line);
		else console.log(line);
	}

	/** Runs one check; a thrown error (an assertion or anything else) fails it and only it. */
	async check(name: string, body: () => unknown): Promise<boolean> {
		const started = Date.now();
		try {
			await body();
			this.record({ name, ok: true, ms: Date.now() - started });
			return true;
		} catch (error) {
			const detail = error instanceof Error ? error.message : String(error);
			this.record({ name, ok: false, detail, ms: Date.now() - started });
			return false;
		}
	}

	/** For a step whose failure makes every later check meaningless (build, install, n8n start). */
	async require<T>(name: string, body: () => Promise<T> | T): Promise<T> {
		let value: T | undefined;
		const ok = await this.check(name, async () => {
			value = await body();
		});
		if (!ok) throw new Error(`required step failed: ${name}`);
		return value as T;
	}

	/** Runs a group of checks; if the group itself breaks (its setup threw), that is one failure. */
	async group(name: string, body: () => Promise<void>): Promise<void> {
		try {
			await body();
		} catch (error) {
			this.record({ name: `${name} could not run`, ok: false, detail: error instanceof Error ? error.message : String(error), ms: 0 });
		}
	}

	get failed(): number {
		return this.outcomes.filter((outcome) => !outcome.ok).length;
	}

	summary(): string {
		const totalMs = Date.now() - this.started;
		const passed = this.outcomes.length - this.failed;
		const failures = this.outcomes.filter((outcome) => !outcome.ok);
		const lines = [`\nE2E summary (${(totalMs / 1000).toFixed(1)} s):`];
		if (failures.length) {
			lines.push('Failed:');
			for (const { name, detail } of failures) lines.push(`  ✗ ${name}\n      ${detail?.replace(/\n/g, '\n      ')}`);
		}
		lines.push(`${passed} passed, ${this.failed} failed`);
		return lines.join('\n');
	}

	private record(outcome: Outcome): void {
		this.outcomes.push(outcome);
		const mark = outcome.ok ? '✓' : '✗';
		const detail = outcome.ok ? '' : `\n      ${outcome.detail?.replace(/\n/g, '\n      ')}`;
		this.print(`  ${mark} ${outcome.name} (${outcome.ms} ms)${detail}`);
	}

	/**
	 * Runs a suite's body: an unexpected error counts as a failed check, the cleanups run last to
	 * first, and the work folder is kept only for a failed run with E2E_KEEP set.
	 */
	async runSuite(work: string, cleanups: Array<() => Promise<unknown>>, body: () => Promise<void>): Promise<void> {
		try {
			await body();
		} catch (error) {
			if (!(error instanceof Error && error.message.startsWith('required step failed'))) {
				await this.check('the suite runs to the end', () => {
					throw error;
				});
			}
		} finally {
			for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
			if (this.failed && process.env.E2E_KEEP) console.log(`\nKept ${work} for inspection.`);
			else rmSync(work, { recursive: true, force: true });
		}
	}
}
