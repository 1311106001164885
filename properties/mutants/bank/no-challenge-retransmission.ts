/**
 * An unanswered Challenge is never sent again: Alice sends it once, in the call the claim
 * arrived in, and then waits out its life. One lost packet (the Challenge, or the Response)
 * then costs the peer its new address until its next BU, however soon the network recovers.
 *
 * Breaks: docs/rules.md rule 9 ("Retransmitted when `now >= last transmission +
 * challengeRetransmitMs`, at most once per `tick`, at most `challengeAttemptsMax`
 * transmissions").
 * Decision: `retransmitChallenge` (verification.ts) sends nothing.
 * Expected catcher: REFINES-SIGNALLING (a tick at or after the last transmission +
 * challengeRetransmitMs without the copy a live, unanswered Challenge is owed). No safety
 * property sees it, and LIVE-HONEST-MOVE's premise excludes loss.
 */

import type { AddressRecord, HostContext } from '../../../impl/host/index.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function retransmitChallenge(_ctx: HostContext, _record: AddressRecord, _nowMs: number): void {
  // Once is enough, thinks this host.
}

export const noChallengeRetransmission: Mutant = {
  name: 'no-challenge-retransmission',
  breaks: 'never retransmits an unanswered Challenge',
  section: '§3.4.2, docs/rules.md rule 9',
  requirements: [],
  method: 'retransmitChallenge',
  expected: 'REFINES-SIGNALLING',
  factory: brokenHost('no-challenge-retransmission', { retransmitChallenge }),
};
