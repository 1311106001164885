// The network (DESIGN.md "The world and the attacker"): every packet put on it, the packets in
// flight, delivery to the node that owns a packet's destination when it arrives (else a drop),
// the ticks of every node on the clock's grid, the faults a schedule makes, and the bounds past
// which a step is a storm (DESIGN.md "Storms").

import { match } from 'ts-pattern';
import type { Delivered, EntryState, HostState } from '../../impl/host/types.js';
import { bytesToAddress, toHex } from '../../impl/wire/index.js';
import type { Address } from '../../impl/wire/types.js';
import { aliceReceive, aliceTick } from './alice-calls.js';
import { DELAY_MS_MAX, IN_FLIGHT_PACKETS_MAX, LATENCY_MS, STEP_DELIVERIES_MAX, TICK_MS } from './constants.js';
import { inspectPacket, summarize } from './inspect.js';
import type { SimNode } from './node.js';
import type { Rng } from './random.js';
import {
  deliveredToJson,
  type HomelessPeer,
  type NodeName,
  type PacketRecord,
  type Selector,
  type StormRecord,
} from './types.js';
import type { World } from './world.js';

/** The order in which nodes are ticked at one instant. */
const TICK_ORDER: readonly NodeName[] = ['alice', 'bob', 'carol', 'sam', 'lee', 'mallory'];

/** Every host answer, as the world reads it. */
export type AnyAnswer =
  { ok: true; sent: Uint8Array[]; delivered?: Delivered[]; unreachable?: true } | { ok: false; error: string };

export interface Flight {
  packet: number;
  bytes: Uint8Array;
  deliverAt: number;
  /** Tie-breaker among packets due at the same instant: lower first. */
  order: number;
  direct?: NodeName;
}

/**
 * Thrown where the world finds a storm (DESIGN.md "Storms"): it unwinds whatever the step was
 * doing, and `World.step` ends the step there. Never leaves the world.
 */
export class StormStop extends Error {
  constructor(readonly record: StormRecord) {
    super(`storm: ${record.bound} past ${record.limit}`);
    this.name = 'StormStop';
  }
}

/** The network's state: packets, flights, random loss and the current step's counters. */
export class Network {
  /** Every packet put on the network, by id (the trace's `packets`; a record is never written after it is made). */
  readonly packets: PacketRecord[] = [];
  flights: Flight[] = [];
  private flightOrder = 0;
  /** Deliveries played in the current step (STEP_DELIVERIES_MAX) and packets Alice sent in it. */
  private deliveriesThisStep = 0;
  aliceSentThisStep = 0;

  constructor(private readonly lossRng: Rng) {}

  /** Records a packet put on the network at `at`; returns its id. */
  register(from: NodeName, bytes: Uint8Array, at: number, tag?: string): number {
    const info = inspectPacket(bytes);
    const record: PacketRecord = {
      id: this.packets.length,
      from,
      sentAt: at,
      hex: toHex(bytes),
      summary: summarize(info, bytes.length),
      info,
    };
    if (tag !== undefined) record.tag = tag;
    this.packets.push(record);
    return record.id;
  }

  /** Puts packet `packet` in flight at `at`, due after the latency and `extraDelayMs`. */
  enqueue(
    packet: number,
    bytes: Uint8Array,
    at: number,
    extraDelayMs = 0,
    direct?: NodeName,
    latencyMs = LATENCY_MS,
  ): void {
    const flight: Flight = {
      packet,
      bytes,
      deliverAt: at + latencyMs + Math.max(0, extraDelayMs),
      order: this.flightOrder++,
    };
    if (direct !== undefined) flight.direct = direct;
    this.flights.push(flight);
  }

  /** A copy of `f` due 1 ms after it (a duplicate). */
  duplicate(f: Flight): void {
    const copy: Flight = { ...f, deliverAt: f.deliverAt + 1, order: this.flightOrder++ };
    this.flights.push(copy);
  }

  nextFlight(): Flight | null {
    let best: Flight | null = null;
    for (const f of this.flights) {
      if (best === null || f.deliverAt < best.deliverAt || (f.deliverAt === best.deliverAt && f.order < best.order))
        best = f;
    }
    return best;
  }

  /** A new step: its counters start at zero. */
  beginStep(): void {
    this.deliveriesThisStep = 0;
    this.aliceSentThisStep = 0;
  }

  /** A storm once more than IN_FLIGHT_PACKETS_MAX packets are in flight. */
  boundInFlight(at: number): void {
    if (this.flights.length > IN_FLIGHT_PACKETS_MAX) this.stormAt('in-flight', IN_FLIGHT_PACKETS_MAX, at);
  }

