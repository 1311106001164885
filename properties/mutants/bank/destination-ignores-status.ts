/**
 * The destination is the newest address in the peer's entry, whatever its status: a host that
 * treats the entry as a plain list of the peer's addresses. It sends data to an address a BU
 * has just named while it is still tentative (as draft-13 MIPv6 trusts a new care-of address,
 * and as the draft's §2.3.2 SHOULD reads for a standard mobile node, which HOST.md rule 15a
 * declines), and to a deprecated address when the entry has no active one left, instead of
 * reporting the peer unreachable.
 *
 * Breaks: §2.4.1 "the host MUST NOT use any of the Tentative Addresses for this purpose, and it
 * SHOULD NOT use any of the Deprecated Addresses either", §2.3.1 ("before their status can be
 * changed to Active"), §2.2 (R2.4.1-5, R2.3.1-7, R2.2-1); HOST.md rule 21.
 * Decision: `selectDestination` (send/route.ts).
 * Expected catcher: INV-DATA-TO-ACTIVE.
 */

import type { EntryRecord, HostContext, Route } from '../../../impl/host/index.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function selectDestination(_ctx: HostContext, entry: EntryRecord): Route | null {
  // The newest address the peer told us about.
  const newest = entry.addresses[entry.addresses.length - 1];
  return newest === undefined ? null : { destination: newest.address, finalDestination: newest.address };
}

export const destinationIgnoresStatus: Mutant = {
  name: 'destination-ignores-status',
  breaks: "sends data to the newest address in the peer's entry even while it is tentative or deprecated",
  section: '§2.4.1, §2.3.1, §2.2, docs/rules.md rule 21',
  requirements: ['R2.4.1-5', 'R2.3.1-7', 'R2.2-1'],
  method: 'selectDestination',
  expected: 'INV-DATA-TO-ACTIVE',
  factory: brokenHost('destination-ignores-status', { selectDestination }),
};
