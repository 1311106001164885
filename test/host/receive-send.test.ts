// The receive and send paths in detail (§2.2, §2.3, HOST.md rules 1–7, 10–12, 16, 20a–24):
// authentication, sequence numbers, named addresses, Responses, data attribution, ICMP,
// Appendix B, Binding Requests, periodic BUs and the request checks of rule 24.

import { describe, expect, it } from 'vitest';
import { alternatePrefixesFor, decodePacket } from '../../impl/wire/index.js';
import type { Packet } from '../../impl/wire/types.js';
import {
  A1,
  A2,
  B1,
  B2,
  B3,
  C1,
  HandPeer,
  addressIn,
  bas,
  bu,
  bus,
  challengesIn,
  claimBu,
  decode,
  entryById,
  hao,
  host,
  okSent,
  packet,
  plain,
  responseTo,
  saPair,
  udp,
} from './helpers.js';

const SPI_ALICE = 360;
const SPI_PEER = 460;

function aliceWithBob(params = {}, addresses = [A1]): { alice: ReturnType<typeof host>; bob: HandPeer } {
  const alice = host(addresses, params, 9);
  okSent(alice.addSA(saPair(A1, B1, SPI_ALICE, SPI_PEER).atA, 0));
  return { alice, bob: new HandPeer(SPI_ALICE) };
}

function homelessBob(params = {}, addresses = [A1]): { alice: ReturnType<typeof host>; bob: HandPeer } {
  const r = aliceWithBob(params, addresses);
  okSent(r.alice.receive(r.bob.protect(packet(B1, A1, [bu(1, 600, [{ kind: 'homeless-support' }])])), 1));
  expect(r.alice.snapshot().entries[0].peerKind).toBe('homeless');
  return r;
}

function delivered(answer: ReturnType<ReturnType<typeof host>['receive']>): unknown[] {
  if (!answer.ok) throw new Error(answer.error);
  return answer.delivered;
}

describe('rules 1–3: authentication of BU, BA and BR', () => {
  it('a_bu_without_ah_is_ignored_but_its_data_is_delivered_unauthenticated (rule 2, INV-AUTH-REQUIRED)', () => {
    const { alice } = aliceWithBob();
    const before = alice.snapshot();
    const d = delivered(
      alice.receive(
        plain(packet(B1, A1, [bu(1, 600, [{ kind: 'alternate-coa', address: B2 }])], udp(new Uint8Array([3])))),
        10,
      ),
    );
    expect(d).toEqual([
      { entry: 'e1', proto: 'udp', payload: new Uint8Array([3]), authenticated: false, sport: 5000, dport: 5000 },
    ]);
    expect(alice.snapshot()).toEqual(before);
  });

  it('a_bad_icv_or_an_unknown_spi_drops_the_whole_packet_and_changes_nothing (rules 2, 3)', () => {
    const { alice, bob } = aliceWithBob();
    const before = alice.snapshot();
    const good = bob.protect(
      packet(B1, A1, [bu(1, 600, [{ kind: 'alternate-coa', address: B2 }])], udp(new Uint8Array([3]))),
    );
    const layout = decodePacket(good);
    if (!layout.ok || layout.layout.ahAuthData === undefined) throw new Error('no AH');
    const badIcv = good.slice();
    badIcv[layout.layout.ahAuthData[0]] ^= 0x01; // still decodes; the ICV no longer verifies
    expect(decodePacket(badIcv).ok).toBe(true);
    expect(delivered(alice.receive(badIcv, 10))).toEqual([]);
    const unknownSpi = new HandPeer(999).protect(
      packet(B1, A1, [bu(1, 600, [{ kind: 'alternate-coa', address: B2 }])], udp(new Uint8Array([3]))),
    );
    expect(delivered(alice.receive(unknownSpi, 11))).toEqual([]);
    expect(alice.snapshot()).toEqual(before);
    // The genuine packet still passes: the failures moved no anti-replay window (rule 3).
    expect(delivered(alice.receive(good, 12))).toHaveLength(1);
    expect(addressIn(alice.snapshot().entries[0], B2)?.status).toBe('tentative');
  });

  it('an_hao_outside_the_sa_entry_or_without_ah_drops_the_packet (rule 2)', () => {
    const { alice, bob } = aliceWithBob();
    expect(
      delivered(
        alice.receive(bob.protect(packet(B1, A1, [{ kind: 'hao', homeAddress: C1 }], udp(new Uint8Array([1])))), 10),
      ),
    ).toEqual([]);
    expect(
      delivered(alice.receive(plain(packet(B2, A1, [{ kind: 'hao', homeAddress: B1 }], udp(new Uint8Array([1])))), 11)),
    ).toEqual([]);
    // Under valid AH an HAO naming an active address of the entry is the packet's source (rule 22).
    expect(
      delivered(
        alice.receive(bob.protect(packet(B2, A1, [{ kind: 'hao', homeAddress: B1 }], udp(new Uint8Array([2])))), 12),
      ),
    ).toEqual([
      { entry: 'e1', proto: 'udp', payload: new Uint8Array([2]), authenticated: true, sport: 5000, dport: 5000 },
    ]);
  });
});

