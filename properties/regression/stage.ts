// The regression stage: every scenario of the regression plan (concretize.ts) played through
// the world against Alice, with the model in lockstep (REFINES-MODEL) and a coverage tracker
// per scenario, so that each run says whether it took the transition it is for. `hmip6 check`
// runs this stage before its random runs (runCheck's `regression` option); the scenarios are
// also plain regression tests (test/model/regression.test.ts).

import { CoverageTracker } from '../../model/coverage.js';
import { lockstep, type LockstepResult } from '../lockstep.js';
import { referenceAlice } from '../world/alice.js';
import type { AliceFactory } from '../world/types.js';
import { runSchedule, type RunResult } from '../world/world.js';
import { covered, regressionPlan, type RegressionScenario } from './concretize.js';

export interface ScenarioRun {
  readonly scenario: RegressionScenario;
  readonly run: RunResult;
  /** The lockstep with the model (null when Alice has no `state` feature, or crashed). */
  readonly lockstep: LockstepResult | null;
  /** What the model's machines did in this run (empty without a lockstep). */
  readonly coverage: CoverageTracker;
  /** The run took the scenario's transition, or evaluated its guard outcome (null: unknown, no lockstep). */
  readonly took: boolean | null;
}

/** Plays one scenario; the lockstep runs when Alice shows her state. */
export function runScenario(scenario: RegressionScenario, alice: AliceFactory = referenceAlice): ScenarioRun {
  const run = runSchedule(scenario.schedule, alice);
  const coverage = new CoverageTracker();
  if (run.crash !== undefined || run.trace.initialState === undefined)
    return { scenario, run, lockstep: null, coverage, took: null };
  const result = lockstep(run.trace, { observer: coverage });
  return { scenario, run, lockstep: result, coverage, took: covered(scenario, coverage) };
}

/** Every scenario of the regression plan, in order. */
export function runRegressionStage(alice: AliceFactory = referenceAlice): ScenarioRun[] {
  return regressionPlan().scenarios.map((s) => runScenario(s, alice));
}
