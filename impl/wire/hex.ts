// Hex strings as the adapter protocol uses them (WIRE.md: lowercase on output, either case
// accepted on input).

import { readU8 } from './fail.js';

const BYTE_TO_HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Lowercase hex of `bytes`, two digits per byte. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += byteHex(readU8(bytes, i));
  return out;
}

/** The two digits of a byte; every element of a Uint8Array has them. */
function byteHex(byte: number): string {
  const text = BYTE_TO_HEX[byte];
  if (text === undefined) throw new RangeError(`not a byte: ${byte}`);
  return text;
}

/** Value of one hex digit's char code, or -1. */
function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
}

/** Bytes of a hex string (either case, no prefix, no separators), or null if it is not one. */
export function fromHex(text: string): Uint8Array | null {
  if (typeof text !== 'string' || text.length % 2 !== 0) return null;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(text.charCodeAt(2 * i));
    const lo = nibble(text.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return null;
    out[i] = (hi << 4) | lo;
  }
  return out;
}
