// INV-OWN-MOVE on fixed schedules (docs/properties.md): Alice's own address changes are judged
// on the packets of the call that makes them, for exactly the peer entries HOST.md rule 20 says
// must be told, with `state` and in black-box mode.

import { describe, expect, it } from 'vitest';
import { REFERENCE_DECISIONS, ReferenceHost, type Address, type Decisions } from '../../impl/host/index.js';
import { paramsFor } from '../../properties/arbitraries/schedule.js';
import { ownMove } from '../../properties/invariants/own-move.js';
import { aliceCalls, SaIndex } from '../../properties/invariants/trace-view.js';
import { blackBox, hostFactory, referenceAlice } from '../../properties/world/alice.js';
import { A } from '../../properties/world/describe.js';
import type { AliceFactory, Schedule, Trace, WorldConfig } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';
import { noAnnouncement } from '../../properties/mutants/bank/no-announcement.js';
import { noDeletingBu } from '../../properties/mutants/bank/no-deleting-bu.js';
import { worldConfig } from '../helpers/world.js';

const ALICE_FIRST = '2001:db8:a::1';
const ALICE_NEXT = '2001:db8:a:1::1';

/** Bob and Carol (homeless), Sam (draft-13), Lee (legacy) and Mallory: every kind of entry. */
const EVERYONE = worldConfig({ seed: 3, carol: 'generic', sam: true, lee: true });

/** Alice gains an address once the setup has settled, then loses her first one. */
function gainThenLose(config: WorldConfig, settleMs: number): Schedule {
  return {
    config,
    actions: [
      A.advance({ ms: settleMs }),
      A.aliceGain(),
      A.advance({ ms: 500 }),
      A.aliceLose({ pick: 0 }),
      A.advance({ ms: 500 }),
    ],
  };
}

/** The peers Alice sent something to, under their SA, in the call that changed `address`. */
function peersToldOf(trace: Trace, op: 'addLocalAddress' | 'removeLocalAddress', address: Address): string[] {
  const sas = new SaIndex(trace);
  const call = aliceCalls(trace).find((c) => c.event.op === op && c.event.request?.address === address);
  if (call === undefined) throw new Error(`no ${op} of ${address}`);
  return call.event.sent.map((id) => sas.byOutbound(trace.packets[id].info.spi)?.peer ?? 'none');
}

/** Rule 20 broken the other way: the deleting BU goes out from the address Alice just lost. */
const DELETES_FROM_THE_LOST_ADDRESS: Decisions = {
  ...REFERENCE_DECISIONS,
  withdrawAddress: (ctx, address, nowMs) => {
    ctx.state.local = [address, ...ctx.state.local];
    REFERENCE_DECISIONS.withdrawAddress(ctx, address, nowMs);
    ctx.state.local = ctx.state.local.filter((a) => a !== address);
  },
};

