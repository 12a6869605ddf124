/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run on Node, outside n8n */
import { readFileSync } from 'node:fs';
import { isPrivateUrl } from '../../nodes/shared/privateAddresses';

/**
 * A name from this machine's hosts file that maps to a private or loopback address (containers
 * list their own host name there), other than the `localhost` names refused by spelling alone.
 */
export function hostsFileName(): { name: string; address: string } {
	const entries = readFileSync('/etc/hosts', 'utf8')
		.split('\n')
		.map((line) => line.replace(/#.*/, '').trim().split(/\s+/))
		.flatMap(([address, ...names]) => names.map((name) => ({ name, address })));
	const entry = entries.find(
		({ name, address }) =>
			/^[a-z]/i.test(name) &&
			!isPrivateUrl(`http://${name}/`) &&
			isPrivateUrl(`http://${address.includes(':') ? `[${address}]` : address}/`),
	);
	if (!entry) throw new Error("This machine's /etc/hosts names no private address but localhost; the test needs one");
	return entry;
}
