// Backward compatibility (§2.2, §2.3, this project's Appendix D in docs/compatibility.md,
// HOST.md rules 15 and 15a): the state table itself, then a draft-13 mobile node, a standard
// host, and a legacy host that rejects Mobile IPv6 options.

import { describe, expect, it } from 'vitest';
import { COMPAT_EVENTS, PEER_KINDS, nextPeerKind, type CompatEvent, type PeerKind } from '../../impl/host/index.js';
import type { Packet } from '../../impl/wire/types.js';
import {
  A1,
  A2,
  C1,
  C2,
  HandPeer,
  addressIn,
  bu,
  bus,
  challengesIn,
  decode,
  hao,
  hasMobileOption,
  host,
  okSent,
  packet,
  plain,
  responseTo,
  saPair,
  udp,
} from './helpers.js';

const SPI_ALICE = 330;
const SPI_PEER = 430;

describe('Appendix D: the compatibility state table (docs/compatibility.md)', () => {
  // from-state × event → to-state, exactly as docs/compatibility.md writes it.
  const TABLE: Record<PeerKind, Record<CompatEvent, PeerKind>> = {
    unknown: {
      'homeless-support': 'homeless',
      'mobile-ipv6-signal': 'standard-mobile',
      'probe-timeout': 'standard',
      'parameter-problem': 'legacy',
    },
    homeless: {
      'homeless-support': 'homeless',
      'mobile-ipv6-signal': 'homeless',
      'probe-timeout': 'homeless',
      'parameter-problem': 'homeless',
    },
    'standard-mobile': {
      'homeless-support': 'homeless',
      'mobile-ipv6-signal': 'standard-mobile',
      'probe-timeout': 'standard-mobile',
      'parameter-problem': 'standard-mobile',
    },
    standard: {
      'homeless-support': 'homeless',
      'mobile-ipv6-signal': 'standard-mobile',
      'probe-timeout': 'standard',
      'parameter-problem': 'legacy',
    },
    legacy: {
      'homeless-support': 'homeless',
      'mobile-ipv6-signal': 'legacy',
      'probe-timeout': 'legacy',
      'parameter-problem': 'legacy',
    },
  };

  it('every_state_and_event_goes_where_the_table_says (rule 15)', () => {
    for (const from of PEER_KINDS)
      for (const event of COMPAT_EVENTS)
        expect(nextPeerKind(from, event), `${from} × ${event}`).toBe(TABLE[from][event]);
  });

  it('a_homeless_peer_never_moves_down (rule 15)', () => {
    for (const event of COMPAT_EVENTS) expect(nextPeerKind('homeless', event)).toBe('homeless');
  });
});

/** Alice [A1, A2] with an SA to a hand-made peer at C1 (the SA's `peer`), at t = 0. */
function aliceWithPeer(params = {}): { alice: ReturnType<typeof host>; peer: HandPeer; initialBu: Uint8Array } {
  const alice = host([A1, A2], params, 5);
  const sent = okSent(alice.addSA(saPair(A1, C1, SPI_ALICE, SPI_PEER).atA, 0));
  expect(sent).toHaveLength(1);
  return { alice, peer: new HandPeer(SPI_ALICE), initialBu: sent[0] };
}

function send(alice: ReturnType<typeof host>, nowMs: number, to = C1): Packet[] {
  return okSent(alice.send({ to, proto: 'udp', payload: new Uint8Array([nowMs & 0xff]) }, nowMs)).map(decode);
}

