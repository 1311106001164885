/**
 * A BU that arrives without AH is processed as if the SA of the entry holding its source
 * address had protected it ("it comes from a known peer"). Anyone who can spoof a peer's
 * source address rewrites that peer's entry.
 *
 * Breaks: §2.4 and §2.4.2 "all Binding Updates and Binding Acknowledgements ... MUST carry
 * valid AH headers" (R1.4-7, R2.3.1-5, R2.4-3, R2.4.2-1); HOST.md rules 2 and 3.
 * Decision: `receivePacket` (receive/packet.ts): no narrower method sees a packet without AH.
 * Expected catcher: INV-AUTH-REQUIRED (Mallory's spoofed `bu-no-ah` or `no-ah` claims).
 */

import { REFERENCE_DECISIONS, type HostContext } from '../../../impl/host/index.js';
import { finalDestination, onAuthenticated } from '../../../impl/host/receive/packet.js';
import { decodePacket } from '../../../impl/wire/index.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function receivePacket(ctx: HostContext, bytes: Uint8Array, nowMs: number): void {
  const decoded = decodePacket(bytes);
  if (
    decoded.ok &&
    decoded.packet.ah === undefined &&
    (decoded.packet.destOptions ?? []).some((o) => o.kind === 'bu')
  ) {
    const packet = decoded.packet;
    const localAddress = finalDestination(ctx, packet);
    // The entry that holds the packet's source: its SA is taken as the one that "would have" protected it.
    const holder = ctx.state.cache.findWithStatus(packet.ipv6.source, 'active');
    if (localAddress !== null && holder !== undefined && holder.entry.sa !== null) {
      onAuthenticated(ctx, { packet, nowMs, localAddress, sa: holder.entry.sa, homeAddress: null }, holder.entry);
      return;
    }
  }
  REFERENCE_DECISIONS.receivePacket(ctx, bytes, nowMs);
}

export const acceptsBuWithoutAh: Mutant = {
  name: 'accepts-bu-without-ah',
  breaks: "processes a BU without AH under the SA of the entry that holds the packet's source",
  section: '§2.4, §2.4.2, §2.3.1, docs/rules.md rules 2-3',
  requirements: ['R1.4-7', 'R2.3.1-5', 'R2.4-3', 'R2.4.2-1'],
  method: 'receivePacket',
  expected: 'INV-AUTH-REQUIRED',
  factory: brokenHost('accepts-bu-without-ah', { receivePacket }),
};
