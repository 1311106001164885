/**
 * A known gap. Alice never tells her peers that she lost an address: no deleting BU. Her
 * peers keep the lost address active until it expires and may send her data there, to whoever
 * owns it next (§5.3, from the peer's side).
 *
 * Breaks: §2.1.2 "Whenever a host learns that it has lost a local IP address ... it MUST send a
 * deleting Binding Update to its peers" and §2.2.1 (R2.1.2-8, R2.2.1-6); HOST.md rule 20.
 * Override: `withdrawAddress` (send-path.ts) sends nothing.
 * Expected catcher: none. Every property judges what Alice does with what she receives; none
 * judges whether her own moves reach her peers (LIVE-HONEST-MOVE probes the peers' moves, and
 * REFINES-MODEL compares her cache, not her announcements). Tested by
 * test/host/scenarios.test.ts (a_lost_address_is_deleted_by_a_zero_lifetime_bu_from_a_remaining_address).
 */

import { ReferenceHost, type Address } from '../../impl/host/index.js';
import type { KnownGap } from '../../properties/mutants/types.js';
import { hostFactory } from '../../properties/world/alice.js';

export class NoDeletingBu extends ReferenceHost {
  protected override withdrawAddress(address: Address, nowMs: number): void {
    // The address is gone; the peers will notice when it expires.
  }
}

export const gapNoDeletingBu: KnownGap = {
  name: 'gap-no-deleting-bu',
  breaks: 'sends no deleting BU when Alice loses an address',
  section: '§2.1.2, §2.2.1, HOST.md rule 20',
  requirements: ['R2.1.2-8', 'R2.2.1-6'],
  method: 'withdrawAddress',
  expected: null,
  gap: "no property judges Alice's own announcements: a property that, after Alice loses an address and a fair stretch, finds it gone from the peer's entry (a reference host's state) or sees no data from the peer reach it, would catch this",
  factory: hostFactory('gap-no-deleting-bu', (o) => new NoDeletingBu(o)),
};
