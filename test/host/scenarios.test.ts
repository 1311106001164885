// The draft's flows replayed between reference hosts over an in-memory network: Appendix A.1
// and A.2, an address move verified by challenge and response (§3.4.2), a lost address
// (§2.1.2), the Appendix C attack, conflicting claims (HOST.md rule 13) and expiry (§2.1.4,
// rule 16).

import { describe, expect, it } from 'vitest';
import { makeChallenge, makeResponse } from '../../impl/crypto/index.js';
import { addressToBytes } from '../../impl/wire/index.js';
import {
  REFERENCE_DECISIONS,
  ReferenceHost,
  seededRandom,
  type Decisions,
  type HostState,
} from '../../impl/host/index.js';
import {
  A1,
  A2,
  B1,
  B2,
  C1,
  C2,
  HandPeer,
  KEY_SHA1_MALLORY,
  M1,
  Network,
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
  isChallengeBa,
  okSent,
  packet,
  plain,
  responseTo,
  saPair,
  security,
  udp,
} from './helpers.js';

const SPI_ALICE_FROM_BOB = 300;
const SPI_BOB_FROM_ALICE = 400;

function aliceAndBob(aliceAddresses: string[], bobAddresses: string[], params = {}): Network {
  const net = new Network();
  net.add('alice', host(aliceAddresses, params, 1));
  net.add('bob', host(bobAddresses, params, 2));
  return net;
}

function isResponse(p: ReturnType<typeof decode>): boolean {
  return bus(p).some((b) => security(b.subOptions) !== null);
}

/** INV-UNIQUE-ACTIVE: an address is active in at most one entry. */
function expectUniqueActive(state: HostState): void {
  const seen = new Set<string>();
  for (const e of state.entries) {
    for (const a of e.addresses) {
      if (a.status !== 'active') continue;
      expect(seen.has(a.address), `${a.address} active twice`).toBe(false);
      seen.add(a.address);
    }
  }
}

describe('Appendix A: SA establishment and Initial BUs', () => {
  it('initial_bus_cross_under_a_generic_sa_and_every_named_address_ends_active (A.1, rule 14)', () => {
    const net = aliceAndBob([A1, A2], [B1]);
    net.establish('alice', A1, 'bob', B1, SPI_ALICE_FROM_BOB, SPI_BOB_FROM_ALICE);
    const initial = net.sentBy('alice', 0, (p) => bus(p).length > 0)[0].packet;
    // Rule 14: from her oldest address, HAO = that source, A bit, DEFAULT-LIFETIME, Homeless
    // Support first (§3.2.1), Alternate Prefixes naming her other global addresses.
    expect(initial.ipv6.source).toBe(A1);
    expect(hao(initial)).toBe(A1);
    const initialBu = bus(initial)[0];
    expect(initialBu.flags.ack).toBe(true);
    expect(initialBu.lifetimeSeconds).toBe(600);
    expect(initialBu.subOptions[0].kind).toBe('homeless-support');
    expect(initialBu.subOptions.some((s) => s.kind === 'alternate-prefixes')).toBe(true);
    expect(initial.ah?.spi).toBe(SPI_BOB_FROM_ALICE);

    const atBob = net.host('bob').snapshot().entries[0];
    expect(atBob.peerKind).toBe('homeless');
    expect(addressIn(atBob, A1)).toMatchObject({ status: 'active', lifetime: { kind: 'absolute' } });
    // A2 came in the Alternate Prefixes: tentative, challenged at A2, answered, active (§3.4.2).
    expect(addressIn(atBob, A2)).toMatchObject({ status: 'active', challengeOutstanding: false });
    expect(net.sentBy('bob', 0, isChallengeBa).map((t) => t.packet.ipv6.destination)).toEqual([A2]);
    const response = net.sentBy('alice', 0, isResponse);
    expect(response).toHaveLength(1);
    expect(response[0].packet.ipv6.source).toBe(A2); // first form: from ADDR itself (rule 11)
    expect(hao(response[0].packet)).toBeNull();

    const atAlice = net.host('alice').snapshot().entries[0];
    expect(atAlice.peerKind).toBe('homeless');
    expect(atAlice.homeAddress).toBeNull();
    expect(addressIn(atAlice, B1)).toMatchObject({ status: 'active', lifetime: { kind: 'absolute' } });
  });

  it('anonymous_sa_protects_binding_updates_but_data_is_never_authenticated (A.2, §2.4.3, §3.4.1)', () => {
    const net = aliceAndBob([A1, A2], [B1]);
    net.establish('alice', A1, 'bob', B1, SPI_ALICE_FROM_BOB, SPI_BOB_FROM_ALICE, 'anonymous');
    expect(net.host('bob').snapshot().entries[0]).toMatchObject({ peerKind: 'homeless', sa: { kind: 'anonymous' } });
    expect(addressIn(net.host('bob').snapshot().entries[0], A2)?.status).toBe('active');
    for (const t of net.log) if (bus(t.packet).length + bas(t.packet).length > 0) expect(t.packet.ah).toBeDefined();

    const since = net.log.length;
    net.post(
      'alice',
      okSent(net.host('alice').send({ to: B1, proto: 'udp', payload: new Uint8Array([1, 2]) }, net.nowMs)),
    );
    net.run();
    const data = net.log.slice(since).find((t) => t.packet.upper.kind === 'udp');
    expect(data?.packet.ah).toBeUndefined();
    expect(net.delivered.at(-1)).toMatchObject({ at: 'bob', d: { entry: 'e1', authenticated: false, proto: 'udp' } });
  });

  it('data_under_a_generic_sa_is_delivered_authenticated_to_its_entry (rule 22)', () => {
    const net = aliceAndBob([A1], [B1]);
    net.establish('alice', A1, 'bob', B1, SPI_ALICE_FROM_BOB, SPI_BOB_FROM_ALICE);
    net.post(
      'alice',
      okSent(net.host('alice').send({ to: B1, proto: 'udp', payload: new Uint8Array([9]), sport: 7, dport: 9 }, 5)),
    );
    net.run();
    expect(net.delivered.at(-1)).toEqual({
      at: 'bob',
      d: { entry: 'e1', proto: 'udp', payload: new Uint8Array([9]), authenticated: true, sport: 7, dport: 9 },
    });
  });
});

