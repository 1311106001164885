/**
 * TIME is the host's clock (8-byte big-endian milliseconds), which the draft allows ("the
 * current time or a nonce") and WIRE.md forbids. Mallory holds its own SA's key K, so it
 * computes Challenge = HMAC(K, ADDR || TIME) for the instant its claim arrives and answers at
 * once, without ever receiving the Challenge: any address it names becomes active.
 *
 * Breaks: WIRE.md "Reachability verification" (TIME from the random source, never the clock),
 * hence §3.4.2's reachability check (R1.4-9, R2.3.1-7, R3.4.2-2).
 * Decision: `drawChallengeTime` (verification.ts).
 * Expected catcher: INV-ACTIVE-VERIFIED, through the world's `clockGuess` attack.
 */

import type { HostContext } from '../../../impl/host/index.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

/** TIME is 8 bytes (WIRE.md). */
const TIME_BYTES = 8;

function drawChallengeTime(_ctx: HostContext, nowMs: number): Uint8Array {
  const time = new Uint8Array(TIME_BYTES);
  new DataView(time.buffer).setBigUint64(0, BigInt(nowMs), false);
  return time;
}

export const clockBasedTime: Mutant = {
  name: 'clock-based-time',
  breaks: "the Challenge's TIME is the clock, so a peer holding the SA key computes the Challenge without receiving it",
  section: '§3.4.2, docs/wire-format.md "Reachability verification"',
  requirements: ['R1.4-9', 'R2.3.1-7', 'R3.4.2-2'],
  method: 'drawChallengeTime',
  expected: 'INV-ACTIVE-VERIFIED',
  factory: brokenHost('clock-based-time', { drawChallengeTime }),
};
