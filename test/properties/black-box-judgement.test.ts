// The IUT's word is never evidence in its own favour (DESIGN.md "Evidence and verdicts"):
// properties that run in black-box mode judge from the world's ground truth, and catch a
// broken host without reading its state.

import { describe, expect, it } from 'vitest';
import { runCheck } from '../../properties/runner.js';
import { blackBox } from '../../properties/world/alice.js';
import { challengeToOldAddress } from '../../properties/mutants/bank/challenge-to-old-address.js';

const SEED = Number(process.env.HMIP6_SEED ?? 20_261_127);

describe('black-box judgement', () => {
  it('a_challenge_sent_to_the_old_address_fails_inv_challenge_target_without_the_state', async () => {
    const report = await runCheck({
      seed: SEED,
      numRuns: 200,
      alice: blackBox(challengeToOldAddress.factory),
      properties: ['INV-CHALLENGE-TARGET'],
      shrinkBudget: { runs: 20 },
    });
    const p = report.properties[0];
    expect(p.verdict, `seed ${SEED}`).toBe('fail');
    expect(p.reason).toMatch(/which no claim under that SA \(nor a conflicting claim on it\) named/);
  });
});
