/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- benchmarks run on Node, outside n8n */
/** The bench's result table: one row per figure, with its bar and whether it was met. */

export interface Row {
	name: string;
	value: string;
	bar?: string;
	pass?: boolean;
}

export const MB = 1024 * 1024;
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const megabytes = (bytes: number) => `${(bytes / MB).toFixed(1)} MiB`;

export function log(message: string): void {
	process.stderr.write(`[bench] ${message}\n`);
}

export function printTable(title: string, rows: Row[], notes: string[]): void {
	const header: Row = { name: 'Benchmark', value: 'Measured', bar: 'Bar' };
	const all = [header, ...rows];
	const width = (pick: (row: Row) => string) => Math.max(...all.map((row) => pick(row).length));
	const [nameWidth, valueWidth, barWidth] = [width((r) => r.name), width((r) => r.value), width((r) => r.bar ?? '')];
	const line = (row: Row, result: string) =>
		`${row.name.padEnd(nameWidth)} | ${row.value.padEnd(valueWidth)} | ${(row.bar ?? '').padEnd(barWidth)} | ${result}`;
	console.log('');
	console.log(title);
	console.log(line(header, 'Result'));
	console.log(`${'-'.repeat(nameWidth)}-+-${'-'.repeat(valueWidth)}-+-${'-'.repeat(barWidth)}-+-------`);
	for (const row of rows) console.log(line(row, row.pass === undefined ? '' : row.pass ? 'PASS' : 'FAIL'));
	for (const note of notes) console.log(`\nNote: ${note}`);
}
