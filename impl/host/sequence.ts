// BU sequence numbers (WIRE.md "Sequence numbers"): 16 bits, compared modulo 2^16.

import { SEQUENCE_MODULUS, SEQUENCE_NEWER_SPAN_MAX } from './params.js';

/** WIRE.md: `a` is newer than `b` when (a − b) mod 2^16 is in 1..32767. */
export function isNewerSequence(a: number, b: number): boolean {
  const d = (((a - b) % SEQUENCE_MODULUS) + SEQUENCE_MODULUS) % SEQUENCE_MODULUS;
  return d >= 1 && d <= SEQUENCE_NEWER_SPAN_MAX;
}

/** The next number after `n` (WIRE.md: modulo 2^16). */
export function nextSequence(n: number): number {
  return (n + 1) % SEQUENCE_MODULUS;
}
