/**
 * `send` finds the peer's entry through an address index that keeps the latest record for each
 * address, whatever its status: once Mallory claims Bob's address (tentative in Mallory's
 * entry), data Alice's application sends to that address is sent through Mallory's entry, to
 * Mallory.
 *
 * Breaks: §2.4.1 (only Active Addresses select the peer, "MUST NOT use any of the Tentative
 * Addresses for this purpose", R2.4.1-4, R2.4.1-5), §3.4.2 "it MUST NOT assume that the address
 * necessarily belongs to the peer host claiming to own it" (R3.4.2-2); HOST.md rule 21.
 * Decision: `entryForSend` (send/route.ts).
 * Expected catcher: INV-NO-DIVERSION (data for Bob delivered to Mallory).
 */

import type { Address, EntryRecord, HostContext } from '../../../impl/host/index.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function entryForSend(ctx: HostContext, to: Address): EntryRecord | null {
  const records = ctx.state.cache.recordsOf(to);
  return records.length === 0 ? null : records[records.length - 1].entry;
}

export const entryByLatestClaim: Mutant = {
  name: 'entry-by-latest-claim',
  breaks: 'sends data for an address through the entry that claimed it last, tentative claims included',
  section: '§2.4.1, §3.4.2, docs/rules.md rule 21',
  requirements: ['R2.4.1-4', 'R2.4.1-5', 'R3.4.2-2'],
  method: 'entryForSend',
  expected: 'INV-NO-DIVERSION',
  factory: brokenHost('entry-by-latest-claim', { entryForSend }),
};
