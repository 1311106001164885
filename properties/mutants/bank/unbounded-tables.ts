/**
 * No limit anywhere: every named address is added and challenged, every entry created. A
 * flood of claims under Mallory's SA grows Alice's cache and her outstanding Challenges
 * without end (§4.1's resource exhaustion).
 *
 * Breaks: HOST.md rule 8 (`foreignEntriesCountMax`, `addressesPerEntryCountMax`,
 * `tentativePerEntryCountMax`), the design's answer to §4.1; DESIGN.md "a limit on everything".
 * Decision: `enforceBounds` (lifecycle.ts) always finds room.
 * Expected catcher: INV-BOUNDED (Mallory's `flood`).
 */

import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

const enforceBounds = (): boolean => true;

export const unboundedTables: Mutant = {
  name: 'unbounded-tables',
  breaks: 'enforces no bound on entries, addresses per entry or outstanding Challenges',
  section: '§4.1, docs/rules.md rule 8',
  requirements: [],
  method: 'enforceBounds',
  expected: 'INV-BOUNDED',
  factory: brokenHost('unbounded-tables', { enforceBounds }),
};
