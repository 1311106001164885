// Which addresses a BU names through Alternate Prefixes (§3.1.2 with WIRE.md's erratum) and
// the canonical way to announce a set of addresses (WIRE.md "Alternate Prefixes, canonical form").

import { addressToBytes, bytesToAddress } from './address.js';
import { ADDRESS_BYTES, ALT_PREFIXES, SUBOPTION_DATA_BYTES, TLV } from './constants.js';
import { prefixBytes } from './suboptions.js';
import type { Address, BindingUpdate, SubOption } from './types.js';

type PrefixLength = Extract<SubOption, { kind: 'alternate-prefixes' }>['pl'];
const PREFIX_LENGTHS: readonly PrefixLength[] = [0, 1, 2, 3];

/**
 * The addresses named by the BU's Alternate Prefixes sub-options, in order, duplicates kept
 * (HOST.md rule 5 removes them). Each is the prefix followed by the last 16 − 4(PL+1) bytes
 * of the suffix source: the nearest preceding Alternate CoA sub-option in the same BU, else
 * `source` (the packet's IPv6 Source as on the wire) (§3.1.2).
 */
export function expandAlternatePrefixes(bu: BindingUpdate, source: Address): Address[] {
  const out: Address[] = [];
  let suffix: Uint8Array | null = null;
  let suffixAddress = source;
  const scratch = new Uint8Array(ADDRESS_BYTES);
  for (const s of bu.subOptions) {
    if (s.kind === 'alternate-coa') {
      suffixAddress = s.address;
      suffix = null;
    } else if (s.kind === 'alternate-prefixes') {
      suffix ??= addressToBytes(suffixAddress);
      for (const prefix of s.prefixes) {
        scratch.set(suffix);
        scratch.set(prefix, 0);
        out.push(bytesToAddress(scratch));
      }
    }
  }
  return out;
}

/** The BU's care-of address: its last Alternate CoA sub-option, else `source` (draft-13 §5.1; HOST.md rule 5). */
export function careOfAddress(bu: BindingUpdate, source: Address): Address {
  let coa = source;
  for (const s of bu.subOptions) if (s.kind === 'alternate-coa') coa = s.address;
  return coa;
}

/** Prefixes per sub-option at PL: the 6-bit count and the 255-byte sub-option limit (63, 31, 21, 15). */
function prefixesPerSubOptionMax(pl: number): number {
  return Math.min(
    ALT_PREFIXES.countMax,
    Math.floor((TLV.dataBytesMax - SUBOPTION_DATA_BYTES.alternatePrefixesFixed) / prefixBytes(pl)),
  );
}

/**
 * WIRE.md's canonical Alternate Prefixes for `addresses`, whose suffix source is
 * `suffixSource` (the BU's care-of address): each address in the sub-option for the
 * smallest PL whose suffix matches, one sub-option per PL in increasing PL, addresses in the
 * order given, duplicates and `suffixSource` itself removed. A PL's addresses are split
 * over several sub-options of that PL only when one would exceed 255 bytes (more than 63,
 * 31, 21 or 15 prefixes); fitting them into one BU option is the caller's concern.
 * Throws TypeError on text that is not an address (a programmer error).
 */
export function alternatePrefixesFor(addresses: readonly Address[], suffixSource: Address): SubOption[] {
  const suffix = addressToBytes(suffixSource);
  const seen = new Set<string>([bytesToAddress(suffix)]);
  const byPl: Record<PrefixLength, Uint8Array[]> = { 0: [], 1: [], 2: [], 3: [] };
  for (const a of addresses) {
    const bytes = addressToBytes(a);
    const canonical = bytesToAddress(bytes);
    if (seen.has(canonical)) continue;
    seen.add(canonical);
    const pl = smallestPl(bytes, suffix);
    byPl[pl].push(bytes.slice(0, prefixBytes(pl)));
  }
  const out: SubOption[] = [];
  for (const pl of PREFIX_LENGTHS) {
    const prefixes = byPl[pl];
    const perSubOption = prefixesPerSubOptionMax(pl);
    for (let i = 0; i < prefixes.length; i += perSubOption) {
      out.push({ kind: 'alternate-prefixes', pl, prefixes: prefixes.slice(i, i + perSubOption) });
    }
  }
  return out;
}

/** The smallest PL whose suffix `a` shares with `suffix`: at PL 3 the prefix is the whole address and any suffix matches. */
function smallestPl(a: Uint8Array, suffix: Uint8Array): PrefixLength {
  for (const pl of PREFIX_LENGTHS) if (suffixMatches(a, suffix, prefixBytes(pl))) return pl;
  return ALT_PREFIXES.plMax;
}

function suffixMatches(a: Uint8Array, suffix: Uint8Array, from: number): boolean {
  for (let i = from; i < ADDRESS_BYTES; i++) if (a[i] !== suffix[i]) return false;
  return true;
}