describe('rules 5–7: what a BU names and when it counts', () => {
  it('older_sequence_numbers_are_ignored_and_numbers_wrap_modulo_2_16 (rule 7)', () => {
    const { alice, bob } = aliceWithBob();
    okSent(alice.receive(claimBu(bob, B1, A1, 65535, B2), 10)); // any first number is accepted
    expect(addressIn(alice.snapshot().entries[0], B2)?.status).toBe('tentative');
    okSent(alice.receive(claimBu(bob, B1, A1, 65534, B3), 11)); // older
    expect(addressIn(alice.snapshot().entries[0], B3)).toBeUndefined();
    okSent(alice.receive(claimBu(bob, B1, A1, 65535, B3), 12)); // equal
    expect(addressIn(alice.snapshot().entries[0], B3)).toBeUndefined();
    okSent(alice.receive(claimBu(bob, B1, A1, 1, B3), 13)); // newer across the wrap
    expect(addressIn(alice.snapshot().entries[0], B3)?.status).toBe('tentative');
  });

  it('several_bus_in_one_packet_must_have_increasing_numbers (§3.2.2)', () => {
    const { alice, bob } = aliceWithBob();
    const p = packet(B1, A1, [
      bu(5, 600, [{ kind: 'alternate-coa', address: B2 }]),
      bu(4, 600, [{ kind: 'alternate-coa', address: B3 }]),
    ]);
    okSent(alice.receive(bob.protect(p), 10));
    const entry = alice.snapshot().entries[0];
    expect(addressIn(entry, B2)?.status).toBe('tentative');
    expect(addressIn(entry, B3)).toBeUndefined();
    const q = packet(B1, A1, [
      bu(6, 600, [{ kind: 'alternate-coa', address: B3 }]),
      bu(7, 600, [{ kind: 'alternate-coa', address: '2001:db8:b4::1' }]),
    ]);
    okSent(alice.receive(bob.protect(q), 20));
    expect(addressIn(alice.snapshot().entries[0], '2001:db8:b4::1')?.status).toBe('tentative');
  });

  it('named_addresses_are_the_care_of_address_then_the_alternate_prefixes_never_own_or_non_global (rule 5)', () => {
    const { alice, bob } = aliceWithBob({}, [A1, A2]);
    const subs = [
      ...alternatePrefixesFor(['2001:db8:b5::9', B2], B1),
      // A prefix giving Alice's own A2 and one giving a link-local address.
      {
        kind: 'alternate-prefixes' as const,
        pl: 3 as const,
        prefixes: [
          Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0, 0xa2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
          Uint8Array.from([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7]),
        ],
      },
    ];
    const sent = okSent(alice.receive(bob.protect(packet(B1, A1, [bu(1, 600, subs)])), 10));
    expect(alice.snapshot().entries[0].addresses.map((a) => a.address)).toEqual([B1, B2, '2001:db8:b5::9']);
    expect(challengesIn(sent).map((c) => c.packet.ipv6.destination)).toEqual([B2, '2001:db8:b5::9']);
  });

  it('lifetime_zero_removes_every_named_address_whatever_its_status (rule 6)', () => {
    const { alice, bob } = aliceWithBob();
    okSent(alice.receive(claimBu(bob, B1, A1, 1, B2), 10));
    okSent(alice.receive(bob.protect(packet(B1, A1, [bu(2, 0, alternatePrefixesFor([B1, B2], B3), false)])), 20));
    expect(alice.snapshot().entries[0].addresses).toEqual([]); // B1 (active) and B2 (tentative) both gone
    expect(alice.snapshot().entries[0].sa).not.toBeNull(); // the entry stays with its SA (rule 18)
  });
});

