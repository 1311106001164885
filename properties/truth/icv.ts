// The ground truth's own AH ICV (RFC 2402 §3.3.3; WIRE.md "The ICV is computed over..."),
// from its own header walk: the packet as it will arrive at its final destination, with the
// fields that may change en route zeroed. Nothing here comes from impl/crypto or impl/wire.

import type { AhAlgorithm } from '../../impl/host/types.js';
import { hmac, sameBytes, TRUTH_ALGORITHMS } from './hmac.js';
import {
  ADDRESS_BYTES,
  IPV6_DESTINATION_AT,
  IPV6_HOP_LIMIT_AT,
  OPTION_MUTABLE_BIT,
  ROUTING_ADDRESSES_AT,
  ROUTING_SEGMENTS_LEFT_AT,
  walkPacket,
  type Walk,
} from './packet.js';

/** Bytes 0–3 of the IPv6 header: version (high nibble), traffic class and flow label. */
const VERSION_TRAFFIC_CLASS_FLOW_LABEL_BYTES = 4;

/**
 * Puts a type 0 routing header and the IPv6 Destination into their arrival form by playing
 * the hops RFC 2460 §4.4 describes, one by one: while Segments Left > 0, with n addresses, the
 * node at the Destination swaps it with address number n − Segments Left + 1 (counted from 1)
 * and decrements Segments Left. WIRE.md's case: destination CoA, list [home], Segments Left 1
 * arrives as destination home, list [CoA], Segments Left 0.
 */
function playHops(out: Uint8Array, routing: NonNullable<Walk['routing']>): void {
  const n = routing.addressCount;
  for (let left = out[routing.at + ROUTING_SEGMENTS_LEFT_AT]; left > 0; left--) {
    const slot = routing.at + ROUTING_ADDRESSES_AT + ADDRESS_BYTES * (n - left);
    const destination = out.slice(IPV6_DESTINATION_AT, IPV6_DESTINATION_AT + ADDRESS_BYTES);
    out.copyWithin(IPV6_DESTINATION_AT, slot, slot + ADDRESS_BYTES);
    out.set(destination, slot);
  }
  out[routing.at + ROUTING_SEGMENTS_LEFT_AT] = 0;
}

/**
 * What the ICV covers (WIRE.md): a copy of the packet with traffic class, flow label and hop
 * limit zeroed; a type 0 routing header and the Destination in their arrival form; the data of
 * every option whose C bit is set zeroed (its type and length kept); the AH Authentication Data
 * (ICV and padding) zeroed. The HAO is covered as it stands (no swap with the source).
 */
export function icvInput(bytes: Uint8Array, walk: Walk): Uint8Array {
  const out = new Uint8Array(bytes.subarray(0, walk.length));
  out[0] &= 0xf0;
  out.fill(0, 1, VERSION_TRAFFIC_CLASS_FLOW_LABEL_BYTES);
  out[IPV6_HOP_LIMIT_AT] = 0;
  if (walk.routing !== undefined) playHops(out, walk.routing);
  for (const o of walk.destOptions?.options ?? []) {
    if ((o.type & OPTION_MUTABLE_BIT) !== 0) out.fill(0, o.dataAt, o.dataAt + o.dataBytes);
  }
  if (walk.ah !== undefined) out.fill(0, walk.ah.authDataAt, walk.ah.end);
  return out;
}

export interface TruthSa {
  alg: AhAlgorithm;
  key: Uint8Array;
}

/** The ICV of a packet carrying an AH under `sa`, or null when the bytes do not walk or carry no AH. */
export function computeIcv(bytes: Uint8Array, sa: TruthSa): Uint8Array | null {
  const walk = walkPacket(bytes);
  if (walk === null || walk.ah === undefined) return null;
  return hmac(sa.alg, sa.key, icvInput(bytes, walk)).slice(0, TRUTH_ALGORITHMS[sa.alg].icvBytes);
}

/**
 * Whether the packet's AH verifies under `sa` (RFC 2402 §3.4.4, WIRE.md): the key fits the
 * algorithm, the Authentication Data is exactly the algorithm's size (so Payload Len fits it),
 * the padding after a 16-byte ICV is zeros, and the ICV equals the truncated HMAC. SPI and
 * sequence number are the caller's.
 */
export function verifyIcv(bytes: Uint8Array, sa: TruthSa): boolean {
  const sizes = TRUTH_ALGORITHMS[sa.alg];
  if (sizes === undefined || sa.key.length !== sizes.keyBytes) return false;
  const walk = walkPacket(bytes);
  const ah = walk?.ah;
  if (walk === null || ah === undefined || ah.end - ah.authDataAt !== sizes.authDataBytes) return false;
  for (let i = ah.authDataAt + sizes.icvBytes; i < ah.end; i++) if (bytes[i] !== 0) return false;
  const expected = hmac(sa.alg, sa.key, icvInput(bytes, walk)).subarray(0, sizes.icvBytes);
  return sameBytes(expected, bytes.subarray(ah.authDataAt, ah.authDataAt + sizes.icvBytes));
}
