// INV-DELIVERY (docs/properties.md): the reference host delivers nothing from the packets
// WIRE.md and HOST.md rules 2 and 22 drop, which Mallory now sends; and a host that delivers
// whatever decodes, or reads, is convicted for each of them, naming the reason. And what it
// owes: data under rule 2's standard-mobile exception, once the world proves the home address
// recorded, and rule 23's echo reply from the address the request was sent to.

import { describe, expect, it } from 'vitest';
import type { Delivered, Host } from '../../impl/host/types.js';
import { delivery } from '../../properties/invariants/delivery.js';
import { aliceCalls } from '../../properties/invariants/trace-view.js';
import { decodePacket, encodePacket } from '../../impl/wire/index.js';
import { arrivalFacts } from '../../properties/truth/index.js';
import { blackBox, referenceAlice } from '../../properties/world/alice.js';
import type { AliceFactory, Schedule, SpoofKind, Target } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';
import { callsOf, worldConfig } from '../helpers/world.js';

const CONFIG = worldConfig();
const BOB: Target = { kind: 'peer', peer: 'bob', pick: 0 };
const THIRD_PARTY: Target = { kind: 'victim', n: 3 };

function spoofing(what: SpoofKind, as: Target): Schedule {
  return {
    config: CONFIG,
    actions: [
      { kind: 'advance', ms: 1000 },
      { kind: 'spoof', what, as },
      { kind: 'advance', ms: 100 },
    ],
  };
}

/**
 * The reference host, except that a packet it delivers nothing from is delivered anyway when
 * it carries UDP: a host that skips every check between reading the packet and handing it up.
 */
const deliversWhateverItReads: AliceFactory = {
  name: 'delivers-whatever-it-reads',
  features: referenceAlice.features,
  create(localAddresses, params, seed): Host {
    const host = referenceAlice.create(localAddresses, params, seed);
    const receive = host.receive.bind(host);
    host.receive = (bytes, nowMs) => {
      const answer = receive(bytes, nowMs);
      const u = arrivalFacts(bytes)?.upper;
      if (!answer.ok || answer.delivered.length > 0 || u?.kind !== 'udp') return answer;
      const item: Delivered = {
        entry: null,
        proto: 'udp',
        payload: u.payload,
        authenticated: false,
        sport: u.sourcePort,
        dport: u.destinationPort,
      };
      return { ...answer, delivered: [item] };
    };
    return host;
  },
};