describe('rule 12: Responses', () => {
  function claimed(): {
    alice: ReturnType<typeof host>;
    bob: HandPeer;
    challenge: ReturnType<typeof challengesIn>[number];
  } {
    const { alice, bob } = aliceWithBob();
    const [challenge] = challengesIn(okSent(alice.receive(claimBu(bob, B1, A1, 1, B2), 10)));
    return { alice, bob, challenge };
  }

  it('a_wrong_response_changes_nothing_and_does_not_consume_its_sequence_number (rule 7)', () => {
    const { alice, bob, challenge } = claimed();
    const wrong = { ...challenge, value: challenge.value.map((b) => b ^ 0xff) };
    okSent(alice.receive(responseTo(wrong, bob, 2), 20));
    expect(addressIn(alice.snapshot().entries[0], B2)).toMatchObject({
      status: 'tentative',
      challengeOutstanding: true,
    });
    okSent(alice.receive(responseTo(challenge, bob, 2), 30)); // the same number, now right
    expect(addressIn(alice.snapshot().entries[0], B2)?.status).toBe('active');
  });

  it('a_response_is_single_use_and_only_for_the_latest_challenge (WIRE.md, INV-REPLAY)', () => {
    const { alice, bob, challenge } = claimed();
    okSent(alice.receive(responseTo(challenge, bob, 2), 20));
    expect(addressIn(alice.snapshot().entries[0], B2)?.lifetime.expiresAt).toBe(20 + 600_000);
    okSent(alice.receive(responseTo(challenge, bob, 3), 30)); // again, with a newer number: no live challenge
    expect(addressIn(alice.snapshot().entries[0], B2)?.lifetime.expiresAt).toBe(20 + 600_000);
    // Remove B2, claim it again: a new Challenge; the old Response does not answer it.
    okSent(alice.receive(bob.protect(packet(B1, A1, [bu(4, 0, [{ kind: 'alternate-coa', address: B2 }])])), 40));
    const [fresh] = challengesIn(okSent(alice.receive(claimBu(bob, B1, A1, 5, B2), 50)));
    expect(fresh.value).not.toEqual(challenge.value);
    okSent(alice.receive(responseTo(challenge, bob, 6), 60));
    expect(addressIn(alice.snapshot().entries[0], B2)?.status).toBe('tentative');
    okSent(alice.receive(responseTo(fresh, bob, 6), 70));
    expect(addressIn(alice.snapshot().entries[0], B2)?.status).toBe('active');
  });

  it('a_response_with_anything_else_or_with_lifetime_zero_is_ignored', () => {
    const { alice, bob, challenge } = claimed();
    const good = decode(responseTo(challenge, bob, 2));
    const withHomelessSupport: Packet = {
      ...good,
      ah: undefined,
      destOptions: [{ ...bus(good)[0], subOptions: [{ kind: 'homeless-support' }, ...bus(good)[0].subOptions] }],
    };
    okSent(alice.receive(bob.protect(withHomelessSupport), 20));
    const zeroLifetime: Packet = {
      ...good,
      ah: undefined,
      destOptions: [{ ...bus(good)[0], sequence: 3, lifetimeSeconds: 0 }],
    };
    okSent(alice.receive(bob.protect(zeroLifetime), 21));
    expect(addressIn(alice.snapshot().entries[0], B2)).toMatchObject({
      status: 'tentative',
      challengeOutstanding: true,
    });
  });

  it('a_response_with_the_a_bit_gets_a_plain_ba (rule 12)', () => {
    const { alice, bob, challenge } = claimed();
    const sent = okSent(alice.receive(responseTo(challenge, bob, 2, { ack: true }), 20)).map(decode);
    expect(sent).toHaveLength(1);
    expect(sent[0].ipv6.destination).toBe(B2);
    expect(bas(sent[0])[0]).toMatchObject({ status: 0, sequence: 2, subOptions: [] });
  });
});

