/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- benchmarks run on Node, outside n8n */
/** What /proc says about a process: its CPU time and resident memory. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export interface Sample {
	at: number;
	cpuMs: number;
	rssBytes: number;
}

/** CPU time (user + system, all threads) and resident memory of a process, from /proc. */
export function sampleProcess(pid: number): Sample | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// Fields after the command name, which may hold spaces: state is the first, utime the 12th.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
		const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return { at: Date.now(), cpuMs, rssBytes: Number(rss?.[1] ?? 0) * 1024 };
	} catch {
		return undefined; // the process has just exited
	}
}