describe('§2.2.2, §2.3.2, rule 15a: a draft-13 mobile node (home C1, care-of C2)', () => {
  it('its_hao_and_bu_make_it_standard_mobile_and_its_care_of_address_is_challenged_not_trusted', () => {
    const { alice, peer } = aliceWithPeer();
    // A draft-13 BU: HAO = home, Source = care-of address, A bit, no homeless sub-option.
    const sent = okSent(
      alice.receive(peer.protect(packet(C2, A1, [{ kind: 'hao', homeAddress: C1 }, bu(1, 600, [], true)])), 100),
    );
    const entry = alice.snapshot().entries[0];
    expect(entry).toMatchObject({ peerKind: 'standard-mobile', homeAddress: C1, careOfAddress: C2 });
    expect(addressIn(entry, C2)).toMatchObject({ status: 'tentative', challengeOutstanding: true });
    // The challenge is a valid draft-13 BA acknowledging the BU (status 0, its sequence number).
    const [challenge] = challengesIn(sent, C2);
    expect(challenge.sequence).toBe(1);
    // Alice sends to the home address, without a routing header while the CoA is unverified.
    const data = send(alice, 200);
    expect(data).toHaveLength(1);
    expect(data[0].ipv6.destination).toBe(C1);
    expect(data[0].routing).toBeUndefined();
    // Data with an HAO naming the recorded home address and no AH: delivered, unauthenticated.
    const answer = alice.receive(
      plain(packet(C2, A1, [{ kind: 'hao', homeAddress: C1 }], udp(new Uint8Array([5])))),
      300,
    );
    expect(answer.ok && answer.delivered).toEqual([
      { entry: 'e1', proto: 'udp', payload: new Uint8Array([5]), authenticated: false, sport: 5000, dport: 5000 },
    ]);
    // It ignores sub-option 130: its care-of address goes when the challenge ends.
    okSent(alice.tick(100 + 5000));
    expect(addressIn(alice.snapshot().entries[0], C2)).toBeUndefined();
    expect(alice.snapshot().entries[0].peerKind).toBe('standard-mobile');
  });

  it('a_bu_ignored_for_its_sequence_number_changes_neither_address (rule 15, rule 7)', () => {
    const { alice, peer } = aliceWithPeer();
    const elsewhere = '2001:db8:c:9::1';
    okSent(alice.receive(peer.protect(packet(C2, A1, [{ kind: 'hao', homeAddress: C1 }, bu(5, 600, [], true)])), 100));
    expect(alice.snapshot().entries[0]).toMatchObject({
      peerKind: 'standard-mobile',
      homeAddress: C1,
      careOfAddress: C2,
    });
    // Not newer than 5 (mod 2^16): ignored, so it records no care-of address.
    okSent(
      alice.receive(peer.protect(packet(elsewhere, A1, [{ kind: 'hao', homeAddress: C1 }, bu(4, 600, [], true)])), 200),
    );
    expect(alice.snapshot().entries[0]).toMatchObject({ homeAddress: C1, careOfAddress: C2 });
    expect(addressIn(alice.snapshot().entries[0], elsewhere)).toBeUndefined();
    // A newer one is accepted and moves it.
    okSent(
      alice.receive(peer.protect(packet(elsewhere, A1, [{ kind: 'hao', homeAddress: C1 }, bu(6, 600, [], true)])), 300),
    );
    expect(alice.snapshot().entries[0]).toMatchObject({ homeAddress: C1, careOfAddress: elsewhere });
  });

  it('a_routing_header_is_used_only_toward_a_verified_care_of_address (rule 15a)', () => {
    const { alice, peer } = aliceWithPeer();
    const sent = okSent(
      alice.receive(peer.protect(packet(C2, A1, [{ kind: 'hao', homeAddress: C1 }, bu(1, 600, [], true)])), 100),
    );
    okSent(alice.receive(responseTo(challengesIn(sent, C2)[0], peer, 2), 150));
    expect(addressIn(alice.snapshot().entries[0], C2)?.status).toBe('active');
    const [data] = send(alice, 200);
    expect(data.ipv6.destination).toBe(C2);
    expect(data.routing).toEqual({ segmentsLeft: 1, addresses: [C1] });
    expect(data.ah).toBeDefined();
  });

  it('alice_switching_source_adds_an_hao_and_bus_until_a_ba (§2.2.2)', () => {
    const { alice, peer } = aliceWithPeer();
    okSent(alice.receive(peer.protect(packet(C2, A1, [{ kind: 'hao', homeAddress: C1 }, bu(1, 600, [], false)])), 100));
    expect(send(alice, 110)[0].ipv6.source).toBe(A1); // the connection's initial source
    // Alice loses A1: no homeless deleting BU toward a standard peer (§3.2.3).
    expect(okSent(alice.removeLocalAddress(A1, 120))).toEqual([]);
    const first = send(alice, 130);
    expect(first).toHaveLength(1);
    expect(first[0].ipv6.source).toBe(A2);
    expect(hao(first[0])).toBe(A1);
    const firstBu = bus(first[0])[0];
    expect(firstBu).toMatchObject({ flags: { ack: true, home: false }, lifetimeSeconds: 600, subOptions: [] });
    expect(first[0].ah).toBeDefined();
    const second = send(alice, 140);
    expect(hao(second[0])).toBe(A1);
    expect(bus(second[0])).toHaveLength(1); // still no BA: still a BU
    const acked = bus(second[0])[0].sequence;
    okSent(
      alice.receive(
        peer.protect(
          packet(C2, A2, [
            { kind: 'ba', status: 0, sequence: acked, lifetimeSeconds: 600, refreshSeconds: 600, subOptions: [] },
          ]),
        ),
        150,
      ),
    );
    const third = send(alice, 160);
    expect(hao(third[0])).toBe(A1);
    expect(bus(third[0])).toHaveLength(0);
  });
});