describe("rule 22: which packets are Alice's and which entry data belongs to", () => {
  it('a_packet_to_an_address_alice_lacks_is_dropped', () => {
    const { alice, bob } = aliceWithBob();
    expect(delivered(alice.receive(bob.protect(packet(B1, A2, undefined, udp(new Uint8Array([1])))), 10))).toEqual([]);
  });

  it('a_type_0_routing_header_is_processed_only_when_every_address_is_alices', () => {
    const alice = host([A1, A2]);
    const via = (list: string[]): Packet => ({
      ...packet(C1, A2, undefined, udp(new Uint8Array([1]))),
      routing: { segmentsLeft: 1, addresses: list },
    });
    expect(delivered(alice.receive(plain(via([A1])), 10))).toHaveLength(1);
    expect(delivered(alice.receive(plain(via([B1])), 11))).toEqual([]); // RFC 5095: no forwarding
  });

  it('data_from_a_stranger_is_delivered_with_no_entry_and_creates_none (§2.3.4, INV-NO-STRANGER-STATE)', () => {
    const alice = host([A1]);
    expect(delivered(alice.receive(plain(packet(C1, A1, undefined, udp(new Uint8Array([1])))), 10))).toEqual([
      { entry: null, proto: 'udp', payload: new Uint8Array([1]), authenticated: false, sport: 5000, dport: 5000 },
    ]);
    expect(alice.snapshot().entries).toEqual([]);
  });

  it('data_from_a_tentative_source_matches_no_entry (§1.4)', () => {
    const { alice, bob } = aliceWithBob();
    okSent(alice.receive(claimBu(bob, B1, A1, 1, B2), 10));
    expect(delivered(alice.receive(bob.protect(packet(B2, A1, undefined, udp(new Uint8Array([1])))), 11))).toEqual([
      { entry: null, proto: 'udp', payload: new Uint8Array([1]), authenticated: false, sport: 5000, dport: 5000 },
    ]);
  });

  it('an_address_active_in_one_entry_and_deprecated_in_another_belongs_to_the_first', () => {
    const alice = host([A1], { maximumExpiredLifetimeSeconds: 3600 });
    const carol = new HandPeer(370);
    okSent(alice.send({ to: B1, proto: 'udp', payload: new Uint8Array([1]) }, 0)); // e1, activity lifetime
    okSent(alice.addSA(saPair(A1, C1, 370, 470).atA, 1));
    okSent(alice.tick(600_000)); // B1 deprecated in e1
    const [challenge] = challengesIn(okSent(alice.receive(claimBu(carol, C1, A1, 1, B1), 600_001)));
    okSent(alice.receive(responseTo(challenge, carol, 2), 600_002)); // a deprecated copy is not a conflict
    expect(addressIn(entryById(alice.snapshot(), 'e1'), B1)?.status).toBe('deprecated');
    expect(addressIn(entryById(alice.snapshot(), 'e2'), B1)?.status).toBe('active');
    expect(delivered(alice.receive(plain(packet(B1, A1, undefined, udp(new Uint8Array([1])))), 600_003))).toMatchObject(
      [{ entry: 'e2', authenticated: false }],
    );
  });
});

