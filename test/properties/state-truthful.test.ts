// INV-STATE-TRUTHFUL on fixed schedules (docs/properties.md): a `state` answer that contradicts
// what the world can prove fails, whichever way it lies; the reference's never does.

import { describe, expect, it } from 'vitest';
import { ReferenceHost, type HostOptions, type HostState } from '../../impl/host/index.js';
import { paramsFor } from '../../properties/arbitraries/schedule.js';
import { stateTruthful } from '../../properties/invariants/state-truthful.js';
import { blackBox, hostFactory, referenceAlice } from '../../properties/world/alice.js';
import { A } from '../../properties/world/describe.js';
import type { Action, AliceFactory } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';
import { stateHidesTentative } from '../../properties/mutants/bank/state-hides-tentative.js';
import { worldConfig } from '../helpers/world.js';

/** Bob and Carol (homeless), Sam (draft-13), Lee (legacy) and Mallory: every kind of entry. */
const EVERYONE = worldConfig({ seed: 5, carol: 'generic', sam: true, lee: true });

const CLAIM_ON_BOB: Action = A.claim({
  sa: 'generic',
  target: { kind: 'peer', peer: 'bob', pick: 0 },
  form: 'alt-coa',
});

/** A life with moves, a claim, entry-creating sends, an SA added later, Alice moving, and expiries. */
const LIFE: Action[] = [
  A.advance({ ms: 500 }),
  A.peerMove({ peer: 'bob' }),
  A.advance({ ms: 300 }),
  CLAIM_ON_BOB,
  A.advance({ ms: 200 }),
  A.aliceSend({ peer: 'bob', pick: 0, proto: 'udp' }),
  A.aliceSendNew({ n: 2 }),
  A.advance({ ms: 100 }),
  A.aliceAddSa({ n: 2 }),
  A.aliceGain(),
  A.advance({ ms: 6000 }),
  A.aliceLose({ pick: 0 }),
  A.advance({ ms: 500 }),
  A.jump({ past: 'lifetime' }),
  A.advance({ ms: 3000 }),
  A.aliceSend({ peer: 'carol', pick: 0, proto: 'udp' }),
  A.advance({ ms: 500 }),
];

/** A host whose report is the reference's, passed through `lie`. */
function lying(name: string, lie: (state: HostState) => HostState): AliceFactory {
  class Liar extends ReferenceHost {
    override snapshot(): HostState {
      return lie(super.snapshot());
    }
  }
  return hostFactory(name, (o: HostOptions) => new Liar(o));
}

function verdictOf(alice: AliceFactory, actions: Action[] = LIFE) {
  return stateTruthful.check(runSchedule({ config: EVERYONE, actions }, alice).trace);
}

describe('INV-STATE-TRUTHFUL', () => {
  it('the_reference_report_agrees_with_the_world_at_every_call', () => {
    const verdict = verdictOf(referenceAlice);
    expect(verdict.ok).toBe(true);
    if (verdict.ok) expect(verdict.judged).toBeGreaterThan(50);
  });

  it('a_report_without_tentative_addresses_fails_at_the_challenge_it_hides', () => {
    const verdict = verdictOf(stateHidesTentative.factory, [
      A.advance({ ms: 500 }),
      CLAIM_ON_BOB,
      A.advance({ ms: 500 }),
    ]);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.step).toBe(3);
    expect(verdict.reason).toMatch(
      /^Alice sent a Challenge \(packet #\d+, SA alice-mallory-generic\) to 2001:db8:b::1 in receive of #\d+, but reports it absent in entry e\d+$/,
    );
  });

  it('a_report_showing_a_claim_active_fails_as_unproven', () => {
    const promoted = lying('claims-shown-active', (s) => ({
      ...s,
      entries: s.entries.map((e) => ({
        ...e,
        addresses: e.addresses.map((a) => (a.status === 'tentative' ? { ...a, status: 'active' as const } : a)),
      })),
    }));
    const verdict = verdictOf(promoted, [A.advance({ ms: 500 }), CLAIM_ON_BOB, A.advance({ ms: 500 })]);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok)
      expect(verdict.reason).toMatch(
        /^Alice reports 2001:db8:b::1 active in entry e\d+ \(SA alice-mallory-generic\) after receive of #\d+, but no rule can have made it active there/,
      );
  });

  it('a_report_showing_expired_addresses_active_fails_once_their_lifetime_has_surely_run_out', () => {
    const undying = lying('deprecated-shown-active', (s) => ({
      ...s,
      entries: s.entries.map((e) => ({
        ...e,
        addresses: e.addresses.map((a) => (a.status === 'deprecated' ? { ...a, status: 'active' as const } : a)),
      })),
    }));
    // Short lifetimes: the jump leaves every first address deprecated, not yet removed.
    const trace = runSchedule(
      {
        config: { ...EVERYONE, params: paramsFor('short') },
        actions: [A.advance({ ms: 500 }), A.jump({ past: 'lifetime' }), A.advance({ ms: 500 })],
      },
      undying,
    ).trace;
    const verdict = stateTruthful.check(trace);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok)
      expect(verdict.reason).toMatch(
        /^Alice reports 2001:db8:\w+::1 active in entry e\d+ \(SA alice-[a-z-]+\) after tick at [\d.]+ s, but no rule can have made it active there/,
      );
  });

  it('a_report_missing_an_accepted_sa_or_its_first_address_fails', () => {
    const noMallory = lying('mallory-entry-hidden', (s) => ({ ...s, entries: s.entries.filter((e) => e.id !== 'e5') }));
    const missing = verdictOf(noMallory, [A.advance({ ms: 500 })]);
    expect(missing.ok).toBe(false);
    if (!missing.ok)
      expect(missing.reason).toMatch(
        /^Alice reports no entry with SA alice-mallory-generic \(inbound SPI \d+\) after addSA at 0\.000 s, although she accepted its addSA$/,
      );
    const emptied = lying('first-addresses-hidden', (s) => ({
      ...s,
      entries: s.entries.map((e) => ({ ...e, addresses: e.addresses.slice(1) })),
    }));
    const lost = verdictOf(emptied, [A.advance({ ms: 500 })]);
    expect(lost.ok).toBe(false);
    if (!lost.ok)
      expect(lost.reason).toMatch(
        /^Alice reports 2001:db8:b::1 not active in entry e1 \(SA alice-bob\) after addSA at 0\.000 s, but it is that entry's first address/,
      );
  });

  it('a_stale_local_fails_after_alice_gains_an_address', () => {
    const stale = lying('local-frozen', (s) => ({ ...s, local: ['2001:db8:a::1'] }));
    const verdict = verdictOf(stale, [A.advance({ ms: 500 }), A.aliceGain(), A.advance({ ms: 500 })]);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.step).toBe(2);
    expect(verdict.reason).toMatch(
      /^Alice reports local \[2001:db8:a::1\] after addLocalAddress at [\d.]+ s, but her addresses are \[2001:db8:a::1, 2001:db8:a:1::1\]$/,
    );
  });

  it('without_state_nothing_is_judged', () => {
    expect(verdictOf(blackBox(referenceAlice))).toEqual({ ok: true, judged: 0 });
  });
});