describe('§2.2.3: a standard host (no Homeless Support, no Mobile IPv6 signalling)', () => {
  it('the_probe_times_out_to_standard_and_alice_emulates_a_mobile_node_in_strict_draft13_form (rule 15, §3.2.3)', () => {
    const { alice, peer, initialBu } = aliceWithPeer({ bindingRefreshSeconds: 10 });
    // The Initial BU is draft-13 compatible: HAO equal to its source (§3.2.1).
    const initial = decode(initialBu);
    expect(hao(initial)).toBe(initial.ipv6.source);
    okSent(alice.tick(2999));
    expect(alice.snapshot().entries[0].peerKind).toBe('unknown');
    okSent(alice.tick(3000));
    expect(alice.snapshot().entries[0].peerKind).toBe('standard');
    expect(send(alice, 3100)[0].destOptions).toBeUndefined();
    expect(okSent(alice.removeLocalAddress(A1, 3200))).toEqual([]);
    const moved = send(alice, 3300);
    expect(moved[0].ipv6.source).toBe(A2);
    expect(hao(moved[0])).toBe(A1);
    expect(bus(moved[0])[0].subOptions).toEqual([]); // no homeless sub-option toward a standard host
    expect(bus(send(alice, 3400)[0])).toHaveLength(1);
    const acked = bus(send(alice, 3500)[0])[0].sequence;
    okSent(
      alice.receive(
        peer.protect(
          packet(C1, A2, [
            { kind: 'ba', status: 0, sequence: acked, lifetimeSeconds: 600, refreshSeconds: 600, subOptions: [] },
          ]),
        ),
        3600,
      ),
    );
    const after = send(alice, 3700);
    expect(hao(after[0])).toBe(A1);
    expect(bus(after[0])).toHaveLength(0);
    // The periodic BU refreshes the emulated binding in draft-13 form (rule 16).
    const periodic = okSent(alice.tick(10_000)).map(decode);
    expect(periodic).toHaveLength(1);
    expect(periodic[0]).toMatchObject({ ipv6: { source: A2 }, upper: { kind: 'none' } });
    expect(hao(periodic[0])).toBe(A1);
    expect(bus(periodic[0])[0]).toMatchObject({ flags: { ack: false }, subOptions: [] });
  });

  it('an_unauthenticated_hao_or_bu_moves_no_peer (rule 15)', () => {
    const { alice } = aliceWithPeer();
    okSent(
      alice.receive(
        plain(packet(C1, A1, [{ kind: 'hao', homeAddress: C1 }, bu(1, 600, [{ kind: 'homeless-support' }], true)])),
        10,
      ),
    );
    expect(alice.snapshot().entries[0].peerKind).toBe('unknown');
  });
});

