// Every transition of the compatibility machine (Appendix D as this project writes it, HOST.md
// rule 15), through XState's pure `transition()`.

import { describe, expect, it } from 'vitest';
import { compatSnapshot, PARAMS, stepCompat, B1, B2 } from './helpers.js';
import type { CompatValue } from '../../model/compat.js';

const LEGACY_EVIDENCE = { type: 'parameterProblem', code: 2, aboutMobilityOption: true, quotesAlice: true } as const;
const MOBILE = { type: 'mobileSignal', hao: B1, lastBu: { careOf: B2, lifetimeSeconds: 600 } } as const;

describe('compat machine (rule 15)', () => {
  it('initial_bu_arms_the_probe_timer_rule_14', () => {
    const r = stepCompat(compatSnapshot('unknown'), { type: 'initialBuSent', now: 1000 });
    expect(r.value).toBe('unknown');
    expect(r.context.probeDeadlineMs).toBe(1000 + PARAMS.compatProbeTimeoutMs);
  });

  it('probe_timeout_makes_unknown_standard_at_the_exact_instant', () => {
    const armed = compatSnapshot('unknown', { probeDeadlineMs: 4000 });
    expect(stepCompat(armed, { type: 'clock', now: 3999 }).value).toBe('unknown');
    expect(stepCompat(armed, { type: 'clock', now: 4000 }).value).toBe('standard');
  });

  it('no_probe_without_an_initial_bu', () => {
    expect(stepCompat(compatSnapshot('unknown'), { type: 'clock', now: 10 ** 12 }).value).toBe('unknown');
  });

  it.each<CompatValue>(['unknown', 'standard', 'standard-mobile', 'legacy'])(
    'homeless_support_makes_%s_homeless',
    (from) => {
      const r = stepCompat(compatSnapshot(from, { homeAddress: B1, careOfAddress: B2 }), { type: 'homelessSupport' });
      expect(r.value).toBe('homeless');
      // Rule 19: no home or care-of address for a homeless peer.
      expect(r.context.homeAddress).toBeNull();
      expect(r.context.careOfAddress).toBeNull();
    },
  );

  it.each<CompatValue>(['unknown', 'standard'])(
    'hao_or_bu_without_homeless_support_makes_%s_standard_mobile',
    (from) => {
      const r = stepCompat(compatSnapshot(from), MOBILE);
      expect(r.value).toBe('standard-mobile');
      expect(r.context.homeAddress).toBe(B1);
      expect(r.context.careOfAddress).toBe(B2);
    },
  );

  it('standard_mobile_records_each_new_home_and_care_of_address', () => {
    const s = compatSnapshot('standard-mobile', { homeAddress: B1, careOfAddress: B2 });
    const moved = stepCompat(s, {
      type: 'mobileSignal',
      hao: B1,
      lastBu: { careOf: '2001:db8:b9::1', lifetimeSeconds: 60 },
    });
    expect(moved.value).toBe('standard-mobile');
    expect(moved.context.careOfAddress).toBe('2001:db8:b9::1');
    // draft-13 §8.3: lifetime 0, or care-of = home, deletes the binding.
    expect(
      stepCompat(s, { type: 'mobileSignal', hao: B1, lastBu: { careOf: B2, lifetimeSeconds: 0 } }).context
        .careOfAddress,
    ).toBeNull();
    expect(
      stepCompat(s, { type: 'mobileSignal', hao: B1, lastBu: { careOf: B1, lifetimeSeconds: 60 } }).context
        .careOfAddress,
    ).toBeNull();
    // An HAO without a BU keeps the care-of address.
    expect(stepCompat(s, { type: 'mobileSignal', hao: B1, lastBu: null }).context.careOfAddress).toBe(B2);
  });

  it.each<CompatValue>(['unknown', 'standard'])('parameter_problem_quoting_alice_makes_%s_legacy', (from) => {
    expect(stepCompat(compatSnapshot(from), LEGACY_EVIDENCE).value).toBe('legacy');
  });

  it.each([
    ['another code', { ...LEGACY_EVIDENCE, code: 1 }],
    ['a pointer off the Mobile IPv6 options', { ...LEGACY_EVIDENCE, aboutMobilityOption: false }],
    ['a quote that is not Alice’s packet', { ...LEGACY_EVIDENCE, quotesAlice: false }],
  ])('parameter_problem_with_%s_changes_nothing', (_label, event) => {
    expect(stepCompat(compatSnapshot('unknown'), event).same).toBe(true);
  });

  it('homeless_never_moves_down', () => {
    const homeless = compatSnapshot('homeless');
    for (const e of [
      MOBILE,
      LEGACY_EVIDENCE,
      { type: 'clock', now: 10 ** 12 },
      { type: 'initialBuSent', now: 1 },
    ] as const) {
      expect(stepCompat(homeless, e).same).toBe(true);
    }
  });

  it('standard_mobile_and_legacy_ignore_what_rule_15_does_not_name', () => {
    expect(stepCompat(compatSnapshot('standard-mobile'), LEGACY_EVIDENCE).same).toBe(true);
    expect(stepCompat(compatSnapshot('legacy'), MOBILE).same).toBe(true);
    expect(stepCompat(compatSnapshot('standard'), { type: 'clock', now: 10 ** 12 }).same).toBe(true);
  });
});
