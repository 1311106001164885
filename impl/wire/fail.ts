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

/** Big-endian reads; callers check lengths first. */
export function readU16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

export function readU32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}
