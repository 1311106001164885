// Situations of Mallory's attacks (DESIGN.md "The world and the attacker"): each is judged on
// what reached Alice and the world's verdict on it (authentic, replayed, under which SA), and
// on who owned the addresses involved at that instant; never on what Alice made of it.

import { isNewerSequence, SEQUENCE_MODULUS } from '../../impl/sequence.js';
import type { Address } from '../../impl/wire/types.js';
import { hexBytes } from '../invariants/delivery.js';
import { isData } from '../invariants/trace-view.js';
import { arrivalFacts } from '../truth/index.js';
import { worldScope } from '../world/scope.js';
import { situation, type Situation } from './types.js';
import { claimedAddresses, HONEST_NODES, type Arrival, type Claim, type TruthView } from './view.js';

function fromMallory(a: Arrival): boolean {
  return a.packet.from === 'mallory';
}

function tagged(a: Arrival, prefix: string): boolean {
  return a.packet.tag?.startsWith(prefix) === true;
}

/** Authentic, fresh claims under Mallory's SAs (BUs with a lifetime that are no Response). */
function malloryClaims(v: TruthView): Claim[] {
  return v.memo('mallory-claims', () => v.claims.filter((c) => c.sa.peer === 'mallory' && fromMallory(c.arrival)));
}

function notMallorys(v: TruthView, address: Address | undefined, at: number): boolean {
  return address !== undefined && v.ownerAt(address, at) !== 'mallory';
}

/** A packet Mallory made itself rather than copied: garbage and bit flips go straight to Alice's link. */
function crafted(a: Arrival): boolean {
  return (
    a.packet.info.decodes &&
    !tagged(a, 'mallory-garbage') &&
    !tagged(a, 'mallory-bitflip') &&
    !tagged(a, 'mallory-replay')
  );
}

/** The packet Mallory copied for a replay (`mallory-replay:#N`), if this is one. */
function replayedFrom(a: Arrival): number | undefined {
  if (!tagged(a, 'mallory-replay:#')) return undefined;
  const m = /^mallory-replay:#(\d+)/.exec(a.packet.tag ?? '');
  return m === null ? undefined : Number(m[1]);
}

/** A replay of Mallory's that is byte for byte the packet it copied (not re-addressed). */
function verbatimCopy(v: TruthView, a: Arrival): boolean {
  const original = fromMallory(a) ? replayedFrom(a) : undefined;
  return original !== undefined && v.trace.packets[original]?.hex === a.packet.hex;
}

/** "Near wrap-around": within this many numbers of 2^16 on either side. */
const WRAP_MARGIN = 0x10;
/** The last AH sequence number a sender may use (RFC 2402 §3.3.2: no cycling past it). */
const AH_SEQUENCE_MAX = 0xffffffff;

/**
 * A replay (the ground truth's verdict `replay`) and the SA's anti-replay history when it
 * arrived, from the fresh packets of that SA before it (RFC 2402 §3.4.3).
 */
interface ReplayArrival {
  arrival: Arrival;
  sequence: number;
  /** The SA's highest fresh sequence number so far. */
  top: number;
  /** The highest before the last packet that raised it (0 if none). */
  previousTop: number;
  /** The sequence number of the latest fresh packet that arrived below the SA's highest, if any. */
  late: number | null;
  /** Whether the number one window above this one had arrived fresh. */
  windowAboveSeen: boolean;
}

/**
 * Replays whose processing would matter: upper-layer data Alice would deliver (rule 22: to one
 * of her addresses, no HAO, a good checksum, no option to discard; INV-DELIVERY), or a BU, BA
 * or BR from an address the SA holds with an activity-related lifetime that no packet
 * refreshed at that instant (rule 4 would move its expiry; INV-REPLAY with `state`).
 */
