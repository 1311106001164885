// Every transition of the address machine (§2.1.4, §3.4.2, HOST.md rules 4, 6, 9, 12, 13, 16,
// 17, 19), through XState's pure `transition()`.

import { describe, expect, it } from 'vitest';
import { addressSnapshot, PARAMS, stepAddress } from './helpers.js';
import type { AddressValue } from '../../model/address.js';

const S = 1000; // ms per second
const T0 = 1_000_000;
const CHALLENGE_END = T0 + PARAMS.challengeLifetimeMs;
const live = {
  lifetimeKind: 'absolute',
  expiresAt: CHALLENGE_END,
  challengeEpoch: 2,
  challengeEndsAt: CHALLENGE_END,
} as const;
const held = { lifetimeKind: 'absolute', expiresAt: T0 + 600 * S, challengeEpoch: 0, challengeEndsAt: 0 } as const;
const rechecking = { ...held, challengeEpoch: 1, challengeEndsAt: CHALLENGE_END } as const;

describe('absent (rules 6, 17)', () => {
  it('named_address_becomes_tentative_and_is_challenged_at_once', () => {
    const r = stepAddress(addressSnapshot('absent'), { type: 'named', now: T0, lifetimeSeconds: 600, epoch: 1 });
    expect(r.value).toBe('tentative.challenged');
    expect(r.effects).toEqual(['sendChallenge']);
    // Rule 19: tentative lifetime = {absolute, first Challenge + challengeLifetimeMs}.
    expect(r.context).toMatchObject({
      lifetimeKind: 'absolute',
      expiresAt: CHALLENGE_END,
      challengeEpoch: 1,
      challengeEndsAt: CHALLENGE_END,
    });
  });

  it('first_address_is_active_with_an_activity_lifetime_rule_17', () => {
    const r = stepAddress(addressSnapshot('absent'), { type: 'established', now: T0 });
    expect(r.value).toBe('active.held');
    expect(r.context).toMatchObject({ lifetimeKind: 'activity', expiresAt: T0 + PARAMS.defaultLifetimeSeconds * S });
  });
});

describe('tentative (rules 9, 12, 13)', () => {
  const challenged = addressSnapshot('tentative.challenged', live);

  it('tentative_named_again_is_unchanged_rule_6', () => {
    expect(stepAddress(challenged, { type: 'named', now: T0 + 1, lifetimeSeconds: 60, epoch: 3 }).same).toBe(true);
  });

  it('matching_response_makes_it_active_from_the_response_arrival', () => {
    const r = stepAddress(challenged, {
      type: 'response',
      now: T0 + 700,
      answers: 2,
      lifetimeSeconds: 9999,
      contested: false,
    });
    expect(r.value).toBe('active.held');
    // Rule 12: absolute min(L, bindingLifetimeSecondsMax) from the Response's arrival.
    expect(r.context).toMatchObject({
      lifetimeKind: 'absolute',
      expiresAt: T0 + 700 + PARAMS.bindingLifetimeSecondsMax * S,
    });
  });

  it('response_to_an_older_challenge_or_forged_changes_nothing', () => {
    expect(
      stepAddress(challenged, { type: 'response', now: T0 + 1, answers: 1, lifetimeSeconds: 600, contested: false })
        .same,
    ).toBe(true);
    expect(
      stepAddress(challenged, {
        type: 'response',
        now: T0 + 1,
        answers: 'forged',
        lifetimeSeconds: 600,
        contested: false,
      }).same,
    ).toBe(true);
  });

  it('claimant_that_answers_while_a_rival_check_runs_waits_rule_13', () => {
    const r = stepAddress(challenged, {
      type: 'response',
      now: T0 + 700,
      answers: 2,
      lifetimeSeconds: 600,
      contested: true,
    });
    expect(r.value).toBe('tentative.answered');
    // It still shows its tentative lifetime; the grant is kept for the win.
    expect(r.context).toMatchObject({ expiresAt: CHALLENGE_END, grantedExpiresAt: T0 + 700 + 600 * S });
  });

  it('challenge_expiry_removes_an_unanswered_tentative_address_at_the_exact_instant', () => {
    expect(stepAddress(challenged, { type: 'clock', now: CHALLENGE_END - 1 }).same).toBe(true);
    expect(stepAddress(challenged, { type: 'clock', now: CHALLENGE_END }).value).toBe('removed');
  });

  it('answered_claimant_wins_with_the_granted_lifetime', () => {
    const answered = addressSnapshot('tentative.answered', { ...live, grantedExpiresAt: T0 + 42 * S });
    const r = stepAddress(answered, { type: 'won' });
    expect(r.value).toBe('active.held');
    expect(r.context).toMatchObject({ lifetimeKind: 'absolute', expiresAt: T0 + 42 * S });
    // An answered claimant has no live Challenge: the clock does not end it.
    expect(stepAddress(answered, { type: 'clock', now: CHALLENGE_END + 1 }).same).toBe(true);
  });

  it.each<AddressValue>(['tentative.challenged', 'tentative.answered'])(
    'lifetime_zero_or_flush_removes_%s',
    (value) => {
      expect(stepAddress(addressSnapshot(value, live), { type: 'unnamed' }).value).toBe('removed');
      expect(stepAddress(addressSnapshot(value, live), { type: 'flushed' }).value).toBe('removed');
    },
  );
});

