// AH (RFC 2402) for this project's two algorithms: what the ICV covers, how a packet is
// protected, how a received one is verified (WIRE.md "AH (RFC 2402) and the SAs").

import { encodePacketWithLayout } from '../wire/packet.js';
import { ADDRESS_BYTES, EXT, IPV6, ROUTING } from '../wire/constants.js';
import type { AuthHeader, Packet, PacketLayout } from '../wire/types.js';
import { ALGORITHMS, checkKey, constantTimeEqual, hmacDigest } from './hmac.js';
import type { AhAlgorithm } from './types.js';

/** IPv6 header bytes holding the traffic class and flow label (version keeps the high nibble of byte 0). */
const IPV6_TRAFFIC_CLASS_FLOW_LABEL_END = 4;

/**
 * Rewrites a type 0 routing header at `r` and the IPv6 Destination into the form the packet
 * will have on arrival at its final destination (RFC 2460 §4.4 applied Segments Left times).
 *
 * As sent: Destination D, addresses A1..An, Segments Left k (1 ≤ k ≤ n). Each hop swaps the
 * Destination with address n − SL + 1 and decrements SL, so on arrival:
 *   Destination = An,
 *   addresses   = A1..A(n−k), D, A(n−k+1)..A(n−1),
 *   Segments Left = 0.
 * With k = 0 the packet is already in its arrival form. WIRE.md's case (n = 1, k = 1):
 * destination CoA, list [home] becomes destination home, list [CoA].
 */
function toArrivalForm(out: Uint8Array, r: number): void {
  const n = out[r + EXT.offsetHdrExtLen] >> 1;
  const k = Math.min(out[r + ROUTING.offsetSegmentsLeft], n);
  out[r + ROUTING.offsetSegmentsLeft] = 0;
  if (k === 0) return;
  const list = r + ROUTING.offsetAddresses;
  const at = (i: number): number => list + ADDRESS_BYTES * i; // 0-based address i
  const sentDestination = out.slice(IPV6.offsetDestination, IPV6.offsetDestination + ADDRESS_BYTES);
  const visited = out.slice(at(n - k), at(n)); // A(n−k+1)..An
  out.set(visited.subarray(ADDRESS_BYTES * (k - 1)), IPV6.offsetDestination); // An
  out.set(sentDestination, at(n - k));
  out.set(visited.subarray(0, ADDRESS_BYTES * (k - 1)), at(n - k + 1));
}

/**
 * A copy of the packet as the ICV covers it (WIRE.md "The ICV is computed over..."): traffic
 * class, flow label and hop limit zeroed; a type 0 routing header and the Destination in
 * their arrival form with Segments Left 0; the data of every C-bit option zeroed (type and
 * length kept); the AH Authentication Data (ICV and padding) zeroed. The HAO is covered as
 * it stands, with no swap. Everything else, the upper layer included, is covered.
 */
export function icvInput(bytes: Uint8Array, layout: PacketLayout): Uint8Array {
  // A copy as a plain Uint8Array (Buffer.slice would return a view and the zeroing below would
  // write into the caller's packet).
  const out = new Uint8Array(bytes.subarray(0, layout.length));
  out[0] &= 0xf0;
  out.fill(0, 1, IPV6_TRAFFIC_CLASS_FLOW_LABEL_END);
  out[IPV6.offsetHopLimit] = 0;
  if (layout.routingOffset !== undefined) toArrivalForm(out, layout.routingOffset);
  for (const [start, end] of layout.mutableOptionData) out.fill(0, start, end);
  if (layout.ahAuthData !== undefined) out.fill(0, layout.ahAuthData[0], layout.ahAuthData[1]);
  return out;
}

/** The ICV (12 or 16 bytes) of an encoded packet. */
export function computeIcv(alg: AhAlgorithm, key: Uint8Array, bytes: Uint8Array, layout: PacketLayout): Uint8Array {
  return hmacDigest(alg, key, icvInput(bytes, layout)).slice(0, ALGORITHMS[alg].icvBytes);
}

export interface SendingSa {
  alg: AhAlgorithm;
  key: Uint8Array;
  spi: number;
  sequence: number;
}

/**
 * Encodes `packet` with an AH {spi, sequence, ICV} and returns the bytes. Any `ah` the
 * packet already carries is ignored and replaced (the caller's object is not changed).
 * Throws on a key of the wrong length or a packet that cannot be encoded (programmer errors).
 */
export function protect(packet: Packet, sa: SendingSa): Uint8Array {
  return protectWithLayout(packet, sa).bytes;
}

/** `protect`, with the encoder's layout of the bytes it returns (the AH included). */
export function protectWithLayout(packet: Packet, sa: SendingSa): { bytes: Uint8Array; layout: PacketLayout } {
  const why = checkKey(sa.alg, sa.key);
  if (why !== null) throw new RangeError(`protect: ${why}`);
  const sizes = ALGORITHMS[sa.alg];
  const ah: AuthHeader = { spi: sa.spi, sequence: sa.sequence, authData: new Uint8Array(sizes.authDataBytes) };
  const { bytes, layout } = encodePacketWithLayout({ ...packet, ah });
  const icv = computeIcv(sa.alg, sa.key, bytes, layout);
  // The AH is always encoded, so its range is in the layout.
  const [start] = layout.ahAuthData ?? [bytes.length];
  bytes.set(icv, start);
  return { bytes, layout };
}

/**
 * Whether the AH of a decoded packet verifies under `sa` (RFC 2402 §3.4.4). `ah` and
 * `layout` are what `decodePacket(bytes)` returned. False when: the key does not fit the
 * algorithm; the Authentication Data is not this algorithm's size (Payload Len 4 for
 * hmac-sha1-96, 6 for hmac-sha256-128, WIRE.md); the padding after a 16-byte ICV is not
 * zeros (WIRE.md sends zeros and covers them zeroed, so this check is what stops the padding
 * from changing unnoticed; with zero padding the ICV also equals RFC 2402 §3.3.3.2.1's,
 * which covers the padding as sent); or the ICV differs (constant-time comparison).
 * SPI and anti-replay checks are the caller's.
 */
export function verifyAh(
  bytes: Uint8Array,
  layout: PacketLayout,
  ah: AuthHeader,
  sa: { alg: AhAlgorithm; key: Uint8Array },
): boolean {
  if (checkKey(sa.alg, sa.key) !== null) return false;
  const { icvBytes, authDataBytes } = ALGORITHMS[sa.alg];
  const range = layout.ahAuthData;
  if (range === undefined || range[1] - range[0] !== authDataBytes || ah.authData.length !== authDataBytes)
    return false;
  for (let i = 0; i < authDataBytes; i++) if (bytes[range[0] + i] !== ah.authData[i]) return false; // `ah` is these bytes' AH
  for (let i = icvBytes; i < authDataBytes; i++) if (ah.authData[i] !== 0) return false;
  const icv = computeIcv(sa.alg, sa.key, bytes, layout);
  return constantTimeEqual(icv, ah.authData.subarray(0, icvBytes));
}
