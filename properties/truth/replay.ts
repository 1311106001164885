// The ground truth's own RFC 2402 anti-replay window (§3.4.3 and its Appendix C), written as
// the RFC's sliding bitmap rather than impl/crypto's ring of words: bit i says whether
// sequence number `highest − i` was seen. Sliding shifts the map, so sequence numbers the
// slide skipped start unseen. No wrap-around (WIRE.md: sequence numbers never wrap).

/** AH sequence numbers are 32 bits; 0 is never valid (WIRE.md). */
const SEQUENCE_MAX = 0xffffffff;

export class AntiReplayWindow {
  private highest = 0;
  private seen = 0n;
  private readonly mask: bigint;

  constructor(readonly sizePackets: number) {
    if (!(Number.isInteger(sizePackets) && sizePackets >= 1))
      throw new RangeError(`anti-replay window of ${sizePackets} packets`);
    this.mask = (1n << BigInt(sizePackets)) - 1n;
  }

  /** Whether `sequence` would be accepted: 1..2^32−1, not left of the window, not seen. */
  check(sequence: number): boolean {
    if (!(Number.isInteger(sequence) && sequence >= 1 && sequence <= SEQUENCE_MAX)) return false;
    if (sequence > this.highest) return true;
    const back = this.highest - sequence;
    if (back >= this.sizePackets) return false;
    return ((this.seen >> BigInt(back)) & 1n) === 0n;
  }

  /** A copy: the same window, moved independently from here on. */
  clone(): AntiReplayWindow {
    const copy = new AntiReplayWindow(this.sizePackets);
    copy.highest = this.highest;
    copy.seen = this.seen;
    return copy;
  }

  /** Records `sequence` (after its ICV verified, RFC 2402 §3.4.3); one `check` refuses changes nothing. */
  update(sequence: number): void {
    if (!this.check(sequence)) return;
    if (sequence > this.highest) {
      const slide = sequence - this.highest;
      // A slide past the whole window forgets it (and never builds a bitmap of 2^32 bits).
      this.seen = slide >= this.sizePackets ? 1n : ((this.seen << BigInt(slide)) | 1n) & this.mask;
      this.highest = sequence;
      return;
    }
    this.seen |= 1n << BigInt(this.highest - sequence);
  }

  /** The highest sequence number recorded so far (0 before any). */
  top(): number {
    return this.highest;
  }
}
