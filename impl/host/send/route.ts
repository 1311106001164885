// Where a packet to a peer goes and where it comes from (§1.4, §2.2, HOST.md rule 21): the
// entry for a destination, the destination in it, the source, and which SA may carry data.

import { isLocal } from '../addresses.js';
import type { EntryRecord } from '../cache.js';
import { sendingRules } from '../compat.js';
import type { HostContext } from '../context.js';
import { setNewest } from '../lru.js';
import { CONNECTIONS_PER_ENTRY_MAX } from '../params.js';
import { scopeOf } from '../scope.js';
import type { SaRecord } from '../sa.js';
import type { Address } from '../types.js';
import type { RoutingHeader } from '../../wire/types.js';

/** Where a packet to a peer goes. */
export interface Route {
  /** The IPv6 Destination as sent. */
  readonly destination: Address;
  /** Its final destination: the home address behind a routing header, else `destination`. */
  readonly finalDestination: Address;
  readonly routing?: RoutingHeader;
}

/** Which of Alice's addresses a packet comes from. */
export interface SourcePlan {
  readonly source: Address;
  /** The connection's emulated home address when it differs from `source` (§2.2.2), else null. */
  readonly home: Address | null;
}

/** Rule 21: the entry holding `to` as active, else as deprecated; null when a new one is needed. */
export function entryForSend(ctx: HostContext, to: Address): EntryRecord | null {
  const cache = ctx.state.cache;
  const record = cache.findWithStatus(to, 'active') ?? cache.findWithStatus(to, 'deprecated');
  return record === undefined ? null : record.entry;
}

/**
 * Rule 21 (§1.4, §2.2.1): any active address of the entry; the reference uses the last
 * source received if it is still active, else the oldest active one. Never a tentative
 * address (§2.4.1, INV-DATA-TO-ACTIVE), nor a deprecated one (§2.2: all deprecated means
 * unreachable). Toward a standard mobile host: its home address, through a routing header
 * via its care-of address only once that address verified (rule 15a, §2.2.2).
 */
export function selectDestination(ctx: HostContext, entry: EntryRecord): Route | null {
  if (entry.peerKind === 'standard-mobile') {
    const route = standardMobileRoute(ctx, entry);
    if (route !== null) return route;
  }
  const last = entry.lastSourceReceived;
  if (last !== null && ctx.state.cache.recordIn(entry, last)?.status === 'active') {
    return { destination: last, finalDestination: last };
  }
  for (const r of entry.addresses) {
    if (r.status === 'active') return { destination: r.address, finalDestination: r.address };
  }
  return null;
}

/** §2.2.2: "the existence of an address marked as a Care-of-Address forces ... the CoA as the destination". */
function standardMobileRoute(ctx: HostContext, entry: EntryRecord): Route | null {
  const home = entry.homeAddress;
  if (home === null || ctx.state.cache.recordIn(entry, home)?.status !== 'active') return null;
  const coa = entry.careOfAddress;
  if (coa !== null && coa !== home && ctx.state.cache.recordIn(entry, coa)?.status === 'active') {
    return { destination: coa, finalDestination: home, routing: { segmentsLeft: 1, addresses: [home] } };
  }
  return { destination: home, finalDestination: home };
}

/**
 * The source of a packet to `entry` (§1.4: of the destination's scope, R1.4-14). Toward a homeless
 * peer any address works; the reference uses the oldest. Toward other peers each
 * connection keeps its initial source while Alice has it (§2.2.2 RECOMMENDED: no HAO then);
 * once she has lost it, the oldest address is the care-of address and the initial source
 * stays the emulated home address (an HAO names it), except toward a legacy peer, which
 * cannot take an HAO: its connection moves to the new source (rule 15).
 */
export function selectSource(
  ctx: HostContext,
  entry: EntryRecord,
  finalDestination: Address,
  connection: string,
): SourcePlan | null {
  const oldest = ctx.decisions.oldestLocalOfScope(ctx, finalDestination);
  if (oldest === null) return null;
  const rules = sendingRules(entry.peerKind);
  if (!rules.emulateHomeAddress && !rules.keepInitialSource) return { source: oldest, home: null };
  let initial = entry.connections.get(connection);
  // A connection keeps its source only within one scope (R1.4-14 MUST): an entry emptied of
  // its link-local first address may take global ones (rule 5), and the connection then
  // starts again from an address of the new destination's scope.
  if (
    initial === undefined ||
    scopeOf(initial) !== scopeOf(finalDestination) ||
    (rules.keepInitialSource && !isLocal(ctx, initial))
  ) {
    initial = oldest;
    setNewest(entry.connections, connection, initial, CONNECTIONS_PER_ENTRY_MAX);
  }
  if (isLocal(ctx, initial)) return { source: initial, home: null };
  return { source: oldest, home: rules.emulateHomeAddress ? initial : null };
}

/**
 * §3.4.1, §2.4.3: a generic SA may protect anything; an anonymous SA only BUs and BAs, so
 * data under it is neither sent nor ever reported as authenticated (INV-ANON-SCOPE).
 */
export function mayProtectData(_ctx: HostContext, sa: SaRecord): boolean {
  return sa.config.kind === 'generic';
}
