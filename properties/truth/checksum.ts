// The ground truth's own UDP and ICMPv6 checksum check (RFC 768, RFC 4443 §2.3, RFC 2460
// §8.1; WIRE.md "UDP: ... receivers drop a zero or wrong checksum"), written apart from
// impl/wire's: the pseudo-header uses the packet's source and its final destination.

import {
  ADDRESS_BYTES,
  finalDestinationAt,
  IPV6_SOURCE_AT,
  NEXT_HEADER,
  UDP_HEADER_BYTES,
  type Walk,
} from './packet.js';

/** Offset of the UDP checksum in its header, and of the ICMPv6 one in its header. */
const UDP_CHECKSUM_AT = 6;
const UDP_LENGTH_AT = 4;

/** An unfolded sum folded to 16 bits with end-around carries (RFC 1071). */
function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** The unfolded sum of b[start, end) as big-endian 16-bit words, an odd last byte padded with zero. */
function sumBytes(b: Uint8Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i += 2) sum += (b[i] << 8) | (i + 1 < end ? b[i + 1] : 0);
  return sum;
}

/**
 * Whether the packet's UDP or ICMPv6 checksum verifies: the sum over the pseudo-header
 * (source, final destination, upper-layer length, Next Header) and the upper layer, checksum
 * included, is 0xFFFF; a UDP checksum of zero is wrong over IPv6 (RFC 2460 §8.1), and so is a
 * UDP Length that disagrees with the bytes (WIRE.md). Null when the upper layer is neither.
 */
export function upperChecksumValid(b: Uint8Array, walk: Walk): boolean | null {
  const { nextHeader, at } = walk.upper;
  if (nextHeader !== NEXT_HEADER.udp && nextHeader !== NEXT_HEADER.icmpv6) return null;
  const length = walk.length - at;
  if (nextHeader === NEXT_HEADER.udp) {
    if (length < UDP_HEADER_BYTES) return false;
    if (((b[at + UDP_LENGTH_AT] << 8) | b[at + UDP_LENGTH_AT + 1]) !== length) return false;
    if (b[at + UDP_CHECKSUM_AT] === 0 && b[at + UDP_CHECKSUM_AT + 1] === 0) return false;
  }
  const destination = finalDestinationAt(walk);
  let sum =
    sumBytes(b, IPV6_SOURCE_AT, IPV6_SOURCE_AT + ADDRESS_BYTES) + sumBytes(b, destination, destination + ADDRESS_BYTES);
  sum += Math.floor(length / 0x10000) + (length & 0xffff) + nextHeader;
  sum += sumBytes(b, at, walk.length);
  return fold(sum) === 0xffff;
}
