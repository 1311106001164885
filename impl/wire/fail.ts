// A decode failure as the sub-decoders return it. Decoders return `T | Fail` and never
// throw; `decodePacket` turns a Fail into the public `DecodeError`.

import type { DecodeErrorCode } from './types.js';

export class Fail {
  constructor(
    readonly code: DecodeErrorCode,
    readonly offset: number,
    readonly message: string,
  ) {}
}

/**
 * A read outside the bytes. The decoders check every length before they read, so this is a
 * bug in those checks, never the peer's fault: `decodePacket` reports it as a `truncated`
 * failure at `offset` (it never throws); anywhere else it is a RangeError like any other.
 */
export class ReadOutOfBounds extends RangeError {
  constructor(
    readonly offset: number,
    bytesLength: number,
  ) {
    super(`read of byte ${offset}, ${bytesLength} bytes there`);
    this.name = 'ReadOutOfBounds';
  }
}

/** The byte at `o`; throws ReadOutOfBounds when there is none. */
export function readU8(b: Uint8Array, o: number): number {
  const v = b[o];
  if (v === undefined) throw new ReadOutOfBounds(o, b.length);
  return v;
}

/** Big-endian reads; callers check lengths first, and a read past them throws ReadOutOfBounds. */
export function readU16(b: Uint8Array, o: number): number {
  return (readU8(b, o) << 8) | readU8(b, o + 1);
}

export function readU32(b: Uint8Array, o: number): number {
  return ((readU8(b, o) << 24) | (readU8(b, o + 1) << 16) | (readU8(b, o + 2) << 8) | readU8(b, o + 3)) >>> 0;
}