  /** Counts a packet the network is about to deliver or drop: the one past STEP_DELIVERIES_MAX is not played, a storm. */
  countNetworkDelivery(at: number): void {
    if (this.deliveriesThisStep >= STEP_DELIVERIES_MAX) this.stormAt('deliveries', STEP_DELIVERIES_MAX, at);
    this.deliveriesThisStep += 1;
  }

  /** Counts the items Alice delivered in a call (already in the trace): past STEP_DELIVERIES_MAX, a storm. */
  countAliceDeliveries(items: number, at: number): void {
    this.deliveriesThisStep += items;
    if (this.deliveriesThisStep > STEP_DELIVERIES_MAX) this.stormAt('deliveries', STEP_DELIVERIES_MAX, at);
  }

  private stormAt(bound: StormRecord['bound'], limit: number, at: number): never {
    const record: StormRecord = {
      at,
      bound,
      limit,
      deliveries: this.deliveriesThisStep,
      inFlight: this.flights.length,
      aliceSent: this.aliceSentThisStep,
    };
    throw new StormStop(record);
  }

  /** Whether a packet is lost to random loss at `lossPermille`. */
  lost(lossPermille: number): boolean {
    return lossPermille > 0 && this.lossRng.chance(lossPermille);
  }

  /** An independent copy: flights copied, the packet records shared (never written), the loss stream cloned. */
  fork(): Network {
    const copy = Object.create(Network.prototype) as Network;
    Object.assign(copy, {
      ...this,
      packets: this.packets.slice(),
      flights: this.flights.map((f) => ({ ...f })),
      lossRng: this.lossRng.clone(),
    });
    return copy;
  }
}

/** Advances the clock to `end`, delivering packets and ticking every node on the grid. */
export function runUntil(world: World, end: number, lossPermille = 0): void {
  const network = world.network;
  for (;;) {
    const next = network.nextFlight();
    const nextTick = (Math.floor(world.now / TICK_MS) + 1) * TICK_MS;
    const t = Math.min(next === null ? Number.POSITIVE_INFINITY : next.deliverAt, nextTick);
    if (t > end) break;
    world.now = Math.max(world.now, t);
    if (next !== null && next.deliverAt <= t) {
      network.countNetworkDelivery(world.now);
      network.flights = network.flights.filter((f) => f !== next);
      deliver(world, next, lossPermille);
      continue; // other packets may be due at the same instant; the tick comes after them
    }
    tickAll(world);
  }
  world.now = Math.max(world.now, end);
}

function deliver(world: World, f: Flight, lossPermille: number): void {
  if (world.network.lost(lossPermille)) {
    world.events.push({ kind: 'drop', at: world.now, packet: f.packet, cause: 'loss' });
    return;
  }
  const record = world.network.packets[f.packet];
  const destination = record.info.destination ?? (f.bytes.length >= 40 ? bytesToAddress(f.bytes, 24) : null);
  let to: NodeName | null;
  let address: Address;
  if (f.direct !== undefined) {
    to = f.direct;
    address = world.addressesOf(f.direct)[0] ?? destination ?? '::';
  } else {
    if (destination === null) {
      world.events.push({ kind: 'drop', at: world.now, packet: f.packet, cause: 'no-owner' });
      return;
    }
    to = world.ownerOf(destination);
    address = destination;
  }
  if (to === null) {
    world.events.push({ kind: 'drop', at: world.now, packet: f.packet, cause: 'no-owner' });
    return;
  }
  world.events.push({ kind: 'deliver', at: world.now, packet: f.packet, to, address });
  receiveAt(world, to, f.packet, f.bytes, address);
}

function receiveAt(world: World, to: NodeName, packetId: number, bytes: Uint8Array, address: Address): void {
  if (to === 'alice') {
    aliceReceive(world, packetId, bytes);
    return;
  }
  if (to === 'bob' || to === 'carol') {
    const host = world.hosts.get(to);
    if (host === undefined) return;
    const record = world.network.packets[packetId];
    // Alice's deleting BU: the peer's entry for her, before and after (REFINES-SIGNALLING (i)).
    const deleting =
      record.from === 'alice' && record.info.bus.some((b) => b.lifetimeSeconds === 0 && b.security === undefined);
    const before = deleting ? saEntry(host.snapshot()) : null;
    peerCall(world, to, () => host.receive(bytes, world.now), packetId);
    if (deleting)
      world.events.push({
        kind: 'peer-entry',
        at: world.now,
        peer: to,
        packet: packetId,
        before,
        after: saEntry(host.snapshot()),
      });
    return;
  }
  const node = simNode(world, to);
  if (node !== null) node.receive(packetId, bytes, address);
}

/** A reference peer's entry for Alice: the entry of its one SA (a copy, for the trace). */
function saEntry(state: HostState): EntryState | null {
  const entry = state.entries.find((e) => e.sa !== null);
  return entry === undefined ? null : (JSON.parse(JSON.stringify(entry)) as EntryState);
}

