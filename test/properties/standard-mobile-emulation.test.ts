// §2.2.2 toward a standard mobile peer: Sam moved (rule 15 makes him `standard-mobile`), and
// Alice's connection to him outlives her own move, so its packets carry an HAO naming the
// connection's initial source. The situation `emulation-toward-sam-away` is detected where it
// happens, and LIVE-COMPAT (a) fails a host that stops emulating toward such a peer while the
// reference passes (docs/mutation.md: compat.ts 77:77 and 77:102).

import { describe, expect, it } from 'vitest';
import { REFERENCE_DECISIONS, ReferenceHost, type Decisions } from '../../impl/host/index.js';
import { liveCompat } from '../../properties/invariants/live-compat.js';
import { situationsReached } from '../../properties/situations/index.js';
import { hostFactory, referenceAlice } from '../../properties/world/alice.js';
import { A } from '../../properties/world/describe.js';
import type { AliceFactory, Schedule } from '../../properties/world/types.js';
import { traceOf, worldConfig } from '../helpers/world.js';

const CONFIG = worldConfig({ sam: true });

function run(actions: Schedule['actions'], alice: AliceFactory = referenceAlice) {
  return traceOf(CONFIG, actions, alice);
}

const R = REFERENCE_DECISIONS;

/** §2.2.2, broken: no emulated home address toward a standard mobile peer (its packets leave from the oldest address, no HAO). */
const noEmulationTowardMobile: Decisions = {
  ...R,
  selectSource: (ctx, entry, finalDestination, connection) => {
    const plan = R.selectSource(ctx, entry, finalDestination, connection);
    return plan === null || entry.peerKind !== 'standard-mobile' ? plan : { source: plan.source, home: null };
  },
};

const send = A.aliceSend({ peer: 'sam', pick: 0, proto: 'udp' });
const lose = A.aliceLose({ pick: 0 });
const episode = [
  A.peerMove({ peer: 'sam' }),
  A.advance({ ms: 100 }),
  send,
  A.aliceGain(),
  A.advance({ ms: 30 }),
  lose,
  send,
  A.advance({ ms: 300 }),
];

describe('emulation toward a standard mobile peer after Alice moves (§2.2.2)', () => {
  it('detects_a_connection_to_sam_away_that_outlives_alices_move', () => {
    expect(situationsReached(run(episode)).has('emulation-toward-sam-away')).toBe(true);
    // Without the loss the connection's source is still Alice's: no emulation is owed.
    expect(situationsReached(run(episode.filter((a) => a !== lose))).has('emulation-toward-sam-away')).toBe(false);
    // Without Sam's move he is no standard mobile peer away from home.
    expect(situationsReached(run(episode.slice(2))).has('emulation-toward-sam-away')).toBe(false);
  });

  it('fails_a_host_that_drops_the_hao_toward_a_standard_mobile_peer', () => {
    expect(liveCompat.check(run(episode)).ok).toBe(true);
    const broken = run(
      episode,
      hostFactory('no-emulation-toward-mobile', (o) => new ReferenceHost(o, noEmulationTowardMobile)),
    );
    expect(liveCompat.check(broken)).toMatchObject({ ok: false });
  });
});
