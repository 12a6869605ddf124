import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

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

/** Whether an IP address, as a resolver gives it (no brackets, perhaps an IPv6 zone), is private or reserved. */
function isPrivateAddress(address: string): boolean {
	const v4 = ipv4Number(address);
	if (v4 !== undefined) return isPrivateIpv4(v4);
	const groups = ipv6Groups(address.replace(/%.*$/, ''));
	return groups !== undefined && isPrivateIpv6(groups);
}

/** A URL's host, lower case, without IPv6 brackets or trailing dots; undefined when it is no URL. */
export function hostOf(url: string): string | undefined {
	try {
		return new URL(url).hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.+$/, '');
	} catch {
		return undefined;
	}
}

/**
 * The API refuses URLs on private or reserved addresses, so they are caught before any request.
 * This looks at the URL alone: IP literals, and the names that always mean this machine
 * (`localhost`, `*.localhost`); a public name that happens to start with digits
 * (`10.cdn.example.com`) is not refused. `privateAddressOf` also resolves names.
 */
export function isPrivateUrl(url: string): boolean {
	const host = hostOf(url);
	if (host === undefined) return false;
	return isPrivateAddress(host) || host === 'localhost' || host.endsWith('.localhost') || host === '';
}

/** The OS resolver's answer to a name (hosts file included): `dns.lookup` with `all`. */
type Lookup = (
	hostname: string,
	options: { all: true },
	callback: (error: Error | null, addresses: Array<{ address: string }>) => void,
) => void;

export type AddressContext = IExecuteFunctions | IWebhookFunctions;

/** A name the resolver has not answered by then counts as unresolved: the check never stalls a run. */
const LOOKUP_LIMIT_MS = 5000;
const resolutions = new WeakMap<AddressContext, Map<string, Promise<string[]>>>();

/** The helper of n8n 2.x that n8n-workflow 1.x does not declare, so typed here for both. */
interface EgressHelpers {
	getSecureEgressFilter?(policy: 'unsafe'): { createSecureLookup(): unknown };
}

/**
 * The OS resolver, through n8n: community nodes cannot import node:dns, and n8n hands them its
 * egress filter, whose lookup is the OS's own under the 'unsafe' policy (the instance's SSRF
 * rules left out: only this file's table judges the address, and nothing connects through it).
 * Older n8n versions offer no such helper; there names are not resolved.
 */
function resolverOf(ctx: AddressContext): Lookup | undefined {
	const helpers = ctx.helpers as EgressHelpers;
	if (typeof helpers.getSecureEgressFilter !== 'function') return undefined;
	return helpers.getSecureEgressFilter('unsafe').createSecureLookup() as unknown as Lookup;
}

/** The addresses a name resolves to now, once per node run and name; none when it does not resolve. */
async function resolveHost(ctx: AddressContext, host: string): Promise<string[]> {
	const lookup = resolverOf(ctx);
	if (!lookup) return [];
	let known = resolutions.get(ctx);
	if (!known) resolutions.set(ctx, (known = new Map()));
	let addresses = known.get(host);
	if (!addresses) {
		const limit = AbortSignal.timeout(LOOKUP_LIMIT_MS);
		addresses = new Promise<string[]>((resolve) => {
			limit.addEventListener('abort', () => resolve([]), { once: true });
			lookup(host, { all: true }, (error, found) => resolve(error ? [] : found.map(({ address }) => address)));
		});
		known.set(host, addresses);
	}
	return await addresses;
}

/** Where a private URL points: its host itself, or the address its name resolves to. */
interface PrivateAddress {
	address: string;
	resolved: boolean;
}

/**
 * The private or local address a URL's host is, or resolves to through the OS resolver (so
 * names from the hosts file count); undefined for a public or unresolvable host.
 */
export async function privateAddressOf(ctx: AddressContext, url: string): Promise<PrivateAddress | undefined> {
	const host = hostOf(url);
	if (host === undefined) return undefined;
	if (isPrivateUrl(url)) return { address: host, resolved: false };
	if (ipv4Number(host) !== undefined || ipv6Groups(host) !== undefined) return undefined;
	const address = (await resolveHost(ctx, host)).find(isPrivateAddress);
	return address === undefined ? undefined : { address, resolved: true };
}

/** How an error names a private URL's address: nothing more for a literal, the resolved address for a name. */
export const resolvedTo = ({ address, resolved }: PrivateAddress) => (resolved ? ` (it resolves to ${address})` : '');

/**
 * Every URL in a create body (media inputs and Additional Body Fields alike), for the API to
 * read. The callback URL is the caller's own address and is left out.
 */
export function mediaUrls(value: unknown, callbackUrl: string): string[] {
	if (typeof value === 'string') return /^https?:\/\//i.test(value) && value !== callbackUrl ? [value] : [];
	if (!value || typeof value !== 'object') return [];
	return Object.values(value).flatMap((entry) => mediaUrls(entry, callbackUrl));
}
