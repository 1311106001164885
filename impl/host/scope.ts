// Address scopes (§1.4, [ADDRSEL]): a source address must have the destination's scope, and
// a Foreign Host Cache Entry holds one scope only (§1.3, HOST.md rule 5).

import { isGlobalAddress, tryAddressToBytes } from '../wire/index.js';
import type { Address } from './types.js';

export type Scope = 'global' | 'site-local' | 'link-local' | 'loopback' | 'unusable';

/**
 * The scope of a unicast address. `unusable` covers what can be neither a source nor a peer:
 * text that is not IPv6, the unspecified address, multicast, and IPv4-mapped addresses (which
 * name IPv4 hosts; this specification is not applicable to IPv4, §1.1).
 */
export function scopeOf(address: Address): Scope {
  if (isGlobalAddress(address)) return 'global';
  const b = tryAddressToBytes(address);
  if (b === null) return 'unusable';
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) return 'link-local';
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0xc0) return 'site-local';
  let zeros = true;
  for (let i = 0; i < 15; i++) if (b[i] !== 0) zeros = false;
  if (zeros && b[15] === 1) return 'loopback';
  return 'unusable';
}

/** Whether `address` can be one of Alice's addresses or a peer's (a unicast address of some scope). */
export function isUsableUnicast(address: Address): boolean {
  return scopeOf(address) !== 'unusable';
}