function simNode(world: World, name: NodeName): SimNode | null {
  if (name === 'sam') return world.sam;
  if (name === 'lee') return world.lee;
  if (name === 'mallory') return world.mallory;
  return null;
}

/** Ticks every node at the current instant, in TICK_ORDER. */
export function tickAll(world: World): void {
  for (const name of TICK_ORDER) {
    if (name === 'alice') aliceTick(world);
    else if (name === 'bob' || name === 'carol') {
      const host = world.hosts.get(name);
      if (host !== undefined) peerCall(world, name, () => host.tick(world.now));
    } else simNode(world, name)?.tick();
  }
}

/** A reference peer's call: its packets go on the network, its deliveries into the trace. */
export function peerCall(world: World, peer: HomelessPeer, call: () => AnyAnswer, packetId?: number): void {
  const answer = call();
  if (!answer.ok) return;
  for (const bytes of answer.sent) world.emit(peer, bytes);
  if (packetId !== undefined && answer.delivered !== undefined && answer.delivered.length > 0) {
    world.peerDelivered(
      peer,
      packetId,
      answer.delivered.map((d) => deliveredToJson(d, toHex)),
    );
  }
}

function selectFlight(world: World, select: Selector, fromEnd: number): Flight | null {
  const matches = world.network.flights
    .filter((f) => {
      const r = world.network.packets[f.packet];
      const info = r.info;
      return match(select)
        .with('any', () => true)
        .with('from-alice', () => r.from === 'alice')
        .with(
          'to-alice',
          () => f.direct === 'alice' || (info.destination !== undefined && world.ownerOf(info.destination) === 'alice'),
        )
        .with('challenge', () => r.from === 'alice' && info.bas.some((b) => b.security !== undefined))
        .with(
          'mallory-challenge',
          () =>
            r.from === 'alice' &&
            info.bas.some((b) => b.security !== undefined) &&
            info.spi !== undefined &&
            world.truth.peerOfOutbound(info.spi) === 'mallory',
        )
        .with('response', () => info.bus.some((b) => b.security !== undefined))
        .with('bu', () => info.bus.length > 0)
        .with('data', () => info.upper === 'udp' || info.upper === 'echo-request' || info.upper === 'echo-reply')
        .with(
          'param-problem',
          () =>
            info.upper === 'param-problem' &&
            (f.direct === 'alice' || (info.destination !== undefined && world.ownerOf(info.destination) === 'alice')),
        )
        .exhaustive();
    })
    .sort((a, b) => b.packet - a.packet || b.order - a.order);
  return matches.length === 0 ? null : matches[Math.abs(fromEnd) % matches.length];
}

/** A fault on a packet in flight that `select` matches (the `fromEnd`-th, newest first). */
export function fault(
  world: World,
  what: 'lose' | 'duplicate' | 'reorder' | 'delay',
  select: Selector,
  fromEnd: number,
  ms: number,
): void {
  const network = world.network;
  const f = selectFlight(world, select, fromEnd);
  if (f === null) {
    world.note(`${what}: no packet in flight matches ${select}`);
    return;
  }
  world.liveness.lastDisturbanceAt = world.now;
  if (what === 'lose') {
    network.flights = network.flights.filter((x) => x !== f);
    world.events.push({ kind: 'fault', at: world.now, what, packet: f.packet });
    world.events.push({ kind: 'drop', at: world.now, packet: f.packet, cause: 'fault' });
  } else if (what === 'duplicate') {
    network.duplicate(f);
    world.events.push({ kind: 'fault', at: world.now, what, packet: f.packet });
  } else if (what === 'reorder') {
    // The selected packet swaps places with the one due right after it.
    const later = network.flights
      .filter((x) => x !== f && (x.deliverAt > f.deliverAt || (x.deliverAt === f.deliverAt && x.order > f.order)))
      .sort((a, b) => a.deliverAt - b.deliverAt || a.order - b.order)[0];
    if (later === undefined) {
      world.note('reorder: nothing is due after it');
      return;
    }
    const [at, order] = [f.deliverAt, f.order];
    f.deliverAt = later.deliverAt;
    f.order = later.order;
    later.deliverAt = at;
    later.order = order;
    world.events.push({ kind: 'fault', at: world.now, what, packet: f.packet, copy: later.packet });
  } else {
    const extra = Math.max(0, Math.min(DELAY_MS_MAX, ms));
    f.deliverAt += extra;
    world.liveness.lastDisturbanceAt = Math.max(world.liveness.lastDisturbanceAt, f.deliverAt);
    world.events.push({ kind: 'fault', at: world.now, what, packet: f.packet, ms: extra });
  }
}