describe('§3.4.2: an address move between homeless hosts', () => {
  it('a_new_address_is_tentative_and_unused_until_its_response_then_active (§2.4.1, rules 6, 9, 12, 20)', () => {
    const net = aliceAndBob([A1], [B1]);
    net.establish('alice', A1, 'bob', B1, SPI_ALICE_FROM_BOB, SPI_BOB_FROM_ALICE);
    const alice = net.host('alice');
    net.nowMs = 1000;
    const announce = okSent(net.host('bob').addLocalAddress(B2, net.nowMs));
    expect(announce).toHaveLength(1);
    const announceBu = decode(announce[0]);
    expect(announceBu.ipv6.source).toBe(B1); // from a registered address (rule 20)
    expect(bus(announceBu)[0].subOptions).toContainEqual({ kind: 'alternate-coa', address: B2 });
    expect(bus(announceBu)[0].flags.ack).toBe(true);
    net.post('bob', announce);
    net.step(); // Alice receives the BU; her challenge is queued, not yet delivered.

    expect(addressIn(alice.snapshot().entries[0], B2)).toEqual({
      address: B2,
      status: 'tentative',
      lifetime: { kind: 'absolute', expiresAt: 1000 + 5000 },
      challengeOutstanding: true,
    });
    const [challenge] = challengesIn(net.queue.map((q) => q.bytes));
    expect(challenge.packet.ipv6.destination).toBe(B2); // to the tentative address itself
    expect(challenge.packet.ipv6.source).toBe(A1); // from where the BU arrived (rule 9)
    expect(challenge.sequence).toBe(bus(announceBu)[0].sequence);
    expect(challenge.lifetimeSeconds).toBe(600);

    // A tentative address is not used for data (§2.4.1): data to Bob's entry still goes to B1.
    const data = okSent(alice.send({ to: B1, proto: 'udp', payload: new Uint8Array([1]) }, net.nowMs)).map(decode);
    expect(data.map((p) => p.ipv6.destination)).toEqual([B1]);

    net.run();
    expect(addressIn(alice.snapshot().entries[0], B2)).toMatchObject({
      status: 'active',
      challengeOutstanding: false,
      lifetime: { kind: 'absolute', expiresAt: 1000 + 600_000 },
    });
  });

  it('a_lost_address_is_deleted_by_a_zero_lifetime_bu_from_a_remaining_address (§2.1.2, rule 20)', () => {
    const net = aliceAndBob([A1], [B1, B2]);
    net.establish('alice', A1, 'bob', B1, SPI_ALICE_FROM_BOB, SPI_BOB_FROM_ALICE);
    const alice = net.host('alice');
    expect(addressIn(alice.snapshot().entries[0], B2)?.status).toBe('active');
    net.nowMs = 2000;
    const withdraw = okSent(net.host('bob').removeLocalAddress(B1, net.nowMs));
    expect(withdraw).toHaveLength(1);
    const deleting = decode(withdraw[0]);
    expect(deleting.ipv6.source).toBe(B2);
    expect(bus(deleting)[0]).toMatchObject({
      lifetimeSeconds: 0,
      flags: { ack: true },
      subOptions: [{ kind: 'alternate-coa', address: B1 }],
    });
    net.post('bob', withdraw);
    net.run();
    expect(addressIn(alice.snapshot().entries[0], B1)).toBeUndefined();
    // The A bit asked for a BA; it goes to the packet's source, an active address (rule 10).
    const ba = net.sentBy('alice', 0, (p) => bas(p).length > 0).at(-1);
    expect(ba?.packet.ipv6.destination).toBe(B2);
    expect(bas(ba!.packet)[0]).toMatchObject({ status: 0, sequence: bus(deleting)[0].sequence, lifetimeSeconds: 0 });
    const data = okSent(alice.send({ to: B2, proto: 'udp', payload: new Uint8Array([1]) }, net.nowMs)).map(decode);
    expect(data[0].ipv6.destination).toBe(B2);
    // No address left: nothing can be sent (§2.1.2 "the host cannot send Binding Updates").
    expect(okSent(net.host('bob').removeLocalAddress(B2, net.nowMs))).toEqual([]);
  });

  it('the_second_response_form_from_another_address_with_an_alternate_coa_is_accepted (§3.4.2, rule 11)', () => {
    /** Alice answering challenges from an address other than ADDR: the second form. */
    const secondForm: Decisions = {
      ...REFERENCE_DECISIONS,
      responseSource: (ctx, checked) => ctx.state.local.find((a) => a !== checked) ?? null,
    };
    const net = new Network();
    const alice = net.add(
      'alice',
      new ReferenceHost({ localAddresses: [A1], random: seededRandom(1), nowMs: 0 }, secondForm),
    );
    net.add('bob', host([B1], {}, 2));
    net.establish('alice', A1, 'bob', B1, SPI_ALICE_FROM_BOB, SPI_BOB_FROM_ALICE);
    net.nowMs = 10;
    net.post('alice', okSent(alice.addLocalAddress(A2, net.nowMs)));
    net.run();
    const response = net.sentBy('alice', 0, isResponse).at(-1)!.packet;
    expect(response.ipv6.source).toBe(A1);
    expect(bus(response)[0].subOptions.map((s) => s.kind)).toEqual(['alternate-coa', 'security']);
    expect(bus(response)[0].subOptions[0]).toEqual({ kind: 'alternate-coa', address: A2 });
    expect(addressIn(net.host('bob').snapshot().entries[0], A2)?.status).toBe('active');
  });
});

