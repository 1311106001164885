// The world's address plan: documentation addresses (2001:db8::/32, RFC 3849), one /48 per
// node so that a counterexample reads at a glance. Fresh addresses for moves are /64s under
// the node's /48 with the same interface identifier (::1), so Alternate Prefixes apply.

import { normalizeAddress } from '../../impl/wire/index.js';
import type { Address } from '../../impl/wire/types.js';
import type { NodeName } from './types.js';

/** The /48 of each node (the third group). */
const NODE_PREFIX: Record<NodeName, string> = {
  alice: 'a',
  bob: 'b',
  carol: 'c',
  sam: 'd',
  mallory: 'e',
  lee: 'f',
};

/** Third group of addresses nobody owns: a third party Mallory names (amplification victims). */
const VICTIM_PREFIX = '9';
/** Third group of addresses Alice's application sends to without knowing them (§2.1.1). */
const STRANGER_PREFIX = '7';
/**
 * Unicast addresses of no global scope (HOST.md rule 5's list): link-local, site-local and
 * loopback. Nobody in the world holds them; Alice's addresses are all global. Mallory names
 * them in claims (rule 5: never named), Alice's application sends to them (rule 21: no source
 * of their scope, so unreachable).
 */
export const NON_GLOBAL_ADDRESSES: readonly Address[] = ['fe80::db8:1', 'fec0::db8:1', '::1'];

/** The fourth group is 16 bits. */
const SUBNETS = 0x10000;

/** The node's k-th address: k = 0 is `2001:db8:X::1`, k ≥ 1 is `2001:db8:X:k::1`. */
export function nodeAddress(node: NodeName, k: number): Address {
  return subnetAddress(NODE_PREFIX[node], k);
}

/** Mallory's second registered address (its anonymous SA's peer address). */
export const MALLORY_SECOND: Address = '2001:db8:e::2';

function subnetAddress(third: string, n: number): Address {
  const text = `2001:db8:${third}:${(n % SUBNETS).toString(16)}::1`;
  // RFC 5952 form (subnet 0 compresses into the `::`), as the adapter protocol writes addresses.
  return normalizeAddress(text) ?? text;
}

export function victimAddress(n: number): Address {
  return subnetAddress(VICTIM_PREFIX, n);
}

export function strangerAddress(n: number): Address {
  return subnetAddress(STRANGER_PREFIX, n);
}
