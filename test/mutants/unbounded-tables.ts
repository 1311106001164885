/**
 * No limit anywhere: every named address is added and challenged, every entry created. A
 * flood of claims under Mallory's SA grows Alice's cache and her outstanding Challenges
 * without end (§4.1's resource exhaustion).
 *
 * Breaks: HOST.md rule 8 (`foreignEntriesCountMax`, `addressesPerEntryCountMax`,
 * `tentativePerEntryCountMax`), the design's answer to §4.1; DESIGN.md "a limit on everything".
 * Override: `enforceBounds` (host-core.ts) always finds room.
 * Expected catcher: INV-BOUNDED (Mallory's `flood`).
 */

import { ReferenceHost, type BoundCheck } from '../../impl/host/index.js';
import type { Mutant } from '../../properties/mutants/types.js';
import { hostFactory } from '../../properties/world/alice.js';

export class UnboundedTables extends ReferenceHost {
  protected override enforceBounds(check: BoundCheck): boolean {
    return true;
  }
}

export const unboundedTables: Mutant = {
  name: 'unbounded-tables',
  breaks: 'enforces no bound on entries, addresses per entry or outstanding Challenges',
  section: '§4.1, docs/rules.md rule 8',
  requirements: [],
  method: 'enforceBounds',
  expected: 'INV-BOUNDED',
  factory: hostFactory('unbounded-tables', (o) => new UnboundedTables(o)),
};
