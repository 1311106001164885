// A situation: something a schedule made happen, named, detected on a trace from the world's
// ground truth, with the share of runs that must reach it at `hmip6 check`'s defaults
// (QuickCheck's `cover` and `checkCoverage`; DESIGN.md "Evidence and verdicts").

import type { TruthView } from './view.js';

export type SituationGroup = 'attack' | 'response' | 'conflict' | 'data' | 'life' | 'network';

export interface Situation {
  /** Stable id (kebab-case): tests, docs and reports use it. */
  id: string;
  group: SituationGroup;
  /** One sentence: what happened, with the draft section or rule it exercises. */
  description: string;
  /**
   * The least share of runs that must reach it, with the reference host at `hmip6 check`'s
   * defaults (1000 runs, default steps): set about half of what the default schedules reach,
   * so that only a generator that stopped reaching it falls short. Enforced only by the
   * reference-host test (test/properties/situations.test.ts); informational in reports.
   */
  required: number;
  reached(view: TruthView): boolean;
}

export function situation(
  id: string,
  group: SituationGroup,
  required: number,
  description: string,
  reached: (view: TruthView) => boolean,
): Situation {
  return { id, group, required, description, reached };
}
