// A deterministic random source for `reset.config.seed` (HOST.md rule 24): SHA-256 in counter
// mode over a domain label, the seed and a block counter. Not a cryptographic DRBG for
// production keys; it makes a run replayable, which is all a seeded test run needs. Without a
// seed the caller passes a cryptographically random source (impl/ does no I/O).

import { sha256 } from '@noble/hashes/sha2.js';

const DOMAIN = new TextEncoder().encode('hmip6 reference host random/1');
const SEED_BYTES = 8;
const COUNTER_BYTES = 8;

/** n bytes per call, the same sequence for the same seed. */
export function seededRandom(seed: number): (n: number) => Uint8Array {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  const input = new Uint8Array(DOMAIN.length + SEED_BYTES + COUNTER_BYTES);
  input.set(DOMAIN, 0);
  const view = new DataView(input.buffer);
  view.setBigInt64(DOMAIN.length, BigInt(seed));
  let counter = 0n;
  let pool = new Uint8Array(0);
  let used = 0;
  return (n: number): Uint8Array => {
    if (!(Number.isSafeInteger(n) && n >= 0)) throw new RangeError(`random: ${n} bytes`);
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      if (used === pool.length) {
        view.setBigUint64(DOMAIN.length + SEED_BYTES, counter++);
        pool = sha256(input);
        used = 0;
      }
      const take = Math.min(n - filled, pool.length - used);
      out.set(pool.subarray(used, used + take), filled);
      used += take;
      filled += take;
    }
    return out;
  };
}
