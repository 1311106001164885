// The abstraction function of the refinement check (DESIGN.md "The model", REFINES-MODEL):
// both the host's observable state (ADAPTER-PROTOCOL.md `state`, HOST.md rule 19) and the
// model map to one canonical, comparable form. Entry ids are the implementation's own and
// are dropped: entries are matched by their SA's inbound SPI, or, without an SA, by their
// first address. Entries, addresses and local addresses are sorted: their order is a
// presentation choice, not state.

import type { AddressStatus, HostState, LifetimeKind, PeerKind, SaKind } from '../impl/host/types.js';
import { addressStatus, hasLiveChallenge } from './entry.js';
import type { CacheModel } from './cache.js';
import type { Address } from './events.js';
import { parseGroups } from './scope.js';

export interface AbstractAddress {
  readonly address: Address;
  readonly status: AddressStatus;
  readonly lifetimeKind: LifetimeKind;
  readonly expiresAt: number;
  readonly challengeOutstanding: boolean;
}

export interface AbstractEntry {
  /** `spi=<inbound SPI>`, or `addr=<first address>` for an entry without an SA. */
  readonly key: string;
  readonly sa: { readonly inboundSpi: number; readonly kind: SaKind } | null;
  readonly peerKind: PeerKind;
  readonly homeAddress: Address | null;
  readonly careOfAddress: Address | null;
  /** Sorted by address. */
  readonly addresses: readonly AbstractAddress[];
}

export interface AbstractState {
  /** Sorted by key. */
  readonly entries: readonly AbstractEntry[];
  /** Sorted. */
  readonly local: readonly Address[];
}

/** RFC 5952 text (lowercase, the first longest run of two or more zero groups as "::"), or the input when it is not IPv6. */
export function canonicalAddress(text: Address): Address {
  const g = parseGroups(text);
  if (g === null) return text;
  // RFC 5952 §5: IPv4-mapped addresses end in dotted decimal.
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff)
    return `::ffff:${g[6] >> 8}.${g[6] & 0xff}.${g[7] >> 8}.${g[7] & 0xff}`;
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < g.length;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < g.length && g[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The model in the adapter's `state` shape (entry ids `m<creation number>`): for reports and counterexamples. */
export function modelToHostState(model: CacheModel): HostState {
  return {
    local: model.local.slice(),
    entries: model.entries.map((e) => {
      const kind = e.compat.value;
      return {
        id: `m${e.key}`,
        peerKind: kind,
        sa: e.sa === null ? null : { inboundSpi: e.sa.inboundSpi, kind: e.sa.kind },
        addresses: [...e.addresses].flatMap(([address, s]) => {
          const status = addressStatus(s.value);
          if (status === null) return [];
          return [
            {
              address,
              status,
              lifetime: { kind: s.context.lifetimeKind, expiresAt: s.context.expiresAt },
              challengeOutstanding: hasLiveChallenge(s.value),
            },
          ];
        }),
        // Rules 15 and 19: shown for standard mobile peers only.
        homeAddress: kind === 'standard-mobile' ? e.compat.context.homeAddress : null,
        careOfAddress: kind === 'standard-mobile' ? e.compat.context.careOfAddress : null,
      };
    }),
  };
}

export function abstractHostState(state: HostState): AbstractState {
  const seen = new Map<string, number>();
  const entries = state.entries.map((e): AbstractEntry => {
    const base =
      e.sa !== null
        ? `spi=${e.sa.inboundSpi}`
        : `addr=${e.addresses.length > 0 ? canonicalAddress(e.addresses[0].address) : '-'}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return {
      key: n === 1 ? base : `${base}#${n}`,
      sa: e.sa === null ? null : { inboundSpi: e.sa.inboundSpi, kind: e.sa.kind },
      peerKind: e.peerKind,
      homeAddress: e.homeAddress === null ? null : canonicalAddress(e.homeAddress),
      careOfAddress: e.careOfAddress === null ? null : canonicalAddress(e.careOfAddress),
      addresses: e.addresses
        .map((a) => ({
          address: canonicalAddress(a.address),
          status: a.status,
          lifetimeKind: a.lifetime.kind,
          expiresAt: a.lifetime.expiresAt,
          challengeOutstanding: a.challengeOutstanding,
        }))
        .sort((x, y) => byString(x.address, y.address)),
    };
  });
  return {
    entries: entries.sort((x, y) => byString(x.key, y.key)),
    local: state.local.map(canonicalAddress).sort(byString),
  };
}

