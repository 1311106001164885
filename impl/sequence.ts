// BU sequence numbers (WIRE.md "Sequence numbers"): 16 bits, compared modulo 2^16. The one
// comparison of the project: the host (HOST.md rule 7), the model and the harness all use it.
// It lives outside impl/host on purpose: mutation testing (stryker.config.mjs) mutates
// impl/host and impl/crypto, and a mutant here would change the judges' comparison together
// with the host's and so hide itself. test/host/sequence.test.ts pins it instead.

/** BU sequence numbers are 16 bits and compared modulo 2^16 (WIRE.md). */
export const SEQUENCE_MODULUS = 0x10000;
/** The largest (a − b) mod 2^16 for which `a` is newer than `b`. */
export const SEQUENCE_NEWER_SPAN_MAX = 0x7fff;

/** WIRE.md: `a` is newer than `b` when (a − b) mod 2^16 is in 1..32767. */
export function isNewerSequence(a: number, b: number): boolean {
  const d = (((a - b) % SEQUENCE_MODULUS) + SEQUENCE_MODULUS) % SEQUENCE_MODULUS;
  return d >= 1 && d <= SEQUENCE_NEWER_SPAN_MAX;
}
