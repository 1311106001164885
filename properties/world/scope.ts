// The scope of an address as the world judges it (HOST.md rule 5's exact list: unspecified,
// loopback, multicast ff00::/8, link-local fe80::/10, site-local fec0::/10, IPv4-mapped
// ::ffff:0:0/96; everything else global). Written apart from the host's own classifier
// (impl/host/scope.ts) so that a fault there is not also the judge's (DESIGN.md "Ground
// truth": the judges share no code with the host they judge).

import { BlockList, isIPv6 } from 'node:net';
import type { Address } from '../../impl/wire/types.js';
import { memoized } from '../memo.js';

/** What an address can be: a scope a packet may stay in (§1.4), or no unicast scope at all. */
export type WorldScope = 'global' | 'site-local' | 'link-local' | 'loopback' | 'unusable';

/** The non-global prefixes, most specific first: [prefix, length in bits, scope]. */
const NON_GLOBAL: readonly (readonly [string, number, WorldScope])[] = [
  ['::', 128, 'unusable'],
  ['::1', 128, 'loopback'],
  ['::ffff:0:0', 96, 'unusable'],
  ['ff00::', 8, 'unusable'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
];
/** One of node's own address matchers (inet_pton underneath) per prefix. */
const MATCHERS = NON_GLOBAL.map(([prefix, bits, scope]) => {
  const list = new BlockList();
  list.addSubnet(prefix, bits, 'ipv6');
  return [list, scope] as const;
});

/** How many addresses' scopes are remembered (a run names few; node's matcher builds a socket address per call). */
const CLASSIFIED_MAX = 4096;

function classify(address: string): WorldScope {
  if (address.includes('%') || !isIPv6(address)) return 'unusable';
  for (const [list, scope] of MATCHERS) if (list.check(address, 'ipv6')) return scope;
  return 'global';
}

const classified = memoized(classify, CLASSIFIED_MAX);

/** The scope of `address` (`unusable` for text that is not IPv6, or IPv6 of no unicast scope). */
export function worldScope(address: Address): WorldScope {
  return typeof address === 'string' ? classified(address) : 'unusable';
}