export function abstractModel(model: CacheModel): AbstractState {
  return abstractHostState(modelToHostState(model));
}

/**
 * Human-readable differences between two abstract states, empty when they are equal:
 * "entry spi=256: 2001:db8:b::2 status tentative ≠ active" (left value first).
 */
export function diffAbstract(
  a: AbstractState,
  b: AbstractState,
  labels: readonly [string, string] = ['host', 'model'],
): string[] {
  const out: string[] = [];
  const localA = a.local.join(' ');
  const localB = b.local.join(' ');
  if (localA !== localB) out.push(`local [${localA}] ≠ [${localB}]`);
  const mapB = new Map(b.entries.map((e) => [e.key, e]));
  const keysA = new Set(a.entries.map((e) => e.key));
  for (const ea of a.entries) {
    const eb = mapB.get(ea.key);
    if (eb === undefined) {
      out.push(
        `entry ${ea.key} only in ${labels[0]} (${ea.addresses.map((x) => `${x.address} ${x.status}`).join(', ') || 'no address'})`,
      );
      continue;
    }
    const p = `entry ${ea.key}:`;
    if (JSON.stringify(ea.sa) !== JSON.stringify(eb.sa))
      out.push(`${p} sa ${JSON.stringify(ea.sa)} ≠ ${JSON.stringify(eb.sa)}`);
    if (ea.peerKind !== eb.peerKind) out.push(`${p} peerKind ${ea.peerKind} ≠ ${eb.peerKind}`);
    if (ea.homeAddress !== eb.homeAddress) out.push(`${p} homeAddress ${ea.homeAddress} ≠ ${eb.homeAddress}`);
    if (ea.careOfAddress !== eb.careOfAddress) out.push(`${p} careOfAddress ${ea.careOfAddress} ≠ ${eb.careOfAddress}`);
    const addrB = new Map(eb.addresses.map((x) => [x.address, x]));
    for (const xa of ea.addresses) {
      const xb = addrB.get(xa.address);
      if (xb === undefined) {
        out.push(`${p} ${xa.address} (${xa.status}) only in ${labels[0]}`);
        continue;
      }
      const q = `${p} ${xa.address}`;
      if (xa.status !== xb.status) out.push(`${q} status ${xa.status} ≠ ${xb.status}`);
      if (xa.lifetimeKind !== xb.lifetimeKind) out.push(`${q} lifetime kind ${xa.lifetimeKind} ≠ ${xb.lifetimeKind}`);
      if (xa.expiresAt !== xb.expiresAt) out.push(`${q} expiresAt ${xa.expiresAt} ≠ ${xb.expiresAt}`);
      if (xa.challengeOutstanding !== xb.challengeOutstanding) {
        out.push(`${q} challengeOutstanding ${xa.challengeOutstanding} ≠ ${xb.challengeOutstanding}`);
      }
    }
    const addrA = new Set(ea.addresses.map((x) => x.address));
    for (const xb of eb.addresses)
      if (!addrA.has(xb.address)) out.push(`${p} ${xb.address} (${xb.status}) only in ${labels[1]}`);
  }
  for (const eb of b.entries) {
    if (!keysA.has(eb.key)) {
      out.push(
        `entry ${eb.key} only in ${labels[1]} (${eb.addresses.map((x) => `${x.address} ${x.status}`).join(', ') || 'no address'})`,
      );
    }
  }
  return out;
}