function replaysThatMatter(v: TruthView): ReplayArrival[] {
  return v.memo('replays-that-matter', () => {
    const window = v.params.antiReplayWindowPackets;
    const history = new Map<string, { top: number; previousTop: number; late: number | null; seen: Set<number> }>();
    const out: ReplayArrival[] = [];
    for (const a of v.arrivals) {
      const sequence = a.packet.info.ahSequence;
      if (a.sa === undefined || sequence === undefined) continue;
      let h = history.get(a.sa.name);
      if (h === undefined) {
        h = { top: 0, previousTop: 0, late: null, seen: new Set() };
        history.set(a.sa.name, h);
      }
      if (a.valid) {
        if (sequence > h.top) {
          h.previousTop = h.top;
          h.top = sequence;
        } else h.late = sequence;
        h.seen.add(sequence);
      } else if (a.truth.ah === 'replay' && wouldMatter(v, a)) {
        out.push({
          arrival: a,
          sequence,
          top: h.top,
          previousTop: h.previousTop,
          late: h.late,
          windowAboveSeen: h.seen.has(sequence + window),
        });
      }
    }
    return out;
  });
}

function wouldMatter(v: TruthView, a: Arrival): boolean {
  if (a.sa === undefined) return false;
  if (isData(a.packet)) {
    const facts = arrivalFacts(hexBytes(a.packet.hex));
    if (facts === null || facts.hao || facts.checksumValid !== true || facts.discardingUnknownOption) return false;
    const hers = (x: Address): boolean => v.ownerAt(x, a.at) === 'alice';
    return hers(facts.destination) && facts.routing.every(hers);
  }
  const info = a.packet.info;
  if (info.bus.length === 0 && info.bas.length === 0 && !info.br) return false;
  return info.source !== undefined && v.activityMovableAt(a.sa.name, info.source, a.at);
}

