/**
 * A BU naming an address the entry already holds is taken as its confirmation: a deprecated
 * address becomes active again at once ("we verified it before"), although it may belong to
 * someone else by now (§5.3), and so does a tentative one whose Challenge is still out ("the
 * peer said it twice").
 *
 * Breaks: §2.3.1 and §3.4.2 (addresses a BU adds MUST be tentative and verified first:
 * R2.3.1-3, R2.3.1-7, R3.4.2-1); DESIGN.md "a BU naming a deprecated address makes it tentative
 * again"; HOST.md rule 6.
 * Decision: `admitNamedAddress` (verification.ts).
 * Expected catcher: INV-ACTIVE-VERIFIED (active straight from deprecated, or with no Challenge
 * delivered to the address's owner).
 */

import {
  MS_PER_SECOND,
  REFERENCE_DECISIONS,
  type Address,
  type Admission,
  type ClaimContext,
  type EntryRecord,
  type HostContext,
} from '../../../impl/host/index.js';
import { activateAddress } from '../../../impl/host/lifecycle.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function admitNamedAddress(ctx: HostContext, entry: EntryRecord, address: Address, claim: ClaimContext): Admission {
  const record = ctx.state.cache.recordIn(entry, address);
  if (record !== undefined && (record.status === 'deprecated' || record.status === 'tentative')) {
    record.challenge = null;
    activateAddress(ctx, record, 'absolute', claim.nowMs + claim.grantedLifetimeSeconds * MS_PER_SECOND, 'claimed');
    return 'refreshed';
  }
  return REFERENCE_DECISIONS.admitNamedAddress(ctx, entry, address, claim);
}

export const knownAddressSkipsChallenge: Mutant = {
  name: 'known-address-skips-challenge',
  breaks:
    'makes an address the entry already holds (deprecated, or tentative) active when a BU names it again, without a new Challenge',
  section: '§2.3.1, §3.4.2, §5.3, docs/rules.md rule 6',
  requirements: ['R2.3.1-3', 'R2.3.1-7', 'R3.4.2-1'],
  method: 'admitNamedAddress',
  expected: 'INV-ACTIVE-VERIFIED',
  factory: brokenHost('known-address-skips-challenge', { admitNamedAddress }),
};
