// IPv6 addresses: 16 bytes on the wire, RFC 5952 text everywhere else (impl/wire/types.ts).
//
// The formatter runs for every address of every decoded packet, so it is written by hand:
// RFC 5952 §4 (lowercase, no leading zeros, the longest run of two or more zero groups
// compressed, the first one on ties) and §5 (IPv4-mapped addresses as `::ffff:a.b.c.d`).
// `normalizeAddress` accepts any valid text form and parses it with ipaddr.js, except the
// embedded dotted quad, which is parsed strictly here (see below).

import ipaddr from 'ipaddr.js';
import { ADDRESS_BYTES } from './constants.js';
import { ReadOutOfBounds, readU16, readU8 } from './fail.js';
import type { Address } from './types.js';

/** Longest IPv6 text: `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`. */
const ADDRESS_TEXT_CHARS_MAX = 45;
const GROUPS_COUNT = 8;
const GROUP_HEX_DIGITS_MAX = 4;

/** Lowercase hex without leading zeros of every 16-bit group value. */
const GROUP_TEXT: readonly string[] = Array.from({ length: 0x10000 }, (_, v) => v.toString(16));
const OCTET_TEXT: readonly string[] = Array.from({ length: 256 }, (_, v) => String(v));
/** Reused by the parser (synchronous, not reentrant). */
const GROUPS_SCRATCH = new Uint16Array(GROUPS_COUNT);

/** `table[i]`: the callers look up a byte or a 16-bit group, and the tables hold every one. */
function textOf(table: readonly string[], i: number): string {
  const text = table[i];
  if (text === undefined) throw new RangeError(`no text for ${i}`);
  return text;
}

/**
 * RFC 5952 text of the 16 bytes at `offset`. Throws ReadOutOfBounds (a RangeError) only if
 * fewer than 16 bytes are there (a programmer error: the decoder checks lengths first).
 */
export function bytesToAddress(b: Uint8Array, offset = 0): Address {
  if (!(offset >= 0 && offset + ADDRESS_BYTES <= b.length)) {
    throw new ReadOutOfBounds(offset >= 0 ? Math.max(offset, b.length) : offset, b.length);
  }
  const o = offset;
  // RFC 5952 §5: the IPv4-mapped prefix ::ffff:0:0/96 is written with a dotted quad.
  if (
    b[o] === 0 &&
    b[o + 1] === 0 &&
    b[o + 2] === 0 &&
    b[o + 3] === 0 &&
    b[o + 4] === 0 &&
    b[o + 5] === 0 &&
    b[o + 6] === 0 &&
    b[o + 7] === 0 &&
    b[o + 8] === 0 &&
    b[o + 9] === 0 &&
    b[o + 10] === 0xff &&
    b[o + 11] === 0xff
  ) {
    return (
      '::ffff:' +
      textOf(OCTET_TEXT, readU8(b, o + 12)) +
      '.' +
      textOf(OCTET_TEXT, readU8(b, o + 13)) +
      '.' +
      textOf(OCTET_TEXT, readU8(b, o + 14)) +
      '.' +
      textOf(OCTET_TEXT, readU8(b, o + 15))
    );
  }
  // RFC 5952 §4.2.2-4.2.3: compress the longest run of at least two zero groups, the first on ties.
  let bestStart = -1;
  let bestLength = 0;
  let runStart = 0;
  let runLength = 0;
  for (let i = 0; i < GROUPS_COUNT; i++) {
    if (b[o + 2 * i] === 0 && b[o + 2 * i + 1] === 0) {
      if (runLength === 0) runStart = i;
      runLength++;
      if (runLength > bestLength) {
        bestLength = runLength;
        bestStart = runStart;
      }
    } else {
      runLength = 0;
    }
  }
  if (bestLength < 2) bestStart = -1;
  let text = '';
  let needColon = false;
  let i = 0;
  while (i < GROUPS_COUNT) {
    if (i === bestStart) {
      text += '::';
      i += bestLength;
      needColon = false;
      continue;
    }
    if (needColon) text += ':';
    text += textOf(GROUP_TEXT, readU16(b, o + 2 * i));
    needColon = true;
    i++;
  }
  return text;
}

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/**
 * A strict dotted quad (RFC 4291 §2.2 form 3 via RFC 3986's dec-octet: 0-255, no leading
 * zeros, exactly four parts) as a 32-bit value, or -1.
 */
function parseDottedQuad(text: string, start: number, end: number): number {
  let value = 0;
  let parts = 0;
  let i = start;
  while (parts < 4) {
    const partStart = i;
    let part = 0;
    while (i < end && i - partStart < 3) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      part = part * 10 + (c - 48);
      i++;
    }
    const digits = i - partStart;
    if (digits === 0 || part > 255 || (digits > 1 && text.charCodeAt(partStart) === 48)) return -1;
    value = value * 256 + part;
    parts++;
    if (parts < 4) {
      if (i >= end || text.charCodeAt(i) !== 46 /* . */) return -1;
      i++;
    }
  }
  return i === end ? value : -1;
}

/**
 * Parses IPv6 text (RFC 4291 §2.2: full, compressed, or with an embedded dotted quad; either
 * case; no zone index) into `out` at `offset`. Returns false, leaving `out` partly written,
 * if the text is not an IPv6 address. Used on the encoder's hot path, so no regular expressions.
 */
