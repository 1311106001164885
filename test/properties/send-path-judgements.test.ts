// Three judgements of Alice's send path (docs/properties.md), each held by the reference host on
// the schedule that makes it matter and failed by a host broken the way mutation testing of
// impl/host/send/ found unjudged (docs/mutation.md):
//   - LIVE-COMPAT (f): data to a standard mobile peer whose care-of address verified goes there
//     through a routing header naming its home address (R2.2.2-1, rule 15a);
//   - REFINES-SIGNALLING (d), the emulated bindings' draft-13 refresh (rule 16): no A bit, and
//     owed in the answer to a BR, also after Alice lost another address;
//   - REFINES-SIGNALLING (i): a deleting BU in the Initial BU's form deletes at Bob (rules 1, 6).

import { describe, expect, it } from 'vitest';
import { REFERENCE_DECISIONS } from '../../impl/host/index.js';
import { judgeDeletingBus } from '../../properties/invariants/deleting-bu.js';
import { liveCompat } from '../../properties/invariants/live-compat.js';
import { judgePeriodicBus } from '../../properties/invariants/periodic-bu.js';
import { refinesSignalling } from '../../properties/invariants/refines-signalling.js';
import { judgeStandardMobileRoutes } from '../../properties/invariants/standard-mobile-route.js';
import { brokenHost } from '../../properties/mutants/bank/broken-host.js';
import { situationsReached } from '../../properties/situations/index.js';
import { referenceAlice } from '../../properties/world/alice.js';
import { A } from '../../properties/world/describe.js';
import type { Action, AliceFactory, Trace, WorldConfig } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';
import { worldConfig } from '../helpers/world.js';

const CONFIG = worldConfig({ seed: 7 });
const CL = CONFIG.params.challengeLifetimeMs;

function play(actions: Action[], alice: AliceFactory = referenceAlice, config: WorldConfig = CONFIG): Trace {
  return runSchedule({ config, actions }, alice).trace;
}

describe('LIVE-COMPAT (f): data to a standard mobile peer', () => {
  /** Mallory, standard-mobile with its registered address as home, verifies a care-of address, then Alice talks to it. */
  const VIA_CARE_OF: Action[] = [
    A.claim({ sa: 'generic', target: { kind: 'victim', n: 0 }, form: 'spoofed-source' }),
    A.advance({ ms: CL + 1000 }),
    A.fill({ sa: 'generic', count: 1 }),
    A.advance({ ms: 300 }),
    A.correspond({ what: 'alice-sends' }),
    A.advance({ ms: 30 }),
  ];

  it('the_reference_host_routes_through_the_verified_care_of_address_and_passes', () => {
    const trace = play(VIA_CARE_OF);
    expect(situationsReached(trace).has('data-via-verified-care-of')).toBe(true);
    const routes = judgeStandardMobileRoutes(trace);
    expect(routes).toEqual({ ok: true, judged: expect.any(Number) });
    expect(routes.ok && routes.judged).toBeGreaterThan(0);
    expect(liveCompat.check(trace).ok).toBe(true);
  });

  it('a_host_that_never_takes_the_standard_mobile_route_fails', () => {
    const straight = brokenHost('standard-mobile-route-ignored', {
      selectDestination: (ctx, entry) => {
        const kind = entry.peerKind;
        // As if the peer were of another kind: the last source received, else the oldest active address.
        entry.peerKind = kind === 'standard-mobile' ? 'standard' : kind;
        try {
          return REFERENCE_DECISIONS.selectDestination(ctx, entry);
        } finally {
          entry.peerKind = kind;
        }
      },
    });
    const verdict = liveCompat.check(play(VIA_CARE_OF, straight));
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/not to .* with a routing header naming .*R2\.2\.2-1/);
  });
});

