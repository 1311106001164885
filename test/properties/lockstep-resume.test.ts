// The lockstep going on from where it stopped on a prefix of the run (lockstepFrom, what
// `hmip6 explore` does for a forked state's trace, Property.resume) gives the verdict of the
// lockstep over the whole run: the same failures, at the same step, for the same reason.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scheduleArbitrary } from '../../properties/arbitraries/schedule.js';
import { lockstep, lockstepFrom } from '../../properties/lockstep.js';
import { activatesWithoutChallenge } from '../../properties/mutants/bank/activates-without-challenge.js';
import { neverActivates } from '../../properties/mutants/bank/never-activates.js';
import { skipsDeprecation } from '../../properties/mutants/bank/skips-deprecation.js';
import { referenceAlice } from '../../properties/world/alice.js';
import type { AliceFactory } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';

const SEED = Number(process.env.HMIP6_SEED ?? 20_261_208);
const ALICES: AliceFactory[] = [
  referenceAlice,
  activatesWithoutChallenge.factory,
  neverActivates.factory,
  skipsDeprecation.factory,
];

describe('lockstep going on from a prefix', () => {
  it('gives_the_whole_runs_verdict_for_the_reference_and_broken_hosts', () => {
    const cases = fc.sample(fc.tuple(scheduleArbitrary({ stepsMax: 24 }), fc.nat(), fc.nat()), {
      numRuns: 60,
      seed: SEED,
    });
    let resumed = 0;
    let failures = 0;
    for (const [s, cut, pick] of cases) {
      const alice = ALICES[pick % ALICES.length];
      const k = cut % (s.actions.length + 1);
      const prefix = runSchedule({ config: s.config, actions: s.actions.slice(0, k) }, alice);
      const whole = runSchedule(s, alice);
      if (prefix.crash !== undefined || whole.crash !== undefined) continue;
      if (prefix.trace.steps.at(-1)?.storm !== undefined) continue;
      const { point } = lockstepFrom(prefix.trace, null);
      if (point === null) continue;
      const expected = lockstep(whole.trace).verdict;
      expect(lockstepFrom(whole.trace, point).result.verdict).toEqual(expected);
      resumed += 1;
      if (!expected.ok) failures += 1;
    }
    // The comparison judged passing and failing runs alike.
    expect(resumed).toBeGreaterThan(30);
    expect(failures).toBeGreaterThan(3);
  });
});