export function parseAddressInto(text: string, out: Uint8Array, offset: number): boolean {
  const n = text.length;
  if (n < 2 || n > ADDRESS_TEXT_CHARS_MAX) return false;
  const groups = GROUPS_SCRATCH;
  let count = 0;
  /** Index in `groups` where `::` stands, or -1. */
  let gap = -1;
  let i = 0;
  if (text.charCodeAt(0) === 58 /* : */) {
    if (text.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
    if (i === n) return fill(groups, count, gap, out, offset);
  }
  while (i < n) {
    const tokenStart = i;
    let value = 0;
    let digits = 0;
    while (i < n) {
      const d = hexDigit(text.charCodeAt(i));
      if (d < 0) break;
      if (++digits > GROUP_HEX_DIGITS_MAX) return false;
      value = (value << 4) | d;
      i++;
    }
    if (i < n && text.charCodeAt(i) === 46 /* . */) {
      // An embedded IPv4 address, allowed only as the last 32 bits.
      if (count > GROUPS_COUNT - 2) return false;
      const v4 = parseDottedQuad(text, tokenStart, n);
      if (v4 < 0) return false;
      groups[count++] = Math.floor(v4 / 0x10000);
      groups[count++] = v4 & 0xffff;
      i = n;
      break;
    }
    if (digits === 0 || count === GROUPS_COUNT) return false;
    groups[count++] = value;
    if (i === n) break;
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    if (i < n && text.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = count;
      i++;
      if (i === n) break;
    } else if (i === n) {
      return false;
    }
  }
  return fill(groups, count, gap, out, offset);
}

function fill(groups: Uint16Array, count: number, gap: number, out: Uint8Array, offset: number): boolean {
  // `::` stands for one or more zero groups (RFC 4291 §2.2); without it all eight are given.
  if (gap < 0 ? count !== GROUPS_COUNT : count > GROUPS_COUNT - 1) return false;
  // Groups before the gap keep their place; those after it move past the zeros it stands for.
  const zeros = GROUPS_COUNT - count;
  out.fill(0, offset, offset + ADDRESS_BYTES);
  let g = 0;
  for (const v of groups.subarray(0, count)) {
    const k = gap >= 0 && g >= gap ? g + zeros : g;
    out[offset + 2 * k] = v >>> 8;
    out[offset + 2 * k + 1] = v & 0xff;
    g++;
  }
  return true;
}

/** The 16 bytes of `a`; returns null if `a` is not IPv6 text. */
export function tryAddressToBytes(a: string): Uint8Array | null {
  if (typeof a !== 'string') return null;
  const out = new Uint8Array(ADDRESS_BYTES);
  return parseAddressInto(a, out, 0) ? out : null;
}

/** The 16 bytes of `a`. Throws TypeError if `a` is not IPv6 text (a programmer error). */
export function addressToBytes(a: Address): Uint8Array {
  const out = tryAddressToBytes(a);
  if (out === null) throw new TypeError(`not an IPv6 address: ${JSON.stringify(a)}`);
  return out;
}

/**
 * RFC 5952 text of any valid IPv6 text (uppercase, full form, embedded IPv4 included), or
 * null if `text` is not an IPv6 address. A zone index (`%eth0`) is refused: an Address has
 * none. The dotted quad is checked here, strictly, because ipaddr.js 2 reads `::1.2.3.4` as
 * `::ffff:1.2.3.4` and accepts octal and hex octets (`::ffff:0x1.2.3.4`).
 */
export function normalizeAddress(text: string): Address | null {
  if (typeof text !== 'string' || text.length < 2 || text.length > ADDRESS_TEXT_CHARS_MAX) return null;
  if (text.includes('%')) return null;
  let hexText = text;
  if (text.includes('.')) {
    const colon = text.lastIndexOf(':');
    if (colon < 0) return null;
    const v4 = parseDottedQuad(text, colon + 1, text.length);
    if (v4 < 0) return null;
    hexText = text.slice(0, colon + 1) + Math.floor(v4 / 0x10000).toString(16) + ':' + (v4 & 0xffff).toString(16);
  }
  if (!ipaddr.IPv6.isValid(hexText)) return null;
  return bytesToAddress(Uint8Array.from(ipaddr.IPv6.parse(hexText).toByteArray()));
}

/**
 * HOST.md rule 5: non-global means exactly unspecified, loopback, multicast (ff00::/8),
 * link-local (fe80::/10), site-local (fec0::/10) and IPv4-mapped (::ffff:0:0/96); everything
 * else is global, 2001:db8::/32 and fc00::/7 included. Text that is not IPv6 is not global.
 */
export function isGlobalAddress(a: Address): boolean {
  const b = tryAddressToBytes(a);
  if (b === null) return false;
  if (b[0] === 0xff) return false; // multicast
  if (b[0] === 0xfe && (readU8(b, 1) & 0xc0) === 0x80) return false; // link-local
  if (b[0] === 0xfe && (readU8(b, 1) & 0xc0) === 0xc0) return false; // site-local
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return true;
  if (b[10] === 0xff && b[11] === 0xff) return false; // IPv4-mapped
  if (b[10] !== 0 || b[11] !== 0 || b[12] !== 0 || b[13] !== 0 || b[14] !== 0) return true;
  return readU8(b, 15) > 1; // :: is unspecified, ::1 loopback
}

/** Whether two texts name the same address (any valid forms); false if either is not IPv6. */
export function sameAddress(a: Address, b: Address): boolean {
  const x = tryAddressToBytes(a);
  if (x === null) return false;
  if (a === b) return true;
  const y = tryAddressToBytes(b);
  if (y === null) return false;
  for (let i = 0; i < ADDRESS_BYTES; i++) if (x[i] !== y[i]) return false;
  return true;
}
