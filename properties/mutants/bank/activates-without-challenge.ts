/**
 * Appendix C's "simple-minded" Alice: every address a BU names becomes active at once, with no
 * Challenge. Mallory, holding its own SA, claims Bob's address and Alice believes it.
 *
 * Breaks: §2.4.1 and §3.4.2 "it MUST first add that address as a Tentative Address only"
 * (R2.4.1-1, R2.3.1-3, R2.3.1-7, R3.4.2-1, R3.4.2-2, R1.4-9).
 * Decision: `shouldChallenge` (verification.ts) answers false.
 * Expected catcher: INV-ACTIVE-VERIFIED (an address active in Mallory's entry that no
 * Challenge under Mallory's SA ever reached); also INV-UNIQUE-ACTIVE and REFINES-MODEL.
 */

import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

// The peer holds the SA's key, so its word is taken for where it is.
const shouldChallenge = (): boolean => false;

export const activatesWithoutChallenge: Mutant = {
  name: 'activates-without-challenge',
  breaks: 'a BU makes every address it names active at once, without reachability verification (Appendix C)',
  section: '§2.4.1, §3.4.2, Appendix C',
  requirements: ['R2.4.1-1', 'R2.3.1-3', 'R2.3.1-7', 'R3.4.2-1', 'R3.4.2-2', 'R1.4-9'],
  method: 'shouldChallenge',
  expected: 'INV-ACTIVE-VERIFIED',
  factory: brokenHost('activates-without-challenge', { shouldChallenge }),
};
