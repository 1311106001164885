// A deterministic random source for `reset.config.seed` (HOST.md rule 24): SHA-256 in counter
// mode over a domain label, the seed and a block counter. Not a cryptographic DRBG for
// production keys; it makes a run replayable, which is all a seeded test run needs. Without a
// seed the caller passes a cryptographically random source (impl/ does no I/O).

import { sha256 } from '@noble/hashes/sha2.js';

const DOMAIN = new TextEncoder().encode('hmip6 reference host random/1');
const SEED_BYTES = 8;
const COUNTER_BYTES = 8;

/**
 * A random source that can be copied: `fork()` gives a source that draws, from then on, the
 * same bytes this one would (its own copy of the position). A host whose source can fork can
 * fork (`ReferenceHost.fork`), which is how the explorer copies a world instead of replaying it.
 */
export interface ForkableRandom {
  (n: number): Uint8Array;
  fork(): ForkableRandom;
}

/** Whether `random` is a source `fork` can copy. */
export function isForkableRandom(random: (n: number) => Uint8Array): random is ForkableRandom {
  return typeof (random as Partial<ForkableRandom>).fork === 'function';
}

/** n bytes per call, the same sequence for the same seed. */
export function seededRandom(seed: number): ForkableRandom {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  return seededFrom(seed, 0n, new Uint8Array(0), 0);
}

/** The source for `seed` at block `counter`, with `pool[used..]` still to hand out. */
function seededFrom(seed: number, counter: bigint, pool: Uint8Array, used: number): ForkableRandom {
  const input = new Uint8Array(DOMAIN.length + SEED_BYTES + COUNTER_BYTES);
  input.set(DOMAIN, 0);
  const view = new DataView(input.buffer);
  view.setBigInt64(DOMAIN.length, BigInt(seed));
  const draw = (n: number): Uint8Array => {
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
  // The pool is never written after it is drawn, so the copy may share it.
  return Object.assign(draw, { fork: () => seededFrom(seed, counter, pool, used) });
}
