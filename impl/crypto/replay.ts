// The RFC 2402 anti-replay window (§3.4.3 and Appendix C) on the 32-bit AH sequence number.
// Sequence numbers never wrap here (WIRE.md: no wrap-around; an SA is replaced first).

/** Largest window accepted (the default is 64, WIRE.md `antiReplayWindowPackets`). */
export const REPLAY_WINDOW_PACKETS_MAX = 4096;
const SEQUENCE_MAX = 0xffffffff;
const WORD_BITS = 32;

function isSequence(seq: number): boolean {
  return Number.isInteger(seq) && seq >= 1 && seq <= SEQUENCE_MAX;
}

/**
 * A window of the `size` highest sequence numbers seen so far. The bitmap is a ring of
 * 32-bit words indexed by seq mod (32 × words), so sliding it clears only the bits the slide
 * uncovers instead of shifting the whole map (RFC 6479's idea); it measured faster than
 * shifting a BigInt or a pair of 32-bit numbers (docs/wire-format.md).
 */
export class ReplayWindow {
  /** Highest sequence number accepted so far; 0 before any. */
  private top = 0;
  private readonly bits: Uint32Array;
  private readonly ringBits: number;

  constructor(readonly sizePackets = 64) {
    if (!(Number.isInteger(sizePackets) && sizePackets >= 1 && sizePackets <= REPLAY_WINDOW_PACKETS_MAX)) {
      throw new RangeError(`replay window of ${sizePackets} packets (1..${REPLAY_WINDOW_PACKETS_MAX})`);
    }
    this.bits = new Uint32Array(Math.ceil(sizePackets / WORD_BITS));
    this.ringBits = this.bits.length * WORD_BITS;
  }

  /**
   * Whether a packet with `seq` would be accepted: seq is 1..2^32−1 (0 is always rejected),
   * not older than the window, and not seen. Does not change the window.
   */
  check(seq: number): boolean {
    if (!isSequence(seq)) return false;
    if (seq > this.top) return true;
    if (this.top - seq >= this.sizePackets) return false;
    const i = seq % this.ringBits;
    return (this.bits[i >>> 5] & (1 << (i & 31))) === 0;
  }

  /**
   * Records `seq` as seen, sliding the window if it is the highest so far. Call only after
   * the ICV verified (RFC 2402 §3.4.3), and only for a seq that `check` accepted; other
   * values leave the window unchanged.
   */
  update(seq: number): void {
    if (!this.check(seq)) return;
    if (seq > this.top) {
      const slide = seq - this.top;
      if (slide >= this.ringBits) {
        this.bits.fill(0);
      } else {
        for (let s = this.top + 1; s < seq; s++) {
          const i = s % this.ringBits;
          this.bits[i >>> 5] &= ~(1 << (i & 31));
        }
      }
      this.top = seq;
    }
    const i = seq % this.ringBits;
    this.bits[i >>> 5] |= 1 << (i & 31);
  }

  /** Highest sequence number accepted so far (0 before any). */
  highest(): number {
    return this.top;
  }

  clone(): ReplayWindow {
    const c = new ReplayWindow(this.sizePackets);
    c.top = this.top;
    c.bits.set(this.bits);
    return c;
  }
}
