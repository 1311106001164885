// The host cache model's own rules (model/cache.ts): what spans addresses and entries —
// authentication, sequence numbers, bounds, conflicting claims, expiry chains, entries — run
// under both engines (XState's `transition()` and the derived table).

import { describe, expect, it } from 'vitest';
import { abstractModel } from '../../model/abstraction.js';
import type { ModelEvent, ReceivedPacket } from '../../model/events.js';
import { A1, A2, B1, B2, B3, C1, Driver, ENGINES, M1, PARAMS, SPI_B, SPI_C, SPI_M } from './helpers.js';

const S = 1000;
const DEFAULT_MS = PARAMS.defaultLifetimeSeconds * S;
const CHALLENGE_MS = PARAMS.challengeLifetimeMs;
const MAX_EXPIRED_MS = PARAMS.maximumExpiredLifetimeSeconds * S;

/** INV-UNIQUE-ACTIVE on the model itself. */
function activeTwice(d: Driver): string[] {
  const seen = new Map<string, number>();
  for (const e of abstractModel(d.model).entries)
    for (const a of e.addresses) if (a.status === 'active') seen.set(a.address, (seen.get(a.address) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([a]) => a);
}

/** Bob's entry with an SA and Bob's Initial BU (Homeless Support) naming B1 and `others`. */
function withBob(d: Driver, others: string[] = [B2], now = 0): void {
  d.addSa(now, B1, SPI_B);
  d.bu(now + 10, SPI_B, [B1, ...others], 600, true);
}

describe.each(ENGINES)('cache model ($name engine)', (engine) => {
  describe('entries (rules 14, 17, 18, 21)', () => {
    it('add_sa_makes_the_peer_the_active_first_address_with_an_activity_lifetime', () => {
      const d = new Driver(engine);
      const r = d.addSa(100, B1, SPI_B);
      expect(r.accepted).toBe(true);
      expect(r.effects).toContainEqual({ kind: 'initialBu', spi: SPI_B, peer: B1 });
      expect(d.address('spi=256', B1)).toEqual({
        address: B1,
        status: 'active',
        lifetimeKind: 'activity',
        expiresAt: 100 + DEFAULT_MS,
        challengeOutstanding: false,
      });
      expect(d.peerKind('spi=256')).toBe('unknown');
    });

    it('unknown_peer_falls_back_to_standard_compat_probe_timeout_after_the_initial_bu', () => {
      const d = new Driver(engine);
      d.addSa(100, B1, SPI_B);
      d.tick(100 + PARAMS.compatProbeTimeoutMs - 1);
      expect(d.peerKind('spi=256')).toBe('unknown');
      d.tick(100 + PARAMS.compatProbeTimeoutMs);
      expect(d.peerKind('spi=256')).toBe('standard');
    });

    it('send_to_an_unknown_address_creates_an_entry_without_sa_and_it_goes_when_its_address_goes', () => {
      const d = new Driver(engine);
      expect(d.apply({ type: 'send', now: 0, to: C1 }).unreachable).toBe(false);
      expect(d.address(`addr=${C1}`, C1)?.lifetimeKind).toBe('activity');
      d.tick(DEFAULT_MS);
      expect(d.status(`addr=${C1}`, C1)).toBe('deprecated');
      expect(d.apply({ type: 'send', now: DEFAULT_MS + 1, to: C1 }).unreachable).toBe(true);
      d.tick(DEFAULT_MS + MAX_EXPIRED_MS);
      // Rule 18: no SA and no address left.
      expect(d.entry(`addr=${C1}`)).toBeUndefined();
    });

    it('add_sa_reuses_the_entry_send_created', () => {
      const d = new Driver(engine);
      d.apply({ type: 'send', now: 0, to: B1 });
      d.addSa(50, B1, SPI_B);
      const state = abstractModel(d.model);
      expect(state.entries.map((e) => e.key)).toEqual(['spi=256']);
      expect(d.address('spi=256', B1)?.expiresAt).toBe(50 + DEFAULT_MS);
    });

    it('add_sa_for_an_address_active_in_an_entry_with_an_sa_is_refused_with_no_effect', () => {
      const d = new Driver(engine);
      d.addSa(0, B1, SPI_B);
      const before = d.model;
      const r = d.apply({ type: 'saAdded', now: 5, peer: B1, inboundSpi: SPI_C, outboundSpi: 9, kind: 'generic' });
      expect(r.accepted).toBe(false);
      expect(r.model).toBe(before);
      // Judged after this request's expiries: once B1 is deprecated, the SA is accepted.
      const later = d.apply({
        type: 'saAdded',
        now: DEFAULT_MS + 5,
        peer: B1,
        inboundSpi: SPI_C,
        outboundSpi: 9,
        kind: 'generic',
      });
      expect(later.accepted).toBe(true);
      expect(d.address('spi=257', B1)?.status).toBe('active');
    });

    it('entries_with_an_sa_stay_when_empty', () => {
      const d = new Driver(engine);
      d.addSa(0, B1, SPI_B);
      d.tick(DEFAULT_MS + MAX_EXPIRED_MS);
      expect(d.entry('spi=256')?.addresses).toEqual([]);
    });
  });

  describe('BUs and Responses (rules 6, 7, 12)', () => {
    it('homeless_initial_bu_makes_the_peer_homeless_renews_b1_and_challenges_b2', () => {
      const d = new Driver(engine);
      d.addSa(0, B1, SPI_B);
      const r = d.bu(10, SPI_B, [B1, B2], 600, true);
      expect(d.peerKind('spi=256')).toBe('homeless');
      // §2.1.4: a BU for the first address switches it to an absolute lifetime.
      expect(d.address('spi=256', B1)).toMatchObject({
        status: 'active',
        lifetimeKind: 'absolute',
        expiresAt: 10 + 600 * S,
      });
      expect(d.address('spi=256', B2)).toEqual({
        address: B2,
        status: 'tentative',
        lifetimeKind: 'absolute',
        expiresAt: 10 + CHALLENGE_MS,
        challengeOutstanding: true,
      });
      expect(r.effects).toEqual([{ kind: 'challenge', spi: SPI_B, address: B2, epoch: 1, recheck: false }]);
    });

    it('matching_response_activates_with_lifetime_from_its_arrival', () => {
      const d = new Driver(engine);
      withBob(d);
      d.respond(700, SPI_B, B2, 1, 9000);
      expect(d.address('spi=256', B2)).toMatchObject({
        status: 'active',
        lifetimeKind: 'absolute',
        expiresAt: 700 + PARAMS.bindingLifetimeSecondsMax * S,
        challengeOutstanding: false,
      });
    });

    it('response_is_single_use_and_a_rejected_one_does_not_consume_its_sequence_number', () => {
      const d = new Driver(engine);
      withBob(d);
      d.respond(700, SPI_B, B2, 1, 60);
      const after = abstractModel(d.model);
      // The same Response again (new BU number, fresh AH): the Challenge is spent.
      d.respond(800, SPI_B, B2, 1, 600);
      expect(abstractModel(d.model)).toEqual(after);
      // Its number (3) was not consumed: a BU numbered 3 is still accepted.
      d.packet(900, SPI_B, B1, [
        { kind: 'bindingUpdate', sequence: 3, lifetimeSeconds: 600, homelessSupport: false, named: [B3] },
      ]);
      expect(d.status('spi=256', B3)).toBe('tentative');
    });

    it('only_the_latest_challenge_is_answerable', () => {
      const d = new Driver(engine);
      withBob(d);
      d.tick(10 + CHALLENGE_MS); // the first Challenge ends unanswered: B2 removed
      expect(d.status('spi=256', B2)).toBe('absent');
      const r = d.bu(20_000, SPI_B, [B1, B2]);
      expect(r.effects).toContainEqual({ kind: 'challenge', spi: SPI_B, address: B2, epoch: 2, recheck: false });
      d.respond(20_100, SPI_B, B2, 1);
      expect(d.status('spi=256', B2)).toBe('tentative');
      d.respond(20_200, SPI_B, B2, 'forged');
      expect(d.status('spi=256', B2)).toBe('tentative');
      d.respond(20_300, SPI_B, B2, 2);
      expect(d.status('spi=256', B2)).toBe('active');
    });

    it('malformed_or_zero_lifetime_response_is_ignored', () => {
      const d = new Driver(engine);
      withBob(d);
      d.packet(500, SPI_B, B2, [
        { kind: 'response', sequence: 2, lifetimeSeconds: 600, address: B2, answers: 1, wellFormed: false },
      ]);
      d.packet(600, SPI_B, B2, [
        { kind: 'response', sequence: 2, lifetimeSeconds: 0, address: B2, answers: 1, wellFormed: true },
      ]);
      expect(d.status('spi=256', B2)).toBe('tentative');
      d.packet(700, SPI_B, B2, [
        { kind: 'response', sequence: 2, lifetimeSeconds: 60, address: B2, answers: 1, wellFormed: true },
      ]);
      expect(d.status('spi=256', B2)).toBe('active');
    });

    it('stale_or_non_increasing_sequence_numbers_are_ignored_mod_2_16', () => {
      const d = new Driver(engine);
      d.addSa(0, B1, SPI_B);
      d.packet(10, SPI_B, B1, [
        { kind: 'bindingUpdate', sequence: 65535, lifetimeSeconds: 600, homelessSupport: true, named: [B1] },
      ]);
      d.packet(20, SPI_B, B1, [
        { kind: 'bindingUpdate', sequence: 65000, lifetimeSeconds: 600, homelessSupport: false, named: [B2] },
      ]);
      expect(d.status('spi=256', B2)).toBe('absent');
      // 0 is newer than 65535 (mod 2^16); within one packet, a BU not newer than the previous is skipped.
      d.packet(30, SPI_B, B1, [
        { kind: 'bindingUpdate', sequence: 0, lifetimeSeconds: 600, homelessSupport: false, named: [B2] },
        { kind: 'bindingUpdate', sequence: 0, lifetimeSeconds: 600, homelessSupport: false, named: [B3] },
      ]);
      expect(d.status('spi=256', B2)).toBe('tentative');
      expect(d.status('spi=256', B3)).toBe('absent');
    });

    it('lifetime_zero_removes_named_addresses_whatever_their_status', () => {
      const d = new Driver(engine);
      withBob(d, [B2, B3]);
      d.respond(100, SPI_B, B3, 1);
      d.bu(200, SPI_B, [B1, B2, B3], 0);
      expect(abstractModel(d.model).entries[0].addresses).toEqual([]);
    });

    it('deprecated_address_named_again_becomes_tentative_rule_6', () => {
      const d = new Driver(engine);
      withBob(d, []);
      d.tick(10 + 600 * S);
      expect(d.address('spi=256', B1)).toMatchObject({ status: 'deprecated', expiresAt: 10 + 600 * S });
      const r = d.bu(700 * S, SPI_B, [B1], 600, false, B1);
      expect(d.address('spi=256', B1)).toMatchObject({
        status: 'tentative',
        expiresAt: 700 * S + CHALLENGE_MS,
        challengeOutstanding: true,
      });
      expect(r.effects).toContainEqual({ kind: 'challenge', spi: SPI_B, address: B1, epoch: 1, recheck: false });
    });

    it('bu_never_names_alices_own_or_non_global_addresses_rule_5', () => {
      const d = new Driver(engine);
      withBob(d, [A1, 'fe80::1', 'ff02::1', '::ffff:192.0.2.1', 'fec0::1', '::1']);
      expect(d.entry('spi=256')?.addresses.map((a) => a.address)).toEqual([B1]);
    });
  });

  describe('time (rule 16)', () => {
    it('expiry_chain_active_deprecated_removed_at_exact_instants_even_across_a_jump', () => {
      const d = new Driver(engine);
      d.addSa(0, B1, SPI_B);
      d.tick(DEFAULT_MS - 1);
      expect(d.status('spi=256', B1)).toBe('active');
      d.tick(DEFAULT_MS);
      expect(d.address('spi=256', B1)).toMatchObject({
        status: 'deprecated',
        lifetimeKind: 'activity',
        expiresAt: DEFAULT_MS,
      });
      d.tick(DEFAULT_MS + MAX_EXPIRED_MS - 1);
      expect(d.status('spi=256', B1)).toBe('deprecated');
      d.tick(DEFAULT_MS + MAX_EXPIRED_MS);
      expect(d.status('spi=256', B1)).toBe('absent');
      // One jump past both instants: removal counts from the expiry instant.
      const j = new Driver(engine);
      j.addSa(0, B1, SPI_B);
      j.tick(DEFAULT_MS + MAX_EXPIRED_MS);
      expect(j.status('spi=256', B1)).toBe('absent');
      const k = new Driver(engine);
      k.addSa(0, B1, SPI_B);
      k.tick(DEFAULT_MS + MAX_EXPIRED_MS - 1);
      expect(k.address('spi=256', B1)).toMatchObject({ status: 'deprecated', expiresAt: DEFAULT_MS });
    });

    it('a_smaller_now_is_refused_and_changes_nothing', () => {
      const d = new Driver(engine);
      d.addSa(1000, B1, SPI_B);
      const before = d.model;
      const r = d.tick(999);
      expect(r.accepted).toBe(false);
      expect(r.model).toBe(before);
    });

    it('a_refused_request_runs_no_expiry', () => {
      const d = new Driver(engine, [A1], { foreignEntriesCountMax: 1 });
      d.addSa(0, B1, SPI_B);
      const r = d.apply({
        type: 'saAdded',
        now: DEFAULT_MS * 10,
        peer: C1,
        inboundSpi: SPI_C,
        outboundSpi: 9,
        kind: 'generic',
      });
      expect(r.accepted).toBe(false);
      expect(d.status('spi=256', B1)).toBe('active');
    });
  });

  describe('authentication (rules 1–4, 22)', () => {
    const claim = {
      kind: 'bindingUpdate',
      sequence: 1,
      lifetimeSeconds: 600,
      homelessSupport: true,
      named: [B1, B2],
    } as const;
    const cases: Array<[string, ModelEvent]> = [
      [
        'no AH',
        {
          type: 'received',
          now: 10,
          packet: { source: B1, destinations: [A1], ah: null, hao: null, items: [claim, { kind: 'data' }] },
        },
      ],
      [
        'a bad ICV',
        {
          type: 'received',
          now: 10,
          packet: {
            source: B1,
            destinations: [A1],
            ah: { spi: SPI_B, sequence: 1, icvValid: false },
            hao: null,
            items: [claim],
          },
        },
      ],
      [
        'an unknown SPI',
        {
          type: 'received',
          now: 10,
          packet: {
            source: B1,
            destinations: [A1],
            ah: { spi: 999, sequence: 1, icvValid: true },
            hao: null,
            items: [claim],
          },
        },
      ],
      [
        'AH sequence 0',
        {
          type: 'received',
          now: 10,
          packet: {
            source: B1,
            destinations: [A1],
            ah: { spi: SPI_B, sequence: 0, icvValid: true },
            hao: null,
            items: [claim],
          },
        },
      ],
      [
        'a destination not Alice’s',
        {
          type: 'received',
          now: 10,
          packet: {
            source: B1,
            destinations: [A2],
            ah: { spi: SPI_B, sequence: 1, icvValid: true },
            hao: null,
            items: [claim],
          },
        },
      ],
      [
        'an HAO outside the entry',
        {
          type: 'received',
          now: 10,
          packet: {
            source: B1,
            destinations: [A1],
            ah: { spi: SPI_B, sequence: 1, icvValid: true },
            hao: C1,
            items: [claim],
          },
        },
      ],
      ['noise', { type: 'noise', now: 10 }],
    ];

    it.each(cases)('packet_with_%s_changes_nothing', (_label, event) => {
      const d = new Driver(engine);
      d.addSa(0, B1, SPI_B);
      const before = abstractModel(d.model);
      expect(d.apply(event).accepted).toBe(true);
      expect(abstractModel(d.model)).toEqual(before);
    });

    it('replayed_ah_sequence_number_changes_nothing', () => {
      const d = new Driver(engine);
      d.addSa(0, B1, SPI_B);
      const p = (now: number, named: string[], seq: number): ModelEvent => ({
        type: 'received',
        now,
        packet: {
          source: B1,
          destinations: [A1],
          ah: { spi: SPI_B, sequence: 7, icvValid: true },
          hao: null,
          items: [{ kind: 'bindingUpdate', sequence: seq, lifetimeSeconds: 600, homelessSupport: false, named }],
        },
      });
      d.apply(p(10, [B1, B2], 1));
      d.bu(20, SPI_B, [B1], 0); // (AH 1) removes B1: a replay of AH 7 must not bring B2's claim back either
      const before = abstractModel(d.model);
      d.apply(p(30, [B1, B3], 9));
      expect(abstractModel(d.model)).toEqual(before);
    });

    it('activity_refresh_only_for_authenticated_packets_from_an_active_activity_address', () => {
      const d = new Driver(engine);
      d.addSa(0, B1, SPI_B);
      d.apply({
        type: 'received',
        now: 500,
        packet: { source: B1, destinations: [A1], ah: null, hao: null, items: [{ kind: 'data' }] },
      });
      expect(d.address('spi=256', B1)?.expiresAt).toBe(DEFAULT_MS);
      d.packet(600, SPI_B, B1, [{ kind: 'data' }]);
      expect(d.address('spi=256', B1)?.expiresAt).toBe(600 + DEFAULT_MS);
    });

    it('data_under_an_anonymous_sa_refreshes_nothing_but_a_ba_does', () => {
      const d = new Driver(engine);
      d.addSa(0, B1, SPI_B, 'anonymous');
      d.packet(600, SPI_B, B1, [{ kind: 'data' }]);
      expect(d.address('spi=256', B1)?.expiresAt).toBe(DEFAULT_MS);
      d.packet(700, SPI_B, B1, [{ kind: 'bindingAck', status: 0 }]);
      expect(d.address('spi=256', B1)?.expiresAt).toBe(700 + DEFAULT_MS);
    });
  });

  describe('compatibility through packets (rule 15)', () => {
    it('homeless_never_moves_down', () => {
      const d = new Driver(engine);
      withBob(d, []);
      d.packet(
        100,
        SPI_B,
        B1,
        [{ kind: 'bindingUpdate', sequence: 5, lifetimeSeconds: 600, homelessSupport: false, named: [B1] }],
        { hao: B1 },
      );
      d.apply({
        type: 'parameterProblem',
        now: 200,
        code: 2,
        aboutMobilityOption: true,
        quoted: { destination: B1, outboundSpi: SPI_B + 1000 },
      });
      d.tick(10 ** 7);
      expect(d.peerKind('spi=256')).toBe('homeless');
    });

    it('hao_and_bu_without_homeless_support_make_a_standard_mobile_peer_with_home_and_care_of', () => {
      const d = new Driver(engine);
      d.addSa(0, B1, SPI_B);
      d.packet(
        10,
        SPI_B,
        B2,
        [{ kind: 'bindingUpdate', sequence: 1, lifetimeSeconds: 600, homelessSupport: false, named: [B2] }],
        { hao: B1 },
      );
      expect(d.entry('spi=256')).toMatchObject({ peerKind: 'standard-mobile', homeAddress: B1, careOfAddress: B2 });
      // Rule 15a: its care-of address is tentative like any other.
      expect(d.status('spi=256', B2)).toBe('tentative');
    });

    it('parameter_problem_quoting_alice_makes_an_unknown_peer_legacy', () => {
      const d = new Driver(engine);
      d.addSa(0, B1, SPI_B);
      d.apply({ type: 'parameterProblem', now: 10, code: 2, aboutMobilityOption: true, quoted: null });
      expect(d.peerKind('spi=256')).toBe('unknown');
      d.apply({
        type: 'parameterProblem',
        now: 20,
        code: 2,
        aboutMobilityOption: true,
        quoted: { destination: B1, outboundSpi: SPI_B + 1000 },
      });
      expect(d.peerKind('spi=256')).toBe('legacy');
    });
    it('parameter_problem_whose_packet_fails_ah_or_is_not_for_alice_is_dropped', () => {
      const d = new Driver(engine);
      d.addSa(0, B1, SPI_B);
      const quoted = { destination: B1, outboundSpi: SPI_B + 1000 };
      const pp = (now: number, packet: ReceivedPacket): ModelEvent => ({
        type: 'parameterProblem',
        now,
        code: 2,
        aboutMobilityOption: true,
        quoted,
        packet,
      });
      d.apply(
        pp(10, {
          source: B1,
          destinations: [A1],
          ah: { spi: SPI_B, sequence: 1, icvValid: false },
          hao: null,
          items: [{ kind: 'data' }],
        }),
      );
      d.apply(pp(20, { source: B1, destinations: [A2], ah: null, hao: null, items: [{ kind: 'data' }] }));
      expect(d.peerKind('spi=256')).toBe('unknown');
      // Under the peer's generic SA it also refreshes the source's activity (rule 4).
      d.apply(
        pp(30, {
          source: B1,
          destinations: [A1],
          ah: { spi: SPI_B, sequence: 1, icvValid: true },
          hao: null,
          items: [{ kind: 'data' }],
        }),
      );
      expect(d.entry('spi=256')).toMatchObject({ peerKind: 'legacy' });
      expect(d.address('spi=256', B1)?.expiresAt).toBe(30 + DEFAULT_MS);
    });
  });

  describe('bounds (rule 8)', () => {
    it('named_addresses_beyond_the_tentative_bound_are_refused_not_evicted', () => {
      const d = new Driver(engine, [A1], { tentativePerEntryCountMax: 2 });
      d.addSa(0, B1, SPI_B);
      const r = d.bu(10, SPI_B, [B1, B2, B3, '2001:db8:b4::1'], 600, true);
      expect(d.status('spi=256', B2)).toBe('tentative');
      expect(d.status('spi=256', B3)).toBe('tentative');
      expect(d.status('spi=256', '2001:db8:b4::1')).toBe('absent');
      expect(r.effects).toContainEqual({ kind: 'refused', spi: SPI_B, address: '2001:db8:b4::1' });
    });

    it('addresses_beyond_the_per_entry_bound_are_refused', () => {
      const d = new Driver(engine, [A1], { addressesPerEntryCountMax: 2 });
      d.addSa(0, B1, SPI_B);
      d.bu(10, SPI_B, [B1, B2, B3], 600, true);
      // (the abstraction lists addresses sorted)
      expect(d.entry('spi=256')?.addresses.map((a) => a.address)).toEqual([B2, B1]);
    });

    it('foreign_entries_bound_refuses_add_sa_and_makes_send_unreachable', () => {
      const d = new Driver(engine, [A1], { foreignEntriesCountMax: 1 });
      d.addSa(0, B1, SPI_B);
      expect(
        d.apply({ type: 'saAdded', now: 1, peer: C1, inboundSpi: SPI_C, outboundSpi: 9, kind: 'generic' }).accepted,
      ).toBe(false);
      const r = d.apply({ type: 'send', now: 2, to: C1 });
      expect(r).toMatchObject({ accepted: true, unreachable: true });
      expect(abstractModel(d.model).entries).toHaveLength(1);
    });
  });

  describe('conflicting claims (rule 13, §3.4.2)', () => {
    /** Bob holds B2 active; Mallory (own SA) claims B2. */
    function contested(d: Driver): void {
      withBob(d);
      d.respond(100, SPI_B, B2, 1);
      d.addSa(200, M1, SPI_M);
      d.bu(300, SPI_M, [M1, B2], 600, true);
    }

    it('claim_on_an_active_address_rechecks_the_holder_which_keeps_it_active', () => {
      const d = new Driver(engine);
      contested(d);
      expect(d.last?.effects).toEqual([
        { kind: 'challenge', spi: SPI_M, address: B2, epoch: 1, recheck: false },
        { kind: 'challenge', spi: SPI_B, address: B2, epoch: 2, recheck: true },
      ]);
      expect(d.address('spi=256', B2)).toMatchObject({ status: 'active', challengeOutstanding: true });
      expect(d.address('spi=258', B2)).toMatchObject({ status: 'tentative', challengeOutstanding: true });
    });

    it('holder_silent_claimant_answers_claimant_wins', () => {
      const d = new Driver(engine);
      contested(d);
      d.respond(400, SPI_M, B2, 1);
      // The claimant that answered waits, showing no outstanding Challenge.
      expect(d.address('spi=258', B2)).toMatchObject({ status: 'tentative', challengeOutstanding: false });
      d.tick(300 + CHALLENGE_MS);
      expect(d.status('spi=256', B2)).toBe('absent');
      expect(d.address('spi=258', B2)).toMatchObject({
        status: 'active',
        lifetimeKind: 'absolute',
        expiresAt: 400 + 600 * S,
      });
      expect(activeTwice(d)).toEqual([]);
    });

    it('both_answer_both_entries_are_flushed_but_keep_their_sas', () => {
      const d = new Driver(engine);
      contested(d);
      d.respond(400, SPI_M, B2, 1);
      d.respond(500, SPI_B, B2, 2);
      const state = abstractModel(d.model);
      expect(state.entries.map((e) => [e.key, e.addresses.length])).toEqual([
        ['spi=256', 0],
        ['spi=258', 0],
      ]);
    });

    it('claimant_silent_holder_answers_holder_keeps_it', () => {
      const d = new Driver(engine);
      contested(d);
      d.respond(400, SPI_B, B2, 2, 100);
      expect(d.address('spi=256', B2)).toMatchObject({
        status: 'active',
        challengeOutstanding: false,
        expiresAt: 400 + 100 * S,
      });
      d.tick(300 + CHALLENGE_MS);
      expect(d.status('spi=258', B2)).toBe('absent');
      expect(d.address('spi=256', B2)).toMatchObject({ status: 'active', expiresAt: 400 + 100 * S });
    });

    it('both_silent_both_lose_the_address', () => {
      const d = new Driver(engine);
      contested(d);
      d.tick(300 + CHALLENGE_MS);
      expect(d.status('spi=256', B2)).toBe('absent');
      expect(d.status('spi=258', B2)).toBe('absent');
    });

    it('holder_without_sa_loses_the_address_once_the_claimant_answers', () => {
      const d = new Driver(engine);
      d.apply({ type: 'send', now: 0, to: B2 });
      d.addSa(10, M1, SPI_M);
      const r = d.bu(20, SPI_M, [M1, B2], 600, true);
      expect(r.effects).toEqual([{ kind: 'challenge', spi: SPI_M, address: B2, epoch: 1, recheck: false }]);
      d.respond(30, SPI_M, B2, 1);
      expect(d.status('spi=258', B2)).toBe('active');
      expect(d.entry(`addr=${B2}`)).toBeUndefined();
    });

    it('holder_at_its_challenge_bound_makes_the_claim_refused', () => {
      const d = new Driver(engine, [A1], { tentativePerEntryCountMax: 1 });
      withBob(d);
      d.respond(100, SPI_B, B2, 1);
      d.bu(150, SPI_B, [B1, B3]); // Bob's entry now has one tentative address: at its bound
      d.addSa(200, M1, SPI_M);
      const r = d.bu(300, SPI_M, [M1, B2], 600, true);
      expect(d.status('spi=258', B2)).toBe('absent');
      expect(d.address('spi=256', B2)?.challengeOutstanding).toBe(false);
      expect(r.effects).toContainEqual({ kind: 'refused', spi: SPI_M, address: B2 });
    });

    it('a_deprecated_copy_is_not_a_conflict', () => {
      const d = new Driver(engine);
      withBob(d);
      d.respond(100, SPI_B, B2, 1, 1);
      d.tick(100 + S);
      expect(d.status('spi=256', B2)).toBe('deprecated');
      d.addSa(2000, M1, SPI_M);
      const r = d.bu(2100, SPI_M, [M1, B2], 600, true);
      expect(r.effects).toEqual([{ kind: 'challenge', spi: SPI_M, address: B2, epoch: 1, recheck: false }]);
      d.respond(2200, SPI_M, B2, 1);
      expect(d.status('spi=258', B2)).toBe('active');
      expect(d.status('spi=256', B2)).toBe('deprecated');
    });

    it('first_address_active_while_tentative_elsewhere_rechecks_the_new_holder', () => {
      const d = new Driver(engine);
      d.addSa(0, M1, SPI_M);
      d.bu(10, SPI_M, [M1, B1], 600, true); // Mallory claims Bob's address first
      const r = d.addSa(20, B1, SPI_B);
      expect(r.effects).toContainEqual({ kind: 'challenge', spi: SPI_B, address: B1, epoch: 1, recheck: true });
      expect(d.address('spi=256', B1)).toMatchObject({ status: 'active', challengeOutstanding: true });
      d.respond(30, SPI_B, B1, 1);
      d.tick(10 + CHALLENGE_MS);
      expect(d.status('spi=256', B1)).toBe('active');
      expect(d.status('spi=258', B1)).toBe('absent');
    });

    it('send_to_an_address_only_tentative_elsewhere_makes_a_new_entry', () => {
      const d = new Driver(engine);
      d.addSa(0, M1, SPI_M);
      d.bu(10, SPI_M, [M1, B1], 600, true);
      d.apply({ type: 'send', now: 20, to: B1 });
      expect(d.status(`addr=${B1}`, B1)).toBe('active');
      expect(activeTwice(d)).toEqual([]);
    });
  });

  describe('Appendix B (rule 20a)', () => {
    it('new_source_from_a_homeless_peer_is_a_claim_only_with_bu_optimization', () => {
      for (const buOptimization of [false, true]) {
        const d = new Driver(engine, [A1], { buOptimization });
        withBob(d, []);
        d.packet(100, SPI_B, B3, [{ kind: 'data' }]);
        expect(d.status('spi=256', B3)).toBe(buOptimization ? 'tentative' : 'absent');
      }
    });
  });
});
