/**
 * A claim on an address that another entry holds active starts no re-check of the holder: only
 * the claimant is challenged, and if it answers, it takes the address. §3.4.2's "run the
 * reachability verification protocol against both of the claimants" (and "if both check ok,
 * completely flush" both entries) is skipped.
 *
 * Breaks: §3.4.2 (R3.4.2-3, R3.4.2-4, R3.4.2-5); HOST.md rule 13.
 * Override: `onConflict` (verification.ts) accepts every claim and re-checks nobody.
 * Expected catcher: REFINES-MODEL (the holder shows no outstanding Challenge where the model
 * has one).
 */

import { ReferenceHost, type Address, type ClaimContext, type EntryRecord } from '../../impl/host/index.js';
import type { Mutant } from '../../properties/mutants/types.js';
import { hostFactory } from '../../properties/world/alice.js';

export class IgnoresConflictingClaims extends ReferenceHost {
  protected override onConflict(claimant: EntryRecord, address: Address, claim: ClaimContext): boolean {
    return true;
  }
}

export const ignoresConflictingClaims: Mutant = {
  name: 'ignores-conflicting-claims',
  breaks: 'does not re-check the holder of an address another peer claims (no challenge to both claimants)',
  section: '§3.4.2, docs/rules.md rule 13',
  requirements: ['R3.4.2-3', 'R3.4.2-4', 'R3.4.2-5'],
  method: 'onConflict',
  expected: 'REFINES-MODEL',
  factory: hostFactory('ignores-conflicting-claims', (o) => new IgnoresConflictingClaims(o)),
};
