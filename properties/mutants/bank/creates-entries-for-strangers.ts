/**
 * Every correspondent that sends data gets a Foreign Host Cache Entry, as a neighbour cache
 * would: an unauthenticated packet from an unknown source creates an entry holding that
 * source as active. Spoofed packets then fill the Host Cache (§4.1) and make Alice believe in
 * addresses nobody verified.
 *
 * Breaks: §2.3.4 "the receiving host SHOULD NOT create any new Foreign Host Cache Entry upon
 * packet arrival" and §1.4 (R2.3.4-1, R1.4-19); §4.1.
 * Decision: `attributeData` (receive/data.ts). The mutant respects `foreignEntriesCountMax`, so
 * it is not INV-BOUNDED's.
 * Expected catcher: INV-NO-STRANGER-STATE.
 */

import {
  REFERENCE_DECISIONS,
  type Attribution,
  type HostContext,
  type ReceivedPacket,
} from '../../../impl/host/index.js';
import { isLocal } from '../../../impl/host/addresses.js';
import { createEntryForPeer } from '../../../impl/host/lifecycle.js';
import { isGlobalAddress } from '../../../impl/wire/index.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function attributeData(ctx: HostContext, received: ReceivedPacket): Attribution {
  const attribution = REFERENCE_DECISIONS.attributeData(ctx, received);
  if (attribution.entry !== null) return attribution;
  const source = received.homeAddress ?? received.packet.ipv6.source;
  // "Remember whoever talks to us, so that the reply has somewhere to go."
  if (!isGlobalAddress(source) || isLocal(ctx, source) || ctx.state.cache.recordsOf(source).length > 0)
    return attribution;
  if (!ctx.decisions.enforceBounds(ctx, { kind: 'entry' })) return attribution;
  const entry = createEntryForPeer(ctx, source, received.nowMs);
  return { entry: entry.id, authenticated: false };
}

export const createsEntriesForStrangers: Mutant = {
  name: 'creates-entries-for-strangers',
  breaks: 'creates a Foreign Host Cache Entry for an unauthenticated packet from an unknown source',
  section: '§2.3.4, §1.4, §4.1',
  requirements: ['R2.3.4-1', 'R1.4-19'],
  method: 'attributeData',
  expected: 'INV-NO-STRANGER-STATE',
  factory: brokenHost('creates-entries-for-strangers', { attributeData }),
};
