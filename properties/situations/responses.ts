// Situations around Challenges and Responses (§3.4.2, HOST.md rules 9–13): forged, guessed,
// late, misdirected and reused Responses, conflicting claims in each order, and the bounds a
// claim can meet. The world knows every key and every Challenge Alice sent, so it can tell a
// correct Response from a forgery and a value computed for another address from a guess.

import { makeResponse } from '../../impl/crypto/index.js';
import { isNewerSequence } from '../../impl/sequence.js';
import { addressToBytes, fromHex, toHex } from '../../impl/wire/index.js';
import type { Address } from '../../impl/wire/types.js';
import { situation, type Situation } from './types.js';
import {
  accepted,
  claimedAddresses,
  HONEST_NODES,
  type ChallengeSent,
  type Claim,
  type ResponseArrival,
  type TruthView,
} from './view.js';

/** Bytes of a Challenge and of a Response (WIRE.md). */
const CHALLENGE_BYTES = 16;

function fromMallory(r: ResponseArrival): boolean {
  return r.arrival.packet.from === 'mallory';
}

function challengeAnswered(v: TruthView, r: ResponseArrival): ChallengeSent | undefined {
  if (r.answers === null || r.arrival.sa === undefined) return undefined;
  const id = r.answers;
  return v.challenges.get(r.arrival.sa.name)?.find((c) => c.packets.includes(id));
}

/** Authentic Responses under Mallory's own SAs. */
function malloryResponses(v: TruthView): ResponseArrival[] {
  return v.responses.filter((r) => fromMallory(r) && r.arrival.sa?.peer === 'mallory');
}

