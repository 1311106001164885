/**
 * A new Challenge is not sent in the call that starts it: it waits for the first
 * retransmission, in a `tick` challengeRetransmitMs later (a host that queues its Challenges
 * and lets the timer send them). Every verification, claims', holders' re-checks' (rule 13)
 * and first addresses' (rule 17) alike, then takes a second longer, and one transmission of
 * challengeAttemptsMax is lost.
 *
 * Breaks: docs/rules.md rule 9 (a tentative address is challenged "at once", rule 6; "One BA
 * per tentative address ... Retransmitted when `now >= last transmission +
 * challengeRetransmitMs`").
 * Decision: `transmit` (transmit.ts) drops a Challenge BA the first time it is handed one
 * (its Challenge not yet counted as sent), as if it were queued.
 * Expected catcher: REFINES-SIGNALLING (a Challenge first sent in a tick, a call that named
 * nothing of its address).
 */

import { REFERENCE_DECISIONS, type EntryRecord, type HostContext, type SaRecord } from '../../../impl/host/index.js';
import type { Packet } from '../../../impl/wire/types.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function transmit(ctx: HostContext, packet: Packet, sa: SaRecord | null, entry: EntryRecord | null): Uint8Array {
  // startChallenge hands the BA over with the Challenge just made: no transmission counted yet,
  // and last sent = first sent.
  const fresh = entry?.addresses.some(
    (r) =>
      r.challenge !== null &&
      r.challenge.packet === packet &&
      r.challenge.attempts === 0 &&
      r.challenge.lastSentMs === r.challenge.firstSentMs,
  );
  if (fresh === true) return new Uint8Array(0);
  return REFERENCE_DECISIONS.transmit(ctx, packet, sa, entry);
}

export const challengeSentLate: Mutant = {
  name: 'challenge-sent-late',
  breaks: 'sends a new Challenge only at its first retransmission, not in the call that starts it',
  section: '§3.4.2, docs/rules.md rules 6, 9, 13 and 17',
  requirements: [],
  method: 'transmit',
  expected: 'REFINES-SIGNALLING',
  factory: brokenHost('challenge-sent-late', { transmit }),
};
