// The reference host against the whole property suite, over the default schedule
// distribution: every property holds, the liveness properties judge something, and the
// schedules reach the deep states they are built for. The seed is pinned (HMIP6_SEED
// overrides it) and printed in every failure message.

import { beforeAll, describe, expect, it } from 'vitest';
import { PROPERTIES } from '../../properties/invariants/index.js';
import { runCheck, type CheckReport } from '../../properties/runner.js';
import { formatStats } from '../../properties/stats.js';
import { blackBox, referenceAlice } from '../../properties/world/alice.js';

const SEED = Number(process.env.HMIP6_SEED ?? 20_261_127);
const RUNS = 150;

describe('reference host', () => {
  let report: CheckReport;
  beforeAll(async () => {
    report = await runCheck({ seed: SEED, numRuns: RUNS, alice: referenceAlice });
  });

  it('passes_every_property', () => {
    expect(report.runs).toBe(RUNS);
    for (const p of report.properties) {
      expect(p.verdict, `${p.id} failed (seed ${SEED}, run ${p.failingRun}): ${p.reason}`).toBe('pass');
      expect(p.runs, p.id).toBe(RUNS);
    }
    expect(report.properties.map((p) => p.id)).toEqual(PROPERTIES.map((p) => p.id));
    expect(report.verdict).toBe('pass');
    expect(report.error).toBeNull();
  });

  it('liveness_and_refinement_have_something_to_judge', () => {
    const judged = (id: string): number => report.properties.find((p) => p.id === id)?.judged ?? 0;
    expect(judged('LIVE-HONEST-MOVE'), 'judged moves').toBeGreaterThanOrEqual(RUNS / 5);
    expect(judged('LIVE-COMPAT'), 'judged packets toward Sam and Lee').toBeGreaterThanOrEqual(RUNS / 5);
    expect(judged('INV-OWN-MOVE'), "peer entries told of Alice's own address changes").toBeGreaterThanOrEqual(
      RUNS / 10,
    );
    expect(judged('REFINES-MODEL'), 'calls compared with the model').toBeGreaterThan(RUNS * 50);
  });

  it('default_schedules_reach_deep_states', () => {
    const share = (s: keyof CheckReport['stats']['reached']): number => report.stats.reached[s] / report.stats.runs;
    const why = `seed ${SEED}\n${formatStats(report.stats)}`;
    expect(share('address verified'), why).toBeGreaterThanOrEqual(0.3);
    expect(share('verified then lost'), why).toBeGreaterThanOrEqual(0.1);
    expect(share('lost then claimed by Mallory'), why).toBeGreaterThanOrEqual(0.05);
    expect(share('conflict'), why).toBeGreaterThanOrEqual(0.05);
    expect(share('fair move judged'), why).toBeGreaterThanOrEqual(0.1);
    for (const rare of [
      'conflict both answered',
      'deprecated then removed',
      'clock-TIME guess attempted',
      'replay delivered',
      'bound reached',
      'legacy peer',
      'standard-mobile peer',
    ] as const) {
      expect(report.stats.reached[rare], `${rare}: ${why}`).toBeGreaterThan(0);
    }
  });
});

describe('black-box mode', () => {
  it('skips_the_state_properties_and_judges_the_rest', async () => {
    const report = await runCheck({ seed: SEED, numRuns: 20, alice: blackBox(referenceAlice) });
    for (const p of report.properties) {
      const property = PROPERTIES.find((x) => x.id === p.id);
      if (property?.needs === 'state') {
        expect(p.verdict, p.id).toBe('skip');
        expect(p.skipReason, p.id).toMatch(/state/);
        expect(p.runs, p.id).toBe(0);
      } else {
        expect(p.verdict, `${p.id}: ${p.reason}`).toBe('pass');
        expect(p.runs, p.id).toBe(20);
      }
    }
    expect(report.properties.filter((p) => p.verdict === 'skip').length).toBeGreaterThan(0);
    expect(report.properties.filter((p) => p.verdict === 'pass').map((p) => p.id)).toEqual([
      'INV-DATA-TO-ACTIVE',
      'INV-NO-DIVERSION',
      'INV-CHALLENGE-TARGET',
      'INV-ANON-SCOPE',
      'INV-AMPLIFICATION',
      'INV-REPLAY',
      'INV-OWN-MOVE',
      'INV-DELIVERY',
      'INV-SEND-FAITHFUL',
      'INV-SOURCE-OWNED',
      'LIVE-HONEST-MOVE',
      'LIVE-COMPAT',
      'REFINES-SIGNALLING',
    ]);
  });
});