describe('active (rules 4, 6, 13, 16, 17)', () => {
  it('bu_refreshes_an_active_address_with_an_absolute_lifetime_rule_6', () => {
    const activity = addressSnapshot('active.held', { lifetimeKind: 'activity', expiresAt: T0 });
    const r = stepAddress(activity, { type: 'named', now: T0 - 10, lifetimeSeconds: 30, epoch: 1 });
    expect(r.value).toBe('active.held');
    expect(r.context).toMatchObject({ lifetimeKind: 'absolute', expiresAt: T0 - 10 + 30 * S });
    expect(r.effects).toEqual([]);
  });

  it('activity_refreshes_activity_lifetimes_only_rule_4', () => {
    const activity = addressSnapshot('active.held', { lifetimeKind: 'activity', expiresAt: T0 });
    expect(stepAddress(activity, { type: 'activity', now: T0 - 5 }).context.expiresAt).toBe(
      T0 - 5 + PARAMS.defaultLifetimeSeconds * S,
    );
    expect(stepAddress(addressSnapshot('active.held', held), { type: 'activity', now: T0 }).same).toBe(true);
  });

  it('established_again_restarts_an_activity_lifetime_rule_17', () => {
    const activity = addressSnapshot('active.held', { lifetimeKind: 'activity', expiresAt: T0 });
    expect(stepAddress(activity, { type: 'established', now: T0 + 1 }).context.expiresAt).toBe(
      T0 + 1 + PARAMS.defaultLifetimeSeconds * S,
    );
    expect(stepAddress(addressSnapshot('active.held', held), { type: 'established', now: T0 }).same).toBe(true);
  });

  it('lifetime_expiry_deprecates_keeping_kind_and_the_expiry_instant_rule_19', () => {
    const s = addressSnapshot('active.held', { lifetimeKind: 'activity', expiresAt: T0 });
    expect(stepAddress(s, { type: 'clock', now: T0 - 1 }).same).toBe(true);
    const r = stepAddress(s, { type: 'clock', now: T0 + 12_345 });
    expect(r.value).toBe('deprecated');
    expect(r.context).toMatchObject({ lifetimeKind: 'activity', expiresAt: T0 });
  });

  it.each<['unnamed' | 'displaced' | 'flushed', AddressValue]>([
    ['unnamed', 'active.held'],
    ['displaced', 'active.held'],
    ['flushed', 'active.recheckAnswered'],
    ['unnamed', 'active.rechecking'],
  ])('%s_removes_%s', (type, value) => {
    expect(stepAddress(addressSnapshot(value, rechecking), { type }).value).toBe('removed');
  });

  it('conflicting_claim_rechecks_the_holder_which_stays_active_rule_13', () => {
    const r = stepAddress(addressSnapshot('active.held', held), { type: 'recheck', now: T0, epoch: 5 });
    expect(r.value).toBe('active.rechecking');
    expect(r.effects).toEqual(['sendRecheck']);
    expect(r.context).toMatchObject({ expiresAt: held.expiresAt, challengeEpoch: 5, challengeEndsAt: CHALLENGE_END });
  });

  it('holder_answering_its_recheck_keeps_the_address_with_a_new_lifetime', () => {
    const s = addressSnapshot('active.rechecking', rechecking);
    const alone = stepAddress(s, { type: 'response', now: T0 + 1, answers: 1, lifetimeSeconds: 100, contested: false });
    expect(alone.value).toBe('active.held');
    expect(alone.context.expiresAt).toBe(T0 + 1 + 100 * S);
    const contested = stepAddress(s, {
      type: 'response',
      now: T0 + 1,
      answers: 1,
      lifetimeSeconds: 100,
      contested: true,
    });
    expect(contested.value).toBe('active.recheckAnswered');
    expect(contested.context.expiresAt).toBe(T0 + 1 + 100 * S);
    expect(
      stepAddress(s, { type: 'response', now: T0 + 1, answers: 'forged', lifetimeSeconds: 100, contested: false }).same,
    ).toBe(true);
  });

  it('silent_holder_loses_the_address_when_its_recheck_ends_rule_13', () => {
    const s = addressSnapshot('active.rechecking', rechecking);
    expect(stepAddress(s, { type: 'clock', now: CHALLENGE_END - 1 }).same).toBe(true);
    expect(stepAddress(s, { type: 'clock', now: CHALLENGE_END }).value).toBe('removed');
  });

  it('recheck_and_lifetime_ending_together_remove_rather_than_deprecate', () => {
    const tie = addressSnapshot('active.rechecking', { ...rechecking, expiresAt: CHALLENGE_END });
    expect(stepAddress(tie, { type: 'clock', now: CHALLENGE_END }).value).toBe('removed');
    const lifetimeFirst = addressSnapshot('active.rechecking', { ...rechecking, expiresAt: CHALLENGE_END - 1 });
    expect(stepAddress(lifetimeFirst, { type: 'clock', now: CHALLENGE_END + 5 }).value).toBe('deprecated');
  });

  it('holder_that_answered_keeps_it_when_the_claimant_fails', () => {
    expect(stepAddress(addressSnapshot('active.recheckAnswered', rechecking), { type: 'won' }).value).toBe(
      'active.held',
    );
  });
});