export const ATTACK_SITUATIONS: readonly Situation[] = [
  // Appendix C: claims on addresses Mallory does not own, in each form.
  situation(
    'claim-alt-coa',
    'attack',
    0.308,
    "Mallory's authentic BU names an address it does not own in an Alternate CoA sub-option (Appendix C, §3.4.2)",
    (v) =>
      malloryClaims(v).some(
        (c) =>
          c.arrival.packet.info.hao === undefined &&
          c.bu.careOf !== c.arrival.packet.info.source &&
          notMallorys(v, c.bu.careOf, c.arrival.at),
      ),
  ),
  situation(
    'claim-spoofed-source',
    'attack',
    0.01,
    "Mallory's authentic BU is sent from the claimed address itself (a spoofed source), with an HAO naming Mallory's registered address",
    (v) =>
      malloryClaims(v).some(
        (c) =>
          c.bu.careOf === c.arrival.packet.info.source &&
          c.arrival.packet.info.hao !== undefined &&
          notMallorys(v, c.arrival.packet.info.source, c.arrival.at),
      ),
  ),
  situation(
    'claim-home-address',
    'attack',
    0.01,
    'Mallory\'s authentic BU from its own address carries an HAO naming an address it does not own (Appendix C step 2: "my home address is the target")',
    (v) =>
      malloryClaims(v).some(
        (c) =>
          notMallorys(v, c.arrival.packet.info.hao, c.arrival.at) &&
          !notMallorys(v, c.arrival.packet.info.source, c.arrival.at),
      ),
  ),
  situation(
    'claim-on-peer-address',
    'attack',
    0.198,
    "Mallory claims an address an honest peer owns at that instant (Appendix C's victim; §3.4.2 must stop it)",
    (v) =>
      malloryClaims(v).some((c) =>
        claimedAddresses(c).some((a) => HONEST_NODES.has(v.ownerAt(a, c.arrival.at) ?? 'alice')),
      ),
  ),
  situation(
    'claim-on-third-party',
    'attack',
    0.208,
    "Mallory claims an address nobody owns: a third party's, which the Challenge must not flood (§4.1, INV-AMPLIFICATION)",
    (v) => malloryClaims(v).some((c) => claimedAddresses(c).some((a) => v.ownerAt(a, c.arrival.at) === null)),
  ),
  situation(
    'claim-on-alice-address',
    'attack',
    0.018,
    "Mallory claims one of Alice's own addresses (rule 5: never named)",
    (v) => malloryClaims(v).some((c) => claimedAddresses(c).some((a) => v.ownerAt(a, c.arrival.at) === 'alice')),
  ),
  situation(
    'claim-non-global',
    'attack',
    0.01,
    "Mallory's authentic BU names a link-local, site-local or loopback address (rule 5: never named, so no Challenge goes to it)",
    (v) => malloryClaims(v).some((c) => claimedAddresses(c).some((a) => worldScope(a) !== 'global')),
  ),
  // Spoofed sources without AH.
  situation(
    'spoofed-data',
    'attack',
    0.036,
    'upper-layer data without AH from an address Mallory does not own reaches Alice (§3.4.1: delivered unauthenticated, no state)',
    (v) =>
      v.arrivals.some(
        (a) =>
          fromMallory(a) &&
          crafted(a) &&
          a.truth.ah === 'none' &&
          isData(a.packet) &&
          a.packet.info.hao === undefined &&
          notMallorys(v, a.packet.info.source, a.at),
      ),
  ),
  situation(
    'spoofed-mobility-without-ah',
    'attack',
    0.029,
    'a BU or BA without AH from an address Mallory does not own reaches Alice (rule 2: ignored)',
    (v) =>
      v.arrivals.some(
        (a) =>
          fromMallory(a) &&
          crafted(a) &&
          a.truth.ah === 'none' &&
          a.truth.mobility &&
          notMallorys(v, a.packet.info.source, a.at),
      ),
  ),
  situation(
    'spoofed-hao-data',
    'attack',
    0.018,
    'data without AH whose HAO names an address Mallory does not own reaches Alice (§2.3.1: dropped)',
    (v) =>
      v.arrivals.some(
        (a) =>
          fromMallory(a) &&
          crafted(a) &&
          a.truth.ah === 'none' &&
          isData(a.packet) &&
          notMallorys(v, a.packet.info.hao, a.at),
      ),
  ),
  // Replays of each kind.
  situation(
    'replay-verbatim-ah',
    'attack',
    0.028,
    "Mallory's byte-for-byte copy of an AH-protected packet reaches Alice and its AH sequence number was seen (RFC 2402 anti-replay; INV-REPLAY)",
    (v) => v.arrivals.some((a) => a.truth.ah === 'replay' && verbatimCopy(v, a)),
  ),
  situation(
    'replay-verbatim-no-ah',
    'attack',
    0.015,
    "Mallory's byte-for-byte copy of a packet without AH reaches Alice (nothing but the data's own semantics can tell it from the original)",
    (v) => v.arrivals.some((a) => a.truth.ah === 'none' && a.packet.info.decodes && verbatimCopy(v, a)),
  ),
  situation(
    'replay-retargeted',
    'attack',
    0.022,
    "Mallory's copy of a packet it saw, re-addressed to Alice (which breaks AH and checksums), reaches her",
    (v) => v.arrivals.some((a) => fromMallory(a) && (a.packet.tag?.endsWith(':retarget') ?? false)),
  ),
  situation(
    'replay-of-alice-packet',
    'attack',
    0.01,
    'Mallory reflects a packet Alice sent (a Challenge, a BU, data) back to her',
    (v) =>
      v.arrivals.some((a) => {
        const original = fromMallory(a) ? replayedFrom(a) : undefined;
        return original !== undefined && v.trace.packets[original]?.from === 'alice';
      }),
  ),
  situation(
    'replay-in-window-after-reorder',
    'attack',
    0.01,
    'a BU or BA whose AH sequence number lies inside the anti-replay window, below the highest seen, is replayed after packets under its SA arrived out of order (RFC 2402 §3.4.3: the bitmap, not the edge, must catch it)',
    (v) => {
      const window = v.params.antiReplayWindowPackets;
      const highest = new Map<string, number>();
      const reordered = new Set<string>();
      for (const a of v.arrivals) {
        if (a.sa === undefined || a.packet.info.ahSequence === undefined) continue;
        const seq = a.packet.info.ahSequence;
        const top = highest.get(a.sa.name);
        if (a.truth.ah === 'valid') {
          if (top !== undefined && seq < top) reordered.add(a.sa.name);
          highest.set(a.sa.name, Math.max(top ?? seq, seq));
        } else if (
          a.truth.ah === 'replay' &&
          top !== undefined &&
          reordered.has(a.sa.name) &&
          (a.packet.info.bus.length > 0 || a.packet.info.bas.length > 0) &&
          seq < top &&
          seq > top - window
        ) {
          return true;
        }
      }
      return false;
    },
  ),
  // Replays that would change something if processed, in the shapes that tell anti-replay
  // windows apart (RFC 2402 §3.4.3; INV-DELIVERY, INV-REPLAY).
  situation(
    'replay-that-matters',
    'attack',
    0.063,
    'a packet whose AH verifies but whose sequence number was seen or fell behind the window reaches Alice, and processing it would deliver data or move an activity-related lifetime (RFC 2402 §3.4.3; INV-DELIVERY, INV-REPLAY)',
    (v) => replaysThatMatter(v).length > 0,
  ),
  situation(
    'replay-of-highest',
    'attack',
    0.051,
    "a replay that matters carries its SA's highest sequence number so far (a copy of the last packet: the window's top must count as seen)",
    (v) => replaysThatMatter(v).some((r) => r.sequence === r.top),
  ),
  situation(
    'replay-below-highest',
    'attack',
    0.032,
    "a replay that matters is a copy of the packet that was its SA's highest until a newer one arrived, or of the one just below it (a slide must keep their bits)",
    (v) =>
      replaysThatMatter(v).some(
        (r) => r.sequence < r.top && (r.sequence === r.previousTop || r.sequence === r.previousTop - 1),
      ),
  ),
  situation(
    'replay-after-late-packet',
    'attack',
    0.028,
    "a replay that matters arrives after a fresh packet of its SA arrived late, below the highest, and its sequence number is above that late one's (the late packet must not move the window's top down)",
    (v) => replaysThatMatter(v).some((r) => r.late !== null && r.sequence > r.late),
  ),
  situation(
    'replay-left-of-window',
    'attack',
    0.015,
    'a replay that matters comes from left of the window while the number one window above it has not arrived (only the left edge rejects it: no bit can be set for it)',
    (v) =>
      replaysThatMatter(v).some((r) => r.sequence <= r.top - v.params.antiReplayWindowPackets && !r.windowAboveSeen),
  ),
  situation(
    'ah-sequence-last',
    'attack',
    0.013,
    'an authentic packet with AH sequence number 2^32 − 1, the last a sender may use (RFC 2402 §3.3.2), reaches Alice fresh: it must be accepted like any other',
    (v) => v.arrivals.some((a) => a.valid && a.packet.info.ahSequence === AH_SEQUENCE_MAX),
  ),
  situation(
    'bu-sequence-stale',
    'attack',
    0.023,
    'an authentic, fresh BU whose sequence number is not newer than the last one under its SA reaches Alice (rule 7: ignored)',
    (v) => {
      const last = new Map<string, number>();
      for (const a of v.arrivals) {
        if (!a.valid || a.sa === undefined) continue;
        for (const bu of a.packet.info.bus) {
          const prev = last.get(a.sa.name);
          if (prev !== undefined && !isNewerSequence(bu.sequence, prev)) return true;
          last.set(a.sa.name, bu.sequence);
        }
      }
      return false;
    },
  ),
  situation(
    'bu-sequence-wrap',
    'attack',
    0.023,
    'authentic BUs under one SA whose sequence numbers cross 65535 → 0 (compared modulo 2^16, wire-format.md)',
    (v) => {
      const last = new Map<string, number>();
      for (const a of v.arrivals) {
        if (!a.valid || a.sa === undefined) continue;
        for (const bu of a.packet.info.bus) {
          const prev = last.get(a.sa.name);
          if (
            prev !== undefined &&
            prev >= SEQUENCE_MODULUS - WRAP_MARGIN &&
            bu.sequence < WRAP_MARGIN &&
            isNewerSequence(bu.sequence, prev)
          )
            return true;
          if (prev === undefined || isNewerSequence(bu.sequence, prev)) last.set(a.sa.name, bu.sequence);
        }
      }
      return false;
    },
  ),
  // Bad or missing AH, of each kind, and wrong SPIs.
  situation(
    'ah-missing',
    'attack',
    0.033,
    'a BU from Mallory without AH reaches Alice (rule 2: the BU is ignored; INV-AUTH-REQUIRED)',
    (v) => v.arrivals.some((a) => fromMallory(a) && a.truth.ah === 'none' && a.packet.info.bus.length > 0),
  ),
  situation(
    'ah-bad-icv',
    'attack',
    0.041,
    "a mobility packet under Mallory's SPI whose ICV does not verify reaches Alice (RFC 2402: dropped)",
    (v) =>
      v.arrivals.some(
        (a) => fromMallory(a) && a.truth.ah === 'bad-icv' && a.sa?.peer === 'mallory' && a.truth.mobility,
      ),
  ),
  situation(
    'ah-peer-spi',
    'attack',
    0.043,
    "Mallory's packet carries an honest peer's SPI with an ICV of Mallory's making (a wrong SPI: the peer's key never verifies it)",
    (v) =>
      v.arrivals.some(
        (a) =>
          fromMallory(a) &&
          a.truth.ah === 'bad-icv' &&
          a.sa !== undefined &&
          a.sa.peer !== 'mallory' &&
          a.sa.peer !== 'stranger',
      ),
  ),
  situation(
    'ah-unknown-spi',
    'attack',
    0.049,
    "Mallory's packet carries an SPI no SA of Alice's has (RFC 2402: dropped)",
    (v) => v.arrivals.some((a) => fromMallory(a) && a.truth.ah === 'unknown-spi'),
  ),
  situation(
    'ah-sequence-zero',
    'attack',
    0.019,
    'a packet with a valid ICV and AH sequence number 0 reaches Alice (always rejected, wire-format.md)',
    (v) => v.arrivals.some((a) => a.truth.ah === 'bad-sequence'),
  ),
  situation(
    'ah-truncated-icv',
    'attack',
    0.018,
    "Mallory's AH carries Authentication Data too short for the SA's algorithm",
    (v) => v.arrivals.some((a) => tagged(a, 'mallory-bad-ah:truncated-icv')),
  ),
  situation(
    'anonymous-sa-data',
    'attack',
    0.009,
    'upper-layer data under an anonymous SA, with a valid ICV, reaches Alice (§2.4.3: never authenticated data; INV-ANON-SCOPE)',
    (v) => v.arrivals.some((a) => a.valid && a.sa?.kind === 'anonymous' && isData(a.packet)),
  ),
  situation(
    'garbage',
    'attack',
    0.014,
    "Mallory's arbitrary bytes reach Alice (INV-WIRE-TOTAL: decoded without a throw)",
    (v) => v.arrivals.some((a) => tagged(a, 'mallory-garbage')),
  ),
  situation(
    'undecodable-packet',
    'attack',
    0.01,
    'bytes that do not decode as a packet reach Alice (a typed error, nothing else: wire-format.md)',
    (v) => v.arrivals.some((a) => a.truth.ah === 'undecodable'),
  ),
  situation(
    'bit-flip',
    'attack',
    0.025,
    'a copy of a packet with one bit flipped reaches Alice (AH or a checksum must catch it)',
    (v) => v.arrivals.some((a) => tagged(a, 'mallory-bitflip')),
  ),
  situation(
    'flood-past-tentative-bound',
    'attack',
    0.023,
    "in one step, Mallory's authentic claims under one SA name more third-party addresses than tentativePerEntryCountMax (§4.1 DoS; rule 8)",
    (v) => {
      const named = new Map<string, Set<Address>>();
      for (const c of malloryClaims(v)) {
        const key = `${c.arrival.step}|${c.sa.name}`;
        const set = named.get(key) ?? new Set<Address>();
        for (const a of claimedAddresses(c)) if (v.ownerAt(a, c.arrival.at) === null) set.add(a);
        named.set(key, set);
        if (set.size > v.params.tentativePerEntryCountMax) return true;
      }
      return false;
    },
  ),
  // §5.3: an address a peer gave up, taken over by Mallory.
  situation(
    'takeover-of-lost-address',
    'attack',
    0.146,
    'Mallory claims an address it now owns that an honest peer owned and lost (§5.3 "Address Confusion")',
    (v) =>
      malloryClaims(v).some((c) =>
        claimedAddresses(c).some(
          (a) => v.ownerAt(a, c.arrival.at) === 'mallory' && lostByHonestPeer(v, a, c.arrival.at) !== null,
        ),
      ),
  ),
  situation(
    'takeover-while-binding-live',
    'attack',
    0.029,
    "Mallory claims a lost address while the former owner's binding for it still holds at Alice (§5.3: the known limit, INV-NO-DIVERSION's exception)",
    (v) =>
      malloryClaims(v).some((c) =>
        claimedAddresses(c).some((a) => {
          if (v.ownerAt(a, c.arrival.at) !== 'mallory') return false;
          const peer = lostByHonestPeer(v, a, c.arrival.at);
          return peer !== null && v.trace.sas.some((s) => s.peer === peer && v.heldAt(s.name, a, c.arrival.at));
        }),
      ),
  ),
  // Rule 9: the Challenge comes from the address the claim arrived at, and so does every
  // retransmission (Mallory's withheld claims go to Alice's newest address).
  situation(
    'claim-at-newer-address',
    'attack',
    0.048,
    "an authentic claim reaches Alice at one of her addresses other than her oldest and goes unanswered for challengeRetransmitMs: rule 9's Challenge and its retransmissions come from that address, not from her usual source (REFINES-SIGNALLING)",
    claimAtNewerAddress,
  ),
];

