/**
 * The anti-replay window is a ring of `antiReplayWindowPackets` bits indexed by the sequence
 * number modulo its size (RFC 6479's layout), but sliding it no longer clears the slots of the
 * sequence numbers it skips: a slot still holds the bit of the number one window earlier. A
 * fresh datagram that the network delayed, overtaken by later ones, then looks already seen
 * and is dropped, once the SA has sent more than a window of packets.
 *
 * Breaks: RFC 2402 §3.4.3 (a packet is a replay only if its number was received or lies left
 * of the window), as WIRE.md adopts it ("the RFC 2402 anti-replay window of 64 packets").
 * Decision: `verifyPacketAh` (receive/packet.ts), with the faulty window beside it: the reference
 * window's bitmap is private to impl/crypto, so one decision cannot reach it, and this one
 * keeps its own window per SA record instead.
 * Expected catcher: INV-REPLAY (its black-box half: an honest peer's burst with a delayed datagram).
 */

import { verifyAh } from '../../../impl/crypto/index.js';
import type { HostContext, SaRecord } from '../../../impl/host/index.js';
import type { AuthHeader, PacketLayout } from '../../../impl/wire/types.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

/** A ring window whose slide leaves the skipped slots as they were. */
class KeepsSkippedWindow {
  private top = 0;
  private readonly slots: boolean[];

  constructor(private readonly size: number) {
    this.slots = Array.from({ length: size }, () => false);
  }

  check(sequence: number): boolean {
    if (sequence === 0) return false;
    if (sequence > this.top) return true;
    if (this.top - sequence >= this.size) return false;
    return !this.slots[sequence % this.size];
  }

  update(sequence: number): void {
    // The slide: the slots of top + 1 .. sequence − 1 should be cleared here; they are not.
    if (sequence > this.top) this.top = sequence;
    this.slots[sequence % this.size] = true;
  }
}

/** One faulty window per SA record (dry runs copy records, but never receive). */
const windows = new WeakMap<SaRecord, KeepsSkippedWindow>();

function verifyPacketAh(ctx: HostContext, bytes: Uint8Array, layout: PacketLayout, ah: AuthHeader): SaRecord | null {
  const sa = ctx.state.sas.get(ah.spi);
  if (sa === undefined) return null;
  let window = windows.get(sa);
  if (window === undefined) {
    window = new KeepsSkippedWindow(ctx.params.antiReplayWindowPackets);
    windows.set(sa, window);
  }
  if (!window.check(ah.sequence)) return null;
  if (!verifyAh(bytes, layout, ah, sa.config)) return null;
  window.update(ah.sequence);
  sa.replay.update(ah.sequence);
  return sa;
}

export const replayWindowKeepsSkipped: Mutant = {
  name: 'replay-window-keeps-skipped',
  breaks:
    'drops a fresh datagram that arrives late inside the anti-replay window, because sliding the window does not clear the slots it skips',
  section: 'RFC 2402 §3.4.3, docs/wire-format.md "AH and what the ICV covers"',
  requirements: [],
  method: 'verifyPacketAh',
  expected: 'INV-REPLAY',
  factory: brokenHost('replay-window-keeps-skipped', { verifyPacketAh }),
};
