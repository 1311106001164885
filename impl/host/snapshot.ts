// The observable state (ADAPTER-PROTOCOL.md "Observable state", HOST.md rule 19). Allocates
// a fresh value; the host's own records are never handed out.

import type { HostCache } from './cache.js';
import type { HostContext } from './context.js';
import { isLive } from './lifecycle.js';
import type { Address, AddressState, EntryState, HostState } from './types.js';

/**
 * Entries and addresses in insertion order. A tentative address shows its Challenge's end as
 * an absolute expiry; a deprecated one its original kind and the instant it expired;
 * `challengeOutstanding` is true while a Challenge is live (a claimant that answered and
 * waits shows false). Home and care-of addresses are null except for standard mobile peers.
 */
export function hostState(cache: HostCache, local: readonly Address[]): HostState {
  const entries: EntryState[] = cache.entries.map((e) => {
    const addresses: AddressState[] = e.addresses.map((r) => ({
      address: r.address,
      status: r.status,
      lifetime: { kind: r.status === 'tentative' ? 'absolute' : r.lifetimeKind, expiresAt: r.expiresAtMs },
      challengeOutstanding: isLive(r),
    }));
    const standardMobile = e.peerKind === 'standard-mobile';
    return {
      id: e.id,
      peerKind: e.peerKind,
      sa: e.sa === null ? null : { inboundSpi: e.sa.config.inboundSpi, kind: e.sa.config.kind },
      addresses,
      homeAddress: standardMobile ? e.homeAddress : null,
      careOfAddress: standardMobile ? e.careOfAddress : null,
    };
  });
  return { entries, local: local.slice() };
}

/** `state` (ADAPTER-PROTOCOL.md "Observable state"): the host's own state, as rule 19 shows it. */
export function snapshot(ctx: HostContext): HostState {
  return hostState(ctx.state.cache, ctx.state.local);
}
