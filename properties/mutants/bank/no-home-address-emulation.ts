/**
 * Source selection per packet, as a plain IPv6 stack does it: Alice sends from her newest
 * address (RFC 6724's rule 8 often picks it, docs/findings.md) and never emulates a mobile
 * node. Once she has gained an address, a standard MIPv6 peer sees a connection's packets come
 * from a new address without a Home Address option (and without the BUs that would bind it),
 * and a legacy peer sees the connection change its source.
 *
 * Breaks: §2.2.2 "the sending host MUST include a Home Address Destination Option to the
 * outgoing packet, and additionally MUST keep sending Binding Updates until a Binding
 * Acknowledgement is received" and §2.2.3 (R2.2.2-2, R2.2.3-1, R2.2.3-2); HOST.md rule 15
 * (a legacy peer's connections keep their initial source).
 * Decision: `selectSource` (send/route.ts).
 * Expected catcher: LIVE-COMPAT (toward Sam, a draft-13 mobile node, and toward Lee).
 */

import type { Address, EntryRecord, HostContext, SourcePlan } from '../../../impl/host/index.js';
import { scopeOf } from '../../../impl/host/scope.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function selectSource(ctx: HostContext, _entry: EntryRecord, finalDestination: Address): SourcePlan | null {
  const scope = scopeOf(finalDestination);
  const candidates = ctx.state.local.filter((a) => scopeOf(a) === scope);
  return candidates.length === 0 ? null : { source: candidates[candidates.length - 1], home: null };
}

export const noHomeAddressEmulation: Mutant = {
  name: 'no-home-address-emulation',
  breaks:
    "sends each packet from Alice's newest address, with no Home Address option or BUs toward a standard mobile peer",
  section: '§2.2.2, §2.2.3, docs/rules.md rule 15',
  requirements: ['R2.2.2-2', 'R2.2.3-1', 'R2.2.3-2'],
  method: 'selectSource',
  expected: 'LIVE-COMPAT',
  factory: brokenHost('no-home-address-emulation', { selectSource }),
};
