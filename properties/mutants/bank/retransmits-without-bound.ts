/**
 * The retransmission counter is never advanced: an unanswered Challenge goes out again every
 * `challengeRetransmitMs` until it expires, not `challengeAttemptsMax` times. Each claim Mallory
 * makes on a third party's address then sends that party more packets than the design allows
 * (a reflector, §4.1).
 *
 * Breaks: HOST.md rule 9 ("at most `challengeAttemptsMax` transmissions"), §4.1.
 * Decision: `retransmitChallenge` (verification.ts) forgets `attempts++`.
 * Expected catcher: INV-AMPLIFICATION.
 */

import { isLive, type AddressRecord, type HostContext } from '../../../impl/host/index.js';
import { isLocal } from '../../../impl/host/addresses.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function retransmitChallenge(ctx: HostContext, record: AddressRecord, nowMs: number): void {
  const c = record.challenge;
  if (c === null || !isLive(record)) return;
  if (!isLocal(ctx, c.packet.ipv6.source)) {
    const source = ctx.decisions.oldestLocalOfScope(ctx, record.address);
    if (source === null) return;
    c.packet = { ...c.packet, ipv6: { ...c.packet.ipv6, source } };
  }
  ctx.decisions.transmit(ctx, c.packet, c.sa, record.entry);
  c.lastSentMs = nowMs;
}

export const retransmitsWithoutBound: Mutant = {
  name: 'retransmits-without-bound',
  breaks: 'retransmits an unanswered Challenge until it expires instead of challengeAttemptsMax times',
  section: '§4.1, docs/rules.md rule 9',
  requirements: [],
  method: 'retransmitChallenge',
  expected: 'INV-AMPLIFICATION',
  factory: brokenHost('retransmits-without-bound', { retransmitChallenge }),
};
