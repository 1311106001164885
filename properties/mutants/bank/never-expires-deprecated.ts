/**
 * A deprecated address is kept "for some time" (§2.1.4 RECOMMENDED) with no upper bound: it
 * stays in the Host Cache until something deletes it. A stale address keeps attributing
 * packets to the peer long after the peer has gone (§5.3).
 *
 * Breaks: §2.1.4 "An deprecated address MUST NOT be kept in the Host Cache for longer than
 * MAXIMUM-EXPIRED-LIFETIME seconds" (R2.1.4-7); HOST.md rule 16.
 * Decision: `deprecateAddress` (lifecycle.ts) sets no removal time.
 * Expected catcher: INV-DEPRECATED-BOUND.
 */

import type { AddressRecord, HostContext } from '../../../impl/host/index.js';
import { setAddressStatus } from '../../../impl/host/lifecycle.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function deprecateAddress(ctx: HostContext, record: AddressRecord, atMs: number): void {
  setAddressStatus(ctx, record, 'deprecated', 'expired');
  record.challenge = null;
  record.expiresAtMs = atMs;
  record.removeAtMs = Number.POSITIVE_INFINITY;
}

export const neverExpiresDeprecated: Mutant = {
  name: 'never-expires-deprecated',
  breaks: 'never removes a deprecated address',
  section: '§2.1.4, docs/rules.md rule 16',
  requirements: ['R2.1.4-7'],
  method: 'deprecateAddress',
  expected: 'INV-DEPRECATED-BOUND',
  factory: brokenHost('never-expires-deprecated', { deprecateAddress }),
};
