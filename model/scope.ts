// Which addresses a BU may name (HOST.md rule 5): the model's own reading of the rule, kept
// apart from impl/ so that a host bug in it shows up as a refinement failure.

import type { Address } from './events.js';

const GROUPS_COUNT = 8;
const GROUP_MAX = 0xffff;

/** The eight 16-bit groups of an IPv6 address in text form, or null when it is not one. */
export function parseGroups(text: Address): number[] | null {
  let s = text.toLowerCase();
  const tail: number[] = [];
  // An embedded IPv4 dotted quad fills the last two groups (RFC 4291 §2.2, form 3).
  const dotted = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (dotted !== null) {
    const octets = dotted.slice(2, 6).map(Number);
    if (octets.some((o) => o > 255)) return null;
    tail.push((octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]);
    // Keep a "::" that ends right before the quad; else drop the ':' that separates it.
    s = dotted[1].endsWith('::') ? dotted[1] : dotted[1].slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const toGroups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = toGroups(halves[0]);
  const rest = halves.length === 2 ? toGroups(halves[1]) : [];
  if (head === null || rest === null) return null;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1) {
    if (known !== GROUPS_COUNT) return null;
    return [...head, ...tail];
  }
  if (known > GROUPS_COUNT - 1) return null;
  const groups = [...head, ...new Array<number>(GROUPS_COUNT - known).fill(0), ...rest, ...tail];
  return groups.every((g) => g >= 0 && g <= GROUP_MAX) ? groups : null;
}

/**
 * Rule 5: global means everything but unspecified, loopback, multicast (ff00::/8),
 * link-local (fe80::/10), site-local (fec0::/10) and IPv4-mapped (::ffff:0:0/96). The
 * documentation prefix and unique local addresses count as global here.
 */
export function isGlobalAddress(address: Address): boolean {
  const known = globalCache.get(address);
  if (known !== undefined) return known;
  const global = classifyGlobal(address);
  // A bounded memo: the model asks about the same few addresses on every step.
  if (globalCache.size >= GLOBAL_CACHE_ENTRIES_MAX) globalCache.clear();
  globalCache.set(address, global);
  return global;
}

const GLOBAL_CACHE_ENTRIES_MAX = 4096;
const globalCache = new Map<Address, boolean>();

function classifyGlobal(address: Address): boolean {
  const g = parseGroups(address);
  if (g === null) return false;
  const leadingZeros = g.slice(0, 7).every((x) => x === 0);
  if (leadingZeros && (g[7] === 0 || g[7] === 1)) return false; // unspecified, loopback
  if ((g[0] & 0xff00) === 0xff00) return false; // multicast
  if ((g[0] & 0xffc0) === 0xfe80) return false; // link-local
  if ((g[0] & 0xffc0) === 0xfec0) return false; // site-local
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return false; // IPv4-mapped
  return true;
}

export type Scope = 'global' | 'site-local' | 'link-local' | 'loopback' | 'unusable';

/**
 * The scope of a unicast address (§1.4: a source must have its destination's scope).
 * `unusable`: not IPv6 text, unspecified, multicast, IPv4-mapped (§1.1: not for IPv4).
 */
export function scopeOf(address: Address): Scope {
  if (isGlobalAddress(address)) return 'global';
  const g = parseGroups(address);
  if (g === null) return 'unusable';
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0] & 0xffc0) === 0xfec0) return 'site-local';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'loopback';
  return 'unusable';
}
