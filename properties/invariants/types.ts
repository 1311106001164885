// What a property is: a function of the trace that names its id, the failing step and a
// human reason (DESIGN.md "Invariants"). Property ids are stable; tests, docs and reports use them.

import type { Trace } from '../world/types.js';

export const PROPERTY_IDS = [
  'INV-ACTIVE-VERIFIED',
  'INV-DATA-TO-ACTIVE',
  'INV-NO-DIVERSION',
  'INV-CHALLENGE-TARGET',
  'INV-AUTH-REQUIRED',
  'INV-ANON-SCOPE',
  'INV-NO-STRANGER-STATE',
  'INV-BOUNDED',
  'INV-AMPLIFICATION',
  'INV-DEPRECATED-BOUND',
  'INV-UNIQUE-ACTIVE',
  'INV-REPLAY',
  'INV-OWN-MOVE',
  'INV-DELIVERY',
  'INV-SEND-FAITHFUL',
  'INV-SOURCE-OWNED',
  'INV-STATE-TRUTHFUL',
  'LIVE-HONEST-MOVE',
  'LIVE-COMPAT',
  'REFINES-MODEL',
  'REFINES-SIGNALLING',
] as const;

export type PropertyId = (typeof PROPERTY_IDS)[number];

export function isPropertyId(s: string): s is PropertyId {
  return (PROPERTY_IDS as readonly string[]).includes(s);
}

export type Verdict =
  /**
   * `judged`: how many situations the property had something to say about in this run: each
   * one a place where a broken host could have failed it (DESIGN.md "Evidence and verdicts":
   * a pass that judged nothing is not a pass).
   */
  { ok: true; judged: number } | { ok: false; id: PropertyId; step: number; reason: string };

export interface Property {
  id: PropertyId;
  /**
   * 'state': needs Alice's observable state (feature `state`), skipped in black-box mode;
   * 'black-box': judged only from what Alice sends and delivers and the world's ground truth.
   */
  needs: 'state' | 'black-box';
  /** One sentence: what the property checks (docs/properties.md has the exact reading). */
  summary: string;
  /** What one judged situation is, in a few words ("Challenge sent", "address made active"). */
  situation: string;
  /**
   * Situations it must judge per run played, on average: a check of N runs that judged fewer
   * than floor(judgedPerRun × N) is inconclusive (DESIGN.md "Inconclusive"). Set well below
   * what the reference host reaches at the default settings, so only a host that avoids the
   * situations (one that does nothing, or reports nothing) falls short.
   */
  judgedPerRun: number;
  /**
   * Keep judging after the first failure and report every failing run (REFINES-MODEL: an
   * implementation's departures from HOST.md are warnings, and the first must not hide the rest).
   */
  reportsEveryFailure?: boolean;
  check(trace: Trace): Verdict;
  /**
   * The same verdict as `check`, going on from `from`: what judging a trace that `trace` extends
   * left (its steps are the first of `trace`'s), or null to judge from the start; with what to go
   * on from next (null when it failed). For `hmip6 explore`, whose forked states extend their
   * parent's trace by one move; a property without it is judged whole every time.
   */
  resume?(trace: Trace, from: unknown): { verdict: Verdict; point: unknown };
}

export function fail(id: PropertyId, step: number, reason: string): Verdict {
  return { ok: false, id, step, reason };
}

/** The property held, having judged `judged` situations. */
export function pass(judged: number): Verdict {
  return { ok: true, judged };
}

/** The least number of situations a property must judge over `runs` runs to be conclusive. */
export function judgedMinimum(property: Pick<Property, 'judgedPerRun'>, runs: number): number {
  return Math.floor(property.judgedPerRun * runs);
}
