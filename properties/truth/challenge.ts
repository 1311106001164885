// Challenge and Response values for the ground truth (§3.4.2; WIRE.md "Reachability
// verification"), over the truth's own HMAC:
//   Challenge = first 16 bytes of HMAC(K, ADDR || TIME)
//   Response  = first 16 bytes of HMAC(K, Challenge || ADDR)

import type { AhAlgorithm } from '../../impl/host/types.js';
import { hmac } from './hmac.js';

/** Bytes of a Challenge or Response value (WIRE.md). */
export const CHALLENGE_VALUE_BYTES = 16;

/** The Challenge for 16-byte `addr` and 8-byte `time`. */
export function challengeValue(alg: AhAlgorithm, key: Uint8Array, addr: Uint8Array, time: Uint8Array): Uint8Array {
  return hmac(alg, key, addr, time).slice(0, CHALLENGE_VALUE_BYTES);
}

/** The Response to `challenge` for 16-byte `addr`. */
export function responseValue(alg: AhAlgorithm, key: Uint8Array, challenge: Uint8Array, addr: Uint8Array): Uint8Array {
  return hmac(alg, key, challenge, addr).slice(0, CHALLENGE_VALUE_BYTES);
}
