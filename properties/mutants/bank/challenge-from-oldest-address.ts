/**
 * Every retransmission of a Challenge is sent from Alice's oldest address of the scope, not
 * from the address the first copy came from (the one the claim arrived at): a host that picks
 * a source afresh for each packet. The peer gets copies of one Challenge from two of Alice's
 * addresses, and answers the wrong one's Response form (rule 11: the Response goes to the BA's
 * source).
 *
 * Breaks: docs/rules.md rule 9 (the Challenge comes "from the destination address of the
 * packet that carried the BU (or, if Alice no longer has it, any of her addresses)", and a
 * retransmission is "identical but for the AH sequence number").
 * Decision: `retransmitChallenge` (verification.ts) always re-picks the source.
 * Expected catcher: REFINES-SIGNALLING (a retransmission from another address than the last
 * copy's, which Alice still holds).
 */

import { REFERENCE_DECISIONS, type AddressRecord, type HostContext } from '../../../impl/host/index.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

/** Re-points the Challenge at Alice's oldest address of the scope, then retransmits it as the reference does (which keeps a source she holds). */
function retransmitChallenge(ctx: HostContext, record: AddressRecord, nowMs: number): void {
  const c = record.challenge;
  const source = c === null ? null : ctx.decisions.oldestLocalOfScope(ctx, record.address);
  if (c !== null && source !== null) c.packet = { ...c.packet, ipv6: { ...c.packet.ipv6, source } };
  REFERENCE_DECISIONS.retransmitChallenge(ctx, record, nowMs);
}

export const challengeFromOldestAddress: Mutant = {
  name: 'challenge-from-oldest-address',
  breaks: "retransmits a Challenge from Alice's oldest address of the scope instead of the first copy's source",
  section: '§3.4.2, docs/rules.md rule 9',
  requirements: [],
  method: 'retransmitChallenge',
  expected: 'REFINES-SIGNALLING',
  factory: brokenHost('challenge-from-oldest-address', { retransmitChallenge }),
};
