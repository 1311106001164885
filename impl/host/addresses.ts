// Alice's own addresses (§2.1.1, her Local Host Cache Entry): membership, and which of them a
// packet of a given scope comes from.

import type { HostContext } from './context.js';
import { scopeOf, type Scope } from './scope.js';
import type { Address } from './types.js';

/** A bound on the scope memo: Alice's addresses come and go; the memo is rebuilt past this. */
const LOCAL_SCOPES_REMEMBERED_MAX = 256;

/** `scopeOf` is pure and read for every packet: one memo serves every host. */
const localScopes = new Map<Address, Scope>();

function localScope(address: Address): Scope {
  let scope = localScopes.get(address);
  if (scope === undefined) {
    scope = scopeOf(address);
    if (localScopes.size >= LOCAL_SCOPES_REMEMBERED_MAX) localScopes.clear();
    localScopes.set(address, scope);
  }
  return scope;
}

export function isLocal(ctx: HostContext, address: Address): boolean {
  return ctx.state.local.includes(address);
}

/** Alice's oldest address of `destination`'s scope (§1.4: the source must be of the same scope). */
export function oldestLocalOfScope(ctx: HostContext, destination: Address): Address | null {
  const scope = scopeOf(destination);
  for (const a of ctx.state.local) if (localScope(a) === scope) return a;
  return null;
}

/** Alice's global addresses, oldest first: what her BUs name (rules 5, 14, 16). */
export function localGlobalAddresses(ctx: HostContext): Address[] {
  return ctx.state.local.filter((a) => localScope(a) === 'global');
}
