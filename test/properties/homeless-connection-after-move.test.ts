// §2.2.1 toward a homeless peer: no HAO is needed, and Alice's packets on a connection that
// outlives her move leave from an address the peer holds. A host that emulates a home
// address toward a homeless peer names the lost initial source in an HAO, which the peer's
// entry no longer holds (her deleting BU, rule 20), so the peer drops her packets (rule 2):
// LIVE-HONEST-MOVE's probe, on the same UDP connection, does not reach it
// (docs/mutation.md: compat.ts 74:97).

import { describe, expect, it } from 'vitest';
import { REFERENCE_DECISIONS, ReferenceHost, type Decisions } from '../../impl/host/index.js';
import { situationsReached } from '../../properties/situations/index.js';
import { liveHonestMove } from '../../properties/invariants/live-honest-move.js';
import { hostFactory, referenceAlice } from '../../properties/world/alice.js';
import { A } from '../../properties/world/describe.js';
import type { AliceFactory, Schedule } from '../../properties/world/types.js';
import { traceOf, worldConfig } from '../helpers/world.js';

const CONFIG = worldConfig();
const CL = CONFIG.params.challengeLifetimeMs;

function run(actions: Schedule['actions'], alice: AliceFactory = referenceAlice) {
  return traceOf(CONFIG, actions, alice);
}

const R = REFERENCE_DECISIONS;

/** §2.2.1, broken: toward a homeless peer a connection keeps an emulated home address, named in an HAO once lost. */
const emulatesTowardHomeless: Decisions = {
  ...R,
  selectSource: (ctx, entry, finalDestination, connection) => {
    if (entry.peerKind !== 'homeless') return R.selectSource(ctx, entry, finalDestination, connection);
    entry.peerKind = 'standard';
    try {
      return R.selectSource(ctx, entry, finalDestination, connection);
    } finally {
      entry.peerKind = 'homeless';
    }
  },
};

const episode = [
  A.aliceSend({ peer: 'bob', pick: 0, proto: 'udp' }),
  A.aliceGain(),
  A.advance({ ms: 30 }),
  A.aliceLose({ pick: 0 }),
  A.advance({ ms: CL + 500 }),
  A.peerMove({ peer: 'bob' }),
  A.fair({ ms: 3 * CL + 500 }),
];

describe('a connection to a homeless peer that outlives Alice’s move (§2.2.1)', () => {
  it('detects_a_send_on_a_connection_whose_source_alice_lost', () => {
    expect(situationsReached(run(episode)).has('homeless-connection-after-move')).toBe(true);
    const kept = run(episode.filter((a) => a.kind !== 'aliceLose'));
    expect(situationsReached(kept).has('homeless-connection-after-move')).toBe(false);
  });

  it('fails_a_host_that_names_the_lost_initial_source_in_an_hao', () => {
    const ok = liveHonestMove.check(run(episode));
    expect(ok).toMatchObject({ ok: true });
    const broken = run(
      episode,
      hostFactory('emulates-toward-homeless', (o) => new ReferenceHost(o, emulatesTowardHomeless)),
    );
    expect(liveHonestMove.check(broken)).toMatchObject({ ok: false });
  });
});
