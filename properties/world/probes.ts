// Liveness (DESIGN.md "Probes"; docs/properties.md LIVE-HONEST-MOVE): after a fair stretch,
// Alice's application sends to each address a peer moved to in the step before, and the probe
// records whether the data reached the peer. A move is judged only when its premise holds: the
// facts below, gathered as the world plays, say whether it does.

import { isNewerSequence } from '../../impl/sequence.js';
import { MS_PER_SECOND } from '../../impl/units.js';
import { toHex } from '../../impl/wire/index.js';
import type { Address } from '../../impl/wire/types.js';
import { aliceSendData } from './alice-calls.js';
import { PROBE_WAIT_MS } from './constants.js';
import { textBytes } from './craft.js';
import { runUntil } from './network.js';
import type { HomelessPeer, NodeName, PacketRecord, ProbeResult } from './types.js';
import type { World } from './world.js';

/** A homeless peer's move (or gain) to `address`. */
export interface Move {
  peer: HomelessPeer;
  address: Address;
  at: number;
}

/** An address a peer's BU named, when it reached Alice, and whether the BU deletes it. */
interface Named {
  address: Address;
  at: number;
  deletes: boolean;
}

/** The facts the probes read, gathered as the world plays. */
export class Liveness {
  /** The instant of the last disturbance (fault, random loss, clock jump, Alice losing an address). */
  lastDisturbanceAt = Number.NEGATIVE_INFINITY;
  /** The last instant a packet from Mallory reached Alice. */
  lastMalloryAtAlice = Number.NEGATIVE_INFINITY;
  /** Per homeless peer: addresses its BUs named that reached Alice, with when, and whether to delete them. */
  private readonly namedToAlice = new Map<NodeName, Named[]>();
  /** Per homeless peer: the sequence number of its last BU that reached Alice in order. */
  private readonly lastBuSequence = new Map<NodeName, number>();
  /** Moves made during the current step (probed if the next step is a fair stretch). */
  private movesThisStep: Move[] = [];
  private movesLastStep: Move[] = [];
  private probeCount = 0;

  /** A new step: the moves of the one that ends are the ones a fair stretch now probes. */
  beginStep(): void {
    this.movesLastStep = this.movesThisStep;
    this.movesThisStep = [];
  }

  noteMove(move: Move): void {
    this.movesThisStep.push(move);
  }

  /** A packet reached Alice at `at`; `ahValid`: the ground truth's verdict on its AH. */
  noteArrival(record: PacketRecord, ahValid: boolean, at: number): void {
    if (record.from === 'mallory') this.lastMalloryAtAlice = at;
    if ((record.from === 'bob' || record.from === 'carol') && ahValid) {
      // Only a BU newer than the peer's last one counts (HOST.md rule 7: an older one is
      // ignored, a delayed deleting BU included).
      const list = this.namedToAlice.get(record.from) ?? [];
      for (const b of record.info.bus) {
        const last = this.lastBuSequence.get(record.from);
        if (last !== undefined && !isNewerSequence(b.sequence, last)) continue;
        this.lastBuSequence.set(record.from, b.sequence);
        for (const a of b.named) list.push({ address: a, at, deletes: b.lifetimeSeconds === 0 });
      }
      this.namedToAlice.set(record.from, list);
    }
  }

  /** An independent copy. */
  fork(): Liveness {
    const copy = Object.create(Liveness.prototype) as Liveness;
    Object.assign(copy, {
      ...this,
      namedToAlice: new Map([...this.namedToAlice].map(([n, list]) => [n, list.slice()])),
      lastBuSequence: new Map(this.lastBuSequence),
      movesThisStep: this.movesThisStep.slice(),
      movesLastStep: this.movesLastStep.slice(),
    });
    return copy;
  }

  /** The moves of the step before this one (a fair stretch probes them). */
  movesToProbe(): readonly Move[] {
    return this.movesLastStep;
  }

  /** The next probe's payload. */
  nextProbePayload(): Uint8Array {
    this.probeCount += 1;
    return textBytes(`probe-${this.probeCount}`);
  }

  /** The addresses `peer`'s BUs named that reached Alice. */
  named(peer: NodeName): readonly Named[] {
    return this.namedToAlice.get(peer) ?? [];
  }
}

/** A stretch with no fault, then a probe toward each peer that moved in the step before. */
export function fair(world: World, ms: number): void {
  const start = world.now;
  runUntil(world, world.now + Math.max(0, ms));
  for (const move of world.liveness.movesToProbe()) probe(world, move, start);
}

