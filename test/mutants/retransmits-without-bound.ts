/**
 * The retransmission counter is never advanced: an unanswered Challenge goes out again every
 * `challengeRetransmitMs` until it expires, not `challengeAttemptsMax` times. Each claim Mallory
 * makes on a third party's address then sends that party more packets than the design allows
 * (a reflector, §4.1).
 *
 * Breaks: HOST.md rule 9 ("at most `challengeAttemptsMax` transmissions"), §4.1.
 * Override: `retransmitChallenge` (verification.ts) forgets `attempts++`.
 * Expected catcher: INV-AMPLIFICATION.
 */

import { ReferenceHost, isLive, type AddressRecord } from '../../impl/host/index.js';
import type { Mutant } from '../../properties/mutants/types.js';
import { hostFactory } from '../../properties/world/alice.js';

export class RetransmitsWithoutBound extends ReferenceHost {
  protected override retransmitChallenge(record: AddressRecord, nowMs: number): void {
    const c = record.challenge;
    if (c === null || !isLive(record)) return;
    if (!this.isLocal(c.packet.ipv6.source)) {
      const source = this.oldestLocalOfScope(record.address);
      if (source === null) return;
      c.packet = { ...c.packet, ipv6: { ...c.packet.ipv6, source } };
    }
    this.transmit(c.packet, c.sa, record.entry);
    c.lastSentMs = nowMs;
  }
}

export const retransmitsWithoutBound: Mutant = {
  name: 'retransmits-without-bound',
  breaks: 'retransmits an unanswered Challenge until it expires instead of challengeAttemptsMax times',
  section: '§4.1, docs/rules.md rule 9',
  requirements: [],
  method: 'retransmitChallenge',
  expected: 'INV-AMPLIFICATION',
  factory: hostFactory('retransmits-without-bound', (o) => new RetransmitsWithoutBound(o)),
};
