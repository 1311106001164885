/**
 * Each retransmission of a Challenge starts its lifetime over: the Challenge (and the tentative
 * address it checks) lives `challengeLifetimeMs` from its *last* transmission, so a Response
 * arriving up to (challengeAttemptsMax − 1) × challengeRetransmitMs too late still activates
 * the address. A value Mallory collected is good for longer than the host promised.
 *
 * Breaks: docs/rules.md rule 9 ("The Challenge lives for `challengeLifetimeMs` from its first
 * transmission"), docs/wire-format.md "Reachability verification" (a Response only while that
 * Challenge is younger than `challengeLifetimeMs`).
 * Decision: `retransmitChallenge` (verification.ts) restarts the Challenge's clock.
 * Expected catcher: INV-STATE-TRUTHFUL (the late Response makes nothing active in a correct host).
 */

import { REFERENCE_DECISIONS, type AddressRecord, type HostContext } from '../../../impl/host/index.js';
import type { Mutant } from '../types.js';
import { brokenHost } from './broken-host.js';

function retransmitChallenge(ctx: HostContext, record: AddressRecord, nowMs: number): void {
  REFERENCE_DECISIONS.retransmitChallenge(ctx, record, nowMs);
  const c = record.challenge;
  if (c === null || c.lastSentMs !== nowMs) return;
  record.challenge = { ...c, firstSentMs: nowMs };
  if (record.status === 'tentative') record.expiresAtMs = nowMs + ctx.params.challengeLifetimeMs;
}

export const challengeLifetimeFromLast: Mutant = {
  name: 'challenge-lifetime-from-last',
  breaks: "counts a Challenge's lifetime from its last retransmission instead of its first transmission",
  section: 'docs/rules.md rule 9, docs/wire-format.md "Reachability verification"',
  requirements: [],
  method: 'retransmitChallenge',
  expected: 'INV-STATE-TRUTHFUL',
  factory: brokenHost('challenge-lifetime-from-last', { retransmitChallenge }),
};
