/**
 * A BU that arrives without AH is processed as if the SA of the entry holding its source
 * address had protected it ("it comes from a known peer"). Anyone who can spoof a peer's
 * source address rewrites that peer's entry.
 *
 * Breaks: §2.4 and §2.4.2 "all Binding Updates and Binding Acknowledgements ... MUST carry
 * valid AH headers" (R1.4-7, R2.3.1-5, R2.4-3, R2.4.2-1); HOST.md rules 2 and 3.
 * Override: `receivePacket` (receive-path.ts): no narrower method sees a packet without AH.
 * Expected catcher: INV-AUTH-REQUIRED (Mallory's spoofed `bu-no-ah` or `no-ah` claims).
 */

import { ReferenceHost } from '../../impl/host/index.js';
import { decodePacket } from '../../impl/wire/index.js';
import type { Mutant } from '../../properties/mutants/types.js';
import { hostFactory } from '../../properties/world/alice.js';

export class AcceptsBuWithoutAh extends ReferenceHost {
  protected override receivePacket(bytes: Uint8Array, nowMs: number): void {
    const decoded = decodePacket(bytes);
    if (decoded.ok && decoded.packet.ah === undefined && (decoded.packet.destOptions ?? []).some((o) => o.kind === 'bu')) {
      const packet = decoded.packet;
      const localAddress = this.finalDestination(packet);
      // The entry that holds the packet's source: its SA is taken as the one that "would have" protected it.
      const holder = this.cache.findWithStatus(packet.ipv6.source, 'active');
      if (localAddress !== null && holder !== undefined && holder.entry.sa !== null) {
        this.onAuthenticated({ packet, nowMs, localAddress, sa: holder.entry.sa, homeAddress: null }, holder.entry);
        return;
      }
    }
    super.receivePacket(bytes, nowMs);
  }
}

export const acceptsBuWithoutAh: Mutant = {
  name: 'accepts-bu-without-ah',
  breaks: "processes a BU without AH under the SA of the entry that holds the packet's source",
  section: '§2.4, §2.4.2, §2.3.1, docs/rules.md rules 2-3',
  requirements: ['R1.4-7', 'R2.3.1-5', 'R2.4-3', 'R2.4.2-1'],
  method: 'receivePacket',
  expected: 'INV-AUTH-REQUIRED',
  factory: hostFactory('accepts-bu-without-ah', (o) => new AcceptsBuWithoutAh(o)),
};