describe("Appendix C: Mallory claims Bob's address with his own SA", () => {
  it('the_claim_stays_tentative_the_challenge_goes_to_bob_and_data_never_goes_to_mallory (§2.4.1, §3.4.2, rule 13)', () => {
    const net = aliceAndBob([A1], [B1]);
    net.establish('alice', A1, 'bob', B1, SPI_ALICE_FROM_BOB, SPI_BOB_FROM_ALICE);
    const alice = net.host('alice');
    // 1. Mallory has his own SA pair with Alice (Appendix C step 1).
    const mallory = new HandPeer(500, KEY_SHA1_MALLORY);
    okSent(
      alice.addSA(
        { peer: M1, inboundSpi: 500, outboundSpi: 600, alg: 'hmac-sha1-96', key: KEY_SHA1_MALLORY, kind: 'generic' },
        0,
      ),
    );
    // 2. He claims Bob's address (step 2).
    net.nowMs = 100;
    const answer = alice.receive(claimBu(mallory, M1, A1, 1, B1), net.nowMs);
    expect(answer.ok).toBe(true);
    const sent = okSent(answer);
    const challenges = challengesIn(sent);
    // Both checks go to B1 itself: Mallory's claim under his SA, Bob's re-check under Bob's.
    expect(challenges.map((c) => c.packet.ipv6.destination)).toEqual([B1, B1]);
    expect(challenges.map((c) => c.spi).sort()).toEqual([SPI_BOB_FROM_ALICE, 600]);
    let state = alice.snapshot();
    const bobEntry = entryById(state, 'e1');
    const malloryEntry = entryById(state, 'e2');
    expect(addressIn(malloryEntry, B1)).toMatchObject({ status: 'tentative', challengeOutstanding: true });
    expect(addressIn(bobEntry, B1)).toMatchObject({ status: 'active', challengeOutstanding: true });
    expectUniqueActive(state);

    // Data for Bob still goes to Bob's entry and address (step 5 fails).
    const data = okSent(alice.send({ to: B1, proto: 'udp', payload: new Uint8Array([7]) }, net.nowMs)).map(decode);
    expect(data.map((p) => p.ipv6.destination)).toEqual([B1]);
    expect(data[0].ah?.spi).toBe(SPI_BOB_FROM_ALICE);

    // Mallory never sees the challenge; a Response computed with a clock-based TIME fails (WIRE.md).
    const clockTime = new Uint8Array(8);
    new DataView(clockTime.buffer).setBigUint64(0, BigInt(net.nowMs));
    const guessed = makeChallenge('hmac-sha1-96', KEY_SHA1_MALLORY, addressToBytes(B1), clockTime);
    const forged = mallory.protect(
      packet(M1, A1, [
        bu(2, 600, [
          { kind: 'alternate-coa', address: B1 },
          { kind: 'security', value: makeResponse('hmac-sha1-96', KEY_SHA1_MALLORY, guessed, addressToBytes(B1)) },
        ]),
      ]),
    );
    okSent(alice.receive(forged, 150));
    expect(addressIn(entryById(alice.snapshot(), 'e2'), B1)?.status).toBe('tentative');

    // Bob answers his re-check; Mallory's BA reaches Bob under an SPI Bob does not know.
    net.nowMs = 200;
    net.post('alice', sent);
    net.run();
    state = alice.snapshot();
    expect(addressIn(entryById(state, 'e1'), B1)).toMatchObject({ status: 'active', challengeOutstanding: false });
    net.advance(5000);
    state = alice.snapshot();
    expect(addressIn(entryById(state, 'e2'), B1)).toBeUndefined();
    expect(addressIn(entryById(state, 'e1'), B1)?.status).toBe('active');
    // INV-AMPLIFICATION: Mallory's claim sent at most challengeAttemptsMax BAs to B1.
    const toB1UnderMallory = net.log.filter((t) => t.packet.ipv6.destination === B1 && t.packet.ah?.spi === 600).length;
    expect(toB1UnderMallory).toBe(3);
    expect(net.delivered.filter((d) => d.at === 'bob').length).toBe(0);
  });
});

