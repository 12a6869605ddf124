/**
 * The private-address check compares IP literals, however they are written (decimal, hex, octal,
 * short forms, IPv4-mapped and NAT64 IPv6), the names that always mean this machine, and the
 * addresses other names resolve to through the OS resolver (the hosts file included); it refuses
 * no public name, and looks at every URL of the body, Additional Body Fields included.
 * One engine test per class of address, against the emulator; the full table on the function.
 */
import type { IDataObject } from 'n8n-workflow';
import { isPrivateUrl } from '../../nodes/shared/privateAddresses';
import { errorOf, outputOf, runVideo, useEmulator } from '../support/fixtures';
import { hostsFileName } from '../support/hostsFile';

const emulator = useEmulator();

const PRIVATE = [
	// IPv4 in every spelling WHATWG URL parsing accepts
	'http://127.0.0.1/a.png',
	'http://2130706433/a.png',
	'http://0x7f000001/a.png',
	'http://0177.0.0.1/a.png',
	'http://127.1/a.png',
	'http://0x7f.1/a.png',
	'http://127.0.0.1./a.png',
	'http://10.1/a.png',
	'http://0/a.png',
	// every reserved IPv4 range
	'http://0.1.2.3/',
	'http://10.255.0.1/',
	'http://100.64.0.1/',
	'http://100.127.255.254/',
	'http://127.255.255.255/',
	'http://169.254.169.254/latest/meta-data',
	'http://172.16.0.1/',
	'http://172.31.255.255/',
	'http://192.0.0.8/',
	'http://192.0.2.1/',
	'http://192.168.1.5/',
	'http://198.18.0.1/',
	'http://198.19.255.255/',
	'http://198.51.100.7/',
	'http://203.0.113.9/',
	'http://224.0.0.1/',
	'http://239.255.255.250/',
	'http://240.0.0.1/',
	'http://255.255.255.255/',
	// IPv6
	'http://[::1]/',
	'http://[::]/',
	'http://[0:0:0:0:0:0:0:1]/',
	'http://[::ffff:127.0.0.1]/',
	'http://[::ffff:7f00:1]/',
	'http://[::ffff:10.0.0.1]/',
	'http://[::ffff:169.254.169.254]/',
	'http://[::127.0.0.1]/',
	'http://[64:ff9b::10.0.0.1]/',
	'http://[2002:c0a8:0101::1]/',
	'http://[fc00::1]/',
	'http://[fd12:3456::1]/',
	'http://[fe80::1]/',
	'http://[febf::1]/',
	'http://[fec0::1]/',
	'http://[ff02::1]/',
	'http://[2001:db8::1]/',
	// names that always mean this machine
	'http://localhost/a.png',
	'http://LOCALHOST:8080/a.png',
	'http://localhost./a.png',
	'http://localhost../a.png',
	'http://foo.localhost/a.png',
	'http://a.b.localhost./a.png',
];

const PUBLIC = [
	'https://cdn.example.com/a.png',
	'http://127.0.0.1.nip.io/a.png',
	'http://10.cdn.example.com/a.png',
	'http://192.168.example.org/a.png',
	'http://localhost.example.com/a.png',
	'http://mylocalhost/a.png',
	'http://8.8.8.8/a.png',
	'http://1.1.1.1/a.png',
	'http://100.63.255.255/',
	'http://100.128.0.1/',
	'http://172.15.255.255/',
	'http://172.32.0.1/',
	'http://169.253.0.1/',
	'http://198.17.255.255/',
	'http://198.20.0.1/',
	'http://223.255.255.255/',
	'http://[2606:4700:4700::1111]/',
	'http://[::ffff:8.8.8.8]/',
	'http://[64:ff9b::8.8.8.8]/',
	'http://[2002:0808:0808::1]/',
	'http://[fbff::1]/',
	'not a url',
];

describe('isPrivateUrl', () => {
	it.each(PRIVATE)('refuses %s', (url) => {
		expect(isPrivateUrl(url)).toBe(true);
	});

	it.each(PUBLIC)('lets %s pass', (url) => {
		expect(isPrivateUrl(url)).toBe(false);
	});
});