/** LIVE-HONEST-MOVE's probe: Alice's application sends to the peer's new address. */
function probe(world: World, move: Move, fairStart: number): void {
  const sa = world.truth.ofPeer(move.peer);
  const result: ProbeResult = {
    judged: true,
    sendOk: false,
    unreachable: false,
    packets: [],
    reached: false,
    authenticated: false,
    generic: sa?.record.kind === 'generic',
  };
  const why = probePremise(world, move, fairStart);
  if (why !== null) {
    result.judged = false;
    result.why = why;
    world.events.push({
      kind: 'probe',
      at: world.now,
      peer: move.peer,
      address: move.address,
      moveAt: move.at,
      result,
    });
    return;
  }
  const payload = world.liveness.nextProbePayload();
  const payloadHex = toHex(payload);
  const event = aliceSendData(world, { to: move.address, proto: 'udp', payload }, move.peer);
  result.sendOk = event.ok;
  result.unreachable = event.unreachable === true;
  result.packets = [...event.sent];
  const eventsBefore = world.events.length;
  runUntil(world, world.now + PROBE_WAIT_MS);
  for (const e of world.events.slice(eventsBefore)) {
    if (e.kind !== 'peer-delivered' || e.node !== move.peer) continue;
    for (const item of e.items) {
      if (item.payload !== payloadHex) continue;
      if (item.entry !== null) result.reached = true;
      if (item.authenticated) result.authenticated = true;
    }
  }
  world.events.push({ kind: 'probe', at: world.now, peer: move.peer, address: move.address, moveAt: move.at, result });
}

/** Why a move is not judged by LIVE-HONEST-MOVE (null: it is). See docs/properties.md. */
function probePremise(world: World, move: Move, fairStart: number): string | null {
  const params = world.params;
  const liveness = world.liveness;
  const cl = params.challengeLifetimeMs;
  if (world.now < move.at + 3 * cl) return 'the stretch was shorter than 3 × challengeLifetimeMs';
  if (liveness.lastDisturbanceAt >= move.at)
    return 'a fault, random loss, clock jump or Alice losing an address since the move';
  if (liveness.lastMalloryAtAlice >= move.at - cl)
    return 'Mallory reached Alice within challengeLifetimeMs of the move';
  if (fairStart < move.at) return 'the move was not right before the stretch';
  if (world.ownerOf(move.address) !== move.peer) return 'the peer no longer owns the address';
  if (!world.truth.hasPeer(move.peer)) return 'the peer has no SA with Alice';
  const named = liveness.named(move.peer);
  if (!named.some((n) => n.address === move.address && n.at >= move.at && !n.deletes))
    return "the peer's BU naming the address never reached Alice";
  // An address the peer lost whose deleting BU never reached Alice may still be active in its
  // entry (§5.3): Alice may rightly send there (rule 21), and the probe would be lost.
  const keepMs =
    (Math.max(params.bindingLifetimeSecondsMax, params.defaultLifetimeSeconds) + params.maximumExpiredLifetimeSeconds) *
    MS_PER_SECOND;
  // The peer's first address is known to Alice from her addSA (rule 17), before any BU.
  const first = world.truth.ofPeer(move.peer)?.record.peerAddress;
  for (const l of world.ownership.lost) {
    if (l.by !== move.peer || l.at < world.now - keepMs) continue;
    const last = (deletes: boolean): number =>
      Math.max(
        Number.NEGATIVE_INFINITY,
        ...named.filter((n) => n.address === l.address && n.deletes === deletes).map((n) => n.at),
      );
    const knownSince = l.address === first ? Number.MIN_SAFE_INTEGER : Number.NEGATIVE_INFINITY;
    if (!(last(true) >= Math.max(last(false), knownSince)))
      return `the peer lost ${l.address} and its deleting BU never reached Alice`;
  }
  // The probe tests the peer's move, so the peer must know Alice: every address she could
  // send it from active in its entry for her. One whose check there was lost before the
  // move stays unknown to the peer until Alice's next periodic BU names it again (HOST.md
  // rule 16), and a probe from it rightly reaches no entry of the peer's.
  const unknownToPeer = aliceAddressesUnknownTo(world, move.peer);
  if (unknownToPeer.length > 0)
    return `Alice's address ${unknownToPeer.join(', ')} is not active in the peer's entry for her (its check there was lost before the move)`;
  // Bounds (HOST.md rule 8) refuse a named address without fault of Alice's: not judged
  // when the peer's entry may be full (every address the peer named within the time an
  // address can stay in an entry, plus its first one) or at its challenge bound.
  const recent = new Set(named.filter((n) => !n.deletes && n.at >= world.now - keepMs).map((n) => n.address));
  recent.add(world.truth.ofPeer(move.peer)?.record.peerAddress ?? '');
  if (recent.size > params.addressesPerEntryCountMax) return "the peer's entry may be at addressesPerEntryCountMax";
  const challenged = new Set(
    named.filter((n) => !n.deletes && n.at >= move.at - cl && n.at <= move.at + cl).map((n) => n.address),
  );
  if (challenged.size > params.tentativePerEntryCountMax) return "the peer's entry may be at tentativePerEntryCountMax";
  return null;
}

/** Alice's current addresses that are not active in `peer`'s entry for her (the entry of their SA). */
function aliceAddressesUnknownTo(world: World, peer: HomelessPeer): Address[] {
  const host = world.hosts.get(peer);
  const sa = world.truth.ofPeer(peer);
  if (host === undefined || sa === undefined) return [];
  const entry = host.snapshot().entries.find((e) => e.sa !== null && e.sa.inboundSpi === sa.record.aliceOutboundSpi);
  const active = new Set((entry?.addresses ?? []).filter((a) => a.status === 'active').map((a) => a.address));
  return world.aliceAddresses().filter((a) => !active.has(a));
}