describe('rule 23: ICMPv6', () => {
  it('an_echo_request_is_answered_from_its_destination_to_its_source_without_ah_or_cache', () => {
    const { alice, bob } = aliceWithBob({}, [A1, A2]);
    const request = packet(B1, A2, undefined, {
      kind: 'icmpv6',
      message: { type: 'echo-request', identifier: 7, sequence: 9, data: new Uint8Array([4, 5]) },
    });
    const answer = alice.receive(bob.protect(request), 10);
    if (!answer.ok) throw new Error(answer.error);
    expect(answer.delivered).toEqual([
      { entry: 'e1', proto: 'icmp', payload: new Uint8Array([4, 5]), authenticated: true },
    ]);
    const [reply] = answer.sent.map(decode);
    expect(reply).toEqual({
      ipv6: { trafficClass: 0, flowLabel: 0, hopLimit: 64, source: A2, destination: B1 },
      upper: {
        kind: 'icmpv6',
        message: { type: 'echo-reply', identifier: 7, sequence: 9, data: new Uint8Array([4, 5]) },
      },
    });
    // A stranger's echo request is answered too, and leaves no entry behind.
    const stranger = alice.receive(plain({ ...request, ipv6: { ...request.ipv6, source: C1 } }), 11);
    expect(stranger.ok && stranger.sent.map(decode)[0].ipv6.destination).toBe(C1);
    expect(alice.snapshot().entries).toHaveLength(1);
  });

  it('alices_echo_requests_carry_identifier_0_and_count_from_1_unreachable_ones_use_no_number', () => {
    const alice = host([A1]);
    const first = decode(okSent(alice.send({ to: B1, proto: 'icmp', payload: new Uint8Array([1]) }, 0))[0]);
    expect(first.upper).toEqual({
      kind: 'icmpv6',
      message: { type: 'echo-request', identifier: 0, sequence: 1, data: new Uint8Array([1]) },
    });
    okSent(alice.tick(600_000));
    expect(alice.send({ to: B1, proto: 'icmp', payload: new Uint8Array([1]) }, 600_000)).toEqual({
      ok: true,
      sent: [],
      unreachable: true,
    });
    const next = decode(okSent(alice.send({ to: B2, proto: 'icmp', payload: new Uint8Array([1]) }, 600_001))[0]);
    expect(
      next.upper.kind === 'icmpv6' && next.upper.message.type === 'echo-request' && next.upper.message.sequence,
    ).toBe(2);
  });
});

describe('sending (rule 21)', () => {
  it('a_to_that_is_only_tentative_creates_a_new_entry_for_it', () => {
    const { alice, bob } = aliceWithBob();
    okSent(alice.receive(claimBu(bob, B1, A1, 1, B2), 10));
    const [data] = okSent(alice.send({ to: B2, proto: 'udp', payload: new Uint8Array([1]) }, 11)).map(decode);
    expect(data.ipv6.destination).toBe(B2);
    expect(data.ah).toBeUndefined(); // the new entry has no SA: nothing of Bob's SA goes to a tentative address
    expect(entryById(alice.snapshot(), 'e2')).toMatchObject({
      sa: null,
      addresses: [{ address: B2, status: 'active' }],
    });
  });

  it('the_destination_is_the_last_source_received_while_active (§1.4 RECOMMENDED)', () => {
    const { alice, bob } = aliceWithBob();
    const [challenge] = challengesIn(okSent(alice.receive(claimBu(bob, B1, A1, 1, B2), 10)));
    okSent(alice.receive(responseTo(challenge, bob, 2), 20));
    expect(
      decode(okSent(alice.send({ to: B1, proto: 'udp', payload: new Uint8Array([1]) }, 30))[0]).ipv6.destination,
    ).toBe(B1);
    okSent(alice.receive(bob.protect(packet(B2, A1, undefined, udp(new Uint8Array([1])))), 40));
    expect(
      decode(okSent(alice.send({ to: B1, proto: 'udp', payload: new Uint8Array([1]) }, 50))[0]).ipv6.destination,
    ).toBe(B2);
  });
});

