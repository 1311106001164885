// REFINES-SIGNALLING (docs/properties.md): how Alice transmits her Challenges (rule 9), judged
// from the trace alone. The reference host holds it on the schedules that make each part
// matter; each of the bank's three mutants of rule 9 fails it there, with the reason that names
// its part (at once, on time, from the same address). Part (e), the AH of her BUs and BAs and
// of her other packets under AH, has its own tests at the end.

import { describe, expect, it } from 'vitest';
import { hostRulesFor } from '../../properties/adapter/demands.js';
import { paramsFor } from '../../properties/arbitraries/schedule.js';
import { refinesSignalling } from '../../properties/invariants/refines-signalling.js';
import { challengeFromOldestAddress } from '../../properties/mutants/bank/challenge-from-oldest-address.js';
import { challengeSentLate } from '../../properties/mutants/bank/challenge-sent-late.js';
import { noChallengeRetransmission } from '../../properties/mutants/bank/no-challenge-retransmission.js';
import { acknowledgesWithoutAh } from '../../properties/mutants/bank/acknowledges-without-ah.js';
import { neverAcknowledges } from '../../properties/mutants/bank/never-acknowledges.js';
import { brokenHost } from '../../properties/mutants/bank/broken-host.js';
import { REFERENCE_DECISIONS, type Decisions } from '../../impl/host/index.js';
import { decodePacket } from '../../impl/wire/index.js';
import { judgePacketChecks } from '../../properties/invariants/packet-checks.js';
import { judgePeriodicBus } from '../../properties/invariants/periodic-bu.js';
import { judgePlainBas } from '../../properties/invariants/plain-ba.js';
import { judgeResponsesOwed } from '../../properties/invariants/responses-owed.js';
import { judgeStandardPeerBus } from '../../properties/invariants/standard-peer-bu.js';
import { referenceAlice } from '../../properties/world/alice.js';
import type { Action, AliceFactory, Trace, WorldConfig } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';
import { worldConfig } from '../helpers/world.js';

const CONFIG = worldConfig({ seed: 7 });
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

  // A host whose data under AH does not verify (a byte of its ICV changed): between reference
  // peers that compute the ICV the same wrong way it would pass, so the part judges every AH
  // Alice sends by the ground truth's own ICV.
  const badDataIcv = withDecisions('data-icv-wrong', {
    transmit: (ctx, packet, sa, entry) => {
      const bytes = REFERENCE_DECISIONS.transmit(ctx, packet, sa, entry);
      const decoded = decodePacket(bytes);
      const icv = decoded.ok ? decoded.layout.ahAuthData : undefined;
      if (icv !== undefined && packet.upper.kind === 'udp' && (packet.destOptions ?? []).length === 0)
        bytes[icv[0]] ^= 0x01;
      return bytes;
    },
  });
  const SEND: Action[] = [...SETTLE, { kind: 'aliceSend', peer: 'bob', pick: 0, proto: 'udp' }, ...SETTLE];

  it('holds_for_the_reference_host_whose_data_under_ah_verifies', () => {
    expect(judge(SEND, referenceAlice).ok).toBe(true);
  });

  it('fails_a_host_whose_data_under_ah_does_not_verify_citing_rfc_2402', () => {
    expect(judge(SETTLE, badDataIcv).ok).toBe(true); // no data sent yet: nothing to judge
    const v = judge(SEND, badDataIcv);
    expect(v.ok).toBe(false);
    if (!v.ok)
      expect(v.reason).toMatch(/sent a packet under AH to 2001:db8:b::1 whose AH ICV does not verify .*RFC 2402/);
  });
});

/** The reference host with one decision replaced (a broken host written for these tests). */
function withDecisions(name: string, replaced: Partial<Decisions>): AliceFactory {
  return brokenHost(name, replaced);
}

type Admission = ReturnType<Decisions['admitNamedAddress']>;

/** The reference host, but a named address it admits as `from` is reported as `to` (rules 6, 8, 10). */
function admissionAs(name: string, from: Admission, to: Admission): AliceFactory {
  return withDecisions(name, {
    admitNamedAddress: (ctx, entry, address, claim) => {
      const admission = REFERENCE_DECISIONS.admitNamedAddress(ctx, entry, address, claim);
      return admission === from ? to : admission;
    },
  });
}

/** Alice's Initial BU (the address list with the HAO) without the A bit. */
const initialWithoutAck = withDecisions('initial-bu-without-a-bit', {
  sendAddressList: (ctx, entry, route, source, ack, hao) =>
    REFERENCE_DECISIONS.sendAddressList(ctx, entry, route, source, hao ? false : ack, hao),
});

