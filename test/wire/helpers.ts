// Helpers shared by the wire and crypto suites. The checksum here is written independently
// of impl/wire/checksum.ts (BigInt words, modulo arithmetic) to cross-check it.

import { fromHex } from '../../impl/wire/hex.js';
import type { Packet } from '../../impl/wire/types.js';

/** Bytes from hex written with spaces or line breaks for readability. */
export function h(text: string): Uint8Array {
  const bytes = fromHex(text.replace(/\s+/g, ''));
  if (bytes === null) throw new Error(`bad hex in test: ${text}`);
  return bytes;
}

/** 16 address bytes, written out in full in the test's own way. */
export function addr(groups: number[]): Uint8Array {
  const out = new Uint8Array(16);
  const zeros = 8 - groups.length;
  // groups given as the full eight, or fewer with the rest zero at the end
  const all = [...groups, ...new Array<number>(zeros).fill(0)];
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/**
 * RFC 1071 checksum the long way: the pseudo-header and the upper-layer bytes concatenated,
 * summed as 16-bit words with BigInt, reduced modulo 0xffff, complemented.
 */
export function naiveChecksum(
  source: Uint8Array,
  destination: Uint8Array,
  nextHeader: number,
  upper: Uint8Array,
): number {
  const pseudo = new Uint8Array(40);
  pseudo.set(source, 0);
  pseudo.set(destination, 16);
  new DataView(pseudo.buffer).setUint32(32, upper.length);
  pseudo[39] = nextHeader;
  const all = new Uint8Array(pseudo.length + upper.length + (upper.length % 2));
  all.set(pseudo, 0);
  all.set(upper, pseudo.length);
  let sum = 0n;
  for (let i = 0; i < all.length; i += 2) sum += BigInt((all[i] << 8) | all[i + 1]);
  let folded = Number(sum % 0xffffn);
  if (folded === 0 && sum !== 0n) folded = 0xffff;
  return 0xffff - folded;
}

export function basePacket(upper: Packet['upper'] = { kind: 'none' }): Packet {
  return {
    ipv6: { trafficClass: 0, flowLabel: 0, hopLimit: 64, source: '2001:db8::1', destination: '2001:db8::2' },
    upper,
  };
}

/** 2001:db8::1 and 2001:db8::2 as hex, for hand-written packets. */
export const SRC_HEX = '20010db8000000000000000000000001';
export const DST_HEX = '20010db8000000000000000000000002';

/**
 * Structural equality of plain data (objects, arrays, Uint8Arrays, primitives), for hot
 * property loops where `expect(...).toStrictEqual` costs more than the code under test.
 * Objects must have the same own keys (so an `undefined` key differs from a missing one).
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!(Array.isArray(a) && Array.isArray(b)) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
