// HMAC for the ground truth, over node:crypto rather than impl/crypto's @noble/hashes
// (DESIGN.md "Independent ground truth"): the two AH algorithms of WIRE.md, their sizes
// restated here from RFC 2404 and RFC 4868.

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AhAlgorithm } from '../../impl/host/types.js';

export interface TruthAlgorithm {
  /** node:crypto's digest name. */
  hash: 'sha1' | 'sha256';
  /** The ICV: the HMAC truncated to this many bytes (96 or 128 bits). */
  icvBytes: number;
  keyBytes: number;
  /** AH Authentication Data: the ICV padded so the AH is a multiple of 8 bytes (WIRE.md). */
  authDataBytes: number;
}

export const TRUTH_ALGORITHMS: Readonly<Record<AhAlgorithm, TruthAlgorithm>> = {
  'hmac-sha1-96': { hash: 'sha1', icvBytes: 12, keyBytes: 20, authDataBytes: 12 },
  'hmac-sha256-128': { hash: 'sha256', icvBytes: 16, keyBytes: 32, authDataBytes: 20 },
};

/** The full HMAC of the concatenation of `parts` under `key`. */
export function hmac(alg: AhAlgorithm, key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const h = createHmac(TRUTH_ALGORITHMS[alg].hash, key);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** Byte equality in time independent of the contents (lengths are public). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
