// The ground truth's anti-replay window (properties/truth/replay.ts: RFC 2402's sliding
// bitmap) decides every sequence number as impl/crypto's ring window does, for any window
// size and any order of arrivals, big slides included; and it accepts a fresh packet that
// arrives late inside the window, which a window keeping the slots a slide skipped would not.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplayWindow } from '../../impl/crypto/index.js';
import { AntiReplayWindow } from '../../properties/truth/index.js';
import { fcParams } from '../wire/fc-config.js';

describe('the ground truth anti-replay window', () => {
  it('decides_every_arrival_as_impls_window_does', () => {
    const arrival = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: -3, max: 70 }).map((d) => ({ kind: 'near' as const, d })) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffffffff }).map((s) => ({ kind: 'any' as const, s })) },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.array(arrival, { maxLength: 300 }),
        fc.array(fc.boolean(), { maxLength: 300 }),
        (size, arrivals, verified) => {
          const truth = new AntiReplayWindow(size);
          const impl = new ReplayWindow(size);
          arrivals.forEach((a, i) => {
            // Near the top: in order, late, duplicated or just past the window's left edge.
            const seq = a.kind === 'any' ? a.s : Math.max(0, impl.highest() + 1 - a.d);
            expect(truth.check(seq), `size ${size}, seq ${seq} after ${impl.highest()}`).toBe(impl.check(seq));
            // The window moves only once the ICV verified (RFC 2402 §3.4.3).
            if (verified[i] ?? true) {
              truth.update(seq);
              impl.update(seq);
            }
            expect(truth.top()).toBe(impl.highest());
          });
        },
      ),
      fcParams(300),
    );
  });

  it('accepts_a_fresh_packet_arriving_late_after_the_window_slid_and_wrapped', () => {
    const w = new AntiReplayWindow(64);
    for (let s = 1; s <= 130; s++) if (s !== 120) w.update(s);
    // 120 was skipped while the window slid past it; 56, which a 64-slot ring would keep in
    // the same slot, was seen: 120 is still fresh.
    expect(w.check(120)).toBe(true);
    expect(w.check(129)).toBe(false); // seen
    expect(w.check(66)).toBe(false); // left of the window (130 − 64)
    expect(w.check(0)).toBe(false);
    w.update(120);
    expect(w.check(120)).toBe(false);
  });
});
