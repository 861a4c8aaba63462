// Where a webhook may not go: addresses inside the stack's network or the machine it runs on (loopback,
// private, link-local with the instance metadata service at 169.254.169.254, shared, multicast, reserved),
// in IPv4 and IPv6. Checked on the address a delivery actually connects to, so a host name that resolves
// (or later re-resolves) to one of them is refused.
import { BlockList, isIP } from 'node:net';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

const forbidden = new BlockList();
for (const [network, prefix] of [
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
] as const)
  forbidden.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  forbidden.addSubnet(network, prefix, 'ipv6');

/** An IPv4 address carried in an IPv6 one (`::ffff:10.0.0.1`), or undefined. */
const embeddedIpv4 = (address: string): string | undefined =>
  /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];

export type AddressClass = 'public' | 'loopback' | 'internal';

export const classifyAddress = (address: string): AddressClass => {
  const v4 = embeddedIpv4(address);
  const family = v4 ? 'ipv4' : isIP(address) === 6 ? 'ipv6' : 'ipv4';
  const checked = v4 ?? address;
  if (isIP(checked) === 0) return 'internal';
  if (loopback.check(checked, family)) return 'loopback';
  return forbidden.check(checked, family) ? 'internal' : 'public';
};

/** Why a delivery may not connect to `address`, or undefined when it may. */
export const addressProblem = (address: string, allowLoopback: boolean): string | undefined => {
  const kind = classifyAddress(address);
  if (kind === 'public' || (kind === 'loopback' && allowLoopback)) return undefined;
  return kind === 'loopback'
    ? `resolves to a loopback address (${address})`
    : `resolves to a private, link-local or reserved address (${address})`;
};
