// INV-DATA-TO-ACTIVE in black-box mode (docs/properties.md): without Alice's state, a UDP packet
// for an entry must go to an address the world cannot rule out as active there (ground-truth.ts
// MAY-ACTIVE). A host that sends data to an address still under check (Sam's care-of address,
// Mallory's claim on Bob's), or to one surely past its lifetime, fails; the reference
// passes, with and without state.

import { describe, expect, it } from 'vitest';
import { paramsFor } from '../../properties/arbitraries/schedule.js';
import { dataToActive } from '../../properties/invariants/data-to-active.js';
import { blackBox, referenceAlice } from '../../properties/world/alice.js';
import { A } from '../../properties/world/describe.js';
import type { Action, AliceFactory, WorldConfig } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';
import { destinationIgnoresStatus } from '../../properties/mutants/bank/destination-ignores-status.js';
import { callsOf, worldConfig } from '../helpers/world.js';

const CONFIG = worldConfig({ seed: 7, sam: true, lee: true });

/**
 * Sam (a draft-13 mobile node) moves: its BU names a care-of address that stays tentative, since
 * Sam never answers a Challenge (HOST.md rule 15a); then Alice's application sends to Sam, whose
 * entry holds that tentative address (§2.4.1: only Active Addresses may carry the data).
 */
const TALK_TO_SAM_WHILE_ITS_COA_IS_TENTATIVE: Action[] = [
  A.advance({ ms: 500 }),
  A.peerMove({ peer: 'sam' }),
  A.advance({ ms: 200 }),
  A.aliceSend({ peer: 'sam', pick: 0, proto: 'udp' }),
  A.advance({ ms: 100 }),
];

/**
 * Mallory claims Bob's address (Appendix C), and while the claim is tentative in Mallory's own
 * entry, Alice's application talks to Mallory as to any correspondent.
 */
const TALK_TO_MALLORY_WHILE_IT_CLAIMS: Action[] = [
  A.advance({ ms: 500 }),
  A.claim({ sa: 'generic', target: { kind: 'peer', peer: 'bob', pick: 0 }, form: 'alt-coa' }),
  A.advance({ ms: 200 }),
  A.correspond({ what: 'alice-sends' }),
  A.advance({ ms: 500 }),
];

/**
 * Short lifetimes: Mallory's second address, verified in its entry, has surely expired after the
 * jump when Alice's application sends to Mallory's first one (§2.2: only active addresses).
 */
const TALK_TO_MALLORY_AFTER_EXPIRY: Action[] = [
  A.advance({ ms: 500 }),
  A.claim({ sa: 'generic', target: { kind: 'own', pick: 1 }, form: 'alt-coa' }),
  A.advance({ ms: 500 }),
  A.jump({ past: 'lifetime' }),
  A.advance({ ms: 500 }),
  A.correspond({ what: 'alice-sends' }),
  A.advance({ ms: 100 }),
];

function verdictOf(alice: AliceFactory, actions: Action[], config = CONFIG) {
  return dataToActive.check(runSchedule({ config, actions }, alice).trace);
}

describe('INV-DATA-TO-ACTIVE without state', () => {
  it('data_to_a_peer_whose_entry_holds_a_tentative_address_goes_to_its_active_one', () => {
    for (const alice of [referenceAlice, blackBox(referenceAlice)]) {
      const trace = runSchedule({ config: CONFIG, actions: TALK_TO_SAM_WHILE_ITS_COA_IS_TENTATIVE }, alice).trace;
      expect(callsOf(trace, 'send').at(0)?.event.intent).toBe('sam');
      expect(dataToActive.check(trace), alice.name).toEqual({ ok: true, judged: 1 });
    }
  });

  it('a_host_that_sends_to_the_tentative_address_fails_without_state', () => {
    const verdict = verdictOf(blackBox(destinationIgnoresStatus.factory), TALK_TO_SAM_WHILE_ITS_COA_IS_TENTATIVE);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.step).toBe(4);
    expect(verdict.reason).toMatch(
      /^Alice sent UDP data \(packet #\d+\) for 2001:db8:d::1 to 2001:db8:d:1::1 in send at [\d.]+ s, which no rule can have made active in the entry the data is for \(it may be active only at 2001:db8:d::1:/,
    );
  });

  it('data_to_mallory_while_its_claim_on_bobs_address_is_tentative_goes_to_mallorys_own_address', () => {
    for (const alice of [referenceAlice, blackBox(referenceAlice)]) {
      const trace = runSchedule({ config: CONFIG, actions: TALK_TO_MALLORY_WHILE_IT_CLAIMS }, alice).trace;
      expect(callsOf(trace, 'send').at(0)?.event.intent).toBe('mallory');
      expect(dataToActive.check(trace), alice.name).toEqual({ ok: true, judged: 1 });
    }
  });

  it('a_host_that_sends_to_mallorys_tentative_claim_fails_without_state', () => {
    const verdict = verdictOf(blackBox(destinationIgnoresStatus.factory), TALK_TO_MALLORY_WHILE_IT_CLAIMS);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.step).toBe(4);
    expect(verdict.reason).toMatch(
      /^Alice sent UDP data \(packet #\d+\) for 2001:db8:e::1 to 2001:db8:b::1 in send at [\d.]+ s, which no rule can have made active in the entry the data is for \(it may be active only at 2001:db8:e::1:/,
    );
  });

  it('a_host_that_sends_to_an_address_surely_past_its_lifetime_fails_without_state', () => {
    const short: WorldConfig = { ...CONFIG, params: paramsFor('short') };
    // The reference finds no active address: unreachable, nothing sent (§2.2).
    expect(verdictOf(blackBox(referenceAlice), TALK_TO_MALLORY_AFTER_EXPIRY, short)).toEqual({ ok: true, judged: 0 });
    const verdict = verdictOf(blackBox(destinationIgnoresStatus.factory), TALK_TO_MALLORY_AFTER_EXPIRY, short);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok)
      expect(verdict.reason).toMatch(
        /^Alice sent UDP data \(packet #\d+\) for 2001:db8:e::1 to 2001:db8:e::2 in send at [\d.]+ s, which no rule can have made active/,
      );
  });

  it('data_to_the_to_address_itself_is_never_ruled_out_a_host_may_drop_an_expired_address_and_make_a_new_entry', () => {
    // §2.1.4: an expired address MAY be removed at once; a `send` to it then makes a new entry
    // (rule 21), so the black-box reading cannot tell that from sending to a deprecated `to`.
    const short: WorldConfig = { ...CONFIG, params: paramsFor('short') };
    const actions = [
      A.advance({ ms: 500 }),
      A.jump({ past: 'lifetime' }),
      A.advance({ ms: 500 }),
      A.aliceSend({ peer: 'lee', pick: 0, proto: 'udp' }),
      A.advance({ ms: 100 }),
    ];
    expect(verdictOf(blackBox(destinationIgnoresStatus.factory), actions, short)).toEqual({ ok: true, judged: 1 });
    // With state it is judged: the state says the address is deprecated there.
    expect(verdictOf(destinationIgnoresStatus.factory, actions, short).ok).toBe(false);
  });

  it('with_state_the_world_obligation_is_judged_first', () => {
    const verdict = verdictOf(destinationIgnoresStatus.factory, TALK_TO_SAM_WHILE_ITS_COA_IS_TENTATIVE);
    expect(verdict.ok).toBe(false);
    // The state adds an obligation; it never removes the world's.
    if (!verdict.ok) expect(verdict.reason).toMatch(/which no rule can have made active/);
  });
});
