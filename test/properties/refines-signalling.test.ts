// REFINES-SIGNALLING (docs/properties.md): how Alice transmits her Challenges (rule 9), judged
// from the trace alone. The reference host holds it on the schedules that make each part
// matter; each of the bank's three mutants of rule 9 fails it there, with the reason that names
// its part (at once, on time, from the same address). Part (e), the AH of her BUs and BAs, has
// its own pair at the end.

import { describe, expect, it } from 'vitest';
import { hostRulesFor } from '../../properties/adapter/demands.js';
import { paramsFor } from '../../properties/arbitraries/schedule.js';
import { refinesSignalling } from '../../properties/invariants/refines-signalling.js';
import { challengeFromOldestAddress } from '../../properties/mutants/bank/challenge-from-oldest-address.js';
import { challengeSentLate } from '../../properties/mutants/bank/challenge-sent-late.js';
import { noChallengeRetransmission } from '../../properties/mutants/bank/no-challenge-retransmission.js';
import { acknowledgesWithoutAh } from '../../properties/mutants/bank/acknowledges-without-ah.js';
import { referenceAlice } from '../../properties/world/alice.js';
import type { Action, AliceFactory, WorldConfig } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';

const CONFIG: WorldConfig = {
  seed: 7,
  params: paramsFor('default'),
  aliceAddressCount: 1,
  alg: 'hmac-sha1-96',
  carol: 'absent',
  sam: false,
  lee: false,
  mallory: 'generic',
};
const CL = CONFIG.params.challengeLifetimeMs;

function judge(actions: Action[], alice: AliceFactory): ReturnType<typeof refinesSignalling.check> {
  return refinesSignalling.check(runSchedule({ config: CONFIG, actions }, alice).trace);
}

/** Bob moves and Alice's Challenge to his new address is lost on the way: only a retransmission verifies it. */
const LOST_CHALLENGE: Action[] = [
  { kind: 'peerMove', peer: 'bob' },
  { kind: 'advance', ms: 11 },
  { kind: 'lose', select: 'challenge', fromEnd: 0 },
  { kind: 'advance', ms: CL + 500 },
];

/** Alice holds two addresses; Mallory's withheld claim reaches her newer one and is never answered. */
const WITHHELD_AT_NEWER: Action[] = [
  { kind: 'aliceGain' },
  { kind: 'advance', ms: 300 },
  { kind: 'withhold', sa: 'generic', pick: 0 },
  { kind: 'advance', ms: CL + 500 },
];

describe('REFINES-SIGNALLING', () => {
  it('the_reference_host_retransmits_a_lost_challenge_and_keeps_a_withheld_one_at_its_source', () => {
    const lost = judge(LOST_CHALLENGE, referenceAlice);
    expect(lost).toMatchObject({ ok: true });
    expect(lost.ok && lost.judged).toBeGreaterThanOrEqual(2);
    const withheld = judge(WITHHELD_AT_NEWER, referenceAlice);
    expect(withheld).toMatchObject({ ok: true });
    expect(withheld.ok && withheld.judged).toBeGreaterThanOrEqual(CONFIG.params.challengeAttemptsMax);
  });

  it('a_host_that_never_retransmits_fails_at_the_tick_the_copy_was_due', () => {
    const v = judge(LOST_CHALLENGE, noChallengeRetransmission.factory);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toMatch(/did not retransmit the Challenge to 2001:db8:b:1::1 .*\(rule 9\)/);
  });

  it('a_host_that_sends_a_new_challenge_only_at_its_first_retransmission_fails', () => {
    const v = judge(
      [
        { kind: 'peerMove', peer: 'bob' },
        { kind: 'advance', ms: 2000 },
      ],
      challengeSentLate.factory,
    );
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toMatch(
      /first sent a Challenge to 2001:db8:b:1::1 .* in tick at .*rule 9 sends it at once/,
    );
  });

  it('a_host_that_retransmits_from_its_oldest_address_fails_while_it_still_holds_the_first_source', () => {
    expect(judge(LOST_CHALLENGE, challengeFromOldestAddress.factory)).toMatchObject({ ok: true });
    const v = judge(WITHHELD_AT_NEWER, challengeFromOldestAddress.factory);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toMatch(
      /from 2001:db8:a::1, where the last copy came from 2001:db8:a:1::1, which she still holds/,
    );
  });

  it('a_departure_names_the_rules_its_reason_cites', () => {
    expect(
      hostRulesFor(
        'Alice sent the Challenge again in tick at 3.000 s: rules 9 and 16 retransmit only in a tick',
        'REFINES-SIGNALLING',
      ),
    ).toEqual([9, 16]);
    expect(hostRulesFor('the first copy (rule 9)', 'REFINES-SIGNALLING')).toEqual([9]);
  });
});

describe('REFINES-SIGNALLING (e): every BU and BA Alice sends is under AH', () => {
  // The setup alone has Bob's Initial BU with the A bit, which Alice acknowledges (rule 10).
  const SETTLE: Action[] = [{ kind: 'advance', ms: 1000 }];

  it('holds_for_the_reference_host_whose_bus_and_bas_all_verify', () => {
    expect(judge(SETTLE, referenceAlice).ok).toBe(true);
  });

  it('fails_a_host_that_acknowledges_without_ah_naming_the_ba_and_the_missing_ah', () => {
    const v = judge(SETTLE, acknowledgesWithoutAh.factory);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.reason).toMatch(/sent a BA to .* without AH/);
  });
});
