// Reachability verification (§3.4.2; WIRE.md "Reachability verification"). TIME is 8 bytes
// from the host's random source, never the clock: a peer holding K could otherwise compute
// the Challenge for a guessed time and answer without receiving it.

import { ADDRESS_BYTES } from '../wire/constants.js';
import { checkKey, hmacDigest } from './hmac.js';
import type { AhAlgorithm } from './types.js';

export const TIME_BYTES = 8;
export const CHALLENGE_BYTES = 16;

function checkArgs(alg: AhAlgorithm, key: Uint8Array, addr: Uint8Array): void {
  const why = checkKey(alg, key);
  if (why !== null) throw new RangeError(why);
  if (!(addr instanceof Uint8Array) || addr.length !== ADDRESS_BYTES) throw new RangeError('ADDR must be 16 bytes');
}

/** Challenge = first 16 bytes of HMAC(K, ADDR || TIME). Throws RangeError on wrong sizes (programmer errors). */
export function makeChallenge(alg: AhAlgorithm, key: Uint8Array, addr: Uint8Array, time: Uint8Array): Uint8Array {
  checkArgs(alg, key, addr);
  if (!(time instanceof Uint8Array) || time.length !== TIME_BYTES) throw new RangeError('TIME must be 8 bytes');
  return hmacDigest(alg, key, addr, time).slice(0, CHALLENGE_BYTES);
}

/** Response = first 16 bytes of HMAC(K, Challenge || ADDR). Throws RangeError on wrong sizes (programmer errors). */
export function makeResponse(alg: AhAlgorithm, key: Uint8Array, challenge: Uint8Array, addr: Uint8Array): Uint8Array {
  checkArgs(alg, key, addr);
  if (!(challenge instanceof Uint8Array) || challenge.length !== CHALLENGE_BYTES)
    throw new RangeError('Challenge must be 16 bytes');
  return hmacDigest(alg, key, challenge, addr).slice(0, CHALLENGE_BYTES);
}