describe('rule 15: a legacy host answers Mobile IPv6 options with Parameter Problem', () => {
  const HAO_OPTION_OFFSET = 40 + 6; // the HAO's type byte at 8n+6 in the Destination Options header

  /** What Linux sends (docs/findings.md): from the quoted packet's destination to its source. */
  function parameterProblem(
    invoking: Uint8Array,
    opts: { code?: number; pointer?: number; from?: string; to?: string } = {},
  ): Uint8Array {
    const message = {
      type: 'parameter-problem' as const,
      code: opts.code ?? 2,
      pointer: opts.pointer ?? HAO_OPTION_OFFSET,
      invoking,
    };
    return plain(packet(opts.from ?? C1, opts.to ?? A1, undefined, { kind: 'icmpv6', message }));
  }

  it('a_parameter_problem_quoting_her_packet_byte_for_byte_makes_the_peer_legacy', () => {
    const { alice, initialBu } = aliceWithPeer({ bindingRefreshSeconds: 10 });
    expect(initialBu[HAO_OPTION_OFFSET]).toBe(0xc9);
    okSent(alice.receive(parameterProblem(initialBu), 10));
    expect(alice.snapshot().entries[0].peerKind).toBe('legacy');
    // No Mobile IPv6 option to it any more: data, periodic BUs, deleting BUs.
    const data = send(alice, 20);
    expect(data[0].destOptions).toBeUndefined();
    expect(okSent(alice.tick(10_000))).toEqual([]);
    expect(okSent(alice.removeLocalAddress(A1, 10_010))).toEqual([]);
    const moved = send(alice, 10_020);
    expect(moved[0].ipv6.source).toBe(A2); // the initial source is gone: no HAO can be sent
    expect(hasMobileOption(moved[0])).toBe(false);
  });

  it('a_packet_longer_than_an_icmp_error_can_quote_counts_when_its_first_1232_bytes_are_quoted', () => {
    const { alice } = aliceWithPeer({ compatProbeTimeoutMs: 1_000_000 });
    send(alice, 1); // the connection starts at A1
    okSent(alice.removeLocalAddress(A1, 2));
    const [big] = okSent(alice.send({ to: C1, proto: 'udp', payload: new Uint8Array(1400) }, 3));
    expect(hao(decode(big))).toBe(A1);
    okSent(alice.receive(parameterProblem(big.slice(0, 1231), { to: A2 }), 4)); // one byte short
    expect(alice.snapshot().entries[0].peerKind).toBe('unknown');
    okSent(alice.receive(parameterProblem(big.slice(0, 1232), { to: A2 }), 5));
    expect(alice.snapshot().entries[0].peerKind).toBe('legacy');
  });

  it('a_forged_or_partial_parameter_problem_is_ignored', () => {
    const { alice, initialBu } = aliceWithPeer();
    const flipped = initialBu.slice();
    flipped[flipped.length - 1] ^= 1; // the ICV: only the real packet's bytes count
    okSent(alice.receive(parameterProblem(flipped), 10));
    okSent(alice.receive(parameterProblem(initialBu, { code: 1 }), 11));
    okSent(alice.receive(parameterProblem(initialBu, { pointer: 8 }), 12)); // the IPv6 header, not an option
    okSent(alice.receive(parameterProblem(initialBu, { pointer: HAO_OPTION_OFFSET + 1 }), 13)); // not the option's type byte
    okSent(alice.receive(parameterProblem(initialBu.slice(0, HAO_OPTION_OFFSET + 1)), 14)); // the guessable prefix only
    okSent(alice.receive(parameterProblem(initialBu, { from: '2001:db8:e::1' }), 15)); // not from the quoted destination
    expect(alice.snapshot().entries[0].peerKind).toBe('unknown');
  });

  it('a_homeless_peer_is_never_made_legacy', () => {
    const { alice, peer, initialBu } = aliceWithPeer();
    okSent(alice.receive(peer.protect(packet(C1, A1, [bu(1, 600, [{ kind: 'homeless-support' }])])), 5));
    expect(alice.snapshot().entries[0].peerKind).toBe('homeless');
    okSent(alice.receive(parameterProblem(initialBu), 10));
    expect(alice.snapshot().entries[0].peerKind).toBe('homeless');
  });
});
