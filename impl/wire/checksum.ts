// The Internet checksum (RFC 1071) and the IPv6 pseudo-header (RFC 2460 §8.1).

import { ADDRESS_BYTES } from './constants.js';
import { ReadOutOfBounds, readU8 } from './fail.js';

/**
 * Unfolded one's complement sum of bytes[start, end) read as big-endian 16-bit words, an
 * odd last byte padded with a zero byte, added to `sum`. Stays below 2^32 for any IPv6
 * packet (at most 2^15 words of at most 2^16 - 1 each, plus the pseudo-header). A range
 * past the end of `bytes` throws ReadOutOfBounds (a RangeError).
 */
export function onesComplementSum(bytes: Uint8Array, start: number, end: number, sum = 0): number {
  let i = start;
  const last = end - 1;
  // readU16 written out: this loop runs over every byte of every upper layer sent or received.
  for (; i < last; i += 2) {
    const hi = bytes[i];
    const lo = bytes[i + 1];
    if (hi === undefined || lo === undefined) throw new ReadOutOfBounds(hi === undefined ? i : i + 1, bytes.length);
    sum += (hi << 8) | lo;
  }
  if (i === last) sum += readU8(bytes, i) << 8;
  return sum;
}

/** Folds an unfolded sum to 16 bits with end-around carries. */
export function foldSum(sum: number): number {
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/**
 * The Internet checksum of bytes[start, end): the one's complement of the one's complement
 * sum, plus `initialSum` (an unfolded sum, e.g. of a pseudo-header).
 */
export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length, initialSum = 0): number {
  return ~foldSum(onesComplementSum(bytes, start, end, initialSum)) & 0xffff;
}

/**
 * Unfolded sum of the IPv6 pseudo-header (RFC 2460 §8.1): source and destination addresses
 * read from `bytes` at the given offsets, the 32-bit upper-layer length and the Next Header.
 */
export function pseudoHeaderSum(
  bytes: Uint8Array,
  sourceOffset: number,
  destinationOffset: number,
  upperLayerLength: number,
  nextHeader: number,
): number {
  let sum = onesComplementSum(bytes, sourceOffset, sourceOffset + ADDRESS_BYTES);
  sum = onesComplementSum(bytes, destinationOffset, destinationOffset + ADDRESS_BYTES, sum);
  return sum + (upperLayerLength >>> 16) + (upperLayerLength & 0xffff) + nextHeader;
}
