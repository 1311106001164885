// A deliberately wrong ICV routine in impl/ is now visible (DESIGN.md "Independent ground
// truth"). Here impl/crypto's HMAC is replaced, for this file only, by one that covers the
// hop limit as sent (WIRE.md zeroes it): every node of the world (Alice, the honest peers,
// Mallory) uses impl/crypto, so they all agree with each other and Alice accepts everything.
// Before the ground truth had its own ICV, the world's verdicts used the same routine and
// agreed too; now the world calls those packets `bad-icv`, and INV-DELIVERY convicts the
// data Alice delivered from them.

import { describe, expect, it, vi } from 'vitest';
import { delivery } from '../../properties/invariants/delivery.js';
import { referenceAlice } from '../../properties/world/alice.js';
import type { Schedule } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';
import { callsOf, worldConfig } from '../helpers/world.js';

/** The IPv6 hop limit's offset; the ICV input is the only single-part HMAC impl/crypto computes. */
const HOP_LIMIT_AT = 7;
const HOP_LIMIT_SENT = 64;

vi.mock('../../impl/crypto/hmac.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../impl/crypto/hmac.js')>();
  return {
    ...original,
    hmacDigest: (
      alg: Parameters<typeof original.hmacDigest>[0],
      key: Uint8Array,
      ...parts: Uint8Array[]
    ): Uint8Array => {
      if (parts.length === 1 && parts[0].length > HOP_LIMIT_AT && parts[0][0] >> 4 === 6) {
        const covered = parts[0].slice();
        covered[HOP_LIMIT_AT] = HOP_LIMIT_SENT; // the mistake: the hop limit is not zeroed
        return original.hmacDigest(alg, key, covered);
      }
      return original.hmacDigest(alg, key, ...parts);
    },
  };
});

const SCHEDULE: Schedule = {
  config: worldConfig({ seed: 7 }),
  actions: [
    { kind: 'advance', ms: 2000 },
    { kind: 'peerSend', peer: 'bob' },
    { kind: 'advance', ms: 100 },
  ],
};

describe('an ICV routine in impl that gets WIRE.md wrong', () => {
  it('is_invisible_to_the_nodes_that_share_it_but_not_to_the_ground_truth', () => {
    const trace = runSchedule(SCHEDULE, referenceAlice).trace;
    const receives = callsOf(trace, 'receive').filter((c) => c.event.truth?.sa === 'alice-bob');
    expect(receives.length).toBeGreaterThan(0);
    // Alice (impl) accepted Bob's data as authenticated: the shared routine verifies itself...
    const data = receives.find((c) => c.event.delivered.length > 0);
    expect(data?.event.delivered[0]).toMatchObject({ proto: 'udp', authenticated: true });
    // ...the world's truth, computing the ICV its own way, calls every such packet forged...
    expect(receives.every((c) => c.event.truth?.ah === 'bad-icv')).toBe(true);
    // ...and INV-DELIVERY fails the run.
    const verdict = delivery.check(trace);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/must drop: its AH fails \(bad-icv, SA alice-bob/);
  });
});