describe('rules 16, 20, 20a: BUs Alice sends on her own', () => {
  it('a_br_is_answered_at_once_with_the_periodic_bu', () => {
    const { alice, bob } = homelessBob({}, [A1, A2]);
    const [answer] = okSent(alice.receive(bob.protect(packet(B1, A1, [{ kind: 'br', subOptions: [] }])), 10)).map(
      decode,
    );
    expect(answer.ipv6).toMatchObject({ source: A1, destination: B1 });
    expect(hao(answer)).toBeNull(); // a homeless peer needs no HAO (§3.2.2)
    expect(bus(answer)[0]).toMatchObject({ flags: { ack: false }, lifetimeSeconds: 600 });
    expect(bus(answer)[0].subOptions.some((s) => s.kind === 'alternate-prefixes')).toBe(true);
  });

  it('a_periodic_bu_goes_to_each_peer_with_an_sa_every_binding_refresh_seconds', () => {
    const { alice } = homelessBob({ bindingRefreshSeconds: 20 });
    expect(okSent(alice.tick(19_999))).toEqual([]);
    const periodic = okSent(alice.tick(20_000)).map(decode);
    expect(periodic).toHaveLength(1);
    expect(bus(periodic[0])[0].flags.ack).toBe(false);
    expect(okSent(alice.tick(39_999))).toEqual([]);
    expect(okSent(alice.tick(40_000))).toHaveLength(1);
  });

  it('homeless_support_stays_in_her_bus_until_the_first_ba (§3.1, rule 14)', () => {
    const { alice, bob } = homelessBob({ bindingRefreshSeconds: 20 });
    const before = bus(okSent(alice.tick(20_000)).map(decode)[0])[0];
    expect(before.subOptions[0]).toEqual({ kind: 'homeless-support' });
    okSent(
      alice.receive(
        bob.protect(
          packet(B1, A1, [
            {
              kind: 'ba',
              status: 0,
              sequence: before.sequence,
              lifetimeSeconds: 600,
              refreshSeconds: 600,
              subOptions: [],
            },
          ]),
        ),
        20_001,
      ),
    );
    const after = bus(okSent(alice.tick(40_000)).map(decode)[0])[0];
    expect(after.subOptions.some((s) => s.kind === 'homeless-support')).toBe(false);
  });

  it('appendix_b_adds_an_ah_valid_new_source_as_tentative_only_when_enabled (rule 20a)', () => {
    const on = homelessBob({ buOptimization: true });
    const sent = okSent(on.alice.receive(on.bob.protect(packet(B2, A1, undefined, udp(new Uint8Array([1])))), 10));
    expect(addressIn(on.alice.snapshot().entries[0], B2)).toMatchObject({
      status: 'tentative',
      challengeOutstanding: true,
    });
    expect(challengesIn(sent, B2)).toHaveLength(1); // the BA the appendix requires, carrying the Challenge
    const off = homelessBob();
    expect(okSent(off.alice.receive(off.bob.protect(packet(B2, A1, undefined, udp(new Uint8Array([1])))), 10))).toEqual(
      [],
    );
    expect(addressIn(off.alice.snapshot().entries[0], B2)).toBeUndefined();
  });

  it('the_initial_bu_names_only_global_addresses (rule 5, rule 14)', () => {
    const alice = host(['fe80::a', A1, A2]);
    const [initial] = okSent(alice.addSA(saPair(A1, B1, SPI_ALICE, SPI_PEER).atA, 0)).map(decode);
    expect(initial.ipv6.source).toBe(A1); // the oldest address of the peer's scope
    const prefixes = bus(initial)[0].subOptions.filter((s) => s.kind === 'alternate-prefixes');
    expect(prefixes).toEqual(alternatePrefixesFor([A2], A1));
  });
});

