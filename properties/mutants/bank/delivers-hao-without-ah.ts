/**
 * A Home Address option is honoured without AH: the packet's data is delivered, from the
 * claimed home address, whoever sent it (a stack that checks the HAO only when an AH is there
 * to check it against). Anyone can then inject data into a connection with any of Alice's
 * peers by naming its address as home address.
 *
 * Breaks: §2.3.1 "If the packet contains a Home Address Destination Option, it MUST also
 * contain a Binding Update, the packet MUST be protected with AH" (R2.3.1-1); HOST.md rule 2
 * ("An HAO in a packet without valid AH is dropped", save a standard-mobile peer's recorded
 * home address).
 * Decision: `onHomeAddress` (receive/packet.ts).
 * Expected catcher: INV-DELIVERY (Mallory's `spoof hao-data`).
 */

import { REFERENCE_DECISIONS, type HostContext, type ReceivedPacket } from '../../../impl/host/index.js';
import type { HomeAddressOption } from '../../../impl/wire/types.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function onHomeAddress(ctx: HostContext, received: ReceivedPacket, hao: HomeAddressOption): boolean {
  // Under AH the reference's check stands; without AH the HAO is believed as it stands.
  if (received.sa !== null) return REFERENCE_DECISIONS.onHomeAddress(ctx, received, hao);
  received.homeAddress = hao.homeAddress;
  return true;
}

export const deliversHaoWithoutAh: Mutant = {
  name: 'delivers-hao-without-ah',
  breaks: 'delivers data from a packet with a Home Address option and no AH',
  section: '§2.3.1, docs/rules.md rule 2',
  requirements: ['R2.3.1-1'],
  method: 'onHomeAddress',
  expected: 'INV-DELIVERY',
  factory: brokenHost('delivers-hao-without-ah', { onHomeAddress }),
};
