// Shrinking a failure into its counterexample (runCheck's shrinking stage). A failure found in
// a random run is shrunk by fast-check, which replays the run by its path against the failing
// property alone, then by dropping single actions; a failure of a regression scenario, which no
// fast-check path reproduces, by dropping single actions alone; a failure in a run that ended in
// a packet storm is cut, not shrunk. `dropActions` is the one loop that drops single actions
// (the explorer's trim, properties/explore/explore.ts, is of the same kind).

import fc from 'fast-check';
import type { Property, Verdict } from './invariants/types.js';
import { judge } from './judge.js';
import type { Action, AliceFactory, Schedule, Trace } from './world/types.js';
import { runSchedule } from './world/world.js';

/**
 * How much shrinking one failure may cost: a number of schedule runs (which keeps reports
 * deterministic: the same seed shrinks to the same counterexample) and a time limit as a
 * safety net on slow implementations.
 */
export interface ShrinkBudget {
  runs: number;
  timeLimitMs: number;
}

/** A shrunk failure: the actions kept, their trace and verdict, and fast-check's path to them. */
export interface Shrunk {
  actions: Action[];
  trace: Trace;
  verdict: Extract<Verdict, { ok: false }>;
  replayPath: string;
}

function now(): number {
  return performance.now();
}

/**
 * Replaying a failure did not fail again: nothing to shrink from. The implementation answered
 * the same run differently the second time (it is not deterministic, or it crashed while the
 * run was replayed: a crash counts as passing while shrinking).
 */
export class NotReproduced extends Error {}

/** Plays `schedule` and judges it by `property` alone (a run in which Alice threw counts as passing). */
function failing(property: Property, alice: AliceFactory, schedule: Schedule): { trace: Trace; verdict: Verdict } {
  const run = runSchedule(schedule, alice);
  const verdict: Verdict = run.crash !== undefined ? { ok: true, judged: 0 } : judge(property, run.trace).verdict;
  return { trace: run.trace, verdict };
}

/**
 * Drops single actions, last to first, while the failure stays: `fails` plays the actions left
 * without one and returns what it found when they still fail (null: that action is needed).
 * `spent` ends the pass early (a budget). Returns the actions kept and what `fails` found of
 * them last (`found`, what the caller knew of the whole list, when none could be dropped).
 */
export function dropActions<F>(
  actions: readonly Action[],
  found: F,
  fails: (candidate: Action[]) => F | null,
  spent: () => boolean = () => false,
): { actions: Action[]; found: F } {
  let kept = [...actions];
  let current = found;
  for (let i = kept.length - 1; i >= 0 && !spent(); i--) {
    const candidate = kept.filter((_, j) => j !== i);
    const attempt = fails(candidate);
    if (attempt !== null) {
      kept = candidate;
      current = attempt;
    }
  }
  return { actions: kept, found: current };
}

/** `dropActions` over `property`'s failure of `schedule`; `count` is told of every candidate played. */
function dropWhileFailing(
  property: Property,
  alice: AliceFactory,
  schedule: Schedule,
  count: () => void,
  spent: () => boolean,
): { actions: Action[]; trace: Trace; verdict: Verdict } {
  const first = failing(property, alice, schedule);
  // Nothing to drop from a schedule that no longer fails: the caller says so (NotReproduced).
  if (first.verdict.ok) return { actions: [...schedule.actions], ...first };
  const dropped = dropActions(
    schedule.actions,
    first,
    (actions) => {
      count();
      const attempt = failing(property, alice, { config: schedule.config, actions });
      return attempt.verdict.ok ? null : attempt;
    },
    spent,
  );
  return { actions: dropped.actions, ...dropped.found };
}

/**
 * A failure in a run that ended in a packet storm is not shrunk: fast-check's candidates would
 * storm too, each at the most a run may cost (DESIGN.md "Storms"). Its counterexample is the
 * run cut after the failing step, when that prefix still fails, else the run up to its storm
 * (the world played nothing after it).
 */
export function cutAtFailure(
  property: Property,
  alice: AliceFactory,
  schedule: Schedule,
  run: number,
  verdict: Extract<Verdict, { ok: false }>,
  stormed: Trace,
): Shrunk {
  const stormStep = stormed.steps.length - 1;
  const whole: Shrunk = {
    actions: schedule.actions.slice(0, stormStep),
    trace: stormed,
    verdict,
    replayPath: String(run),
  };
  if (verdict.step >= stormStep) return whole;
  const actions = schedule.actions.slice(0, verdict.step);
  const prefix = failing(property, alice, { config: schedule.config, actions });
  return prefix.verdict.ok ? whole : { actions, trace: prefix.trace, verdict: prefix.verdict, replayPath: String(run) };
}

/**
 * Shrinks a failing fixed schedule (a regression scenario, which no fast-check path
 * reproduces): single actions are dropped, last to first, while the property still fails.
 */
export function shrinkFixed(property: Property, alice: AliceFactory, schedule: Schedule, budget: ShrinkBudget): Shrunk {
  const deadline = now() + budget.timeLimitMs;
  let evaluations = 0;
  const spent = (): boolean => evaluations >= budget.runs || now() > deadline;
  const current = dropWhileFailing(property, alice, schedule, () => (evaluations += 1), spent);
  if (current.verdict.ok) throw new NotReproduced(`shrink: the regression scenario no longer fails ${property.id}`);
  // No fast-check path reproduces it: the counterexample's actions do.
  return { actions: current.actions, trace: current.trace, verdict: current.verdict, replayPath: '' };
}

/**
 * Shrinks the failure of `property` found at run `run`: fast-check replays that run (by its
 * path) and shrinks it against this property alone; once the budget is spent every new
 * candidate counts as passing, which ends the shrink with the smallest failure so far. Then
 * single actions are dropped, last to first, while the property still fails.
 */
export function shrink(
  property: Property,
  alice: AliceFactory,
  arb: fc.Arbitrary<Schedule>,
  seed: number,
  run: number,
  budget: ShrinkBudget,
): Shrunk {
  const deadline = now() + budget.timeLimitMs;
  let evaluations = 0;
  const spent = (): boolean => evaluations >= budget.runs || now() > deadline;
  let best: Schedule | null = null;
  const result = fc.check(
    fc.property(arb, (schedule) => {
      // Once the budget is spent every new candidate counts as passing, which ends the shrink.
      if (best !== null && spent()) return true;
      evaluations += 1;
      const ok = failing(property, alice, schedule).verdict.ok;
      if (!ok) best = schedule;
      return ok;
    }),
    { seed, path: String(run), numRuns: budget.runs + 1, endOnFailure: false },
  );
  const shrunk: Schedule | null = result.counterexample !== null ? result.counterexample[0] : best;
  if (shrunk === null) throw new NotReproduced(`shrink: run ${run} of seed ${seed} no longer fails ${property.id}`);
  const current = dropWhileFailing(
    property,
    alice,
    { config: shrunk.config, actions: [...shrunk.actions] },
    () => (evaluations += 1),
    spent,
  );
  if (current.verdict.ok) throw new NotReproduced(`shrink: the shrunk schedule no longer fails ${property.id}`);
  return {
    actions: current.actions,
    trace: current.trace,
    verdict: current.verdict,
    replayPath: result.counterexamplePath ?? String(run),
  };
}
