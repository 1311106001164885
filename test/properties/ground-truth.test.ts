// The world's ground truth (properties/invariants/ground-truth.ts, docs/properties.md "Ground
// truth"): MUST-ACTIVE and MAY-ACTIVE per entry, from the trace alone. On fixed schedules each
// rule that proves or unproves an address; on random schedules, that the reference host's
// report always lies between the two (MUST-ACTIVE ⊆ reported active ⊆ MAY-ACTIVE), and that
// neither bound is vacuous.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HostState } from '../../impl/host/index.js';
import { scheduleArbitrary } from '../../properties/arbitraries/schedule.js';
import { GroundTruth, saKey, sendKey, type TruthView } from '../../properties/invariants/ground-truth.js';
import { aliceCalls, entryForSa } from '../../properties/invariants/trace-view.js';
import { blackBox, referenceAlice } from '../../properties/world/alice.js';
import { A } from '../../properties/world/describe.js';
import type { Action, Trace } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';
import { callsOf, worldConfig } from '../helpers/world.js';

const BOB_FIRST = '2001:db8:b::1';
const BOB_NEXT = '2001:db8:b:1::1';
const MALLORY_FIRST = '2001:db8:e::1';
const MALLORY_SECOND = '2001:db8:e::2';
const STRANGER = '2001:db8:7:1::1';
const MS_PER_SECOND = 1000;

/** Bob and Mallory (generic SA) only: every entry is one of theirs or one a `send` made. */
const SMALL = worldConfig({ seed: 3 });

function run(actions: Action[], config = SMALL): { trace: Trace; truth: GroundTruth } {
  const trace = runSchedule({ config, actions }, referenceAlice).trace;
  return { trace, truth: new GroundTruth(trace) };
}

/** The ground truth after the last call of step `step`. */
function afterStep(trace: Trace, truth: GroundTruth, step: number): TruthView {
  const calls = aliceCalls(trace).filter((c) => c.step === step);
  const last = calls[calls.length - 1];
  if (last === undefined) throw new Error(`no call in step ${step}`);
  return truth.afterCall(last.event.call);
}

const sorted = (s: ReadonlySet<string>): string[] => [...s].sort();

