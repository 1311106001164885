// BU sequence numbers (WIRE.md "Sequence numbers"): 16 bits, compared modulo 2^16. The
// comparison is shared with the model and the harness (impl/sequence.ts); the numbering is the host's.

import { SEQUENCE_MODULUS } from '../sequence.js';

export { isNewerSequence } from '../sequence.js';

/** The next number after `n` (WIRE.md: modulo 2^16). */
export function nextSequence(n: number): number {
  return (n + 1) % SEQUENCE_MODULUS;
}
