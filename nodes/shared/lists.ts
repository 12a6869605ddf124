/** Splits a comma- or newline-separated list (or an array from an expression). */
export function splitList(value: unknown): string[] {
	const list = Array.isArray(value) ? value : String(value ?? '').split(/[\n,]/);
	return list.map((entry) => String(entry).trim()).filter((entry) => entry.length > 0);
}