describe('ground truth on fixed schedules', () => {
  it('each_sa_peer_is_must_active_from_add_sa_in_its_own_entry', () => {
    const { trace, truth } = run([A.advance({ ms: 500 })]);
    const view = afterStep(trace, truth, 1);
    expect(view.acceptedSas.map((s) => s.name)).toEqual(['alice-bob', 'alice-mallory-generic']);
    expect(sorted(view.mustActive('sa:alice-bob'))).toEqual([BOB_FIRST]);
    expect(sorted(view.mayActive('sa:alice-bob'))).toEqual([BOB_FIRST]);
    expect(sorted(view.mustActive('sa:alice-mallory-generic'))).toEqual([MALLORY_FIRST]);
    expect(sorted(view.local)).toEqual(['2001:db8:a::1']);
    // Before Alice's first call nothing is known of any entry.
    expect(truth.initial().entries).toEqual([]);
  });

  it('a_verified_move_makes_the_new_address_may_active_and_the_deleting_bu_removes_the_old_one', () => {
    const { trace, truth } = run([A.advance({ ms: 500 }), A.peerMove({ peer: 'bob' }), A.advance({ ms: 500 })]);
    const view = afterStep(trace, truth, 3);
    // The Response to the Challenge sent to Bob's new address reached Alice (§3.4.2 step 3).
    expect(sorted(view.mayActive('sa:alice-bob'))).toEqual([BOB_NEXT]);
    // Bob's deleting BU (rule 20) removed his first address: neither proven nor possible now.
    expect(sorted(view.mustActive('sa:alice-bob'))).toEqual([]);
    // While Bob's new address was still tentative, it was no more than tentative.
    const claimed = aliceCalls(trace).find(
      (c) =>
        c.step === 3 &&
        c.after?.entries.some((e) => e.addresses.some((a) => a.address === BOB_NEXT && a.status === 'tentative')),
    );
    if (claimed === undefined) throw new Error("Bob's new address was never tentative");
    expect(truth.afterCall(claimed.event.call).mayActive('sa:alice-bob').has(BOB_NEXT)).toBe(false);
  });

  it('a_claim_under_another_sa_costs_the_holder_its_proof_and_gives_the_claimant_nothing', () => {
    const claim = A.claim({ sa: 'generic', target: { kind: 'peer', peer: 'bob', pick: 0 }, form: 'alt-coa' });
    const { trace, truth } = run([A.advance({ ms: 500 }), claim, A.advance({ ms: 6000 })]);
    const view = afterStep(trace, truth, 3);
    // Rule 13: had Bob's re-check gone unanswered, he would have lost it.
    expect(view.mustActive('sa:alice-bob').has(BOB_FIRST)).toBe(false);
    expect(view.mayActive('sa:alice-bob').has(BOB_FIRST)).toBe(true);
    // Mallory never received the Challenge sent to Bob's address: no Response, no activation.
    expect(sorted(view.mayActive('sa:alice-mallory-generic'))).toEqual([MALLORY_FIRST]);
    expect(view.mustActive('sa:alice-mallory-generic').has(MALLORY_FIRST)).toBe(true);
  });

  it('an_address_mallory_owns_and_answers_for_is_may_active_under_its_sa', () => {
    const claim = A.claim({ sa: 'generic', target: { kind: 'own', pick: 1 }, form: 'alt-coa' });
    const { trace, truth } = run([A.advance({ ms: 500 }), claim, A.advance({ ms: 500 })]);
    expect(sorted(afterStep(trace, truth, 3).mayActive('sa:alice-mallory-generic'))).toEqual([
      MALLORY_FIRST,
      MALLORY_SECOND,
    ]);
  });

  it('an_entry_creating_send_is_must_active_for_default_lifetime_seconds_then_may_active_no_longer', () => {
    const { trace, truth } = run([A.advance({ ms: 500 }), A.aliceSendNew({ n: 1 }), A.advance({ ms: 100 })]);
    const send = aliceCalls(trace).find((c) => c.event.op === 'send');
    if (send === undefined) throw new Error('no send');
    const at = send.event.at;
    const key = sendKey(STRANGER);
    expect(sorted(truth.afterCall(send.event.call).mustActive(key))).toEqual([STRANGER]);
    const lifetimeMs = SMALL.params.defaultLifetimeSeconds * MS_PER_SECOND;
    const longestMs =
      Math.max(SMALL.params.defaultLifetimeSeconds, SMALL.params.bindingLifetimeSecondsMax) * MS_PER_SECOND;
    // Rule 17: an activity-related lifetime, refreshed by nothing the world saw (rule 21: sending does not).
    expect(
      truth
        .atInstant(at + lifetimeMs - 1)
        .mustActive(key)
        .has(STRANGER),
    ).toBe(true);
    expect(
      truth
        .atInstant(at + lifetimeMs)
        .mustActive(key)
        .has(STRANGER),
    ).toBe(false);
    expect(
      truth
        .atInstant(at + longestMs)
        .mayActive(key)
        .has(STRANGER),
    ).toBe(true);
    expect(
      truth
        .atInstant(at + longestMs + 1)
        .mayActive(key)
        .has(STRANGER),
    ).toBe(false);
    // Deprecated at worst for maximumExpiredLifetimeSeconds more: still a candidate for rule 21.
    expect(
      truth
        .atInstant(at + longestMs + 1)
        .entry(key)
        ?.mayHold.has(STRANGER),
    ).toBe(true);
  });

  it('add_sa_takes_over_the_entry_a_send_made_and_keeps_its_first_address_proven', () => {
    const { trace, truth } = run([
      A.advance({ ms: 500 }),
      A.aliceSendNew({ n: 1 }),
      A.advance({ ms: 100 }),
      A.aliceAddSa({ n: 1 }),
      A.advance({ ms: 100 }),
    ]);
    const send = aliceCalls(trace).find((c) => c.event.op === 'send');
    if (send === undefined) throw new Error('no send');
    const view = afterStep(trace, truth, 4);
    const sa = view.acceptedSas.find((s) => s.peerAddress === STRANGER);
    if (sa === undefined) throw new Error('no SA with the stranger');
    expect(view.entry(sendKey(STRANGER))).toBeUndefined();
    expect(sorted(view.mustActive(saKey(sa)))).toEqual([STRANGER]);
    // Counted from the send that made the entry (HOST.md rule 17; conservative if addSA renews it).
    const lifetimeMs = SMALL.params.defaultLifetimeSeconds * MS_PER_SECOND;
    expect(
      truth
        .atInstant(send.event.at + lifetimeMs)
        .mustActive(saKey(sa))
        .has(STRANGER),
    ).toBe(false);
  });

  it('a_clock_jump_past_every_lifetime_ends_both_proof_and_possibility', () => {
    const { trace, truth } = run([A.advance({ ms: 500 }), A.jump({ past: 'all' }), A.advance({ ms: 100 })]);
    const view = afterStep(trace, truth, 2);
    // Bob's periodic BU after the jump names his address again: it is tentative then, never active.
    expect(sorted(view.mayActive('sa:alice-bob'))).toEqual([]);
    expect(sorted(view.mustActive('sa:alice-bob'))).toEqual([]);
  });

  it('local_follows_the_owners_at_the_start_and_her_accepted_address_changes', () => {
    const { trace, truth } = run([
      A.aliceGain(),
      A.advance({ ms: 100 }),
      A.aliceLose({ pick: 0 }),
      A.advance({ ms: 100 }),
    ]);
    expect(sorted(afterStep(trace, truth, 1).local)).toEqual(['2001:db8:a:1::1', '2001:db8:a::1']);
    expect(sorted(afterStep(trace, truth, 3).local)).toEqual(['2001:db8:a:1::1']);
  });

  it('a_response_after_its_challenges_lifetime_makes_nothing_may_active', () => {
    // Rule 9: the Challenge lives challengeLifetimeMs (5 s) from its first transmission; the
    // retransmissions at +1 s and +2 s do not extend it.
    const late = [
      A.advance({ ms: 500 }),
      A.withhold({ sa: 'generic', pick: 0 }),
      A.advance({ ms: 6000 }),
      A.reuse({ what: 'late', fromEnd: 0, target: { kind: 'own', pick: 0 } }),
      A.advance({ ms: 300 }),
    ];
    const { trace, truth } = run(late);
    const withheld = aliceCalls(trace)
      .flatMap((c) => c.event.sent)
      .map((id) => trace.packets[id])
      .find((p) => p.info.bas.some((b) => b.security !== undefined));
    if (withheld?.info.destination === undefined) throw new Error('no Challenge was sent');
    expect(afterStep(trace, truth, 5).mayActive('sa:alice-mallory-generic').has(withheld.info.destination)).toBe(false);
    // The same Response within the lifetime makes it may-active.
    const inTime = run([
      A.advance({ ms: 500 }),
      A.withhold({ sa: 'generic', pick: 0 }),
      A.advance({ ms: 2500 }),
      A.reuse({ what: 'late', fromEnd: 0, target: { kind: 'own', pick: 0 } }),
      A.advance({ ms: 300 }),
    ]);
    expect(
      afterStep(inTime.trace, inTime.truth, 5).mayActive('sa:alice-mallory-generic').has(withheld.info.destination),
    ).toBe(true);
  });

  it('a_deleting_bu_after_the_sequence_numbers_wrap_removes_the_address_for_sure', () => {
    // Rule 7: newer modulo 2^16 than the last accepted BU (65535 -> 0 -> 1, then 2 deletes).
    const { trace, truth } = run([A.advance({ ms: 500 }), A.seqWrap({ sa: 'generic' }), A.advance({ ms: 300 })]);
    const deleting = aliceCalls(trace).find(
      (c) =>
        c.event.op === 'receive' &&
        c.event.input !== undefined &&
        trace.packets[c.event.input].info.bus.some((b) => b.lifetimeSeconds === 0),
    );
    if (deleting === undefined) throw new Error('the deleting BU never reached Alice');
    expect(truth.afterCall(deleting.event.call).mayActive('sa:alice-mallory-generic').has(MALLORY_FIRST)).toBe(false);
    // Named anew and answered, it is may-active again (no longer proven).
    const view = afterStep(trace, truth, 3);
    expect(view.mayActive('sa:alice-mallory-generic').has(MALLORY_FIRST)).toBe(true);
    expect(view.mustActive('sa:alice-mallory-generic').has(MALLORY_FIRST)).toBe(false);
  });

  it('a_first_address_has_an_activity_lifetime_until_a_bu_every_host_accepts_makes_it_absolute', () => {
    const { trace, truth } = run([A.aliceSendNew({ n: 1 }), A.advance({ ms: 500 })]);
    const send = callsOf(trace, 'send').at(0);
    if (send === undefined || send.event.invalid === true) throw new Error('no send');
    const to = send.event.request.to;
    // §2.1.1 (R2.1.1-7): the entry a send made holds `to` with an activity-related lifetime.
    expect(truth.afterCall(send.event.call).entry(sendKey(to))?.lifetimes.get(to)).toEqual({ kind: 'activity' });
    // §2.1.4 (R2.1.4-4): Bob's Initial BU (its HAO is his proven first address) makes his absolute.
    const initial = callsOf(trace, 'receive').find(
      (c) =>
        c.event.truth?.sa === 'alice-bob' &&
        c.event.input !== undefined &&
        trace.packets[c.event.input].info.bus.length > 0,
    );
    if (initial?.event.input === undefined) throw new Error("Bob's Initial BU never reached Alice");
    const bu = trace.packets[initial.event.input].info.bus[0];
    expect(truth.afterCall(initial.event.call).entry('sa:alice-bob')?.lifetimes.get(BOB_FIRST)).toEqual({
      kind: 'absolute',
      expiresAtMax: initial.event.at + bu.lifetimeSeconds * MS_PER_SECOND,
    });
  });

  it('the_truth_is_the_same_in_black_box_mode', () => {
    const actions = [
      A.advance({ ms: 500 }),
      A.peerMove({ peer: 'bob' }),
      A.advance({ ms: 500 }),
      A.aliceSendNew({ n: 1 }),
      A.advance({ ms: 100 }),
    ];
    const withState = new GroundTruth(runSchedule({ config: SMALL, actions }, referenceAlice).trace);
    const without = new GroundTruth(runSchedule({ config: SMALL, actions }, blackBox(referenceAlice)).trace);
    expect(without.calls).toBe(withState.calls);
    for (let call = 0; call < withState.calls; call++)
      expect(without.afterCall(call)).toEqual(withState.afterCall(call));
  });
});