const CASES: { what: SpoofKind; as: Target; says: RegExp }[] = [
  { what: 'hao-data', as: THIRD_PARTY, says: /HAO .*(without AH|no valid AH)/ },
  { what: 'bad-checksum', as: BOB, says: /does not decode|checksum is wrong/ },
  { what: 'unknown-option', as: BOB, says: /unknown option whose action bits are not 00/ },
  { what: 'routed-away', as: THIRD_PARTY, says: /routing header names 2001:db8:9:3::1, which is not Alice's/ },
];

describe('INV-DELIVERY', () => {
  it.each(CASES.map((c) => [c.what, c] as const))(
    'the_reference_delivers_nothing_from_mallorys_%s_and_holds',
    (what, c) => {
      for (const alice of [referenceAlice, blackBox(referenceAlice)]) {
        const trace = runSchedule(spoofing(what, c.as), alice).trace;
        const received = aliceCalls(trace).filter(
          (x) =>
            x.event.op === 'receive' &&
            x.event.input !== undefined &&
            trace.packets[x.event.input].tag === `mallory-spoof:${what}`,
        );
        expect(received.length).toBe(1);
        expect(received[0].event.delivered).toEqual([]);
        const verdict = delivery.check(trace);
        expect(verdict.ok).toBe(true);
        if (verdict.ok) expect(verdict.judged).toBeGreaterThan(0);
      }
    },
  );

  it.each(CASES.map((c) => [c.what, c] as const))(
    'a_host_delivering_whatever_it_reads_fails_on_mallorys_%s',
    (_what, c) => {
      for (const alice of [deliversWhateverItReads, blackBox(deliversWhateverItReads)]) {
        const verdict = delivery.check(runSchedule(spoofing(c.what, c.as), alice).trace);
        expect(verdict.ok, alice.name).toBe(false);
        if (!verdict.ok) expect(verdict.reason).toMatch(c.says);
      }
    },
  );

  it('a_routing_header_naming_only_alices_addresses_is_processed_and_its_data_delivered', () => {
    // Rule 22: a type 0 routing header is processed when every address in it is Alice's.
    const config = { ...CONFIG, aliceAddressCount: 2 };
    const trace = runSchedule(
      {
        config,
        actions: [
          { kind: 'advance', ms: 1000 },
          { kind: 'spoof', what: 'routed-away', as: { kind: 'alice', pick: 1 } },
          { kind: 'advance', ms: 100 },
        ],
      },
      referenceAlice,
    ).trace;
    const received = aliceCalls(trace).find(
      (x) =>
        x.event.op === 'receive' &&
        x.event.input !== undefined &&
        trace.packets[x.event.input].tag === 'mallory-spoof:routed-away',
    );
    expect(received?.event.delivered).toMatchObject([{ proto: 'udp', authenticated: false }]);
    expect(delivery.check(trace).ok).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------
// What INV-DELIVERY owes: rule 2's standard-mobile exception and rule 23's echo reply.

/** Sam, a draft-13 mobile node, moves (his authenticated HAO records his home address, rule 15); then Mallory's data without AH names it. */
const SAM_EXCEPTION: Schedule = {
  config: { ...CONFIG, sam: true },
  actions: [
    { kind: 'peerMove', peer: 'sam' },
    { kind: 'advance', ms: 30 },
    { kind: 'spoof', what: 'hao-data', as: { kind: 'peer', peer: 'sam', pick: 0 } },
    { kind: 'advance', ms: 30 },
  ],
};

/** An echo request routed through Alice's two addresses (Segments Left 1: the final destination is her second). */
const ROUTED_ECHO: Schedule = {
  config: { ...CONFIG, aliceAddressCount: 2 },
  actions: [
    { kind: 'advance', ms: 100 },
    { kind: 'spoof', what: 'echo', as: THIRD_PARTY, via: { addresses: 1, segmentsLeft: 1 } },
    { kind: 'advance', ms: 100 },
  ],
};

/** The reference host, but `receive` answers are rewritten by `change` (null: left as they are). */
function rewriting(name: string, change: (bytes: Uint8Array, answer: HostAnswer) => HostAnswer | null): AliceFactory {
  return {
    name,
    features: referenceAlice.features,
    create(localAddresses, params, seed): Host {
      const host = referenceAlice.create(localAddresses, params, seed);
      const receive = host.receive.bind(host);
      host.receive = (bytes, nowMs) => {
        const answer = receive(bytes, nowMs);
        return answer.ok ? (change(bytes, answer) ?? answer) : answer;
      };
      return host;
    },
  };
}

type HostAnswer = Extract<ReturnType<Host['receive']>, { ok: true }>;

/** Drops rule 2's exception: data without AH with an HAO is never delivered. */
const ignoresStandardMobileHomes = rewriting('ignores-standard-mobile-homes', (bytes, answer) => {
  const facts = arrivalFacts(bytes);
  return facts !== null && facts.hao && facts.ah === null ? { ...answer, delivered: [] } : null;
});

/** Answers echo requests from the IPv6 Destination, not the final destination of a routing header. */
const answersFromTheIpv6Destination = rewriting('answers-from-the-ipv6-destination', (bytes, answer) => {
  const facts = arrivalFacts(bytes);
  if (facts === null || facts.destination === facts.finalDestination) return null;
  const sent = answer.sent.map((b) => {
    const r = decodePacket(b);
    if (!r.ok || r.packet.upper.kind !== 'icmpv6' || r.packet.upper.message.type !== 'echo-reply') return b;
    return encodePacket({ ...r.packet, ipv6: { ...r.packet.ipv6, source: facts.destination } });
  });
  return { ...answer, sent };
});

/** Answers no echo request. */
const answersNoEcho = rewriting('answers-no-echo', (_bytes, answer) => ({
  ...answer,
  sent: answer.sent.filter((b) => {
    const r = decodePacket(b);
    return !(r.ok && r.packet.upper.kind === 'icmpv6' && r.packet.upper.message.type === 'echo-reply');
  }),
}));

/** Delivers nothing from a packet without AH (no rule drops such data, rule 2). */
const dropsUnauthenticatedData = rewriting('drops-unauthenticated-data', (bytes, answer) => {
  const facts = arrivalFacts(bytes);
  return facts !== null && facts.ah === null ? { ...answer, delivered: [] } : null;
});

describe('INV-DELIVERY owes', () => {
  it('the_reference_delivers_spoofed_data_without_ah_unauthenticated_and_holds', () => {
    const trace = runSchedule(spoofing('data', BOB), referenceAlice).trace;
    const spoofed = callsOf(trace, 'receive').find(
      (x) => x.event.input !== undefined && trace.packets[x.event.input].tag === 'mallory-spoof:data',
    );
    expect(spoofed?.event.delivered).toMatchObject([{ proto: 'udp', authenticated: false }]);
    expect(delivery.check(trace).ok).toBe(true);
  });

  it('a_host_that_drops_data_no_rule_drops_fails_rule_2', () => {
    const verdict = delivery.check(runSchedule(spoofing('data', BOB), dropsUnauthenticatedData).trace);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok)
      expect(verdict.reason).toMatch(/delivered nothing from a UDP datagram that no rule drops \(rule 2/);
  });

  it('the_reference_delivers_data_without_ah_naming_sams_recorded_home_address_and_holds', () => {
    for (const alice of [referenceAlice, blackBox(referenceAlice)]) {
      const trace = runSchedule(SAM_EXCEPTION, alice).trace;
      const spoofed = callsOf(trace, 'receive').find(
        (x) => x.event.input !== undefined && trace.packets[x.event.input].tag === 'mallory-spoof:hao-data',
      );
      expect(spoofed?.event.delivered).toMatchObject([{ proto: 'udp', authenticated: false }]);
      expect(delivery.check(trace).ok, alice.name).toBe(true);
    }
  });

  it('a_host_without_rule_2s_exception_fails_once_the_world_proves_the_home_address_recorded', () => {
    for (const alice of [ignoresStandardMobileHomes, blackBox(ignoresStandardMobileHomes)]) {
      const verdict = delivery.check(runSchedule(SAM_EXCEPTION, alice).trace);
      expect(verdict.ok, alice.name).toBe(false);
      if (!verdict.ok)
        expect(verdict.reason).toMatch(/delivered nothing .* HAO names 2001:db8:d::1.*rule 2's exception/);
    }
  });

  it('nothing_is_owed_when_sams_home_address_may_have_expired_before_his_hao_arrived', () => {
    // A jump past every lifetime and expiry removes Sam's home address from his entry (rule 17:
    // an activity lifetime), so his HAO fails rule 2 and no home address is recorded.
    const late: Schedule = { ...SAM_EXCEPTION, actions: [{ kind: 'jump', past: 'all' }, ...SAM_EXCEPTION.actions] };
    const trace = runSchedule(late, referenceAlice).trace;
    const spoofed = callsOf(trace, 'receive').find(
      (x) => x.event.input !== undefined && trace.packets[x.event.input].tag === 'mallory-spoof:hao-data',
    );
    expect(spoofed?.event.delivered).toEqual([]);
    expect(delivery.check(trace).ok).toBe(true);
    expect(delivery.check(runSchedule(late, ignoresStandardMobileHomes).trace).ok).toBe(true);
  });

  it('the_reference_answers_a_routed_echo_request_from_its_final_destination_and_holds', () => {
    const trace = runSchedule(ROUTED_ECHO, referenceAlice).trace;
    const call = callsOf(trace, 'receive').find(
      (x) => x.event.input !== undefined && trace.packets[x.event.input].tag === 'mallory-spoof:echo:routed',
    );
    const replies = (call?.event.sent ?? []).map((id) => trace.packets[id].info);
    expect(replies).toMatchObject([{ upper: 'echo-reply', source: '2001:db8:a:1::1', destination: '2001:db8:9:3::1' }]);
    expect(delivery.check(trace).ok).toBe(true);
  });

  it('a_host_answering_from_the_ipv6_destination_or_not_at_all_fails_rule_23', () => {
    const wrongSource = delivery.check(runSchedule(ROUTED_ECHO, answersFromTheIpv6Destination).trace);
    expect(wrongSource.ok).toBe(false);
    if (!wrongSource.ok) expect(wrongSource.reason).toMatch(/from 2001:db8:a::1 .*rule 23: from 2001:db8:a:1::1/);
    const none = delivery.check(runSchedule(ROUTED_ECHO, answersNoEcho).trace);
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.reason).toMatch(/did not answer an echo request .*rule 23/);
  });
});