describe('Rule 13: conflicting claims on one address', () => {
  const SPI_H = { alice: 310, peer: 410 };
  const SPI_C = { alice: 320, peer: 420 };

  /** Alice with a holder H (at B1, holding B2 active) and a claimant C (at C1) that claims B2 at t=100. */
  function conflict(): {
    alice: ReferenceHost;
    h: HandPeer;
    c: HandPeer;
    recheck: ReturnType<typeof challengesIn>[number];
    claim: ReturnType<typeof challengesIn>[number];
  } {
    const alice = host([A1], {}, 3);
    const h = new HandPeer(SPI_H.alice);
    const c = new HandPeer(SPI_C.alice, KEY_SHA1_MALLORY);
    okSent(alice.addSA(saPair(A1, B1, SPI_H.alice, SPI_H.peer).atA, 0));
    okSent(alice.addSA(saPair(A1, C1, SPI_C.alice, SPI_C.peer, 'generic', KEY_SHA1_MALLORY).atA, 0));
    const [first] = challengesIn(okSent(alice.receive(claimBu(h, B1, A1, 1, B2), 10)));
    okSent(alice.receive(responseTo(first, h, 2), 20));
    expect(addressIn(entryById(alice.snapshot(), 'e1'), B2)?.status).toBe('active');
    const sent = okSent(alice.receive(claimBu(c, C1, A1, 1, B2), 100));
    const challenges = challengesIn(sent, B2);
    const recheck = challenges.find((x) => x.spi === SPI_H.peer)!;
    const claim = challenges.find((x) => x.spi === SPI_C.peer)!;
    expect(recheck).toBeDefined();
    expect(claim).toBeDefined();
    // The re-check uses the holder's last accepted BU number and the remaining lifetime (rule 13).
    expect(recheck.sequence).toBe(2);
    expect(recheck.lifetimeSeconds).toBe(Math.ceil((20 + 600_000 - 100) / 1000));
    return { alice, h, c, recheck, claim };
  }

  it('holder_silent_claimant_answers_the_claimant_gets_it_after_the_recheck_ends', () => {
    const { alice, c, claim } = conflict();
    okSent(alice.receive(responseTo(claim, c, 2), 200));
    let state = alice.snapshot();
    expect(addressIn(entryById(state, 'e2'), B2)).toMatchObject({ status: 'tentative', challengeOutstanding: false });
    expect(addressIn(entryById(state, 'e1'), B2)).toMatchObject({ status: 'active', challengeOutstanding: true });
    okSent(alice.tick(5099));
    expect(addressIn(entryById(alice.snapshot(), 'e2'), B2)?.status).toBe('tentative');
    okSent(alice.tick(5100));
    state = alice.snapshot();
    expect(addressIn(entryById(state, 'e1'), B2)).toBeUndefined();
    expect(addressIn(entryById(state, 'e2'), B2)).toMatchObject({
      status: 'active',
      lifetime: { kind: 'absolute', expiresAt: 200 + 600_000 },
    });
    expectUniqueActive(state);
  });

  it('claimant_silent_holder_answers_the_holder_keeps_it', () => {
    const { alice, h, recheck } = conflict();
    okSent(alice.receive(responseTo(recheck, h, 3), 300));
    expect(addressIn(entryById(alice.snapshot(), 'e1'), B2)).toMatchObject({
      status: 'active',
      challengeOutstanding: false,
      lifetime: { kind: 'absolute', expiresAt: 300 + recheck.lifetimeSeconds * 1000 },
    });
    okSent(alice.tick(5100));
    const state = alice.snapshot();
    expect(addressIn(entryById(state, 'e2'), B2)).toBeUndefined();
    expect(addressIn(entryById(state, 'e1'), B2)?.status).toBe('active');
  });

  it('both_answer_both_entries_are_flushed_but_keep_their_sas', () => {
    const { alice, h, c, recheck, claim } = conflict();
    okSent(alice.receive(responseTo(recheck, h, 3), 300));
    okSent(alice.receive(responseTo(claim, c, 2), 400));
    const state = alice.snapshot();
    expect(entryById(state, 'e1')).toMatchObject({ addresses: [], sa: { inboundSpi: SPI_H.alice } });
    expect(entryById(state, 'e2')).toMatchObject({ addresses: [], sa: { inboundSpi: SPI_C.alice } });
  });

  it('both_silent_both_lose_it', () => {
    const { alice } = conflict();
    okSent(alice.tick(5100));
    const state = alice.snapshot();
    expect(addressIn(entryById(state, 'e1'), B2)).toBeUndefined();
    expect(addressIn(entryById(state, 'e2'), B2)).toBeUndefined();
  });

  it('a_holder_without_an_sa_loses_the_address_once_the_claimant_answers', () => {
    const alice = host([A1], {}, 4);
    const c = new HandPeer(SPI_C.alice);
    okSent(alice.addSA(saPair(A1, C1, SPI_C.alice, SPI_C.peer).atA, 0));
    okSent(alice.send({ to: C2, proto: 'udp', payload: new Uint8Array([1]) }, 5)); // e2, no SA
    const sent = okSent(alice.receive(claimBu(c, C1, A1, 1, C2), 10));
    const challenges = challengesIn(sent);
    expect(challenges).toHaveLength(1); // no re-check: the holder has no SA
    expect(addressIn(entryById(alice.snapshot(), 'e2'), C2)?.status).toBe('active');
    okSent(alice.receive(responseTo(challenges[0], c, 2), 20));
    const state = alice.snapshot();
    expect(state.entries.map((e) => e.id)).toEqual(['e1']); // e2 had no SA and no address left (rule 18)
    expect(addressIn(entryById(state, 'e1'), C2)?.status).toBe('active');
  });
});

