// LIVE-COMPAT's part on the BUs Alice sends to every peer (docs/properties.md, LIVE-COMPAT):
// (b') an HAO in every BU that is no Response, under an SA whose peer never showed Homeless
// Support (§3.2.1). The reference holds it where the schedules reach it (a BR from Mallory right
// after setup; an emulated binding with Sam refreshed in draft-13 form), and a host that drops
// the HAO fails it. No Homeless Support once her Initial BU's probe ended unanswered (§3.2.3,
// rule 15) is judged once, by REFINES-SIGNALLING (h), not here.

import { describe, expect, it } from 'vitest';
import { REFERENCE_DECISIONS, ReferenceHost, type Decisions } from '../../impl/host/index.js';
import type { Packet } from '../../impl/wire/types.js';
import { paramsFor } from '../../properties/arbitraries/schedule.js';
import { liveCompat } from '../../properties/invariants/live-compat.js';
import { judgeStandardPeerBus } from '../../properties/invariants/standard-peer-bu.js';
import { situationsReached } from '../../properties/situations/index.js';
import { hostFactory, referenceAlice } from '../../properties/world/alice.js';
import { A } from '../../properties/world/describe.js';
import type { AliceFactory, Schedule, WorldConfig } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';
import { worldConfig } from '../helpers/world.js';

const CONFIG = worldConfig({ seed: 7, sam: true });
const SHORT: WorldConfig = { ...CONFIG, params: paramsFor('short') };

/** Mallory's BR while Alice's entry for it is still `unknown`: her answer is in the Initial BU's form. */
const BR_AT_ONCE: Schedule['actions'] = [A.correspond({ what: 'mallory-br' }), A.advance({ ms: 300 })];
/** Alice talks to Sam, moves, talks again; the stretch runs past a periodic BU (30 s in `short`). */
const EMULATED_REFRESH: Schedule['actions'] = [
  A.peerMove({ peer: 'sam' }),
  A.aliceSend({ peer: 'sam', pick: 0, proto: 'udp' }),
  A.aliceGain(),
  A.advance({ ms: 30 }),
  A.aliceLose({ pick: 0 }),
  A.aliceSend({ peer: 'sam', pick: 0, proto: 'udp' }),
  A.advance({ ms: 31_000 }),
];

function broken(name: string, replaced: Partial<Decisions>): AliceFactory {
  return hostFactory(name, (o) => new ReferenceHost(o, { ...REFERENCE_DECISIONS, ...replaced }));
}

/** Every periodic BU, BR answer and Initial BU without its HAO. */
const dropsHao = broken('drops-hao', {
  sendAddressList: (ctx, entry, route, source, ack) =>
    REFERENCE_DECISIONS.sendAddressList(ctx, entry, route, source, ack, false),
});

/** Homeless Support added to every BU that is no Response. */
const alwaysHomelessSupport = broken('always-homeless-support', {
  transmit: (ctx, packet, sa, entry) => {
    if (packet.destOptions === undefined) return REFERENCE_DECISIONS.transmit(ctx, packet, sa, entry);
    const options = packet.destOptions.map((o) =>
      o.kind === 'bu' && !o.subOptions.some((s) => s.kind === 'security' || s.kind === 'homeless-support')
        ? { ...o, subOptions: [...o.subOptions, { kind: 'homeless-support' as const }] }
        : o,
    );
    const changed: Packet = { ...packet, destOptions: options };
    return REFERENCE_DECISIONS.transmit(ctx, changed, sa, entry);
  },
});

function run(alice: AliceFactory, config: WorldConfig, actions: Schedule['actions']) {
  const { trace, crash } = runSchedule({ config, actions }, alice);
  expect(crash).toBeUndefined();
  return { trace, verdict: liveCompat.check(trace) };
}

describe("LIVE-COMPAT on Alice's BUs to every peer", () => {
  it('the_reference_keeps_the_hao_toward_a_peer_still_unknown', () => {
    const { trace, verdict } = run(referenceAlice, CONFIG, BR_AT_ONCE);
    expect(situationsReached(trace).has('refresh-toward-unknown-peer')).toBe(true);
    expect(verdict.ok).toBe(true);
  });

  it('a_bu_without_hao_toward_a_peer_not_shown_homeless_fails', () => {
    const { verdict } = run(dropsHao, CONFIG, BR_AT_ONCE);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/a BU without an HAO under alice-/);
  });

  it('the_reference_refreshes_an_emulated_binding_in_draft_13_form', () => {
    const { trace, verdict } = run(referenceAlice, SHORT, EMULATED_REFRESH);
    expect(situationsReached(trace).has('periodic-bu-emulated')).toBe(true);
    expect(verdict.ok).toBe(true);
  });

  it('homeless_support_after_the_probe_ended_is_judged_once_by_refines_signalling_h', () => {
    const { trace, verdict } = run(alwaysHomelessSupport, SHORT, EMULATED_REFRESH);
    // §3.2.3's lowercase "must", fixed by rules 14-16: a host-rules matter, REFINES-SIGNALLING (h).
    expect(verdict.ok).toBe(true);
    const h = judgeStandardPeerBus(trace);
    expect(h.ok).toBe(false);
    if (!h.ok) expect(h.reason).toMatch(/Alice sent a BU with Homeless Support .*SA alice-sam/);
  });
});
