/**
 * IPv4 ranges the API cannot reach or refuses (RFC 6890's special-purpose blocks, multicast and
 * reserved): this host, private, shared (CGNAT), loopback, link-local, IETF, documentation,
 * benchmarking.
 */
const PRIVATE_IPV4: Array<[string, number]> = [
	['0.0.0.0', 8],
	['10.0.0.0', 8],
	['100.64.0.0', 10],
	['127.0.0.0', 8],
	['169.254.0.0', 16],
	['172.16.0.0', 12],
	['192.0.0.0', 24],
	['192.0.2.0', 24],
	['192.168.0.0', 16],
	['198.18.0.0', 15],
	['198.51.100.0', 24],
	['203.0.113.0', 24],
	['224.0.0.0', 4],
	['240.0.0.0', 4],
];

/** A dotted-quad IPv4 address as a number; WHATWG URL parsing already turned 127.1, 0x7f000001 and 2130706433 into this form. */
function ipv4Number(host: string): number | undefined {
	const parts = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host)?.slice(1).map(Number);
	if (!parts || parts.some((part) => part > 255)) return undefined;
	return parts.reduce((sum, part) => sum * 256 + part, 0);
}

function isPrivateIpv4(address: number): boolean {
	return PRIVATE_IPV4.some(([base, prefix]) => {
		const shift = 2 ** (32 - prefix);
		return Math.floor(address / shift) === Math.floor((ipv4Number(base) ?? 0) / shift);
	});
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted quad allowed), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
	let text = address.toLowerCase();
	const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (quad) {
		const v4 = ipv4Number(quad[1]);
		if (v4 === undefined) return undefined;
		text = `${text.slice(0, -quad[1].length)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
	}
	const halves = text.split('::');
	if (halves.length > 2) return undefined;
	const parse = (half: string) => (half ? half.split(':').map((group) => (/^[0-9a-f]{1,4}$/.test(group) ? parseInt(group, 16) : Number.NaN)) : []);
	const head = parse(halves[0]);
	const tail = halves.length === 2 ? parse(halves[1]) : [];
	const missing = 8 - head.length - tail.length;
	if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
	const groups = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
	return groups.some(Number.isNaN) ? undefined : groups;
}

function isPrivateIpv6(groups: number[]): boolean {
	const [first, second] = groups;
	const zeros = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
	const embedded = groups[6] * 65536 + groups[7];
	// IPv4-compatible (with :: and ::1), IPv4-mapped and NAT64 addresses carry an IPv4 address.
	if (zeros(0, 6) || (zeros(0, 5) && groups[5] === 0xffff) || (first === 0x64 && second === 0xff9b && zeros(2, 6))) {
		return isPrivateIpv4(embedded);
	}
	if (first === 0x2002) return isPrivateIpv4(second * 65536 + groups[2]); // 6to4
	return (
		(first & 0xfe00) === 0xfc00 || // unique local fc00::/7
		(first & 0xffc0) === 0xfe80 || // link-local fe80::/10
		(first & 0xffc0) === 0xfec0 || // site-local fec0::/10
		(first & 0xff00) === 0xff00 || // multicast
		(first === 0x2001 && second === 0x0db8) // documentation
	);
}

/**
 * The API refuses URLs on private or reserved addresses, so they are caught before any request.
 * Only IP literals and the names that always mean this machine (`localhost`, `*.localhost`) count:
 * a public name that happens to start with digits (`10.cdn.example.com`) is not refused.
 */
export function isPrivateUrl(url: string): boolean {
	let host: string;
	try {
		host = new URL(url).hostname.toLowerCase();
	} catch {
		return false;
	}
	if (host.startsWith('[')) {
		const groups = ipv6Groups(host.slice(1, -1));
		return groups !== undefined && isPrivateIpv6(groups);
	}
	const name = host.replace(/\.+$/, '');
	const v4 = ipv4Number(name);
	if (v4 !== undefined) return isPrivateIpv4(v4);
	return name === 'localhost' || name.endsWith('.localhost') || name === '';
}

/**
 * The first URL in a create body (media inputs and Additional Body Fields alike) that the API
 * could not reach. The callback URL is the caller's own address and is left out.
 */
export function findPrivateUrl(value: unknown, callbackUrl: string): string | undefined {
	if (typeof value === 'string') {
		return /^https?:\/\//i.test(value) && value !== callbackUrl && isPrivateUrl(value) ? value : undefined;
	}
	if (!value || typeof value !== 'object') return undefined;
	for (const entry of Object.values(value)) {
		const found = findPrivateUrl(entry, callbackUrl);
		if (found) return found;
	}
	return undefined;
}
