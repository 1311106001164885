// The check's one judgement: how every stage of a check (the regression scenarios, the random
// runs, every candidate a shrink tries) turns a played trace into a property's verdict.
// REFINES-MODEL's verdict is the lockstep's; a stage that steps the lockstep itself (the
// regression stage, which also asks it what the scenario covered) hands its result in, and a
// stage that tracks the model's coverage hands in the tracker the lockstep tells every step.

import type { CoverageTracker } from '../model/coverage.js';
import type { Property, Verdict } from './invariants/types.js';
import { lockstep, type LockstepResult } from './lockstep.js';
import type { Trace } from './world/types.js';

/** One property's outcome in one run: its verdict and the time it took. */
export interface JudgedRun {
  ms: number;
  verdict: Verdict;
}

/** What a stage knows of REFINES-MODEL's lockstep on the trace. */
export interface LockstepUse {
  /** The lockstep already stepped on this trace: its verdict is REFINES-MODEL's. */
  stepped?: LockstepResult | null;
  /** Told every step of the machines when the lockstep is stepped here (the model's coverage). */
  observer?: CoverageTracker | null;
}

/** `property`'s verdict on `trace`, and how long it took to reach it. */
export function judge(property: Property, trace: Trace, use: LockstepUse = {}): JudgedRun {
  const t0 = performance.now();
  const verdict = verdictOf(property, trace, use);
  return { ms: performance.now() - t0, verdict };
}

function verdictOf(property: Property, trace: Trace, use: LockstepUse): Verdict {
  if (property.id !== 'REFINES-MODEL') return property.check(trace);
  if (use.stepped !== undefined && use.stepped !== null) return use.stepped.verdict;
  if (use.observer !== undefined && use.observer !== null) return lockstep(trace, { observer: use.observer }).verdict;
  return property.check(trace);
}
