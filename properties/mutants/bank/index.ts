// The mutant bank (DESIGN.md "Proof that the properties bite"): deliberately broken hosts, one
// file each, every one the reference host with one of its decisions replaced (broken-host.ts).
// First one per property of DESIGN.md's table (INV-WIRE-TOTAL, the codec's, has its own proof
// in test/wire), then one per further security-relevant MUST. docs/mutants.md lists them;
// `npm run mutants` runs each against every property and reports which caught it.

import type { AnyMutant, KnownGap, Mutant } from '../types.js';
import { acceptsBuWithoutAh } from './accepts-bu-without-ah.js';
import { acceptsResponseTwice } from './accepts-response-twice.js';
import { activatesOnResponseWithoutSettling } from './activates-on-response-without-settling.js';
import { activatesWithoutChallenge } from './activates-without-challenge.js';
import { anonymousDataAuthenticated } from './anonymous-data-authenticated.js';
import { anonymousSaCarriesData } from './anonymous-sa-carries-data.js';
import { challengeToOldAddress } from './challenge-to-old-address.js';
import { clockBasedTime } from './clock-based-time.js';
import { createsEntriesForStrangers } from './creates-entries-for-strangers.js';
import { deliversHaoWithoutAh } from './delivers-hao-without-ah.js';
import { entryByLatestClaim } from './entry-by-latest-claim.js';
import { homelessPeerMovesDown } from './homeless-peer-moves-down.js';
import { ignoresConflictingClaims } from './ignores-conflicting-claims.js';
import { ignoresParameterProblem } from './ignores-parameter-problem.js';
import { neverActivates } from './never-activates.js';
import { neverExpiresDeprecated } from './never-expires-deprecated.js';
import { noAnnouncement } from './no-announcement.js';
import { noDeletingBu } from './no-deleting-bu.js';
import { noHomeAddressEmulation } from './no-home-address-emulation.js';
import { knownAddressSkipsChallenge } from './known-address-skips-challenge.js';
import { replayWindowKeepsSkipped } from './replay-window-keeps-skipped.js';
import { retransmitsWithoutBound } from './retransmits-without-bound.js';
import { sendIgnoresPorts } from './send-ignores-ports.js';
import { sendsFromLostAddress } from './sends-from-lost-address.js';
import { destinationIgnoresStatus } from './destination-ignores-status.js';
import { skipsAntiReplay } from './skips-anti-replay.js';
import { skipsDeprecation } from './skips-deprecation.js';
import { skipsIcvCheck } from './skips-icv-check.js';
import { stateHidesTentative } from './state-hides-tentative.js';
import { unboundedTables } from './unbounded-tables.js';
import { unknownProtoSentAsEcho } from './unknown-proto-sent-as-echo.js';
import { buKeepsActivityLifetime } from './bu-keeps-activity-lifetime.js';
import { buSequenceWithoutModulus } from './bu-sequence-without-modulus.js';
import { challengeLifetimeFromLast } from './challenge-lifetime-from-last.js';
import { firstAddressAbsolute } from './first-address-absolute.js';
import { noChallengeRetransmission } from './no-challenge-retransmission.js';
import { challengeSentLate } from './challenge-sent-late.js';
import { challengeFromOldestAddress } from './challenge-from-oldest-address.js';
import { noPeriodicBu } from './no-periodic-bu.js';
import { acknowledgesWithoutAh } from './acknowledges-without-ah.js';
import { neverAcknowledges } from './never-acknowledges.js';

export const MUTANTS: readonly Mutant[] = [
  // One per property, in DESIGN.md's order.
  activatesWithoutChallenge, // INV-ACTIVE-VERIFIED
  destinationIgnoresStatus, // INV-DATA-TO-ACTIVE
  entryByLatestClaim, // INV-NO-DIVERSION
  challengeToOldAddress, // INV-CHALLENGE-TARGET
  acceptsBuWithoutAh, // INV-AUTH-REQUIRED
  anonymousSaCarriesData, // INV-ANON-SCOPE
  createsEntriesForStrangers, // INV-NO-STRANGER-STATE
  unboundedTables, // INV-BOUNDED
  retransmitsWithoutBound, // INV-AMPLIFICATION
  neverExpiresDeprecated, // INV-DEPRECATED-BOUND
  activatesOnResponseWithoutSettling, // INV-UNIQUE-ACTIVE
  skipsAntiReplay, // INV-REPLAY
  noDeletingBu, // INV-OWN-MOVE
  deliversHaoWithoutAh, // INV-DELIVERY
  sendIgnoresPorts, // INV-SEND-FAITHFUL
  sendsFromLostAddress, // INV-SOURCE-OWNED
  stateHidesTentative, // INV-STATE-TRUTHFUL
  neverActivates, // LIVE-HONEST-MOVE
  ignoresParameterProblem, // LIVE-COMPAT
  homelessPeerMovesDown, // REFINES-MODEL
  // Further security-relevant MUSTs.
  clockBasedTime,
  skipsIcvCheck,
  anonymousDataAuthenticated,
  knownAddressSkipsChallenge,
  acceptsResponseTwice,
  ignoresConflictingClaims,
  noHomeAddressEmulation,
  skipsDeprecation,
  // HOST.md rule 24: a malformed request is refused with no effect.
  unknownProtoSentAsEcho,
  // RFC 2402 §3.4.3's other half: a fresh datagram arriving late inside the window is accepted.
  replayWindowKeepsSkipped,
  // HOST.md rule 20's announcement: a SHOULD (R2.1.2-6) that the adapter protocol makes part of `addLocalAddress`.
  noAnnouncement,
  // What the state must show, from the world's ground truth: a Challenge's lifetime counted
  // from its first transmission (rule 9), BU numbers compared modulo 2^16 (rule 7), a first
  // address's activity-related lifetime (R2.1.1-7) and a BU's absolute one (R2.1.4-4).
  challengeLifetimeFromLast,
  buSequenceWithoutModulus,
  firstAddressAbsolute,
  buKeepsActivityLifetime,
  // How Challenges are transmitted (rule 9), judged from the trace alone: at once, retransmitted
  // on time, from the address the claim arrived at (REFINES-SIGNALLING).
  noChallengeRetransmission,
  challengeSentLate,
  challengeFromOldestAddress,
  // Alice's periodic BUs (rule 16), judged from the trace alone (REFINES-SIGNALLING).
  noPeriodicBu,
  // The AH of every BU and BA Alice sends (§2.4), by the ground truth (REFINES-SIGNALLING (e)).
  acknowledgesWithoutAh,
  // The plain BA of rule 10, owed where the ground truth proves it (REFINES-SIGNALLING (g)).
  neverAcknowledges,
];

/**
 * Known gaps: realistic bugs of security-relevant requirements that no property of the suite is
 * meant to catch (each says why, and what would). `npm run mutants -- --gaps` runs them apart;
 * they do not count in the verdict. A gap that gets caught moves into MUTANTS: the last two,
 * no-deleting-bu and no-announcement, did when INV-OWN-MOVE came; none is left.
 */
export const GAPS: readonly KnownGap[] = [];

export function mutantByName(name: string): AnyMutant | undefined {
  return MUTANTS.find((m) => m.name === name) ?? GAPS.find((m) => m.name === name);
}
