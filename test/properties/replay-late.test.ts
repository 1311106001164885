// INV-REPLAY's black-box half (docs/properties.md): a fresh datagram that arrives late inside
// the anti-replay window is delivered. Bob's burst slides his SA's window past its first 64
// numbers; the network holds one datagram back so that the next ones overtake it.

import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../../impl/host/types.js';
import { replay } from '../../properties/invariants/replay.js';
import { blackBox, referenceAlice } from '../../properties/world/alice.js';
import type { Schedule } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';
import { replayWindowKeepsSkipped } from '../../properties/mutants/bank/replay-window-keeps-skipped.js';

const BURST: Schedule = {
  config: {
    seed: 5,
    params: { ...DEFAULT_PARAMS },
    aliceAddressCount: 1,
    alg: 'hmac-sha256-128',
    carol: 'absent',
    sam: false,
    lee: false,
    mallory: 'generic',
  },
  actions: [
    { kind: 'advance', ms: 1000 },
    { kind: 'peerBurst', peer: 'bob', count: 100 },
    { kind: 'delay', select: 'data', fromEnd: 3, ms: 50 },
    { kind: 'advance', ms: 200 },
  ],
};

describe('INV-REPLAY, fresh datagrams arriving late', () => {
  it('the_reference_delivers_a_datagram_overtaken_inside_the_window', () => {
    for (const alice of [referenceAlice, blackBox(referenceAlice)]) {
      const verdict = replay.check(runSchedule(BURST, alice).trace);
      expect(verdict).toEqual({ ok: true, judged: 1 });
    }
  });

  it('a_window_that_keeps_the_slots_it_skips_drops_it_and_fails', () => {
    const verdict = replay.check(runSchedule(BURST, blackBox(replayWindowKeepsSkipped.factory)).trace);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok)
      expect(verdict.reason).toMatch(
        /a fresh datagram arriving late inside the anti-replay window \(SA alice-bob, AH sequence number \d+, below the highest so far \d+\) was not delivered/,
      );
  });
});