/** Every BU naming Alice's addresses with the A bit: the periodic BU too. */
const periodicWithAck = withDecisions('periodic-bu-with-a-bit', {
  sendAddressList: (ctx, entry, route, source, _ack, hao) =>
    REFERENCE_DECISIONS.sendAddressList(ctx, entry, route, source, true, hao),
});

/** Homeless Support in every BU Alice sends, whatever the peer. */
const homelessSupportEverywhere = withDecisions('homeless-support-everywhere', {
  transmit: (ctx, packet, sa, entry) => {
    const destOptions = packet.destOptions?.map((o) =>
      o.kind === 'bu' && !o.subOptions.some((s) => s.kind === 'homeless-support')
        ? { ...o, subOptions: [{ kind: 'homeless-support' as const }, ...o.subOptions] }
        : o,
    );
    return REFERENCE_DECISIONS.transmit(ctx, { ...packet, destOptions }, sa, entry);
  },
});

describe('REFINES-SIGNALLING (f): the oracle packet checks, replayed from the trace', () => {
  const TWO: WorldConfig = { ...CONFIG, aliceAddressCount: 2 };
  const run = (alice: AliceFactory): Trace =>
    runSchedule({ config: TWO, actions: [{ kind: 'advance', ms: 1000 }] }, alice).trace;

  it('holds_for_the_reference_whose_initial_bus_name_both_addresses_with_the_a_bit', () => {
    const v = judgePacketChecks(run(referenceAlice));
    expect(v).toMatchObject({ ok: true });
    // One Initial BU to Bob, one to Mallory.
    expect(v.ok && v.judged).toBe(2);
  });

  it('fails_an_initial_bu_without_the_a_bit_naming_initial_bu_the_requirement_rule_14_and_the_packet', () => {
    const v = refinesSignalling.check(run(initialWithoutAck));
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toMatch(
      /^INITIAL-BU \(R2\.1\.2-4 SHOULD, docs\/rules\.md rule 14\): addSA with 2001:db8:b::1 .* does not request a Binding Acknowledgement \(A bit\) \(packet #0: .*BU#1\(HS /,
    );
  });

  it('fails_an_initial_bu_that_names_only_its_source', () => {
    const v = refinesSignalling.check(
      run(
        withDecisions('initial-bu-names-its-source-only', {
          sendAddressList: (ctx, entry, route, source, ack, hao) => {
            const local = ctx.state.local;
            ctx.state.local = [source];
            try {
              REFERENCE_DECISIONS.sendAddressList(ctx, entry, route, source, ack, hao);
            } finally {
              ctx.state.local = local;
            }
          },
        }),
      ),
    );
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toMatch(/^INITIAL-BU \(R2\.1\.2-3 SHOULD.*does not name 2001:db8:a:1::1/);
  });

  it('leaves_an_implementation_under_test_to_the_oracle_so_nothing_is_reported_twice', () => {
    const trace = run(initialWithoutAck);
    const iut: Trace = { ...trace, alice: { ...trace.alice, oracleChecks: true } };
    expect(judgePacketChecks(iut)).toEqual({ ok: true, judged: 0 });
    expect(refinesSignalling.check(iut).ok).toBe(true);
  });
});

describe('REFINES-SIGNALLING (g): the plain BA rule 10 owes', () => {
  const SETTLE: Action[] = [{ kind: 'advance', ms: 1000 }];

  it('holds_for_the_reference_which_acknowledges_the_peers_initial_bus', () => {
    const v = judgePlainBas(runSchedule({ config: CONFIG, actions: SETTLE }, referenceAlice).trace);
    expect(v).toMatchObject({ ok: true });
    // Bob's Initial BU: a BA owed, that BA's destination, and that it answers a BU that asked.
    expect(v.ok && v.judged).toBe(3);
  });

  it('fails_the_bank_mutant_never_acknowledges_at_bobs_initial_bu', () => {
    const v = judge(SETTLE, neverAcknowledges.factory);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toMatch(
      /sent no plain BA under SA .* for BU #1 in the receive of #\d+, .*names no new address .*rule 10 owes a BA to its source 2001:db8:b::1/,
    );
  });

  it('fails_a_plain_ba_sent_to_an_address_the_entry_never_verified', () => {
    // Every plain BA goes to Mallory's victim instead.
    const misdirected = withDecisions('plain-ba-to-a-victim', {
      transmit: (ctx, packet, sa, entry) => {
        const plain =
          (packet.destOptions ?? []).some((o) => o.kind === 'ba' && o.subOptions.length === 0) &&
          !(packet.destOptions ?? []).some((o) => o.kind === 'bu');
        const to = plain ? '2001:db8:9:1::1' : packet.ipv6.destination;
        return REFERENCE_DECISIONS.transmit(ctx, { ...packet, ipv6: { ...packet.ipv6, destination: to } }, sa, entry);
      },
    });
    const v = judge(SETTLE, misdirected);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toMatch(
      /sent a plain BA \(packet #\d+\) to 2001:db8:9:1::1 .*never to an unverified address/,
    );
  });

  // Bob announces a new address (a BU with the A bit naming it): it draws a Challenge, no plain BA.
  const MOVE: Action[] = [...SETTLE, { kind: 'peerMove', peer: 'bob' }, { kind: 'advance', ms: 1000 }];

  it('holds_for_the_reference_which_sends_no_plain_ba_for_a_bu_that_drew_a_challenge', () => {
    const v = judgePlainBas(runSchedule({ config: CONFIG, actions: MOVE }, referenceAlice).trace);
    expect(v).toMatchObject({ ok: true });
    expect(v.ok && v.judged).toBeGreaterThanOrEqual(3);
  });

  it('fails_a_plain_ba_for_a_bu_that_drew_a_challenge', () => {
    // The claim is challenged, but the BU is then treated as naming nothing new.
    const alsoPlain = admissionAs('plain-ba-after-a-challenge', 'challenged', 'unchanged');
    const v = judgePlainBas(runSchedule({ config: CONFIG, actions: MOVE }, alsoPlain).trace);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toMatch(/sent a plain BA .* which none is owed for: .*#\d+, each drew a Challenge/);
  });

  it('fails_a_plain_ba_with_status_131_for_a_bu_that_named_nothing_new', () => {
    // A refresh of an active address reported as refused by a bound.
    const refusesRefresh = admissionAs('plain-ba-131-for-a-refresh', 'refreshed', 'refused');
    const v = judgePlainBas(runSchedule({ config: CONFIG, actions: SETTLE }, refusesRefresh).trace);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toMatch(/answered BU #1 .* with a plain BA of status 131: .*rule 10's status is 0/);
  });
});

describe('REFINES-SIGNALLING (g) and (e): a plain BA without AH is one fault, reported once', () => {
  const SETTLE: Action[] = [{ kind: 'advance', ms: 1000 }];
  // Every plain BA leaves without AH (R2.4-3): the BA is sent, where rule 10 wants it.
  const plainBaWithoutAh = withDecisions('plain-ba-without-ah', {
    transmit: (ctx, packet, sa, entry) => {
      const plain =
        (packet.destOptions ?? []).some((o) => o.kind === 'ba' && o.subOptions.length === 0) &&
        !(packet.destOptions ?? []).some((o) => o.kind === 'bu');
      return REFERENCE_DECISIONS.transmit(ctx, packet, plain ? null : sa, entry);
    },
  });

  it('part_g_counts_the_ba_as_sent_and_part_e_fails_its_missing_ah', () => {
    const trace = runSchedule({ config: CONFIG, actions: SETTLE }, plainBaWithoutAh).trace;
    const g = judgePlainBas(trace);
    expect(g).toMatchObject({ ok: true });
    expect(g.ok && g.judged).toBe(2);
    const v = refinesSignalling.check(trace);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).not.toMatch(/sent no plain BA/);
    expect(!v.ok && v.reason).toMatch(/AH/);
  });
});

describe('REFINES-SIGNALLING (d): what a periodic BU is (rule 16)', () => {
  const SHORT: WorldConfig = { ...CONFIG, params: paramsFor('short'), aliceAddressCount: 2 };
  const QUIET: Action[] = [{ kind: 'advance', ms: 2 * SHORT.params.bindingRefreshSeconds * 1000 + 500 }];

  it('holds_for_the_reference_whose_periodic_bus_have_no_a_bit_and_name_both_addresses', () => {
    const v = judgePeriodicBus(runSchedule({ config: SHORT, actions: QUIET }, referenceAlice).trace);
    expect(v).toMatchObject({ ok: true });
  });

  it('fails_a_periodic_bu_with_the_a_bit', () => {
    const v = judgePeriodicBus(runSchedule({ config: SHORT, actions: QUIET }, periodicWithAck).trace);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toMatch(/periodic BU to 2001:db8:b::1 .* with the A bit .*rule 16/);
  });
});

describe('REFINES-SIGNALLING (h): no Homeless Support toward a peer proven not homeless', () => {
  // Sam (a draft-13 node) at home: Alice sends to him, moves, and sends again (the emulation's BU).
  const SAM: WorldConfig = { ...CONFIG, sam: true };
  const EMULATION: Action[] = [
    { kind: 'advance', ms: 4000 },
    { kind: 'aliceSend', peer: 'sam', pick: 0, proto: 'udp' },
    { kind: 'aliceGain' },
    { kind: 'aliceLose', pick: 0 },
    { kind: 'aliceSend', peer: 'sam', pick: 0, proto: 'udp' },
    { kind: 'advance', ms: 500 },
  ];

  it('holds_for_the_reference_whose_bus_to_sam_carry_no_homeless_support', () => {
    const v = judgeStandardPeerBus(runSchedule({ config: SAM, actions: EMULATION }, referenceAlice).trace);
    expect(v).toMatchObject({ ok: true });
    expect(v.ok && v.judged).toBeGreaterThanOrEqual(1);
  });

  it('fails_a_host_whose_emulation_bu_to_sam_carries_homeless_support', () => {
    const v = judgeStandardPeerBus(runSchedule({ config: SAM, actions: EMULATION }, homelessSupportEverywhere).trace);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toMatch(/BU with Homeless Support .* to 2001:db8:d::1 .*not homeless.*§3\.2\.3/);
  });

  // Alice gains an address at once: her announcement (a BU with an Alternate CoA) leaves before
  // Bob's BA for her Initial BU can reach her, so it keeps Homeless Support (rule 14).
  const EARLY_MOVE: Action[] = [{ kind: 'aliceGain' }, { kind: 'advance', ms: 1000 }];
  /** Homeless Support only in BUs without an Alternate CoA: the announcements lose it. */
  const announcementsWithoutSupport = withDecisions('announcements-without-homeless-support', {
    transmit: (ctx, packet, sa, entry) => {
      const options = packet.destOptions?.map((o) =>
        o.kind === 'bu' && o.subOptions.some((x) => x.kind === 'alternate-coa')
          ? { ...o, subOptions: o.subOptions.filter((x) => x.kind !== 'homeless-support') }
          : o,
      );
      return REFERENCE_DECISIONS.transmit(
        ctx,
        options === undefined ? packet : { ...packet, destOptions: options },
        sa,
        entry,
      );
    },
  });

  it('holds_for_the_reference_which_keeps_homeless_support_until_the_first_ba', () => {
    const v = judgeStandardPeerBus(runSchedule({ config: CONFIG, actions: EARLY_MOVE }, referenceAlice).trace);
    expect(v).toMatchObject({ ok: true });
    expect(v.ok && v.judged).toBeGreaterThanOrEqual(1);
  });

  it('fails_a_host_that_drops_homeless_support_before_the_peers_first_ba', () => {
    const v = judgeStandardPeerBus(
      runSchedule({ config: CONFIG, actions: EARLY_MOVE }, announcementsWithoutSupport).trace,
    );
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toMatch(
      /BU without Homeless Support .* before any BA of the peer's reached her, .*rule 14 \(R3\.1-2\)/,
    );
  });
});

describe('REFINES-SIGNALLING (j): Alice answers her peers Challenges (rule 11)', () => {
  /** Alice gains an address: Bob, a reference host, challenges it, and she must answer. */
  const ALICE_GAINS: Action[] = [{ kind: 'aliceGain' }, { kind: 'advance', ms: 300 }];
  const neverAnswers = withDecisions('never-answers', { responseSource: () => null });

  it('holds_for_the_reference_host_which_answers_each_challenge', () => {
    const trace = runSchedule({ config: CONFIG, actions: ALICE_GAINS }, referenceAlice).trace;
    const v = judgeResponsesOwed(trace);
    expect(v).toMatchObject({ ok: true });
    if (v.ok) expect(v.judged).toBeGreaterThan(0);
  });

  it('fails_a_host_that_never_answers_naming_the_challenge_and_the_address', () => {
    const v = judge(ALICE_GAINS, neverAnswers);
    expect(v.ok).toBe(false);
    if (!v.ok)
      expect(v.reason).toMatch(
        /sent no Response under SA alice-bob to the Challenge .* HMAC\(K, Challenge ‖ 2001:db8:a:1::1\)/,
      );
  });
});
