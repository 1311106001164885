/**
 * Alice never tells her peers that she lost an address: no deleting BU. Her peers keep the lost
 * address active until it expires and may send her data there, to whoever owns it next (§5.3,
 * from the peer's side).
 *
 * Breaks: §2.1.2 "Whenever a host learns that it has lost a local IP address ... it MUST send a
 * deleting Binding Update to its peers" and §2.2.1 (R2.1.2-8, R2.2.1-6); HOST.md rule 20.
 * Decision: `withdrawAddress` (send/bu.ts) sends nothing.
 * Expected catcher: INV-OWN-MOVE (the `removeLocalAddress` call sends no BU with lifetime 0
 * naming the lost address to a peer entry with an SA and an active address). Also tested by
 * test/host/scenarios.test.ts (a_lost_address_is_deleted_by_a_zero_lifetime_bu_from_a_remaining_address).
 */

import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

// The address is gone; the peers will notice when it expires.
const withdrawAddress = (): void => undefined;

export const noDeletingBu: Mutant = {
  name: 'no-deleting-bu',
  breaks: 'sends no deleting BU when Alice loses an address',
  section: '§2.1.2, §2.2.1, docs/rules.md rule 20',
  requirements: ['R2.1.2-8', 'R2.2.1-6'],
  method: 'withdrawAddress',
  expected: 'INV-OWN-MOVE',
  factory: brokenHost('no-deleting-bu', { withdrawAddress }),
};