/**
 * An authentic claim arrived at an address of Alice's other than the oldest she held then (her
 * addresses in the order the world gave them), and no correct Response for what it names came
 * back under its SA within challengeRetransmitMs.
 */
function claimAtNewerAddress(v: TruthView): boolean {
  const order: Address[] = [];
  for (const [address, node] of Object.entries(v.trace.owners)) if (node === 'alice') order.push(address);
  for (const o of v.ownChanges) if (o.to === 'alice' && !order.includes(o.address)) order.push(o.address);
  const window = v.params.challengeRetransmitMs;
  return v.claims.some((c) => {
    const at = c.arrival.at;
    const where = c.arrival.address;
    if (where === undefined || v.ownerAt(where, at) !== 'alice') return false;
    const oldest = order.find((a) => v.ownerAt(a, at) === 'alice');
    if (oldest === undefined || oldest === where) return false;
    const named = new Set(claimedAddresses(c));
    return !v.responses.some(
      (r) =>
        r.answers !== null &&
        r.arrival.sa === c.sa &&
        named.has(r.bu.careOf) &&
        r.arrival.at >= at &&
        r.arrival.at < at + window,
    );
  });
}

/** The honest peer that owned `address` and lost it by `at`, if any. */
function lostByHonestPeer(v: TruthView, address: Address, at: number): string | null {
  for (const change of v.ownChanges) {
    if (change.at > at) break;
    if (change.address === address && change.from !== null && HONEST_NODES.has(change.from)) return change.from;
  }
  return null;
}
