/**
 * Alice's source address is fixed when she starts: her first address of each scope stays the
 * source of her data and BUs after she has lost it (a host that configures its source once,
 * as a static source-address setting would). Her packets then leave under an address that may
 * be someone else's now, and the answers go to its new owner.
 *
 * Breaks: §1.4 "the source address for each packet MAY be individually selected among those
 * in the Local Host Cache Entry" (R1.4-13: among her addresses, no other); §2.1.2 (a lost
 * address is gone: the deleting BU itself must come "from a remaining address", HOST.md rule
 * 20); HOST.md rule 21 ("the source any of Alice's addresses of the same scope").
 * Decision: `oldestLocalOfScope` (addresses.ts) answers the address she started with.
 * Expected catcher: INV-SOURCE-OWNED (a packet from an address she no longer holds).
 */

import { REFERENCE_DECISIONS, type Address, type Decisions, type HostOptions } from '../../../impl/host/index.js';
import { scopeOf } from '../../../impl/host/scope.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

/** Per host, the addresses she started with, remembered for good. */
function remembersFirstAddresses(options: HostOptions): Partial<Decisions> {
  const startedWith: Address[] = [];
  for (const a of options.localAddresses) if (!startedWith.includes(a)) startedWith.push(a);
  return {
    oldestLocalOfScope(ctx, destination) {
      const scope = scopeOf(destination);
      return startedWith.find((a) => scopeOf(a) === scope) ?? REFERENCE_DECISIONS.oldestLocalOfScope(ctx, destination);
    },
  };
}

export const sendsFromLostAddress: Mutant = {
  name: 'sends-from-lost-address',
  breaks: 'keeps sending from the address Alice started with after she lost it',
  section: '§1.4, §2.1.2, rules 20 and 21 (docs/rules.md)',
  requirements: ['R1.4-13', 'R2.1.2-8'],
  method: 'oldestLocalOfScope',
  expected: 'INV-SOURCE-OWNED',
  factory: brokenHost('sends-from-lost-address', remembersFirstAddresses),
};