const veo = (firstFrameImageUrl: string, options: IDataObject = {}) => ({
	operation: 'create',
	model: 'veo-3.1',
	prompt: 'A sunrise',
	mediaSource: 'url',
	firstFrameImageUrl,
	options,
});

describe('through the node: refused before any request, naming item and URL', () => {
	it.each([
		['decimal loopback', 'http://2130706433/a.png'],
		['hex loopback', 'http://0x7f000001/a.png'],
		['short loopback', 'http://127.1/a.png'],
		['octal loopback', 'http://0177.0.0.1/a.png'],
		['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/a.png'],
		['IPv4-mapped IPv6 private range', 'http://[::ffff:10.0.0.1]/a.png'],
		['unique local IPv6', 'http://[fd00::5]/a.png'],
		['localhost with a trailing dot', 'http://localhost./a.png'],
		['a *.localhost name', 'http://foo.localhost/a.png'],
		['shared address space (CGNAT)', 'http://100.64.0.1/a.png'],
		['benchmarking range', 'http://198.18.0.1/a.png'],
		['reserved 240/4', 'http://240.0.0.1/a.png'],
	])('%s', async (_what, url) => {
		const result = await runVideo(emulator(), veo(url));
		expect(errorOf(result)).toContain('Item 0: ');
		expect(errorOf(result)).toContain('is on a private or local address');
		expect(emulator().stats().totals.create).toBe(0);
	});

	it('a private URL inside Additional Body Fields, however deep', async () => {
		const extra = JSON.stringify({ metadata: { sources: ['https://cdn.example.com/ok.png', 'http://[::ffff:10.0.0.1]/x.png'] } });
		const result = await runVideo(emulator(), veo('https://cdn.example.com/a.png', { additionalBodyFields: extra }));
		expect(errorOf(result)).toContain('Item 0: http://[::ffff:10.0.0.1]/x.png is on a private or local address');
		expect(emulator().stats().totals.create).toBe(0);
	});

	it('the Callback URL is the caller\'s own address and is not checked', async () => {
		const result = await runVideo(emulator(), veo('https://cdn.example.com/a.png', { callbackUrl: 'http://localhost:5678/webhook/x' }));
		expect(result.error).toBeUndefined();
		expect(emulator().stats().tasksCreated).toBe(1);
	});
});

describe('through the node: names are refused by the address they resolve to', () => {
	it('a hosts-file name on a private address, naming the address', async () => {
		const { name, address } = hostsFileName();
		const url = `http://${name}:8080/a.png`;
		const result = await runVideo(emulator(), veo(url));
		expect(errorOf(result)).toContain(`Item 0: ${url} is on a private or local address (it resolves to ${address}), which the API cannot reach`);
		expect(emulator().stats().totals.create).toBe(0);
	});

	it('the same name in capitals, with a trailing dot, deep in Additional Body Fields', async () => {
		const { name } = hostsFileName();
		const url = `http://${name.toUpperCase()}./frames/b.png`;
		const extra = JSON.stringify({ metadata: { sources: [url] } });
		const result = await runVideo(emulator(), veo('https://cdn.example.com/a.png', { additionalBodyFields: extra }));
		expect(errorOf(result)).toContain(`Item 0: ${url} is on a private or local address (it resolves to`);
		expect(emulator().stats().totals.create).toBe(0);
	});

	it('a name that does not resolve here is left to the API', async () => {
		const url = 'http://no-such-host.invalid/a.png';
		const result = await runVideo(emulator(), veo(url));
		expect(result.error).toBeUndefined();
		expect(emulator().tasks().at(-1)?.body.images).toEqual([url]);
	});
});

describe('through the node: public names are sent', () => {
	// Names that only look like private addresses, and a mapped public one.
	it.each([['http://10.cdn.example.com/a.png'], ['http://192.168.example.org/a.png'], ['http://[::ffff:8.8.8.8]/a.png']])(
		'%s',
		async (url) => {
			const result = await runVideo(emulator(), veo(url));
			expect(result.error).toBeUndefined();
			expect(outputOf(result)[0].json.status).toBe('pending');
			expect(emulator().tasks().at(-1)?.body.images).toEqual([url]);
		},
	);
});
