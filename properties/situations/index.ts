// The catalogue of situations (DESIGN.md "Evidence and verdicts": "Situations are covered,
// and the coverage is checked", after QuickCheck's `cover` and `checkCoverage`). Each
// situation is detected on a run's trace from the world's ground truth and carries the share
// of runs that must reach it at `hmip6 check`'s defaults; the runner counts, per situation,
// the runs that reached it, and the reports print the shares next to the required ones.
//
// Shares are informational in `hmip6 check` and `hmip6 oracle`; only the reference-host test
// (test/properties/situations.test.ts) enforces them, at check's defaults. docs/properties.md
// ("Situations") lists the catalogue.

import type { Trace } from '../world/types.js';
import { ATTACK_SITUATIONS } from './attacks.js';
import { DATA_SITUATIONS, LIFE_SITUATIONS, NETWORK_SITUATIONS } from './life.js';
import { RECEIVE_SITUATIONS } from './receive.js';
import { RESPONSE_SITUATIONS } from './responses.js';
import type { Situation } from './types.js';
import { TruthView } from './view.js';

export type { Situation, SituationGroup } from './types.js';
export { TruthView } from './view.js';

export const SITUATIONS: readonly Situation[] = [
  ...ATTACK_SITUATIONS,
  ...RECEIVE_SITUATIONS,
  ...RESPONSE_SITUATIONS,
  ...DATA_SITUATIONS,
  ...LIFE_SITUATIONS,
  ...NETWORK_SITUATIONS,
];

export const SITUATION_IDS: readonly string[] = SITUATIONS.map((s) => s.id);

/** The ids of the situations `trace` reached. */
export function situationsReached(trace: Trace, catalogue: readonly Situation[] = SITUATIONS): Set<string> {
  const view = new TruthView(trace);
  const reached = new Set<string>();
  for (const s of catalogue) if (s.reached(view)) reached.add(s.id);
  return reached;
}

/** One row of the coverage table: a situation, the runs that reached it, and its share against the required one. */
export interface SituationCoverage {
  id: string;
  description: string;
  /** Runs in which it was reached. */
  runs: number;
  /** runs / runs played (0 when none was played). */
  share: number;
  /** The share required at check's defaults (informational outside the reference-host test). */
  required: number;
}

/** Counts, over a check's runs, the runs that reached each situation. */
export class SituationCounter {
  runs = 0;
  private readonly reached = new Map<string, number>();

  constructor(private readonly catalogue: readonly Situation[] = SITUATIONS) {
    for (const s of catalogue) this.reached.set(s.id, 0);
  }

  add(trace: Trace): void {
    this.runs += 1;
    for (const id of situationsReached(trace, this.catalogue)) this.reached.set(id, (this.reached.get(id) ?? 0) + 1);
  }

  coverage(): SituationCoverage[] {
    return this.catalogue.map((s) => {
      const runs = this.reached.get(s.id) ?? 0;
      return {
        id: s.id,
        description: s.description,
        runs,
        share: this.runs === 0 ? 0 : runs / this.runs,
        required: s.required,
      };
    });
  }
}

/** The situations whose share fell below the required one. */
export function belowRequired(rows: readonly SituationCoverage[]): SituationCoverage[] {
  return rows.filter((r) => r.share < r.required);
}

function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/**
 * The coverage table: situation, share of runs that reached it, required share. A `<` marks a
 * share below the required one (informational: the required shares hold at check's defaults).
 */
export function formatSituations(rows: readonly SituationCoverage[], runs: number): string {
  const header = ['situation', 'runs', 'share', 'required'];
  const body = rows.map((r) => [
    r.id,
    String(r.runs),
    percent(r.share),
    `${r.share < r.required ? '< ' : ''}${percent(r.required)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const below = belowRequired(rows).length;
  const title = `situations reached (of ${runs} runs; required shares hold at check's defaults${below > 0 ? `; ${below} below` : ''}):`;
  return [title, line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
