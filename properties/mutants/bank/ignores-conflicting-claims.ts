/**
 * A claim on an address that another entry holds active starts no re-check of the holder: only
 * the claimant is challenged, and if it answers, it takes the address. §3.4.2's "run the
 * reachability verification protocol against both of the claimants" (and "if both check ok,
 * completely flush" both entries) is skipped.
 *
 * Breaks: §3.4.2 (R3.4.2-3, R3.4.2-4, R3.4.2-5); HOST.md rule 13.
 * Decision: `onConflict` (verification.ts) accepts every claim and re-checks nobody.
 * Expected catcher: REFINES-MODEL (the holder shows no outstanding Challenge where the model
 * has one).
 */

import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

// Every claim is accepted and nobody is re-checked.
const onConflict = (): boolean => true;

export const ignoresConflictingClaims: Mutant = {
  name: 'ignores-conflicting-claims',
  breaks: 'does not re-check the holder of an address another peer claims (no challenge to both claimants)',
  section: '§3.4.2, docs/rules.md rule 13',
  requirements: ['R3.4.2-3', 'R3.4.2-4', 'R3.4.2-5'],
  method: 'onConflict',
  expected: 'REFINES-MODEL',
  factory: brokenHost('ignores-conflicting-claims', { onConflict }),
};
