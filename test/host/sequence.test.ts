// BU sequence numbers (WIRE.md "Sequence numbers"): the one comparison the host, the model and
// the harness share (impl/sequence.ts). Mutation testing leaves it alone (it is outside
// impl/host), so these cases pin it: newer when (a − b) mod 2^16 is in 1..32767.

import { describe, expect, it } from 'vitest';
import { nextSequence } from '../../impl/host/sequence.js';
import { isNewerSequence, SEQUENCE_MODULUS, SEQUENCE_NEWER_SPAN_MAX } from '../../impl/sequence.js';
import { isFreshSequence } from '../../model/entry.js';

describe('BU sequence numbers', () => {
  it('newer_by_one_up_to_half_the_space', () => {
    expect(isNewerSequence(1, 0)).toBe(true);
    expect(isNewerSequence(SEQUENCE_NEWER_SPAN_MAX, 0)).toBe(true);
    expect(isNewerSequence(SEQUENCE_NEWER_SPAN_MAX + 1, 0)).toBe(false);
    expect(isNewerSequence(SEQUENCE_NEWER_SPAN_MAX + 2, 1)).toBe(false);
  });

  it('a_number_is_not_newer_than_itself_nor_than_a_newer_one', () => {
    for (const n of [0, 1, 0x7fff, 0x8000, 0xffff]) {
      expect(isNewerSequence(n, n)).toBe(false);
      expect(isNewerSequence(n, (n + 1) % SEQUENCE_MODULUS)).toBe(false);
    }
  });

  it('newer_across_the_wrap_from_65535_to_0', () => {
    expect(isNewerSequence(0, 0xffff)).toBe(true);
    expect(isNewerSequence(2, 0xfffd)).toBe(true);
    expect(isNewerSequence(0xffff, 0)).toBe(false);
    expect(isNewerSequence(0x7ffe, 0xffff)).toBe(true);
    expect(isNewerSequence(0x7fff, 0xffff)).toBe(false);
  });

  it('next_sequence_wraps_and_is_newer', () => {
    expect(nextSequence(0xffff)).toBe(0);
    for (const n of [0, 1, 0x7fff, 0xfffe, 0xffff]) expect(isNewerSequence(nextSequence(n), n)).toBe(true);
  });

  it('the_model_accepts_a_first_number_then_only_newer_ones', () => {
    expect(isFreshSequence(null, 0xffff)).toBe(true);
    expect(isFreshSequence(0xffff, 0)).toBe(true);
    expect(isFreshSequence(0, 0xffff)).toBe(false);
    expect(isFreshSequence(5, 5)).toBe(false);
  });
});
