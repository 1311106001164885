// Rule 20a (Appendix B, behind `buOptimization`): an AH-valid packet from a homeless peer
// whose IPv6 Source is not in the entry adds it as tentative with `defaultLifetimeSeconds`,
// challenged per rule 9; the Challenge BA is the BA the appendix requires.

import { isGlobalAddress } from '../../wire/index.js';
import { isLocal } from '../addresses.js';
import type { EntryRecord } from '../cache.js';
import type { HostContext } from '../context.js';
import { claimContext } from './bu.js';
import type { ReceivedPacket } from './packet.js';

export function onAppendixB(ctx: HostContext, received: ReceivedPacket, entry: EntryRecord): void {
  if (!ctx.params.buOptimization || entry.peerKind !== 'homeless' || entry.sa === null) return;
  const source = received.packet.ipv6.source;
  if (!isGlobalAddress(source) || isLocal(ctx, source) || ctx.state.cache.recordIn(entry, source) !== undefined) return;
  const granted = ctx.decisions.grantedLifetimeSeconds(ctx, ctx.params.defaultLifetimeSeconds);
  const claim = claimContext(received, entry, entry.lastReceivedBuSequence ?? 0, granted, 'appendix-b');
  ctx.decisions.admitNamedAddress(ctx, entry, source, claim);
}