describe('REFINES-SIGNALLING (d): the emulated bindings refreshed in draft-13 form', () => {
  /** Mallory falls back to standard; Alice talks to it, moves, talks again (a binding), loses another address, Mallory's BR. */
  const BR_AFTER_OTHER_LOSS: Action[] = [
    A.advance({ ms: CONFIG.params.compatProbeTimeoutMs + 500 }),
    A.correspond({ what: 'alice-sends' }),
    A.aliceGain(),
    A.aliceLose({ pick: 0 }),
    A.correspond({ what: 'alice-sends' }),
    A.aliceGain(),
    A.aliceLose({ pick: 1 }),
    A.correspond({ what: 'mallory-br' }),
    A.advance({ ms: 30 }),
  ];

  it('the_reference_host_refreshes_its_binding_in_answer_to_the_br_and_passes', () => {
    const trace = play(BR_AFTER_OTHER_LOSS);
    const reached = situationsReached(trace);
    expect(reached.has('periodic-bu-emulated')).toBe(true);
    expect(reached.has('binding-kept-after-other-loss')).toBe(true);
    const periodic = judgePeriodicBus(trace);
    expect(periodic.ok).toBe(true);
    expect(periodic.ok && periodic.judged).toBeGreaterThan(0);
    expect(refinesSignalling.check(trace).ok).toBe(true);
  });

  it('a_host_that_forgets_its_bindings_when_it_loses_any_address_fails', () => {
    const forgetful = brokenHost('bindings-forgotten-on-any-loss', {
      withdrawAddress: (ctx, address, nowMs) => {
        for (const entry of ctx.state.cache.entries) entry.emulatedBindings.clear();
        REFERENCE_DECISIONS.withdrawAddress(ctx, address, nowMs);
      },
    });
    const verdict = judgePeriodicBus(play(BR_AFTER_OTHER_LOSS, forgetful));
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/did not refresh her emulated binding .* a BR is answered at once/);
  });

  it('a_host_whose_refresh_asks_for_a_ba_fails', () => {
    const asking = brokenHost('emulated-refresh-with-a-bit', {
      transmit: (ctx, packet, sa, entry) => {
        // The draft-13 refresh: a BU alone, with an HAO other than its source.
        const hao = packet.destOptions?.find((o) => o.kind === 'hao');
        const refresh = hao?.kind === 'hao' && hao.homeAddress !== packet.ipv6.source && packet.upper.kind === 'none';
        const destOptions = refresh
          ? packet.destOptions?.map((o) => (o.kind === 'bu' ? { ...o, flags: { ...o.flags, ack: true } } : o))
          : packet.destOptions;
        return REFERENCE_DECISIONS.transmit(ctx, { ...packet, destOptions }, sa, entry);
      },
    });
    const verdict = judgePeriodicBus(play(BR_AFTER_OTHER_LOSS, asking));
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/a BU with the A bit .* in her answer to its BR/);
  });
});

describe('REFINES-SIGNALLING (i): deleting BUs delete at an honest peer', () => {
  /** At once, before Bob's Homeless Support reached her: Alice gains an address and loses it again. */
  const GAIN_LOSE_AT_ONCE: Action[] = [A.aliceGain(), A.aliceLose({ pick: 1 }), A.advance({ ms: 300 })];

  it('the_reference_host_names_the_address_bob_holds_and_passes', () => {
    const trace = play(GAIN_LOSE_AT_ONCE);
    expect(situationsReached(trace).has('deleting-bu-before-peer-verified')).toBe(true);
    const deleting = judgeDeletingBus(trace);
    expect(deleting).toEqual({ ok: true, judged: 1 });
    expect(refinesSignalling.check(trace).ok).toBe(true);
  });

  it('a_host_whose_deleting_bu_names_the_lost_address_in_its_hao_fails', () => {
    // The HAO of every deleting BU names the address it deletes (its care-of address).
    const lostInHao = brokenHost('deleting-bu-hao-names-the-lost-address', {
      transmit: (ctx, packet, sa, entry) => {
        const bu = packet.destOptions?.find((o) => o.kind === 'bu');
        const careOf = bu?.kind === 'bu' ? bu.subOptions.find((s) => s.kind === 'alternate-coa') : undefined;
        const destOptions =
          bu?.kind === 'bu' && bu.lifetimeSeconds === 0 && careOf?.kind === 'alternate-coa'
            ? packet.destOptions?.map((o) => (o.kind === 'hao' ? { ...o, homeAddress: careOf.address } : o))
            : packet.destOptions;
        return REFERENCE_DECISIONS.transmit(ctx, { ...packet, destOptions }, sa, entry);
      },
    });
    const verdict = judgeDeletingBus(play(GAIN_LOSE_AT_ONCE, lostInHao));
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/did not delete: .* is still tentative in its entry for her/);
  });

  it('a_deleting_bu_after_bob_is_known_homeless_carries_no_hao_and_is_judged_too', () => {
    const later = play([A.advance({ ms: 300 }), A.aliceGain(), A.aliceLose({ pick: 1 }), A.advance({ ms: 300 })]);
    expect(situationsReached(later).has('deleting-bu-before-peer-verified')).toBe(false);
    expect(judgeDeletingBus(later)).toEqual({ ok: true, judged: 1 });
  });
});