describe('INV-OWN-MOVE', () => {
  it('the_reference_tells_every_peer_that_must_be_told_of_a_gain_and_a_loss_in_both_modes', () => {
    const schedule = gainThenLose(EVERYONE, 1000);
    const full = ownMove.check(runSchedule(schedule, referenceAlice).trace);
    // Bob, Carol, and Sam, Lee and Mallory while still of unknown kind: each call, five entries.
    expect(full).toEqual({ ok: true, judged: 8 });
    // Black-box: only Bob and Carol are proven homeless with an address surely active.
    expect(ownMove.check(runSchedule(schedule, blackBox(referenceAlice)).trace)).toEqual({ ok: true, judged: 4 });
  });

  it('standard_and_legacy_peers_are_not_owed_a_homeless_bu', () => {
    // After compatProbeTimeoutMs, Sam (silent so far) and Mallory are `standard`; Lee's
    // Parameter Problem has made it `legacy`: rule 20 tells none of them.
    const trace = runSchedule(gainThenLose(EVERYONE, 4000), referenceAlice).trace;
    const kinds = aliceCalls(trace)
      .find((c) => c.event.op === 'addLocalAddress')
      ?.after?.entries.map((e) => e.peerKind);
    expect(kinds).toEqual(['homeless', 'homeless', 'standard', 'legacy', 'standard']);
    expect(ownMove.check(trace)).toEqual({ ok: true, judged: 4 });
    expect(peersToldOf(trace, 'addLocalAddress', ALICE_NEXT).sort()).toEqual(['bob', 'carol']);
    expect(peersToldOf(trace, 'removeLocalAddress', ALICE_FIRST).sort()).toEqual(['bob', 'carol']);
  });

  it('a_host_that_sends_no_deleting_bu_fails_at_the_loss', () => {
    const schedule = gainThenLose(EVERYONE, 1000);
    for (const alice of [noDeletingBu.factory, blackBox(noDeletingBu.factory)]) {
      const verdict = ownMove.check(runSchedule(schedule, alice).trace);
      expect(verdict.ok, alice.name).toBe(false);
      if (verdict.ok) continue;
      expect(verdict.step).toBe(4);
      expect(verdict.reason).toMatch(
        /^Alice lost 2001:db8:a::1 \(removeLocalAddress at [\d.]+ s\) but sent bob no deleting BU \(lifetime 0\) naming 2001:db8:a::1 from one of her remaining addresses \(2001:db8:a:1::1\) under SA alice-bob/,
      );
    }
  });

  it('a_host_that_announces_nothing_fails_at_the_gain', () => {
    const schedule = gainThenLose(EVERYONE, 1000);
    for (const alice of [noAnnouncement.factory, blackBox(noAnnouncement.factory)]) {
      const verdict = ownMove.check(runSchedule(schedule, alice).trace);
      expect(verdict.ok, alice.name).toBe(false);
      if (verdict.ok) continue;
      expect(verdict.step).toBe(2);
      expect(verdict.reason).toMatch(
        /^Alice gained 2001:db8:a:1::1 \(addLocalAddress at [\d.]+ s\) but sent bob no BU with a lifetime > 0 naming 2001:db8:a:1::1 under SA alice-bob/,
      );
    }
  });

  it('a_deleting_bu_from_the_lost_address_itself_fails', () => {
    const alice: AliceFactory = hostFactory(
      'deletes-from-the-lost-address',
      (o) => new ReferenceHost(o, DELETES_FROM_THE_LOST_ADDRESS),
    );
    const trace = runSchedule(gainThenLose(EVERYONE, 1000), alice).trace;
    // It does send a deleting BU to Bob, from 2001:db8:a::1: not one Alice still has.
    expect(peersToldOf(trace, 'removeLocalAddress', ALICE_FIRST)).toContain('bob');
    const verdict = ownMove.check(trace);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok)
      expect(verdict.reason).toMatch(
        /no deleting BU .* from one of her remaining addresses .* BU#\d+\(A L=0 names 2001:db8:a::1\)/,
      );
  });

  it('with_appendix_b_on_an_unannounced_gain_is_not_judged_but_a_missing_deleting_bu_is', () => {
    // §2.2.1: a new address "SHOULD" be announced "or" Appendix B used instead; the MUST of a
    // deleting BU has no such alternative.
    const schedule = gainThenLose({ ...EVERYONE, params: paramsFor('optimized') }, 1000);
    expect(ownMove.check(runSchedule(schedule, noAnnouncement.factory).trace).ok).toBe(true);
    const verdict = ownMove.check(runSchedule(schedule, noDeletingBu.factory).trace);
    expect(verdict.ok).toBe(false);
  });

  it('black_box_mode_stops_judging_a_peer_once_its_first_address_is_deleted', () => {
    // Bob moves: his new address becomes active and his deleting BU removes his first one. With
    // `state` Alice still owes Bob the announcement; without it the world can no longer prove
    // that Bob's entry holds an active address (the black-box premise only loses proofs).
    const config: WorldConfig = { ...EVERYONE, carol: 'absent', sam: false, lee: false };
    const schedule: Schedule = {
      config,
      actions: [
        A.advance({ ms: 1000 }),
        A.peerMove({ peer: 'bob' }),
        A.advance({ ms: 6000 }),
        A.aliceGain(),
        A.advance({ ms: 500 }),
      ],
    };
    expect(ownMove.check(runSchedule(schedule, referenceAlice).trace)).toEqual({ ok: true, judged: 1 });
    expect(ownMove.check(runSchedule(schedule, blackBox(referenceAlice)).trace)).toEqual({ ok: true, judged: 0 });
    const verdict = ownMove.check(runSchedule(schedule, noAnnouncement.factory).trace);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/sent bob no BU .* to an active address of entry e\d \(homeless\)/);
    expect(ownMove.check(runSchedule(schedule, blackBox(noAnnouncement.factory)).trace).ok).toBe(true);
  });
});