describe("one scope per entry (rule 5, R2.1.1-8) and a source of the destination's scope (R1.4-14)", () => {
  const ALICE_LL = 'fe80::a';
  const PEER_LL = 'fe80::b';

  it('an_entry_whose_addresses_are_link_local_takes_no_global_address_from_a_bu', () => {
    const alice = host([ALICE_LL, A1], {}, 9);
    okSent(alice.addSA(saPair(ALICE_LL, PEER_LL, SPI_ALICE, SPI_PEER).atA, 0));
    const peer = new HandPeer(SPI_ALICE);
    const named = alternatePrefixesFor([B1], PEER_LL);
    const sent = okSent(alice.receive(peer.protect(packet(PEER_LL, ALICE_LL, [bu(1, 600, named)])), 10));
    expect(alice.snapshot().entries[0].addresses.map((a) => a.address)).toEqual([PEER_LL]);
    expect(challengesIn(sent)).toEqual([]);
  });

  it('a_connection_started_on_a_link_local_address_leaves_from_a_global_one_once_the_peer_is_global', () => {
    // The entry's link-local first address expires and is removed, the emptied entry (it
    // keeps its SA, rule 18) takes the peer's global B1 from a BU without Homeless Support
    // (a standard mobile peer, rule 15), and the connection that began link-local goes on.
    const params = { defaultLifetimeSeconds: 10, maximumExpiredLifetimeSeconds: 10 };
    const alice = host([ALICE_LL, A1], params, 9);
    okSent(alice.addSA(saPair(ALICE_LL, PEER_LL, SPI_ALICE, SPI_PEER).atA, 0));
    const first = okSent(alice.send({ to: PEER_LL, proto: 'udp', payload: new Uint8Array([1]) }, 0)).map(decode);
    expect(first.map((p) => p.ipv6.source)).toContain(ALICE_LL);
    okSent(alice.tick(60_000));
    expect(alice.snapshot().entries[0].addresses).toEqual([]);
    const peer = new HandPeer(SPI_ALICE);
    const sent = okSent(alice.receive(claimBu(peer, B1, A1, 1, B1), 60_010));
    const [challenge] = challengesIn(sent, B1);
    okSent(alice.receive(responseTo(challenge, peer, 2), 60_020));
    expect(alice.snapshot().entries[0].addresses.map((a) => [a.address, a.status])).toEqual([[B1, 'active']]);
    const data = okSent(alice.send({ to: B1, proto: 'udp', payload: new Uint8Array([2]) }, 60_030)).map(decode);
    const toPeer = data.filter((p) => p.upper.kind === 'udp');
    expect(toPeer.map((p) => [p.ipv6.source, p.ipv6.destination])).toEqual([[A1, B1]]);
  });
});

describe('rule 24: requests refused with no effect', () => {
  it('a_now_before_the_last_accepted_one_is_refused_and_changes_nothing', () => {
    const alice = host([A1]);
    okSent(alice.send({ to: B1, proto: 'udp', payload: new Uint8Array([1]) }, 1000));
    const before = alice.snapshot();
    expect(alice.tick(999)).toMatchObject({ ok: false });
    expect(alice.receive(new Uint8Array(0), 999)).toMatchObject({ ok: false });
    expect(alice.addLocalAddress(A2, 999)).toMatchObject({ ok: false });
    expect(alice.snapshot()).toEqual(before);
    expect(alice.tick(1000).ok).toBe(true); // equal to the last accepted one is fine
  });

  it('adding_an_address_alice_has_or_removing_one_she_lacks_does_nothing', () => {
    const alice = host([A1]);
    expect(alice.addLocalAddress(A1, 0)).toEqual({ ok: true, sent: [] });
    expect(alice.removeLocalAddress(A2, 0)).toEqual({ ok: true, sent: [] });
    expect(alice.snapshot().local).toEqual([A1]);
  });

  it('an_sa_for_a_peer_already_active_in_an_entry_with_an_sa_is_refused (rule 17)', () => {
    const { alice } = aliceWithBob();
    expect(alice.addSA(saPair(A1, B1, 361, 461).atA, 5)).toMatchObject({ ok: false });
    expect(alice.addSA(saPair(A1, B3, SPI_ALICE, 462).atA, 5)).toMatchObject({ ok: false }); // SPI in use
    expect(alice.snapshot().entries).toHaveLength(1);
  });
});
