// A failure whose replay no longer fails (an implementation that is not deterministic, or one
// that crashed while its run was replayed) keeps the run as it first failed as its
// counterexample, marked as not shrunk; before, the check ended in a harness error and the
// failure was lost. Both stages: the regression scenarios and the random runs.

import { describe, expect, it } from 'vitest';
import { activatesWithoutChallenge } from '../../properties/mutants/bank/activates-without-challenge.js';
import { runCheck } from '../../properties/runner.js';
import { referenceAlice } from '../../properties/world/alice.js';
import type { AliceFactory } from '../../properties/world/types.js';

/** A host broken (no reachability check) while the runs are played, correct once they are: when the failures are shrunk. */
function brokenUntilShrinking(): { alice: AliceFactory; fixed: () => void } {
  let broken = true;
  const alice: AliceFactory = {
    ...referenceAlice,
    name: 'broken-until-shrinking',
    create: (addresses, params, seed) =>
      (broken ? activatesWithoutChallenge.factory : referenceAlice).create(addresses, params, seed),
  };
  delete alice.fork;
  return { alice, fixed: () => (broken = false) };
}

describe('a failure that does not fail again when replayed', () => {
  it('keeps_its_run_whole_as_the_counterexample_in_the_regression_stage_and_in_the_runs', async () => {
    for (const regression of [true, false]) {
      const { alice, fixed } = brokenUntilShrinking();
      const report = await runCheck({ alice, seed: 1, numRuns: 5, regression, onRunsDone: fixed });
      expect(report.verdict).toBe('fail');
      expect(report.error).toBeNull();
      const failed = report.properties.filter((p) => p.verdict === 'fail');
      expect(failed.length).toBeGreaterThan(0);
      for (const p of failed) {
        const what = regression ? 'the regression scenario' : 'run';
        expect(p.reason).toContain(`[not shrunk: ${what}`);
        expect(p.counterexample?.property).toBe(p.id);
        expect(p.counterexample?.failingStep).toBeGreaterThanOrEqual(0);
      }
    }
  });
});
