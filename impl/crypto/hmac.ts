// HMAC over @noble/hashes for the two AH algorithms (WIRE.md "AH (RFC 2402) and the SAs"),
// and the one constant-time comparison of secrets (DESIGN.md style rule 6).

import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { AhAlgorithm } from './types.js';

export interface AlgorithmSizes {
  /** ICV bytes: the truncated HMAC (RFC 2404, RFC 4868). */
  icvBytes: 12 | 16;
  /** Key bytes an SA of this algorithm must have. */
  keyBytes: 20 | 32;
  /** AH Authentication Data bytes: the ICV plus padding to a multiple of 8 for the whole AH. */
  authDataBytes: 12 | 20;
}

export const ALGORITHMS: Readonly<Record<AhAlgorithm, Readonly<AlgorithmSizes>>> = Object.freeze({
  'hmac-sha1-96': Object.freeze({ icvBytes: 12, keyBytes: 20, authDataBytes: 12 }),
  'hmac-sha256-128': Object.freeze({ icvBytes: 16, keyBytes: 32, authDataBytes: 20 }),
});

const HASHES = { 'hmac-sha1-96': sha1, 'hmac-sha256-128': sha256 } as const;

type KeyedHmac = ReturnType<typeof hmac.create>;

/**
 * Keyed HMAC states, cached per key object and algorithm: re-deriving the padded key costs
 * about a third of a short HMAC. Each entry keeps a copy of the key bytes and is rebuilt if
 * the caller's array changed since.
 */
const keyed = new WeakMap<Uint8Array, { alg: AhAlgorithm; key: Uint8Array; state: KeyedHmac }[]>();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function keyedState(alg: AhAlgorithm, key: Uint8Array): KeyedHmac {
  let entries = keyed.get(key);
  if (entries === undefined) {
    entries = [];
    keyed.set(key, entries);
  }
  for (const e of entries) {
    if (e.alg === alg) {
      if (sameBytes(e.key, key)) return e.state;
      e.key = Uint8Array.from(key);
      e.state = hmac.create(HASHES[alg], key);
      return e.state;
    }
  }
  const state = hmac.create(HASHES[alg], key);
  entries.push({ alg, key: Uint8Array.from(key), state });
  return state;
}

/** The full HMAC (20 bytes for SHA-1, 32 for SHA-256) of the concatenation of `parts`. */
export function hmacDigest(alg: AhAlgorithm, key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const h = keyedState(alg, key).clone();
  for (const part of parts) h.update(part);
  return h.digest();
}

/**
 * Whether `a` and `b` hold the same bytes, in time that depends only on their lengths (which
 * are public: the algorithm fixes them). The one place secrets and MACs are compared.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** Null if `key` fits `alg` (WIRE.md: a key of the wrong length is refused), else why not. */
export function checkKey(alg: AhAlgorithm, key: Uint8Array): string | null {
  const sizes = Object.prototype.hasOwnProperty.call(ALGORITHMS, alg) ? ALGORITHMS[alg] : undefined;
  if (sizes === undefined) return `unknown algorithm ${JSON.stringify(alg)}`;
  if (!(key instanceof Uint8Array)) return 'key is not a byte array';
  if (key.length !== sizes.keyBytes) return `${alg} needs a ${sizes.keyBytes}-byte key, got ${key.length} bytes`;
  return null;
}
