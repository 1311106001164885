/**
 * The Challenge goes to the address the peer is already known at (its entry's oldest active
 * address) instead of the tentative address it checks: the peer answers from where it always
 * was, which proves nothing about the new address.
 *
 * Breaks: §3.4.2 step 1 "It is important that the challenge is actually sent to the Tentative
 * Address and not to any other of the addresses in the Foreign Host Cache Entry"; HOST.md rule 9.
 * Decision: `challengeDestination` (verification.ts).
 * Expected catcher: INV-CHALLENGE-TARGET; also LIVE-HONEST-MOVE (an honest peer's Response
 * then names the old address, so its new address never verifies).
 */

import type { Address, AddressRecord, HostContext } from '../../../impl/host/index.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function challengeDestination(_ctx: HostContext, record: AddressRecord): Address {
  // "Ask the peer where we know it is": the first active address of its entry.
  const known = record.entry.addresses.find((r) => r.status === 'active' && r !== record);
  return known?.address ?? record.address;
}

export const challengeToOldAddress: Mutant = {
  name: 'challenge-to-old-address',
  breaks: "sends the Challenge to the peer's already known (old) address instead of the tentative address",
  section: '§3.4.2 step 1, docs/rules.md rule 9',
  requirements: ['R1.4-9', 'R3.4.2-6'],
  method: 'challengeDestination',
  expected: 'INV-CHALLENGE-TARGET',
  factory: brokenHost('challenge-to-old-address', { challengeDestination }),
};
