/**
 * A BU naming an address the entry holds active with an activity-related lifetime (its first
 * address) leaves that lifetime as it is, instead of switching it to the absolute lifetime the
 * BU gives: the peer's word on how long the address is good for is ignored, and the address
 * lives on as long as traffic comes from it.
 *
 * Breaks: §2.1.4 "the lifetime of the address MUST be changed to have an Absolute Expiration
 * Time with the lifetime given in the Binding Update" (R2.1.4-4); docs/rules.md rule 6.
 * Decision: `admitNamedAddress` (verification.ts) leaves an active activity-related address unchanged.
 * Expected catcher: INV-STATE-TRUTHFUL (after a BU every correct host accepts, the lifetime is absolute).
 */

import {
  REFERENCE_DECISIONS,
  type Admission,
  type ClaimContext,
  type EntryRecord,
  type HostContext,
} from '../../../impl/host/index.js';
import type { Address } from '../../../impl/wire/types.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function admitNamedAddress(ctx: HostContext, entry: EntryRecord, address: Address, claim: ClaimContext): Admission {
  const record = ctx.state.cache.recordIn(entry, address);
  if (record !== undefined && record.status === 'active' && record.lifetimeKind === 'activity') return 'refreshed';
  return REFERENCE_DECISIONS.admitNamedAddress(ctx, entry, address, claim);
}

export const buKeepsActivityLifetime: Mutant = {
  name: 'bu-keeps-activity-lifetime',
  breaks:
    "keeps the activity-related lifetime of an address a BU names instead of switching it to the BU's absolute lifetime",
  section: '§2.1.4, docs/rules.md rule 6',
  requirements: ['R2.1.4-4'],
  method: 'admitNamedAddress',
  expected: 'INV-STATE-TRUTHFUL',
  factory: brokenHost('bu-keeps-activity-lifetime', { admitNamedAddress }),
};