/** HMAC(K, Challenge || ADDR) as hex, or null when the sizes are not WIRE.md's; memoised per view. */
function responseHex(v: TruthView, saName: string, challengeHex: string, address: Address): string | null {
  const memo = v.memo('response-hex', () => new Map<string, string | null>());
  const key = `${saName}|${challengeHex}|${address}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  const sa = v.sasByName.get(saName);
  const keyBytes = sa === undefined ? null : fromHex(sa.keyHex);
  const challenge = fromHex(challengeHex);
  const hex =
    sa === undefined || keyBytes === null || challenge === null || challenge.length !== CHALLENGE_BYTES
      ? null
      : toHex(makeResponse(sa.alg, keyBytes, challenge, addressToBytes(address)));
  memo.set(key, hex);
  return hex;
}

/**
 * Whether an incorrect Response carries a value computed from a Challenge Alice sent under its
 * SA to another address: HMAC(K, C || that address) (the Response for the other address) or
 * HMAC(K, C || the named address) (the other address's Challenge bound to this one).
 */
function valueForAnotherAddress(v: TruthView, r: ResponseArrival): boolean {
  const sa = r.arrival.sa;
  if (r.answers !== null || sa === undefined || r.bu.security === undefined) return false;
  for (const c of v.challenges.get(sa.name) ?? []) {
    // Only a Challenge that reached someone can have been reused (the world delivered it).
    if (c.destination === r.bu.careOf || c.firstAt > r.arrival.at || !c.packets.some((id) => v.delivered.has(id)))
      continue;
    if (
      responseHex(v, sa.name, c.value, c.destination) === r.bu.security ||
      responseHex(v, sa.name, c.value, r.bu.careOf) === r.bu.security
    )
      return true;
  }
  return false;
}

/**
 * The Response's value correctly answers a Challenge that is alive when it arrives
 * (challengeLifetimeMs from its first transmission, rule 9) and that no accepted Response
 * answered before: the address is still under check, so only the Response's form and lifetime
 * decide whether a host takes it (rule 12).
 */
function answersLiveChallenge(v: TruthView, r: ResponseArrival): boolean {
  const c = challengeAnswered(v, r);
  if (c === undefined || r.arrival.at >= c.firstAt + v.params.challengeLifetimeMs) return false;
  return !v.responses.some((o) => o.arrival.index < r.arrival.index && accepted(o) && challengeAnswered(v, o) === c);
}

/** A Response with the correct value for a live Challenge, whose shape and lifetime pass `test`. */
function liveWithShape(v: TruthView, test: (r: ResponseArrival) => boolean): boolean {
  return v.responses.some((r) => r.answers !== null && test(r) && answersLiveChallenge(v, r));
}

function isHonestSa(v: TruthView, saName: string): boolean {
  const peer = v.sasByName.get(saName)?.peer;
  return peer !== undefined && peer !== 'stranger' && HONEST_NODES.has(peer);
}

function isMallorySa(v: TruthView, saName: string): boolean {
  return v.sasByName.get(saName)?.peer === 'mallory';
}

/** Destinations of the Challenges alive under the SA just before call `call` (rule 8 counts them). */
function liveDestinations(v: TruthView, saName: string, call: number, at: number): Set<Address> {
  return new Set(v.liveChallengesBefore(saName, call, at).map((x) => x.destination));
}

/**
 * Claims that reached Alice while their entry held addressesPerEntryCountMax addresses (the
 * world's count: held, deprecated, pending, and every address with a live Challenge, which
 * includes claims admitted earlier at the same instant) and had fewer than
 * tentativePerEntryCountMax live Challenges: the address bound is the one that bites (rule 8).
 */
function claimsAtAddressBound(v: TruthView): { claim: Claim; held: Set<Address> }[] {
  return v.memo('claims-at-address-bound', () => {
    const out: { claim: Claim; held: Set<Address> }[] = [];
    for (const c of v.claims) {
      const live = liveDestinations(v, c.sa.name, c.arrival.call, c.arrival.at);
      if (live.size >= v.params.tentativePerEntryCountMax) continue;
      const held = v.entryAddressesAt(c.sa.name, c.arrival.at);
      for (const a of live) held.add(a);
      if (held.size >= v.params.addressesPerEntryCountMax) out.push({ claim: c, held });
    }
    return out;
  });
}

export const RESPONSE_SITUATIONS: readonly Situation[] = [
  situation(
    'honest-address-verified',
    'response',
    0.315,
    "an honest peer's Response correctly answers one of Alice's Challenges (§3.4.2)",
    (v) => v.responses.some((r) => r.answers !== null && HONEST_NODES.has(r.arrival.packet.from)),
  ),
  situation(
    'mallory-address-verified',
    'response',
    0.213,
    "Mallory's well-formed Response with a lifetime correctly answers a Challenge for an address it owns (it may have any address it can receive at)",
    (v) => malloryResponses(v).some(accepted),
  ),
  // Rules 11 and 12: the second form, which every receiver accepts, and each form rule 12
  // ignores, each with the value that would verify (so that only the form stops it).
  situation(
    'response-second-form',
    'response',
    0.073,
    "a Response in rule 11's second form (from an address other than the one it names, which an Alternate CoA gives) correctly answers a live Challenge of Alice's (rule 11: every receiver accepts it)",
    (v) =>
      liveWithShape(
        v,
        (r) => accepted(r) && r.shape.alternateCoas === 1 && r.bu.careOf !== r.arrival.packet.info.source,
      ),
  ),
  situation(
    'response-two-security',
    'response',
    0.023,
    "a Response with two Security sub-options, the first correctly answering a live Challenge of Alice's, otherwise well formed, reaches her (rule 12: ignored)",
    (v) =>
      liveWithShape(
        v,
        (r) => r.shape.securities > 1 && r.shape.alternateCoas <= 1 && r.shape.others === 0 && r.bu.lifetimeSeconds > 0,
      ),
  ),
  situation(
    'response-two-alternate-coas',
    'response',
    0.022,
    "a Response with two Alternate CoA sub-options, correctly answering a live Challenge of Alice's for the last one's address, otherwise well formed, reaches her (rule 12: ignored)",
    (v) =>
      liveWithShape(
        v,
        (r) =>
          r.shape.securities === 1 && r.shape.alternateCoas > 1 && r.shape.others === 0 && r.bu.lifetimeSeconds > 0,
      ),
  ),
  situation(
    'response-other-sub-option',
    'response',
    0.023,
    "a Response from the address it names, correctly answering a live Challenge of Alice's, with a sub-option besides the value other than an Alternate CoA (a Unique Identifier, Alternate Prefixes, an unknown one) reaches her (rule 12: ignored)",
    (v) =>
      liveWithShape(
        v,
        (r) =>
          r.shape.securities === 1 && r.shape.alternateCoas === 0 && r.shape.others > 0 && r.bu.lifetimeSeconds > 0,
      ),
  ),
  situation(
    'response-lifetime-zero',
    'response',
    0.021,
    "a well-formed Response with lifetime 0 correctly answering a live Challenge of Alice's reaches her (rule 12: ignored)",
    (v) => liveWithShape(v, (r) => r.wellFormed && r.bu.lifetimeSeconds === 0),
  ),
  situation(
    'response-forged',
    'response',
    0.089,
    "Mallory's authentic Response for an address Alice challenged under its SA carries a value it could not compute (a forgery or a guess)",
    (v) =>
      malloryResponses(v).some(
        (r) =>
          r.answers === null &&
          (v.challenges.get(r.arrival.sa?.name ?? '') ?? []).some(
            (c) => c.destination === r.bu.careOf && c.firstAt <= r.arrival.at,
          ),
      ),
  ),
  situation(
    'response-forged-peer-spi',
    'response',
    0.021,
    "a Response under an honest peer's SPI, with an ICV Mallory cannot compute, reaches Alice",
    (v) =>
      v.arrivals.some(
        (a) =>
          a.packet.from === 'mallory' &&
          a.truth.ah === 'bad-icv' &&
          a.sa !== undefined &&
          isHonestSa(v, a.sa.name) &&
          a.packet.info.bus.some((b) => b.security !== undefined),
      ),
  ),
  situation(
    'clock-time-guess',
    'response',
    0.038,
    'Responses computed from a clock-based TIME reach Alice while her Challenge for that address under Mallory\'s SA is alive (wire-format.md, "Reachability verification")',
    (v) =>
      malloryResponses(v).some(
        (r) =>
          r.arrival.packet.tag === 'mallory-clock-guess' &&
          v
            .liveChallengesBefore(r.arrival.sa?.name ?? '', Number.POSITIVE_INFINITY, r.arrival.at)
            .some((c) => c.destination === r.bu.careOf),
      ),
  ),
  situation(
    'response-for-other-address',
    'response',
    0.026,
    'a Response naming one address carries the value computed from the Challenge for another address (§3.4.2: ADDR is in the HMAC so that this fails)',
    (v) => v.responses.some((r) => valueForAnotherAddress(v, r)),
  ),
  situation(
    'response-after-challenge-lifetime',
    'response',
    0.032,
    "a correct Response reaches Alice after its Challenge's lifetime (challengeLifetimeMs from its first transmission, rule 9) has run out",
    (v) =>
      v.responses.some((r) => {
        const c = challengeAnswered(v, r);
        return c !== undefined && r.arrival.at >= c.firstAt + v.params.challengeLifetimeMs;
      }),
  ),
  situation(
    'response-at-other-local-address',
    'response',
    0.034,
    "a correct Response reaches Alice at one of her addresses other than the Challenge's source (rule 11: receivers accept it)",
    (v) =>
      v.responses.some((r) => {
        const c = challengeAnswered(v, r);
        return (
          c !== undefined && c.source !== undefined && r.arrival.address !== undefined && r.arrival.address !== c.source
        );
      }),
  ),
  situation(
    'response-value-replayed',
    'response',
    0.035,
    'Mallory sends again, under a fresh AH, a Response value that already verified (INV-REPLAY: no state change)',
    (v) => {
      const correct = new Set<string>();
      for (const r of v.responses) {
        if (r.arrival.sa === undefined || r.bu.security === undefined) continue;
        const key = `${r.arrival.sa.name}|${r.bu.security}`;
        if (fromMallory(r) && correct.has(key) && r.arrival.packet.tag !== 'mallory-answer') return true;
        if (accepted(r)) correct.add(key);
      }
      return false;
    },
  ),
  situation(
    'challenge-reflected',
    'response',
    0.02,
    'a BA carrying a Challenge that Alice herself sent comes back to her (a reflection: the Challenge value is no credential)',
    (v) => {
      const sent = new Set<string>();
      for (const list of v.challenges.values()) for (const c of list) sent.add(c.value);
      return v.arrivals.some(
        (a) =>
          a.packet.from === 'mallory' &&
          a.packet.info.bas.some((b) => b.security !== undefined && sent.has(b.security)),
      );
    },
  ),
  // Conflicting claims (§3.4.2, HOST.md rule 13), in each order.
  situation(
    'conflict-peer-first',
    'conflict',
    0.155,
    "Mallory claims an address an honest peer's SA holds or has just claimed (the holder first: rule 13 re-checks the holder)",
    (v) =>
      v.claims.some(
        (c) =>
          isMallorySa(v, c.sa.name) &&
          claimedAddresses(c).some((a) =>
            [...v.holdersAt(a, c.arrival.at), ...v.claimantsAt(a, c.arrival.at)].some(
              (s) => s !== c.sa.name && isHonestSa(v, s),
            ),
          ),
      ),
  ),
  situation(
    'conflict-mallory-first',
    'conflict',
    0.104,
    "an address Mallory has just claimed (its Challenge still alive) is then named by an honest peer's BU, or made an entry's first address by Alice's send or addSA (rules 13 and 17)",
    (v) => {
      const claimedByMallory = (a: Address, at: number): boolean => v.claimantsAt(a, at).some((s) => isMallorySa(v, s));
      if (v.claims.some((c) => isHonestSa(v, c.sa.name) && c.bu.named.some((a) => claimedByMallory(a, c.arrival.at))))
        return true;
      if (v.sends.some((s) => claimedByMallory(s.to, s.at))) return true;
      return v.calls.some(
        (e) => e.op === 'addSA' && e.ok && typeof e.request.peer === 'string' && claimedByMallory(e.request.peer, e.at),
      );
    },
  ),
  situation(
    'conflict-both-answered',
    'conflict',
    0.032,
    'Challenges for one address under the SAs of two different nodes, alive at once, are both answered correctly (§3.4.2: both entries are flushed)',
    (v) => {
      const cl = v.params.challengeLifetimeMs;
      const answered: ChallengeSent[] = [];
      for (const list of v.challenges.values())
        for (const c of list) if (c.answeredAt !== null && c.answeredAt < c.firstAt + cl) answered.push(c);
      // Alive at once: each was sent before the other was answered.
      const overlap = (x: ChallengeSent, y: ChallengeSent): boolean =>
        x.firstAt <= (y.answeredAt ?? 0) && y.firstAt <= (x.answeredAt ?? 0);
      for (const x of answered)
        for (const y of answered)
          if (x.destination === y.destination && x.sa.peer !== y.sa.peer && overlap(x, y)) return true;
      return false;
    },
  ),
  situation(
    'claim-at-tentative-bound',
    'conflict',
    0.026,
    'a claim naming a new address reaches Alice while its entry already has tentativePerEntryCountMax live Challenges (rule 8: refused, nothing evicted)',
    (v) =>
      v.claims.some((c) => {
        const live = v.liveChallengesBefore(c.sa.name, c.arrival.call, c.arrival.at);
        const destinations = new Set(live.map((x) => x.destination));
        return destinations.size >= v.params.tentativePerEntryCountMax && c.bu.named.some((a) => !destinations.has(a));
      }),
  ),
  situation(
    'claim-at-bound-with-recheck',
    'conflict',
    0.006,
    'a claim naming a new address reaches Alice while its entry has tentativePerEntryCountMax live Challenges, one of them a conflict re-check of an address it holds active (rule 8 counts re-checks: refused)',
    (v) =>
      v.claims.some((c) => {
        const at = c.arrival.at;
        const live = v.liveChallengesBefore(c.sa.name, c.arrival.call, at);
        const destinations = new Set(live.map((x) => x.destination));
        return (
          destinations.size >= v.params.tentativePerEntryCountMax &&
          [...destinations].some((d) => v.heldAt(c.sa.name, d, at)) &&
          c.bu.named.some((a) => !destinations.has(a))
        );
      }),
  ),
  situation(
    'claim-at-address-bound',
    'conflict',
    0.081,
    'a claim naming a new address reaches Alice while its entry already holds addressesPerEntryCountMax addresses (active, deprecated or tentative) and has fewer than tentativePerEntryCountMax live Challenges (rule 8: refused, nothing evicted)',
    (v) => claimsAtAddressBound(v).some(({ claim, held }) => claim.bu.named.some((a) => !held.has(a))),
  ),
  situation(
    'deprecated-reclaimed-at-address-bound',
    'conflict',
    0.012,
    'an authentic BU names an address deprecated under its SA while its entry holds addressesPerEntryCountMax addresses and has room under tentativePerEntryCountMax (rules 6 and 8: re-checked, since the address is in the entry already)',
    (v) =>
      claimsAtAddressBound(v).some(({ claim }) =>
        claim.bu.named.some((a) => v.deprecatedAt(claim.sa.name, a, claim.arrival.at)),
      ),
  ),
  situation(
    'conflict-holder-at-bound',
    'conflict',
    0.025,
    "a claim naming an address another SA's entry holds active reaches Alice while that holder already has tentativePerEntryCountMax live Challenges and the claimant's entry has room (rules 8 and 13: the claim is refused, the holder is not re-checked past its bound)",
    (v) =>
      v.claims.some((c) => {
        const max = v.params.tentativePerEntryCountMax;
        const own = liveDestinations(v, c.sa.name, c.arrival.call, c.arrival.at);
        if (own.size >= max) return false;
        return c.bu.named.some(
          (a) =>
            !own.has(a) &&
            v.holdersAt(a, c.arrival.at).some((h) => {
              if (h === c.sa.name) return false;
              const live = liveDestinations(v, h, c.arrival.call, c.arrival.at);
              return live.size >= max && !live.has(a);
            }),
        );
      }),
  ),
  situation(
    'recheck-without-local-address',
    'conflict',
    0.044,
    "an address under a claim's live Challenge becomes an entry's first address through Alice's addSA while she holds no address at all (rules 13 and 17: the holder's re-check waits for an address of its scope before its BA leaves, rule 9)",
    (v) =>
      v.calls.some(
        (e) =>
          e.op === 'addSA' &&
          e.ok &&
          typeof e.request.peer === 'string' &&
          v.claimantsAt(e.request.peer, e.at).length > 0 &&
          !v.aliceHoldsAnyAt(e.at),
      ),
  ),
  situation(
    'claim-names-active-address',
    'life',
    0.485,
    'an authentic BU, newer than the last under its SA, names an address already active under that SA (a peer back at an earlier address, or a BU repeating its care-of address under a new number: rule 6 refreshes the lifetime, the address stays active)',
    (v) => {
      const last = new Map<string, number>();
      return v.claims.some((c) => {
        const prev = last.get(c.sa.name);
        const newer = prev === undefined || isNewerSequence(c.bu.sequence, prev);
        if (newer) last.set(c.sa.name, c.bu.sequence);
        return newer && c.bu.named.some((a) => v.heldAt(c.sa.name, a, c.arrival.at));
      });
    },
  ),
  situation(
    'renamed-after-deprecation',
    'conflict',
    0.003,
    'an authentic BU names an address whose binding under its SA has run out of lifetime (deprecated: rule 6 makes it tentative again, §5.3)',
    (v) => v.claims.some((c) => c.bu.named.some((a) => v.deprecatedAt(c.sa.name, a, c.arrival.at))),
  ),
];