describe('§2.1.4 and rule 16: lifetimes and expiry', () => {
  it('an_activity_lifetime_deprecates_when_idle_and_the_address_is_removed_after_maximum_expired_lifetime', () => {
    const alice = host([A1]);
    okSent(alice.send({ to: B1, proto: 'udp', payload: new Uint8Array([1]) }, 0));
    expect(addressIn(alice.snapshot().entries[0], B1)).toMatchObject({
      status: 'active',
      lifetime: { kind: 'activity', expiresAt: 600_000 },
    });
    okSent(alice.tick(599_999));
    expect(addressIn(alice.snapshot().entries[0], B1)?.status).toBe('active');
    okSent(alice.tick(600_000));
    expect(addressIn(alice.snapshot().entries[0], B1)).toEqual({
      address: B1,
      status: 'deprecated',
      lifetime: { kind: 'activity', expiresAt: 600_000 },
      challengeOutstanding: false,
    });
    // §2.2: all addresses deprecated: behave as if unreachable.
    const answer = alice.send({ to: B1, proto: 'udp', payload: new Uint8Array([1]) }, 600_001);
    expect(answer).toEqual({ ok: true, sent: [], unreachable: true });
    okSent(alice.tick(600_000 + 1_800_000 - 1));
    expect(addressIn(alice.snapshot().entries[0], B1)?.status).toBe('deprecated');
    okSent(alice.tick(600_000 + 1_800_000));
    expect(alice.snapshot().entries).toEqual([]); // no SA, no address: the entry goes (rule 18)
  });

  it('a_jump_in_time_applies_each_expiry_at_its_own_instant (rule 16)', () => {
    const alice = host([A1]);
    okSent(alice.send({ to: B1, proto: 'udp', payload: new Uint8Array([1]) }, 0));
    okSent(alice.tick(600_000 + 1_800_000)); // deprecated at 600 s, removed 1800 s later, in one request
    expect(alice.snapshot().entries).toEqual([]);
  });

  it('only_authenticated_packets_refresh_an_activity_lifetime (rule 4)', () => {
    const alice = host([A1]);
    const bob = new HandPeer(SPI_ALICE_FROM_BOB);
    okSent(alice.addSA(saPair(A1, B1, SPI_ALICE_FROM_BOB, SPI_BOB_FROM_ALICE).atA, 0));
    okSent(alice.receive(bob.protect(packet(B1, A1, undefined, udp(new Uint8Array([1])))), 1000));
    expect(addressIn(alice.snapshot().entries[0], B1)?.lifetime).toEqual({
      kind: 'activity',
      expiresAt: 1000 + 600_000,
    });
    // Without AH: delivered, but the lifetime does not move.
    const unauthenticated = alice.receive(plain(packet(B1, A1, undefined, udp(new Uint8Array([2])))), 2000);
    expect(unauthenticated.ok && unauthenticated.delivered).toEqual([
      { entry: 'e1', proto: 'udp', payload: new Uint8Array([2]), authenticated: false, sport: 5000, dport: 5000 },
    ]);
    expect(addressIn(alice.snapshot().entries[0], B1)?.lifetime).toEqual({
      kind: 'activity',
      expiresAt: 1000 + 600_000,
    });
  });

  it('a_bu_for_a_first_address_switches_it_to_an_absolute_lifetime (§2.1.4 MUST)', () => {
    const alice = host([A1]);
    const bob = new HandPeer(SPI_ALICE_FROM_BOB);
    okSent(alice.addSA(saPair(A1, B1, SPI_ALICE_FROM_BOB, SPI_BOB_FROM_ALICE).atA, 0));
    okSent(alice.receive(bob.protect(packet(B1, A1, [bu(1, 100, [{ kind: 'homeless-support' }])])), 50));
    expect(addressIn(alice.snapshot().entries[0], B1)?.lifetime).toEqual({ kind: 'absolute', expiresAt: 50 + 100_000 });
    // An absolute lifetime is not extended by use.
    okSent(alice.receive(bob.protect(packet(B1, A1, undefined, udp(new Uint8Array([1])))), 60_000));
    expect(addressIn(alice.snapshot().entries[0], B1)?.lifetime).toEqual({ kind: 'absolute', expiresAt: 50 + 100_000 });
    okSent(alice.tick(100_050));
    expect(addressIn(alice.snapshot().entries[0], B1)).toMatchObject({
      status: 'deprecated',
      lifetime: { kind: 'absolute', expiresAt: 100_050 },
    });
    // A deprecated address named again is tentative again (§5.3, rule 6), and challenged.
    const sent = okSent(alice.receive(bob.protect(packet(B1, A1, [bu(2, 100, [])])), 100_100));
    expect(addressIn(alice.snapshot().entries[0], B1)).toMatchObject({
      status: 'tentative',
      challengeOutstanding: true,
    });
    expect(challengesIn(sent, B1)).toHaveLength(1);
  });
});
