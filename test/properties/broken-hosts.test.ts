// Proof that the properties bite (DESIGN.md): deliberately broken hosts, each a ReferenceHost
// with one method overridden, are caught by the property that guards what they break, with
// a short shrunk counterexample. A broken host is just another AliceFactory.

import { describe, expect, it } from 'vitest';
import { activeVerified } from '../../properties/invariants/active-verified.js';
import { runCheck } from '../../properties/runner.js';
import { REFERENCE_DECISIONS, ReferenceHost } from '../../impl/host/index.js';
import { hostFactory, referenceAlice } from '../../properties/world/alice.js';
import { A } from '../../properties/world/describe.js';
import { runSchedule } from '../../properties/world/world.js';
import { acceptsBuWithoutAh, activatesWithoutChallenge, clockBasedTime } from './broken-hosts.js';
import { worldConfig } from '../helpers/world.js';

const SEED = Number(process.env.HMIP6_SEED ?? 20_261_127);
const CONFIG = worldConfig({ seed: 3 });

describe('broken hosts are caught', () => {
  it('host_that_activates_without_a_challenge_breaks_inv_active_verified', async () => {
    const report = await runCheck({
      seed: SEED,
      numRuns: 100,
      alice: activatesWithoutChallenge,
      properties: ['INV-ACTIVE-VERIFIED'],
    });
    const p = report.properties[0];
    expect(p.verdict, `seed ${SEED}`).toBe('fail');
    expect(p.reason).toMatch(/became active/);
    expect(p.counterexample?.actions.length ?? 99).toBeLessThanOrEqual(4);
  });

  it('appendix_c_claim_on_a_peers_address_is_caught', () => {
    // Appendix C, step 2: Mallory, holding its own SA with Alice, claims Bob's address.
    const schedule = {
      config: CONFIG,
      actions: [
        A.claim({ sa: 'generic', target: { kind: 'peer', peer: 'bob', pick: 0 }, form: 'alt-coa' }),
        A.advance({ ms: 100 }),
      ],
    };
    const broken = activeVerified.check(runSchedule(schedule, activatesWithoutChallenge).trace);
    expect(broken.ok).toBe(false);
    if (!broken.ok)
      expect(broken.reason).toMatch(/2001:db8:b::1 became active in entry e\d \(SA alice-mallory-generic/);
    expect(activeVerified.check(runSchedule(schedule, referenceAlice).trace).ok).toBe(true);
  });

  it('host_with_a_clock_based_time_falls_to_the_clock_guess', async () => {
    const report = await runCheck({
      seed: SEED,
      numRuns: 300,
      alice: clockBasedTime,
      properties: ['INV-ACTIVE-VERIFIED'],
    });
    const p = report.properties[0];
    expect(p.verdict, `seed ${SEED}`).toBe('fail');
    expect(p.counterexample?.actions.map((a) => a.kind)).toContain('clockGuess');
    // The guessed Response makes the address active either with no Challenge of Alice's for
    // it, or in the very call that challenged it (which of the two depends on the schedules
    // the seed draws: both are the guess).
    expect(p.reason).toMatch(/no Challenge for it|without a tentative period and a Challenge/);
  });

  it('host_that_accepts_a_bu_without_ah_breaks_inv_auth_required', async () => {
    const report = await runCheck({
      seed: SEED,
      numRuns: 300,
      alice: acceptsBuWithoutAh,
      properties: ['INV-AUTH-REQUIRED'],
    });
    const p = report.properties[0];
    expect(p.verdict, `seed ${SEED}`).toBe('fail');
    expect(p.reason).toMatch(/AH none changed Alice's state/);
    expect(p.counterexample?.actions.length ?? 99).toBeLessThanOrEqual(3);
  });

  it('a_refinement_check_catches_each_broken_host_too', async () => {
    for (const alice of [activatesWithoutChallenge, acceptsBuWithoutAh]) {
      const report = await runCheck({ seed: SEED, numRuns: 300, alice, properties: ['REFINES-MODEL'] });
      expect(report.properties[0].verdict, `${alice.name}, seed ${SEED}`).toBe('fail');
      expect(report.properties[0].counterexample?.steps.some((s) => s.modelState !== null)).toBe(true);
    }
  });

  it('host_that_throws_ends_the_check_with_an_error', async () => {
    const throws = hostFactory(
      'throws-on-short-packets',
      (o) =>
        new ReferenceHost(o, {
          ...REFERENCE_DECISIONS,
          receivePacket: (ctx, bytes, nowMs) => {
            if (bytes.length < 40) throw new Error('short packet');
            REFERENCE_DECISIONS.receivePacket(ctx, bytes, nowMs);
          },
        }),
    );
    const report = await runCheck({ seed: SEED, numRuns: 300, alice: throws, properties: ['INV-BOUNDED'] });
    expect(report.verdict, `seed ${SEED}`).toBe('error');
    expect(report.error?.message).toMatch(/Alice threw in receive: short packet/);
    // The error cut the check short: what it had not judged to the end never counts as passed.
    expect(report.properties[0].verdict).toBe('not-run');
    expect(report.properties[0].skipReason).toMatch(
      /cut short by an error in run \d+: Alice threw in receive: short packet/,
    );
  });
});