describe('deprecated (rules 6, 16, 17)', () => {
  const deprecated = addressSnapshot('deprecated', { lifetimeKind: 'absolute', expiresAt: T0 });
  const removal = T0 + PARAMS.maximumExpiredLifetimeSeconds * S;

  it('deprecated_named_again_becomes_tentative_and_is_challenged_s5_3', () => {
    const r = stepAddress(deprecated, { type: 'named', now: T0 + 10, lifetimeSeconds: 600, epoch: 4 });
    expect(r.value).toBe('tentative.challenged');
    expect(r.effects).toEqual(['sendChallenge']);
    expect(r.context).toMatchObject({
      lifetimeKind: 'absolute',
      expiresAt: T0 + 10 + PARAMS.challengeLifetimeMs,
      challengeEpoch: 4,
    });
  });

  it('deprecated_removed_max_expired_lifetime_after_the_expiry_instant', () => {
    expect(stepAddress(deprecated, { type: 'clock', now: removal - 1 }).same).toBe(true);
    expect(stepAddress(deprecated, { type: 'clock', now: removal }).value).toBe('removed');
  });

  it('deprecated_first_address_of_a_reused_entry_is_active_again_rule_17', () => {
    const r = stepAddress(deprecated, { type: 'established', now: T0 + 5 });
    expect(r.value).toBe('active.held');
    expect(r.context).toMatchObject({
      lifetimeKind: 'activity',
      expiresAt: T0 + 5 + PARAMS.defaultLifetimeSeconds * S,
    });
  });

  it('lifetime_zero_or_flush_removes_a_deprecated_address', () => {
    expect(stepAddress(deprecated, { type: 'unnamed' }).value).toBe('removed');
    expect(stepAddress(deprecated, { type: 'flushed' }).value).toBe('removed');
  });

  it('a_deprecated_address_takes_no_response_and_no_activity', () => {
    expect(
      stepAddress(deprecated, { type: 'response', now: T0, answers: 0, lifetimeSeconds: 600, contested: false }).same,
    ).toBe(true);
    expect(stepAddress(deprecated, { type: 'activity', now: T0 }).same).toBe(true);
  });
});

describe('removed (final)', () => {
  it('removed_is_final', () => {
    const s = addressSnapshot('removed');
    expect(s.status).toBe('done');
    expect(stepAddress(s, { type: 'named', now: 1, lifetimeSeconds: 1, epoch: 1 }).same).toBe(true);
  });
});