/** Per call: the reference's report against the truth (returns the first disagreement, and counts). */
function compare(
  trace: Trace,
  truth: GroundTruth,
  stats: { must: number; excluded: number; calls: number },
): string | null {
  for (const call of aliceCalls(trace)) {
    const state: HostState | undefined = call.event.state;
    if (state === undefined) continue;
    stats.calls += 1;
    const view = truth.afterCall(call.event.call);
    const where = `${call.event.op} #${call.event.call} (step ${call.step})`;
    for (const sa of view.acceptedSas) {
      const entry = entryForSa(state, sa);
      if (entry === undefined) return `${where}: no entry for SA ${sa.name}`;
      const active = new Set(entry.addresses.filter((a) => a.status === 'active').map((a) => a.address));
      const must = view.mustActive(saKey(sa));
      const may = view.mayActive(saKey(sa));
      stats.must += must.size;
      for (const a of must) if (!active.has(a)) return `${where}: ${a} must be active for ${sa.name}`;
      for (const a of active) if (!may.has(a)) return `${where}: ${a} may not be active for ${sa.name}`;
      // The truth rules out what is only claimed (a tentative address, Mallory's most of all).
      stats.excluded += entry.addresses.filter((a) => a.status !== 'active' && !may.has(a.address)).length;
    }
    for (const entry of state.entries.filter((e) => e.sa === null)) {
      const active = entry.addresses.filter((a) => a.status === 'active').map((a) => a.address);
      if (!active.every((a) => view.mayActive(sendKey(a)).has(a)))
        return `${where}: ${active.join(', ')} may not be active in ${entry.id}`;
    }
    for (const e of view.entries) {
      if (e.sa !== null || e.to === null || !e.mustActive.has(e.to)) continue;
      stats.must += 1;
      if (
        !state.entries.some(
          (s) => s.sa === null && s.addresses.some((a) => a.address === e.to && a.status === 'active'),
        )
      )
        return `${where}: ${e.to} must be active in an entry without an SA`;
    }
  }
  return null;
}

describe('ground truth on random schedules', () => {
  it('the_reference_reports_must_active_within_active_within_may_active_at_every_call', () => {
    const stats = { must: 0, excluded: 0, calls: 0 };
    fc.assert(
      fc.property(scheduleArbitrary(), (schedule) => {
        const trace = runSchedule(schedule, referenceAlice).trace;
        const problem = compare(trace, new GroundTruth(trace), stats);
        if (problem !== null) throw new Error(problem);
      }),
      { seed: 20261127, numRuns: 150 },
    );
    console.log(
      `ground truth over 150 schedules: ${stats.calls} state answers, ${stats.must} proven first addresses, ${stats.excluded} addresses the reference holds that the truth rules out`,
    );
    // Neither bound is vacuous: most calls carry a proven address, and the truth rules out
    // many an address the reference holds (tentative, or deprecated past any lifetime).
    expect(stats.must).toBeGreaterThan(stats.calls);
    expect(stats.excluded).toBeGreaterThan(stats.calls / 50);
  }, 300_000);
});
