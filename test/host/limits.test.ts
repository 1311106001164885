// Every limit, reached (HOST.md rule 8, WIRE.md "Protocol parameters", DESIGN.md style 3,
// INV-BOUNDED): foreign entries, addresses and challenges per entry, challenge attempts and
// lifetime, the granted lifetime cap, the anti-replay window, the deprecated-address bound,
// the sent-packet memory and the connection memory.

import { describe, expect, it } from 'vitest';
import { alternatePrefixesFor } from '../../impl/wire/index.js';
import { CONNECTIONS_PER_ENTRY_MAX, SENT_PACKETS_REMEMBERED_PER_ENTRY_MAX } from '../../impl/host/index.js';
import {
  A1,
  A2,
  B1,
  B2,
  B3,
  C1,
  C2,
  HandPeer,
  addressIn,
  bas,
  bu,
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

const B4 = '2001:db8:b4::1';
const SPI_ALICE = 340;
const SPI_PEER = 440;

function aliceWithBob(params = {}, addresses = [A1]): { alice: ReturnType<typeof host>; bob: HandPeer } {
  const alice = host(addresses, params, 6);
  okSent(alice.addSA(saPair(A1, B1, SPI_ALICE, SPI_PEER).atA, 0));
  return { alice, bob: new HandPeer(SPI_ALICE) };
}

/** A BU from B1 naming B1 and `others` through Alternate Prefixes. */
function namingBu(bob: HandPeer, sequence: number, others: string[], ack = false, lifetimeSeconds = 600): Uint8Array {
  return bob.protect(packet(B1, A1, [bu(sequence, lifetimeSeconds, alternatePrefixesFor(others, B1), ack)]));
}

describe('foreignEntriesCountMax (rule 8, §4.1)', () => {
  it('refuses_entry_creating_send_as_unreachable_and_addsa_with_no_effect', () => {
    const alice = host([A1], { foreignEntriesCountMax: 2 });
    okSent(alice.send({ to: B1, proto: 'udp', payload: new Uint8Array([1]) }, 0));
    okSent(alice.send({ to: B2, proto: 'udp', payload: new Uint8Array([1]) }, 0));
    expect(alice.send({ to: C1, proto: 'udp', payload: new Uint8Array([1]) }, 0)).toEqual({
      ok: true,
      sent: [],
      unreachable: true,
    });
    expect(alice.snapshot().entries).toHaveLength(2);
    const before = alice.snapshot();
    const refused = alice.addSA(saPair(A1, C1, SPI_ALICE, SPI_PEER).atA, 600_000);
    expect(refused.ok).toBe(false);
    // No effect at all: not even the expiries due at 600 s ran (rule 24).
    expect(alice.snapshot()).toEqual(before);
    // An SA for a peer whose entry `send` created reuses that entry (rule 17).
    expect(alice.addSA(saPair(A1, B1, SPI_ALICE, SPI_PEER).atA, 10).ok).toBe(true);
    expect(alice.snapshot().entries).toHaveLength(2);
  });

  it('judges_addsa_on_the_state_after_its_own_expiries (rule 16, rule 24)', () => {
    const alice = host([A1], { foreignEntriesCountMax: 1 });
    okSent(alice.send({ to: B1, proto: 'udp', payload: new Uint8Array([1]) }, 0));
    // At 600 s + 1800 s the first entry is gone, so the SA gets a new entry.
    expect(alice.addSA(saPair(A1, C1, SPI_ALICE, SPI_PEER).atA, 2_400_000).ok).toBe(true);
    expect(alice.snapshot().entries.map((e) => e.addresses[0].address)).toEqual([C1]);
  });
});

describe('addressesPerEntryCountMax and tentativePerEntryCountMax (rule 8)', () => {
  it('a_named_address_beyond_the_address_bound_is_refused_not_added_not_challenged', () => {
    const { alice, bob } = aliceWithBob({ addressesPerEntryCountMax: 3 });
    const sent = okSent(alice.receive(namingBu(bob, 1, [B2, B3, B4], true), 10));
    const entry = alice.snapshot().entries[0];
    expect(entry.addresses.map((a) => a.address)).toEqual([B1, B2, B3]);
    expect(challengesIn(sent).map((c) => c.packet.ipv6.destination)).toEqual([B2, B3]);
    // A BU whose every new address is refused gets a BA with status 131 (rule 10).
    const refused = okSent(alice.receive(claimBu(bob, B1, A1, 2, C2, 600, true), 20)).map(decode);
    expect(refused).toHaveLength(1);
    expect(refused[0].ipv6.destination).toBe(B1);
    expect(bas(refused[0])[0]).toMatchObject({ status: 131, sequence: 2 });
  });

  it('a_named_address_beyond_the_challenge_bound_is_refused', () => {
    const { alice, bob } = aliceWithBob({ tentativePerEntryCountMax: 2 });
    const sent = okSent(alice.receive(namingBu(bob, 1, [B2, B3, B4]), 10));
    const entry = alice.snapshot().entries[0];
    expect(entry.addresses.filter((a) => a.status === 'tentative').map((a) => a.address)).toEqual([B2, B3]);
    expect(addressIn(entry, B4)).toBeUndefined();
    expect(challengesIn(sent)).toHaveLength(2);
  });

  it('a_holder_at_its_challenge_bound_makes_a_conflicting_claim_refused (rule 13)', () => {
    const { alice, bob } = aliceWithBob({ tentativePerEntryCountMax: 1 });
    const carol = new HandPeer(350);
    okSent(alice.addSA(saPair(A1, C1, 350, 450).atA, 0));
    const [c2] = challengesIn(okSent(alice.receive(claimBu(bob, B1, A1, 1, B2), 10)));
    okSent(alice.receive(responseTo(c2, bob, 2), 20)); // B2 active in Bob's entry
    okSent(alice.receive(claimBu(bob, B1, A1, 3, B3), 30)); // B3 tentative: Bob's entry is at its bound
    const sent = okSent(alice.receive(claimBu(carol, C1, A1, 1, B2), 40));
    expect(sent).toEqual([]);
    expect(addressIn(entryById(alice.snapshot(), 'e2'), B2)).toBeUndefined();
    expect(addressIn(entryById(alice.snapshot(), 'e1'), B2)).toMatchObject({
      status: 'active',
      challengeOutstanding: false,
    });
  });
});

describe('challengeAttemptsMax, challengeRetransmitMs, challengeLifetimeMs (rule 9)', () => {
  it('an_unanswered_challenge_is_sent_challenge_attempts_max_times_identical_but_for_ah', () => {
    const { alice, bob } = aliceWithBob({
      challengeAttemptsMax: 3,
      challengeRetransmitMs: 1000,
      challengeLifetimeMs: 10_000,
    });
    const transmissions = challengesIn(okSent(alice.receive(claimBu(bob, B1, A1, 1, B2), 0)), B2);
    for (let t = 250; t <= 10_000; t += 250) transmissions.push(...challengesIn(okSent(alice.tick(t)), B2));
    expect(transmissions).toHaveLength(3);
    const strip = (c: (typeof transmissions)[number]) => ({ ...c.packet, ah: undefined });
    expect(strip(transmissions[1])).toEqual(strip(transmissions[0]));
    expect(transmissions.map((c) => c.packet.ah?.sequence)).toEqual([2, 3, 4]);
    expect(addressIn(alice.snapshot().entries[0], B2)).toBeUndefined(); // ended unanswered at 10 s
  });

  it('a_response_is_accepted_only_while_the_challenge_is_younger_than_challenge_lifetime_ms', () => {
    const { alice, bob } = aliceWithBob({ challengeLifetimeMs: 2000 });
    const [late] = challengesIn(okSent(alice.receive(claimBu(bob, B1, A1, 1, B2), 0)));
    okSent(alice.receive(responseTo(late, bob, 2), 2000));
    expect(addressIn(alice.snapshot().entries[0], B2)).toBeUndefined();
    const [inTime] = challengesIn(okSent(alice.receive(claimBu(bob, B1, A1, 3, B3), 3000)));
    okSent(alice.receive(responseTo(inTime, bob, 4), 3000 + 1999));
    expect(addressIn(alice.snapshot().entries[0], B3)?.status).toBe('active');
  });
});

describe('bindingLifetimeSecondsMax (rules 6, 9, 12)', () => {
  it('caps_the_lifetime_granted_to_new_and_refreshed_addresses', () => {
    const { alice, bob } = aliceWithBob({ bindingLifetimeSecondsMax: 100 });
    const [challenge] = challengesIn(okSent(alice.receive(namingBu(bob, 1, [B2], false, 5000), 10)));
    expect(challenge.lifetimeSeconds).toBe(100);
    expect(addressIn(alice.snapshot().entries[0], B1)?.lifetime).toEqual({ kind: 'absolute', expiresAt: 10 + 100_000 });
    okSent(alice.receive(responseTo(challenge, bob, 2, { lifetimeSeconds: 5000 }), 20));
    expect(addressIn(alice.snapshot().entries[0], B2)?.lifetime).toEqual({ kind: 'absolute', expiresAt: 20 + 100_000 });
  });
});

describe('antiReplayWindowPackets (RFC 2402 §3.4.3, INV-REPLAY)', () => {
  it('drops_packets_older_than_the_window_and_every_replay', () => {
    const alice = host([A1], { antiReplayWindowPackets: 4 });
    okSent(alice.addSA(saPair(A1, B1, SPI_ALICE, SPI_PEER).atA, 0));
    const bob = new HandPeer(SPI_ALICE);
    const packets: Uint8Array[] = [];
    for (let seq = 1; seq <= 10; seq++)
      packets.push(bob.protect(packet(B1, A1, undefined, udp(new Uint8Array([seq])))));
    const deliveredCount = (bytes: Uint8Array, now: number): number => {
      const answer = alice.receive(bytes, now);
      return answer.ok ? answer.delivered.length : -1;
    };
    expect(deliveredCount(packets[9], 1)).toBe(1); // seq 10
    expect(deliveredCount(packets[5], 2)).toBe(0); // seq 6: 10 − 6 = 4, outside a window of 4
    expect(deliveredCount(packets[6], 3)).toBe(1); // seq 7: inside, unseen
    expect(deliveredCount(packets[6], 4)).toBe(0); // seq 7 again: a replay
    expect(deliveredCount(packets[9], 5)).toBe(0); // seq 10 again
  });
});

describe('maximumExpiredLifetimeSeconds (§2.1.4 MUST, INV-DEPRECATED-BOUND)', () => {
  it('removes_a_deprecated_address_exactly_that_long_after_it_expired', () => {
    const alice = host([A1], { maximumExpiredLifetimeSeconds: 10 });
    okSent(alice.send({ to: B1, proto: 'udp', payload: new Uint8Array([1]) }, 0));
    okSent(alice.tick(609_999));
    expect(addressIn(alice.snapshot().entries[0], B1)?.status).toBe('deprecated');
    okSent(alice.tick(610_000));
    expect(alice.snapshot().entries).toEqual([]);
  });

  it('with_zero_keeps_no_deprecated_address_at_all', () => {
    const alice = host([A1], { maximumExpiredLifetimeSeconds: 0 });
    okSent(alice.send({ to: B1, proto: 'udp', payload: new Uint8Array([1]) }, 0));
    okSent(alice.tick(600_000));
    expect(alice.snapshot().entries).toEqual([]);
  });
});

describe('SENT_PACKETS_REMEMBERED_PER_ENTRY_MAX (rule 15)', () => {
  it('a_parameter_problem_quoting_a_forgotten_packet_is_ignored_and_one_quoting_a_remembered_packet_counts', () => {
    const alice = host([A1, A2], { bindingRefreshSeconds: 1, compatProbeTimeoutMs: 1_000_000 }, 7);
    const initial = okSent(alice.addSA(saPair(A1, C1, SPI_ALICE, SPI_PEER).atA, 0))[0];
    let last: Uint8Array = initial;
    // Each periodic BU to the still unknown peer has an HAO: one more packet to remember.
    for (let i = 1; i <= SENT_PACKETS_REMEMBERED_PER_ENTRY_MAX; i++) {
      const sent = okSent(alice.tick(i * 1000));
      expect(sent).toHaveLength(1);
      expect(hao(decode(sent[0]))).toBe(A1);
      last = sent[0];
    }
    const pp = (invoking: Uint8Array) =>
      plain(
        packet(C1, A1, undefined, {
          kind: 'icmpv6',
          message: { type: 'parameter-problem', code: 2, pointer: 46, invoking },
        }),
      );
    okSent(alice.receive(pp(initial), 100_000));
    expect(alice.snapshot().entries[0].peerKind).toBe('unknown');
    okSent(alice.receive(pp(last), 100_001));
    expect(alice.snapshot().entries[0].peerKind).toBe('legacy');
  });
});

describe('CONNECTIONS_PER_ENTRY_MAX (§2.2.2)', () => {
  it('the_oldest_connection_is_forgotten_and_restarts_on_the_current_source', () => {
    const alice = host([A1, A2], {}, 8);
    okSent(alice.addSA(saPair(A1, C1, SPI_ALICE, SPI_PEER).atA, 0));
    for (let port = 1; port <= CONNECTIONS_PER_ENTRY_MAX + 1; port++)
      okSent(alice.send({ to: C1, proto: 'udp', payload: new Uint8Array([1]), sport: port }, 1));
    okSent(alice.removeLocalAddress(A1, 2));
    const forgotten = decode(
      okSent(alice.send({ to: C1, proto: 'udp', payload: new Uint8Array([1]), sport: 1 }, 3))[0],
    );
    expect(hao(forgotten)).toBeNull();
    const remembered = decode(
      okSent(
        alice.send({ to: C1, proto: 'udp', payload: new Uint8Array([1]), sport: CONNECTIONS_PER_ENTRY_MAX + 1 }, 4),
      )[0],
    );
    expect(hao(remembered)).toBe(A1);
  });
});
