// The RFC 2402 anti-replay window (§3.4.3, Appendix C), 64 packets by default (WIRE.md).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { protect, REPLAY_WINDOW_PACKETS_MAX, ReplayWindow, verifyAh } from '../../impl/crypto/index.js';
import { decodePacket, type Packet } from '../../impl/wire/index.js';
import { fcParams } from '../wire/fc-config.js';

describe('ReplayWindow', () => {
  it('rejects_sequence_number_zero_always', () => {
    const w = new ReplayWindow();
    expect(w.check(0)).toBe(false);
    w.update(0);
    expect(w.highest()).toBe(0);
    w.update(5);
    expect(w.check(0)).toBe(false);
  });

  it('rejects_values_that_are_not_uint32_sequence_numbers', () => {
    const w = new ReplayWindow();
    for (const bad of [-1, 1.5, 2 ** 32, Number.NaN, Infinity]) expect(w.check(bad)).toBe(false);
    expect(w.check(2 ** 32 - 1)).toBe(true);
  });

  it('accepts_any_first_number_and_rejects_its_duplicate', () => {
    const w = new ReplayWindow();
    expect(w.check(1000)).toBe(true);
    w.update(1000);
    expect(w.check(1000)).toBe(false);
    expect(w.check(999)).toBe(true);
    expect(w.check(1001)).toBe(true);
  });

  it('holds_the_64_newest_numbers_top_minus_63_accepted_top_minus_64_rejected', () => {
    const w = new ReplayWindow(64);
    w.update(100);
    expect(w.check(100 - 63)).toBe(true);
    expect(w.check(100 - 64)).toBe(false);
    expect(w.check(1)).toBe(false);
  });

  it('slides_when_a_higher_number_arrives', () => {
    const w = new ReplayWindow(64);
    w.update(10);
    w.update(8);
    expect(w.check(8)).toBe(false);
    expect(w.check(9)).toBe(true);
    w.update(72); // 72 - 8 = 64: 8 falls out of the window, 9 is the oldest in it
    expect(w.check(8)).toBe(false);
    expect(w.check(9)).toBe(true);
    expect(w.check(10)).toBe(false);
    w.update(1000); // a jump past the whole window forgets everything below it
    expect(w.check(1000 - 63)).toBe(true);
    expect(w.check(999)).toBe(true);
    expect(w.check(72)).toBe(false);
  });

  it('honours_other_sizes', () => {
    const w = new ReplayWindow(32);
    w.update(50);
    expect(w.check(19)).toBe(true);
    expect(w.check(18)).toBe(false);
    const big = new ReplayWindow(100);
    big.update(200);
    expect(big.check(101)).toBe(true);
    expect(big.check(100)).toBe(false);
  });

  it('refuses_sizes_outside_1_to_the_maximum', () => {
    expect(() => new ReplayWindow(0)).toThrow(RangeError);
    expect(() => new ReplayWindow(REPLAY_WINDOW_PACKETS_MAX + 1)).toThrow(RangeError);
    expect(() => new ReplayWindow(2.5)).toThrow(RangeError);
    expect(new ReplayWindow(REPLAY_WINDOW_PACKETS_MAX).sizePackets).toBe(REPLAY_WINDOW_PACKETS_MAX);
  });

  it('clones_independently', () => {
    const w = new ReplayWindow();
    w.update(5);
    const c = w.clone();
    c.update(6);
    expect(w.check(6)).toBe(true);
    expect(c.check(6)).toBe(false);
    expect(c.check(5)).toBe(false);
  });

  it('agrees_with_the_rfc_2402_appendix_c_algorithm_on_random_arrivals', () => {
    // Appendix C with the bitmap as a BigInt shifted on every slide: a different representation.
    fc.assert(
      fc.property(
        fc.constantFrom(1, 31, 32, 33, 64, 65, 100),
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 300 }),
        (size, seqs) => {
          const w = new ReplayWindow(size);
          let last = 0;
          let bitmap = 0n;
          const mask = (1n << BigInt(size)) - 1n;
          for (const seq of seqs) {
            let want: boolean;
            if (seq === 0) want = false;
            else if (seq > last) want = true;
            else want = last - seq < size && ((bitmap >> BigInt(last - seq)) & 1n) === 0n;
            expect(w.check(seq)).toBe(want);
            if (want) {
              if (seq > last) {
                const diff = seq - last;
                bitmap = diff < size ? ((bitmap << BigInt(diff)) | 1n) & mask : 1n;
                last = seq;
              } else {
                bitmap |= 1n << BigInt(last - seq);
              }
              w.update(seq);
            }
          }
        },
      ),
      fcParams(500),
    );
  });
});

describe('anti-replay with AH (RFC 2402 §3.4.3)', () => {
  const key = new Uint8Array(20).fill(3);
  const packet: Packet = {
    ipv6: { trafficClass: 0, flowLabel: 0, hopLimit: 64, source: '2001:db8::1', destination: '2001:db8::2' },
    upper: { kind: 'none' },
  };

  /** A receiver as RFC 2402 orders it: window check, ICV, then the window moves. */
  function receive(w: ReplayWindow, bytes: Uint8Array): boolean {
    const d = decodePacket(bytes);
    if (!d.ok || d.packet.ah === undefined) return false;
    if (!w.check(d.packet.ah.sequence)) return false;
    if (!verifyAh(bytes, d.layout, d.packet.ah, { alg: 'hmac-sha1-96', key })) return false;
    w.update(d.packet.ah.sequence);
    return true;
  }

  it('a_forged_packet_with_a_high_sequence_number_does_not_move_the_window', () => {
    const w = new ReplayWindow();
    expect(receive(w, protect(packet, { alg: 'hmac-sha1-96', key, spi: 256, sequence: 1 }))).toBe(true);
    const forged = protect(packet, {
      alg: 'hmac-sha1-96',
      key: new Uint8Array(20).fill(9),
      spi: 256,
      sequence: 1_000_000,
    });
    expect(receive(w, forged)).toBe(false);
    expect(w.highest()).toBe(1);
    expect(receive(w, protect(packet, { alg: 'hmac-sha1-96', key, spi: 256, sequence: 2 }))).toBe(true);
  });

  it('a_replayed_packet_is_rejected', () => {
    const w = new ReplayWindow();
    const bytes = protect(packet, { alg: 'hmac-sha1-96', key, spi: 256, sequence: 1 });
    expect(receive(w, bytes)).toBe(true);
    expect(receive(w, bytes)).toBe(false);
  });
});
