// The simulated world (DESIGN.md "The world and the attacker"): nodes that own addresses, a
// network that delivers each packet to the node owning its destination when it arrives (else
// drops it), faults, a virtual clock, Alice behind the `Host` interface, honest peers and
// Mallory. `runSchedule` plays one schedule and returns the trace the invariants judge.
//
// Deterministic: a seed and a schedule give the same trace byte for byte. Time is the
// virtual clock; randomness comes from `Rng` forks of the seed; maps are iterated in
// insertion order only.

import { match } from 'ts-pattern';
import { isNewerSequence } from '../../impl/sequence.js';
import { MS_PER_SECOND } from '../../impl/units.js';
import { createHost, ReferenceHost } from '../../impl/host/index.js';
import type { Delivered, Host, HostParams, HostState, SaConfig, SaKind, SendRequest } from '../../impl/host/types.js';
import { bytesToAddress, fromHex, toHex } from '../../impl/wire/index.js';
import type { Address } from '../../impl/wire/types.js';
import { MALLORY_SECOND, strangerAddress, victimAddress } from './addresses.js';
import { copyHostState, sameHostState } from './same-json.js';
import {
  ALICE_ADDRESSES_MAX,
  BURST_COUNT_MAX,
  DELAY_MS_MAX,
  FLOOD_COUNT_MAX,
  IN_FLIGHT_PACKETS_MAX,
  LATENCY_MS,
  PEER_ADDRESSES_MAX,
  PROBE_WAIT_MS,
  SETTLE_MS_MAX,
  START_MS,
  STEP_DELIVERIES_MAX,
  TICK_MS,
} from './constants.js';
import { textBytes } from './craft.js';
import { describeAction } from './describe.js';
import { inspectPacket, summarize } from './inspect.js';
import { LegacyPeer } from './legacy-peer.js';
import { Mallory, type MallorySa, type MalloryWorld } from './mallory.js';
import type { EmitOptions, SimNode } from './node.js';
import { Ownership } from './ownership.js';
import { Rng, seededRandomSource } from './random.js';
import { SaTruth, type SaState } from './sa-truth.js';
import { StandardMobilePeer } from './standard-peer.js';
import {
  deliveredToJson,
  type Action,
  type AliceCall,
  type AliceEvent,
  type AliceFactory,
  type HomelessPeer,
  type InvalidRequest,
  type JsonDelivered,
  type NodeName,
  type PacketRecord,
  type PeerName,
  type ProbeResult,
  type Schedule,
  type Selector,
  type StormRecord,
  type Target,
  type Trace,
  type TraceEvent,
  type TraceStep,
} from './types.js';

/** The order in which nodes are ticked at one instant. */
const TICK_ORDER: readonly NodeName[] = ['alice', 'bob', 'carol', 'sam', 'lee', 'mallory'];
/** A clock jump that settles lasts at most this many ticks of settling (a bound on the loop). */
const SETTLE_ROUNDS_MAX = 64;

/** Every host answer, as the world reads it. */
type AnyAnswer =
  { ok: true; sent: Uint8Array[]; delivered?: Delivered[]; unreachable?: true } | { ok: false; error: string };

interface Flight {
  packet: number;
  bytes: Uint8Array;
  deliverAt: number;
  /** Tie-breaker among packets due at the same instant: lower first. */
  order: number;
  direct?: NodeName;
}

/** A failure of Alice's own code (a throw), which ends the run. */
export class AliceCrash extends Error {
  constructor(
    readonly op: AliceCall,
    readonly thrown: unknown,
  ) {
    super(`Alice threw in ${op}: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    this.name = 'AliceCrash';
  }
}

/**
 * Thrown where the world finds a storm (DESIGN.md "Storms"): it unwinds whatever the step was
 * doing, and `step` ends the step there. Never leaves the world.
 */
class StormStop extends Error {
  constructor(readonly record: StormRecord) {
    super(`storm: ${record.bound} past ${record.limit}`);
    this.name = 'StormStop';
  }
}

export class World implements MalloryWorld {
  now = START_MS;
  readonly params: HostParams;
  private readonly rng: Rng;
  private readonly lossRng: Rng;
  private readonly alice: Host;
  private readonly hosts = new Map<HomelessPeer, Host>();
  private readonly sam: StandardMobilePeer | null = null;
  private readonly lee: LegacyPeer | null = null;
  readonly mallory: Mallory;
  private readonly hasState: boolean;

  private readonly ownership = new Ownership();
  private readonly truth: SaTruth;

  readonly packets: PacketRecord[] = [];
  private flights: Flight[] = [];
  private flightOrder = 0;
  private aliceCalls = 0;
  private aliceLastAt = Number.NEGATIVE_INFINITY;
  private dataCount = 0;
  private probeCount = 0;
  private lastState: HostState | undefined;

  private readonly steps: TraceStep[] = [];
  private events: TraceEvent[] = [];
  /** Deliveries played in the current step (STEP_DELIVERIES_MAX) and packets Alice sent in it. */
  private deliveriesThisStep = 0;
  private aliceSentThisStep = 0;
  /** The storm that ended the run, once there was one: the world plays no step after it. */
  private stormRecord: StormRecord | null = null;
  /** The instant of the last disturbance (fault, random loss, clock jump, Alice losing an address). */
  private lastDisturbanceAt = Number.NEGATIVE_INFINITY;
  /** The last instant a packet from Mallory reached Alice. */
  private lastMalloryAtAlice = Number.NEGATIVE_INFINITY;
  /** Per homeless peer: addresses its BUs named that reached Alice, with when, and whether to delete them. */
  private readonly namedToAlice = new Map<NodeName, { address: Address; at: number; deletes: boolean }[]>();
  /** Per homeless peer: the sequence number of its last BU that reached Alice in order. */
  private readonly lastBuSequence = new Map<NodeName, number>();
  /** Moves made during the current step (probed if the next step is a fair stretch). */
  private movesThisStep: { peer: HomelessPeer; address: Address; at: number }[] = [];
  private movesLastStep: { peer: HomelessPeer; address: Address; at: number }[] = [];
  readonly initialState: HostState | undefined;

  constructor(
    readonly schedule: Schedule,
    readonly factory: AliceFactory,
  ) {
    const config = schedule.config;
    this.params = config.params;
    this.rng = new Rng(config.seed);
    this.lossRng = this.rng.fork('loss');
    this.hasState = factory.features.includes('state');
    this.truth = new SaTruth(config.alg, this.params.antiReplayWindowPackets);

    const aliceAddresses: Address[] = [];
    for (let k = 0; k < Math.max(1, Math.min(config.aliceAddressCount, ALICE_ADDRESSES_MAX)); k++)
      aliceAddresses.push(this.ownership.freshAddress('alice'));
    for (const a of aliceAddresses) this.own(a, 'alice', false);
    this.alice = factory.create([...aliceAddresses], { ...this.params }, config.seed);
    if (this.hasState) {
      this.initialState = JSON.parse(JSON.stringify(this.alice.snapshot())) as HostState;
    }
    this.lastState = this.initialState;

    const peers: HomelessPeer[] = config.carol === 'absent' ? ['bob'] : ['bob', 'carol'];
    for (const peer of peers) {
      const first = this.ownership.freshAddress(peer);
      this.own(first, peer, false);
      this.hosts.set(
        peer,
        createHost({
          localAddresses: [first],
          params: { ...this.params },
          random: seededRandomSource(config.seed, peer),
          nowMs: this.now,
        }),
      );
    }
    const malloryFirst = this.ownership.freshAddress('mallory');
    this.own(malloryFirst, 'mallory', false);
    this.own(MALLORY_SECOND, 'mallory', false);

    // SAs (Appendix A): keys and SPIs first, then the nodes the world plays, then setup.
    const peerSas = peers.map((peer) => {
      const kind: SaKind = peer === 'carol' && config.carol === 'anonymous' ? 'anonymous' : 'generic';
      return { peer, kind, sa: this.truth.newSa(this.rng, `alice-${peer}`, peer, this.addressesOf(peer)[0], kind) };
    });
    if (config.sam) {
      const home = this.ownership.freshAddress('sam');
      const sa = this.truth.newSa(this.rng, 'alice-sam', 'sam', home, 'generic');
      this.sam = new StandardMobilePeer(this, {
        home,
        aliceHome: aliceAddresses[0],
        alg: sa.record.alg,
        key: sa.key,
        inboundSpi: sa.record.aliceOutboundSpi,
        outboundSpi: sa.record.aliceInboundSpi,
      });
    }
    if (config.lee) {
      const address = this.ownership.freshAddress('lee');
      this.own(address, 'lee', false);
      const sa = this.truth.newSa(this.rng, 'alice-lee', 'lee', address, 'generic');
      this.lee = new LegacyPeer(this, {
        address,
        aliceAddress: aliceAddresses[0],
        alg: sa.record.alg,
        key: sa.key,
        inboundSpi: sa.record.aliceOutboundSpi,
        outboundSpi: sa.record.aliceInboundSpi,
      });
    }
    const peerSpis = this.truth.all().map((s) => s.record.aliceInboundSpi);
    const malloryKinds: SaKind[] = config.mallory === 'both' ? ['generic', 'anonymous'] : [config.mallory];
    const mallorySas: MallorySa[] = malloryKinds.map((kind) => {
      const registered = kind === 'generic' ? malloryFirst : MALLORY_SECOND;
      const sa = this.truth.newSa(this.rng, `alice-mallory-${kind}`, 'mallory', registered, kind);
      return {
        name: sa.record.name,
        kind,
        alg: sa.record.alg,
        key: sa.key,
        outboundSpi: sa.record.aliceInboundSpi,
        inboundSpi: sa.record.aliceOutboundSpi,
        registered,
        buSequence: 0,
        ahSequence: 0,
      };
    });
    this.mallory = new Mallory(this, mallorySas, peerSpis, this.rng.fork('mallory'));
    this.ownership.recordInitialOwners(this.sam?.addresses() ?? [], 'sam');

    // Step 0: every SA is established, and both ends send their Initial BU (HOST.md rule 14).
    this.playStep(null, () => {
      for (const { peer, kind, sa } of peerSas) {
        const host = this.hosts.get(peer);
        if (host === undefined) continue;
        this.aliceAddSa(sa);
        this.peerCall(peer, () =>
          host.addSA(
            {
              peer: aliceAddresses[0],
              inboundSpi: sa.record.aliceOutboundSpi,
              outboundSpi: sa.record.aliceInboundSpi,
              alg: sa.record.alg,
              key: sa.key,
              kind,
            },
            this.now,
          ),
        );
      }
      for (const sa of this.truth.all())
        if (sa.record.peer === 'sam' || sa.record.peer === 'lee' || sa.record.peer === 'mallory') this.aliceAddSa(sa);
    });
  }

  // -------------------------------------------------------------------------------------
  // Addresses and ownership.

  /** Gives `address` to `node` (null: nobody), recording the change in the trace unless `record` is false. */
  private own(address: Address, node: NodeName | null, record = true): void {
    const from = this.ownership.give(address, node, this.now);
    if (from !== undefined && record) this.events.push({ kind: 'own', at: this.now, address, from, to: node });
  }

  addressesOf(node: NodeName): Address[] {
    if (node === 'sam' && this.sam !== null) return this.sam.addresses();
    return this.ownership.addressesOf(node);
  }

  aliceAddresses(): Address[] {
    return this.addressesOf('alice');
  }

  malloryAddresses(): Address[] {
    return this.addressesOf('mallory');
  }

  private ownerOf(address: Address): NodeName | null {
    if (this.sam !== null && this.sam.addresses().includes(address)) return 'sam';
    return this.ownership.ownerOf(address);
  }

  // -------------------------------------------------------------------------------------
  // Packets and the network.

  private register(from: NodeName, bytes: Uint8Array, tag?: string): number {
    const info = inspectPacket(bytes);
    const record: PacketRecord = {
      id: this.packets.length,
      from,
      sentAt: this.now,
      hex: toHex(bytes),
      summary: summarize(info, bytes.length),
      info,
    };
    if (tag !== undefined) record.tag = tag;
    this.packets.push(record);
    return record.id;
  }

  private enqueue(
    packet: number,
    bytes: Uint8Array,
    extraDelayMs = 0,
    direct?: NodeName,
    latencyMs = LATENCY_MS,
  ): void {
    const flight: Flight = {
      packet,
      bytes,
      deliverAt: this.now + latencyMs + Math.max(0, extraDelayMs),
      order: this.flightOrder++,
    };
    if (direct !== undefined) flight.direct = direct;
    this.flights.push(flight);
  }

  emit(from: NodeName, bytes: Uint8Array, options: EmitOptions = {}): number {
    const id = this.register(from, bytes, options.tag);
    this.events.push({ kind: 'emit', at: this.now, packet: id, by: from });
    this.enqueue(id, bytes, options.extraDelayMs, options.direct);
    this.boundInFlight();
    return id;
  }

  /** A storm once more than IN_FLIGHT_PACKETS_MAX packets are in flight. */
  private boundInFlight(): void {
    if (this.flights.length > IN_FLIGHT_PACKETS_MAX) this.stormAt('in-flight', IN_FLIGHT_PACKETS_MAX);
  }

  /** Counts a packet the network is about to deliver or drop: the one past STEP_DELIVERIES_MAX is not played, a storm. */
  private countNetworkDelivery(): void {
    if (this.deliveriesThisStep >= STEP_DELIVERIES_MAX) this.stormAt('deliveries', STEP_DELIVERIES_MAX);
    this.deliveriesThisStep += 1;
  }

  /** Counts the items Alice delivered in a call (already in the trace): past STEP_DELIVERIES_MAX, a storm. */
  private countAliceDeliveries(items: number): void {
    this.deliveriesThisStep += items;
    if (this.deliveriesThisStep > STEP_DELIVERIES_MAX) this.stormAt('deliveries', STEP_DELIVERIES_MAX);
  }

  private stormAt(bound: StormRecord['bound'], limit: number): never {
    const record: StormRecord = {
      at: this.now,
      bound,
      limit,
      deliveries: this.deliveriesThisStep,
      inFlight: this.flights.length,
      aliceSent: this.aliceSentThisStep,
    };
    throw new StormStop(record);
  }

  /** Whether a storm ended the run (no further step is played). */
  get stormed(): boolean {
    return this.stormRecord !== null;
  }

  peerDelivered(node: NodeName, packetId: number, items: JsonDelivered[]): void {
    if (items.length > 0) this.events.push({ kind: 'peer-delivered', at: this.now, node, packet: packetId, items });
  }

  note(text: string): void {
    this.events.push({ kind: 'note', at: this.now, text });
  }

  private nextFlight(): Flight | null {
    let best: Flight | null = null;
    for (const f of this.flights) {
      if (best === null || f.deliverAt < best.deliverAt || (f.deliverAt === best.deliverAt && f.order < best.order))
        best = f;
    }
    return best;
  }

  /** Advances the clock to `end`, delivering packets and ticking every node on the grid. */
  private runUntil(end: number, lossPermille = 0): void {
    for (;;) {
      const next = this.nextFlight();
      const nextTick = (Math.floor(this.now / TICK_MS) + 1) * TICK_MS;
      const t = Math.min(next === null ? Number.POSITIVE_INFINITY : next.deliverAt, nextTick);
      if (t > end) break;
      this.now = Math.max(this.now, t);
      if (next !== null && next.deliverAt <= t) {
        this.countNetworkDelivery();
        this.flights = this.flights.filter((f) => f !== next);
        this.deliver(next, lossPermille);
        continue; // other packets may be due at the same instant; the tick comes after them
      }
      this.tickAll();
    }
    this.now = Math.max(this.now, end);
  }

  private deliver(f: Flight, lossPermille: number): void {
    if (lossPermille > 0 && this.lossRng.chance(lossPermille)) {
      this.events.push({ kind: 'drop', at: this.now, packet: f.packet, cause: 'loss' });
      return;
    }
    const record = this.packets[f.packet];
    const destination = record.info.destination ?? (f.bytes.length >= 40 ? bytesToAddress(f.bytes, 24) : null);
    let to: NodeName | null;
    let address: Address;
    if (f.direct !== undefined) {
      to = f.direct;
      address = this.addressesOf(f.direct)[0] ?? destination ?? '::';
    } else {
      if (destination === null) {
        this.events.push({ kind: 'drop', at: this.now, packet: f.packet, cause: 'no-owner' });
        return;
      }
      to = this.ownerOf(destination);
      address = destination;
    }
    if (to === null) {
      this.events.push({ kind: 'drop', at: this.now, packet: f.packet, cause: 'no-owner' });
      return;
    }
    this.events.push({ kind: 'deliver', at: this.now, packet: f.packet, to, address });
    this.receiveAt(to, f.packet, f.bytes, address);
  }

  private receiveAt(to: NodeName, packetId: number, bytes: Uint8Array, address: Address): void {
    if (to === 'alice') {
      this.aliceReceive(packetId, bytes);
      return;
    }
    if (to === 'bob' || to === 'carol') {
      const host = this.hosts.get(to);
      if (host === undefined) return;
      this.peerCall(to, () => host.receive(bytes, this.now), packetId);
      return;
    }
    const node = this.simNode(to);
    if (node !== null) node.receive(packetId, bytes, address);
  }

  private simNode(name: NodeName): SimNode | null {
    if (name === 'sam') return this.sam;
    if (name === 'lee') return this.lee;
    if (name === 'mallory') return this.mallory;
    return null;
  }

  private tickAll(): void {
    for (const name of TICK_ORDER) {
      if (name === 'alice') this.aliceTick();
      else if (name === 'bob' || name === 'carol') {
        const host = this.hosts.get(name);
        if (host !== undefined) this.peerCall(name, () => host.tick(this.now));
      } else this.simNode(name)?.tick();
    }
  }

  /** A reference peer's call: its packets go on the network, its deliveries into the trace. */
  private peerCall(peer: HomelessPeer, call: () => AnyAnswer, packetId?: number): void {
    const answer = call();
    if (!answer.ok) return;
    for (const bytes of answer.sent) this.emit(peer, bytes);
    if (packetId !== undefined && answer.delivered !== undefined && answer.delivered.length > 0) {
      this.peerDelivered(
        peer,
        packetId,
        answer.delivered.map((d) => deliveredToJson(d, toHex)),
      );
    }
  }

  // -------------------------------------------------------------------------------------
  // Alice.

  private aliceCall(op: AliceCall, run: () => AnyAnswer, fields: Partial<AliceEvent>): AliceEvent {
    let answer: AnyAnswer;
    try {
      answer = run();
    } catch (e) {
      throw new AliceCrash(op, e);
    }
    const event: AliceEvent = {
      kind: 'alice',
      call: this.aliceCalls++,
      at: this.now,
      op,
      ...fields,
      ok: answer.ok,
      sent: [],
      delivered: [],
    };
    this.aliceLastAt = this.now;
    if (answer.ok) {
      for (const bytes of answer.sent) {
        const id = this.register('alice', bytes);
        this.truth.noteAliceSent(id, this.packets[id].info);
        // A packet to one of her own addresses never leaves her (loopback, as on any IPv6
        // node): it reaches her at once, so a host that answers its own packets loops within
        // one instant, and the storm bound is what ends the loop.
        const to = this.packets[id].info.destination;
        this.enqueue(id, bytes, 0, undefined, to !== undefined && this.ownerOf(to) === 'alice' ? 0 : LATENCY_MS);
        event.sent.push(id);
      }
      this.aliceSentThisStep += answer.sent.length;
      if (answer.delivered !== undefined) event.delivered = answer.delivered.map((d) => deliveredToJson(d, toHex));
      if (answer.unreachable === true) event.unreachable = true;
    } else {
      event.error = answer.error;
    }
    if (this.hasState) {
      // An unchanged state is the same object as before (cheap "unchanged" checks later); a
      // changed one is copied through JSON, so the trace owns it whatever the host does with
      // its own. Most calls change nothing: comparing first saves serialising every snapshot.
      try {
        const snapshot = this.alice.snapshot();
        if (this.lastState === undefined || !sameHostState(snapshot, this.lastState))
          this.lastState = copyHostState(snapshot) as HostState;
      } catch (e) {
        throw new AliceCrash(op, e);
      }
      event.state = this.lastState;
    }
    this.events.push(event);
    // Bounds checked once the call is in the trace, so that the storm's last call is there.
    this.boundInFlight();
    this.countAliceDeliveries(event.delivered.length);
    return event;
  }

  private aliceAddSa(sa: SaState): void {
    const r = sa.record;
    const config: SaConfig = {
      peer: r.peerAddress,
      inboundSpi: r.aliceInboundSpi,
      outboundSpi: r.aliceOutboundSpi,
      alg: r.alg,
      key: sa.key,
      kind: r.kind,
    };
    this.aliceCall('addSA', () => this.alice.addSA(config, this.now), {
      request: {
        peer: r.peerAddress,
        inboundSpi: r.aliceInboundSpi,
        outboundSpi: r.aliceOutboundSpi,
        alg: r.alg,
        key: r.keyHex,
        kind: r.kind,
      },
    });
  }

  /**
   * Alice establishes a generic SA with the stranger at `strangerAddress(n)` (Appendix A): the
   * key exchange happens outside the world, and nobody in it holds the other end. Once per
   * stranger: a second `addSA` with the same SPIs would only be refused (HOST.md rule 24).
   */
  private aliceAddSaWithStranger(n: number): void {
    const address = strangerAddress(n);
    if (this.truth.hasStrangerSa(address)) {
      this.note(`aliceAddSa: Alice already has an SA with ${address}`);
      return;
    }
    this.aliceAddSa(this.truth.newSa(this.rng, `alice-stranger-${address}`, 'stranger', address, 'generic'));
  }

  private aliceTick(): void {
    this.aliceCall('tick', () => this.alice.tick(this.now), {});
  }

  private aliceReceive(packetId: number, bytes: Uint8Array): void {
    // Expiries due now run at the start of any request (HOST.md rule 16); a tick first
    // separates them from what the packet itself does (INV-AUTH-REQUIRED, INV-REPLAY).
    if (this.aliceLastAt < this.now) this.aliceTick();
    const truth = this.truth.truthFor(bytes, () => this.aliceAddresses());
    const record = this.packets[packetId];
    if (record.from === 'mallory') this.lastMalloryAtAlice = this.now;
    if ((record.from === 'bob' || record.from === 'carol') && truth.ah === 'valid') {
      // Only a BU newer than the peer's last one counts (HOST.md rule 7: an older one is
      // ignored, a delayed deleting BU included).
      const list = this.namedToAlice.get(record.from) ?? [];
      for (const b of record.info.bus) {
        const last = this.lastBuSequence.get(record.from);
        if (last !== undefined && !isNewerSequence(b.sequence, last)) continue;
        this.lastBuSequence.set(record.from, b.sequence);
        for (const a of b.named) list.push({ address: a, at: this.now, deletes: b.lifetimeSeconds === 0 });
      }
      this.namedToAlice.set(record.from, list);
    }
    this.aliceCall('receive', () => this.alice.receive(bytes, this.now), { input: packetId, truth });
  }

  private aliceSendData(request: SendRequest, intent: NodeName | null): AliceEvent {
    // The request as the adapter protocol carries it: ports only when given (INV-SEND-FAITHFUL
    // reads them, defaulting to 5000 as ADAPTER-PROTOCOL.md does).
    const fields: Record<string, unknown> = { to: request.to, proto: request.proto, payload: toHex(request.payload) };
    if (request.sport !== undefined) fields.sport = request.sport;
    if (request.dport !== undefined) fields.dport = request.dport;
    return this.aliceCall('send', () => this.alice.send(request, this.now), { request: fields, intent });
  }

  /**
   * A request a correct host refuses with no effect (HOST.md rule 24; DESIGN.md "Probes"),
   * at the current `now`. The Host interface carries bytes where the protocol has hex, so a
   * hex field that is hex becomes bytes and every other value reaches the host as it is (a
   * host checks what it is given, rule 24); the adapter (properties/adapter/alice.ts) writes
   * such values back unchanged, so an external IUT reads the same JSON. Recorded with the
   * trace's field names (an addSA's `sa` fields flat, as `aliceAddSa` records them).
   */
  private aliceInvalid(request: InvalidRequest): void {
    const { type, ...fields } = request;
    const bytesIfHex = (v: unknown): unknown => (typeof v === 'string' ? (fromHex(v) ?? v) : v);
    const now = this.now;
    if (type === 'addSA') {
      const sa: Record<string, unknown> =
        typeof fields.sa === 'object' && fields.sa !== null && !Array.isArray(fields.sa) ? { ...fields.sa } : {};
      const config = { ...sa, key: bytesIfHex(sa.key) } as unknown as SaConfig;
      this.aliceCall('addSA', () => this.alice.addSA(config, now), { request: sa, invalid: true });
      return;
    }
    if (type === 'send') {
      const send = { ...fields, payload: bytesIfHex(fields.payload) } as unknown as SendRequest;
      this.aliceCall('send', () => this.alice.send(send, now), { request: fields, invalid: true });
      return;
    }
    const address = fields.address as Address;
    const call =
      type === 'addLocalAddress'
        ? () => this.alice.addLocalAddress(address, now)
        : () => this.alice.removeLocalAddress(address, now);
    this.aliceCall(type, call, { request: fields, invalid: true });
  }

  // -------------------------------------------------------------------------------------
  // Steps.

  private beginStep(): void {
    this.events = [];
    this.deliveriesThisStep = 0;
    this.aliceSentThisStep = 0;
    this.movesLastStep = this.movesThisStep;
    this.movesThisStep = [];
  }

  private endStep(action: Action | null, startMs = START_MS): void {
    const step: TraceStep = {
      index: this.steps.length,
      label: action === null ? 'setup()' : describeAction(action),
      action,
      startMs,
      endMs: this.now,
      events: this.events,
    };
    if (this.lastState !== undefined) step.state = this.lastState;
    if (this.stormRecord !== null) step.storm = this.stormRecord;
    this.steps.push(step);
  }

  /** Runs one action as one step of the trace; after a storm, nothing (the run is over). */
  step(action: Action): void {
    if (this.stormRecord !== null) return;
    this.playStep(action, () => this.perform(action));
  }

  /** One step of the trace: a storm ends it where it was found. */
  private playStep(action: Action | null, play: () => void): void {
    const startMs = this.now;
    this.beginStep();
    try {
      play();
    } catch (e) {
      if (!(e instanceof StormStop)) throw e;
      this.stormRecord = e.record;
      const what =
        e.record.bound === 'deliveries'
          ? `${STEP_DELIVERIES_MAX} deliveries in one step`
          : `${IN_FLIGHT_PACKETS_MAX} packets in flight`;
      this.note(
        `storm: past ${what} (${e.record.aliceSent} packets from Alice in this step); the world stops the run here`,
      );
      // What was in flight is abandoned with the run.
      this.flights = [];
    }
    this.endStep(action, startMs);
  }

  private perform(action: Action): void {
    match(action)
      .with({ kind: 'advance' }, (a) => this.runUntil(this.now + Math.max(0, a.ms)))
      .with({ kind: 'jump' }, (a) => this.jump(a.past))
      .with({ kind: 'fair' }, (a) => this.fair(a.ms))
      .with({ kind: 'peerMove' }, (a) => this.peerMove(a.peer))
      .with({ kind: 'peerGain' }, (a) => this.peerGain(a.peer))
      .with({ kind: 'peerLose' }, (a) => this.peerLose(a.peer, a.pick))
      .with({ kind: 'peerSend' }, (a) => this.peerSend(a.peer))
      .with({ kind: 'peerBurst' }, (a) => this.peerBurst(a.peer, a.count))
      .with({ kind: 'aliceSend' }, (a) => this.aliceSend(a.peer, a.pick, a.proto, a))
      .with({ kind: 'aliceSendNew' }, (a) => {
        this.aliceSendData({ to: strangerAddress(a.n), proto: 'udp', payload: this.dataPayload() }, null);
      })
      .with({ kind: 'aliceAddSa' }, (a) => this.aliceAddSaWithStranger(a.n))
      .with({ kind: 'aliceGain' }, () => this.aliceGain())
      .with({ kind: 'aliceLose' }, (a) => this.aliceLose(a.pick, a.last === true))
      .with({ kind: 'invalid' }, (a) => this.aliceInvalid(a.request))
      .with({ kind: 'lose' }, (a) => this.fault('lose', a.select, a.fromEnd, 0))
      .with({ kind: 'duplicate' }, (a) => this.fault('duplicate', a.select, a.fromEnd, 0))
      .with({ kind: 'reorder' }, (a) => this.fault('reorder', a.select, a.fromEnd, 0))
      .with({ kind: 'delay' }, (a) => this.fault('delay', a.select, a.fromEnd, a.ms))
      .with({ kind: 'lossy' }, (a) => {
        this.events.push({ kind: 'fault', at: this.now, what: 'lossy', ms: a.ms });
        this.runUntil(this.now + Math.max(0, a.ms), Math.min(1000, Math.max(0, a.permille)));
        this.lastDisturbanceAt = this.now;
      })
      .with({ kind: 'claim' }, (a) => {
        const target = this.resolve(a.target);
        if (target === null) this.note('claim: no such target');
        else this.mallory.claim(a.sa, target, a.form);
      })
      .with({ kind: 'takeover' }, (a) => this.takeover(a.sa, a.fromEnd))
      .with({ kind: 'spoof' }, (a) => {
        const as = this.resolve(a.as);
        if (as === null) this.note('spoof: no such address');
        else this.mallory.spoof(a.what, as);
      })
      .with({ kind: 'badAh' }, (a) => {
        const target = this.resolve(a.target);
        if (target === null) this.note('badAh: no such target');
        else this.mallory.badAh(a.what, target);
      })
      .with({ kind: 'replay' }, (a) => {
        if (!this.mallory.replay(a.fromEnd, a.retarget)) this.note('replay: Mallory has seen nothing yet');
      })
      .with({ kind: 'forgeResponse' }, (a) => {
        const target = this.resolve(a.target);
        if (target === null) this.note('forgeResponse: no such target');
        else this.mallory.forgeResponse(target, a.under);
      })
      .with({ kind: 'clockGuess' }, (a) => {
        const target = this.resolve(a.target);
        if (target === null) this.note('clockGuess: no such target');
        else this.mallory.clockGuess(a.sa, target);
      })
      .with({ kind: 'anonData' }, () => {
        if (!this.mallory.anonData()) this.note('anonData: Mallory has no anonymous SA');
      })
      .with({ kind: 'garbage' }, (a) => this.mallory.garbage(fromHex(a.hex) ?? new Uint8Array(0)))
      .with({ kind: 'bitflip' }, (a) => {
        if (!this.mallory.bitflip(a.fromEnd, a.bit)) this.note('bitflip: Mallory has no packet');
      })
      .with({ kind: 'flood' }, (a) => {
        const count = Math.max(0, Math.min(FLOOD_COUNT_MAX, a.count));
        this.mallory.flood(
          a.sa,
          Array.from({ length: count }, (_, i) => victimAddress(a.first + i)),
        );
      })
      .with({ kind: 'paramProblem' }, (a) => {
        if (!this.mallory.paramProblem(a.fromEnd, this.ownership.everAliceAddresses()))
          this.note('paramProblem: Mallory has seen no packet of Alice');
      })
      .with({ kind: 'withhold' }, (a) => {
        // Another of its own addresses: the SA's first one is active already (rule 17).
        const others = this.malloryAddresses().filter((x) => x !== this.mallory.sa(a.sa).registered);
        if (others.length === 0) this.note('withhold: Mallory has no other address');
        else this.mallory.withhold(a.sa, others[Math.abs(a.pick) % others.length]);
      })
      .with({ kind: 'reuse' }, (a) => {
        if (!this.mallory.reuse(a.what, a.fromEnd, this.resolve(a.target)))
          this.note(`reuse: Mallory has nothing to reuse (${a.what})`);
      })
      .with({ kind: 'seqWrap' }, (a) => this.mallory.seqWrap(a.sa))
      .with({ kind: 'fill' }, (a) => {
        // Fresh addresses under Mallory's own /48: it owns them, so it answers their Challenges.
        for (let i = 0; i < Math.max(0, Math.min(FLOOD_COUNT_MAX, a.count)); i++) {
          const address = this.ownership.freshAddress('mallory');
          this.own(address, 'mallory');
          // The longest lifetime Alice grants (rule 6), so that a clock jump past every
          // lifetime leaves the filled addresses deprecated rather than removed.
          this.mallory.claim(a.sa, address, 'alt-coa', 'mallory-fill', this.params.bindingLifetimeSecondsMax);
        }
      })
      .with({ kind: 'correspond' }, (a) => {
        if (a.what === 'alice-sends')
          this.aliceSendData(
            { to: this.mallory.sa('generic').registered, proto: 'udp', payload: this.dataPayload() },
            'mallory',
          );
        else if (a.what === 'mallory-br') this.mallory.bindingRequest();
        else if (!this.mallory.data()) this.note('correspond: Mallory has no generic SA');
      })
      .exhaustive();
  }

  private resolve(t: Target): Address | null {
    const pick = <T>(list: readonly T[], i: number): T | null =>
      list.length === 0 ? null : list[Math.abs(i) % list.length];
    return (
      match(t)
        // A peer that is not in this world stands for Bob, who always is.
        .with({ kind: 'peer' }, (x) =>
          pick(this.addressesOf(this.addressesOf(x.peer).length > 0 ? x.peer : 'bob'), x.pick),
        )
        .with({ kind: 'lost' }, (x) =>
          pick(
            [...this.ownership.lost].reverse().map((l) => l.address),
            x.fromEnd,
          ),
        )
        .with({ kind: 'victim' }, (x) => victimAddress(x.n))
        .with({ kind: 'alice' }, (x) => pick(this.aliceAddresses(), x.pick))
        .with({ kind: 'own' }, (x) => pick(this.malloryAddresses(), x.pick))
        .with({ kind: 'next' }, (x) => this.ownership.nextAddress(this.hosts.has(x.peer) ? x.peer : 'bob'))
        .with({ kind: 'stranger' }, (x) => strangerAddress(x.n))
        .exhaustive()
    );
  }

  private dataPayload(tag = 'alice-data'): Uint8Array {
    this.dataCount += 1;
    return textBytes(`${tag}-${this.dataCount}`);
  }

  private aliceSend(
    peer: PeerName,
    pick: number,
    proto: 'udp' | 'icmp',
    ports: { sport?: number; dport?: number } = {},
  ): void {
    const addresses = this.addressesOf(peer);
    if (addresses.length === 0) {
      this.note(`aliceSend: ${peer} is not in this world`);
      return;
    }
    const to = addresses[Math.abs(pick) % addresses.length];
    const request: SendRequest = { to, proto, payload: this.dataPayload() };
    if (proto === 'udp' && ports.sport !== undefined) request.sport = ports.sport;
    if (proto === 'udp' && ports.dport !== undefined) request.dport = ports.dport;
    this.aliceSendData(request, peer);
  }

  private aliceGain(): void {
    if (this.aliceAddresses().length >= ALICE_ADDRESSES_MAX) {
      this.note('aliceGain: Alice has enough addresses');
      return;
    }
    const address = this.ownership.freshAddress('alice');
    this.own(address, 'alice');
    this.aliceCall('addLocalAddress', () => this.alice.addLocalAddress(address, this.now), { request: { address } });
  }

  private aliceLose(pick: number, last: boolean): void {
    const addresses = this.aliceAddresses();
    if (addresses.length === 0 || (addresses.length < 2 && !last)) {
      this.note(addresses.length === 0 ? 'aliceLose: Alice has no address' : 'aliceLose: Alice keeps her last address');
      return;
    }
    const address = addresses[Math.abs(pick) % addresses.length];
    this.own(address, null);
    this.lastDisturbanceAt = this.now;
    this.aliceCall('removeLocalAddress', () => this.alice.removeLocalAddress(address, this.now), {
      request: { address },
    });
  }

  private peerMove(peer: HomelessPeer | 'sam'): void {
    if (peer === 'sam') {
      if (this.sam === null) {
        this.note('peerMove: Sam is not in this world');
        return;
      }
      const old = this.sam.coa;
      const coa = this.ownership.freshAddress('sam');
      // Sam's care-of addresses are tracked by Sam itself; the world records the change.
      this.events.push({ kind: 'own', at: this.now, address: coa, from: null, to: 'sam' });
      if (old !== null) {
        this.events.push({ kind: 'own', at: this.now, address: old, from: 'sam', to: null });
        this.ownership.noteLost(old, 'sam', this.now);
      }
      this.sam.moveTo(coa);
      this.events.push({ kind: 'move', at: this.now, peer: 'sam', address: coa, lost: old });
      return;
    }
    const host = this.hosts.get(peer);
    if (host === undefined) {
      this.note(`peerMove: ${peer} is not in this world`);
      return;
    }
    const old = this.addressesOf(peer)[0];
    const address = this.ownership.freshAddress(peer);
    this.own(address, peer);
    this.peerCall(peer, () => host.addLocalAddress(address, this.now));
    // Make before break: the new address is announced before the old one is given up.
    if (old !== undefined) {
      this.own(old, null);
      this.peerCall(peer, () => host.removeLocalAddress(old, this.now));
    }
    this.events.push({ kind: 'move', at: this.now, peer, address, lost: old ?? null });
    this.movesThisStep.push({ peer, address, at: this.now });
  }

  private peerGain(peer: HomelessPeer): void {
    const host = this.hosts.get(peer);
    if (host === undefined || this.addressesOf(peer).length >= PEER_ADDRESSES_MAX) {
      this.note(`peerGain: ${peer} is absent or has enough addresses`);
      return;
    }
    const address = this.ownership.freshAddress(peer);
    this.own(address, peer);
    this.peerCall(peer, () => host.addLocalAddress(address, this.now));
    this.events.push({ kind: 'move', at: this.now, peer, address, lost: null });
    this.movesThisStep.push({ peer, address, at: this.now });
  }

  private peerLose(peer: HomelessPeer, pick: number): void {
    const host = this.hosts.get(peer);
    const addresses = this.addressesOf(peer);
    if (host === undefined || addresses.length < 2) {
      this.note(`peerLose: ${peer} is absent or keeps its last address`);
      return;
    }
    const address = addresses[Math.abs(pick) % addresses.length];
    this.own(address, null);
    this.peerCall(peer, () => host.removeLocalAddress(address, this.now));
  }

  private peerSend(peer: PeerName): void {
    if (peer === 'sam') {
      if (this.sam !== null) this.sam.sendData();
      return;
    }
    if (peer === 'lee') {
      if (this.lee !== null) this.lee.sendData();
      return;
    }
    const host = this.hosts.get(peer);
    if (host === undefined) return;
    // The peer's application talks to Alice through its entry for her: any active address.
    const entry = host.snapshot().entries.find((e) => e.sa !== null);
    const to = entry?.addresses.find((a) => a.status === 'active')?.address;
    if (to === undefined) {
      this.note(`peerSend: ${peer} has no active address for Alice`);
      return;
    }
    this.peerCall(peer, () => host.send({ to, proto: 'udp', payload: this.dataPayload(`${peer}-data`) }, this.now));
  }

  /** `count` datagrams from the peer's application at once (one note if the peer cannot send). */
  private peerBurst(peer: PeerName, count: number): void {
    for (let i = 0; i < Math.max(0, Math.min(BURST_COUNT_MAX, count)); i++) {
      const before = this.packets.length;
      this.peerSend(peer);
      if (this.packets.length === before) return;
    }
  }

  private takeover(kind: 'generic' | 'anonymous', fromEnd: number): void {
    const free = [...this.ownership.lost].reverse().filter((l) => this.ownerOf(l.address) === null);
    if (free.length === 0) {
      this.note('takeover: no lost address is free');
      return;
    }
    const { address } = free[Math.abs(fromEnd) % free.length];
    this.own(address, 'mallory');
    this.mallory.claim(kind, address, 'alt-coa', 'mallory-takeover');
  }

  private selectFlight(select: Selector, fromEnd: number): Flight | null {
    const matches = this.flights
      .filter((f) => {
        const r = this.packets[f.packet];
        const info = r.info;
        return match(select)
          .with('any', () => true)
          .with('from-alice', () => r.from === 'alice')
          .with(
            'to-alice',
            () =>
              f.direct === 'alice' || (info.destination !== undefined && this.ownerOf(info.destination) === 'alice'),
          )
          .with('challenge', () => r.from === 'alice' && info.bas.some((b) => b.security !== undefined))
          .with(
            'mallory-challenge',
            () =>
              r.from === 'alice' &&
              info.bas.some((b) => b.security !== undefined) &&
              info.spi !== undefined &&
              this.truth.peerOfOutbound(info.spi) === 'mallory',
          )
          .with('response', () => info.bus.some((b) => b.security !== undefined))
          .with('bu', () => info.bus.length > 0)
          .with('data', () => info.upper === 'udp' || info.upper === 'echo-request' || info.upper === 'echo-reply')
          .exhaustive();
      })
      .sort((a, b) => b.packet - a.packet || b.order - a.order);
    return matches.length === 0 ? null : matches[Math.abs(fromEnd) % matches.length];
  }

  private fault(what: 'lose' | 'duplicate' | 'reorder' | 'delay', select: Selector, fromEnd: number, ms: number): void {
    const f = this.selectFlight(select, fromEnd);
    if (f === null) {
      this.note(`${what}: no packet in flight matches ${select}`);
      return;
    }
    this.lastDisturbanceAt = this.now;
    if (what === 'lose') {
      this.flights = this.flights.filter((x) => x !== f);
      this.events.push({ kind: 'fault', at: this.now, what, packet: f.packet });
      this.events.push({ kind: 'drop', at: this.now, packet: f.packet, cause: 'fault' });
    } else if (what === 'duplicate') {
      const copy: Flight = { ...f, deliverAt: f.deliverAt + 1, order: this.flightOrder++ };
      this.flights.push(copy);
      this.events.push({ kind: 'fault', at: this.now, what, packet: f.packet });
    } else if (what === 'reorder') {
      // The selected packet swaps places with the one due right after it.
      const later = this.flights
        .filter((x) => x !== f && (x.deliverAt > f.deliverAt || (x.deliverAt === f.deliverAt && x.order > f.order)))
        .sort((a, b) => a.deliverAt - b.deliverAt || a.order - b.order)[0];
      if (later === undefined) {
        this.note('reorder: nothing is due after it');
        return;
      }
      const [at, order] = [f.deliverAt, f.order];
      f.deliverAt = later.deliverAt;
      f.order = later.order;
      later.deliverAt = at;
      later.order = order;
      this.events.push({ kind: 'fault', at: this.now, what, packet: f.packet, copy: later.packet });
    } else {
      const extra = Math.max(0, Math.min(DELAY_MS_MAX, ms));
      f.deliverAt += extra;
      this.lastDisturbanceAt = Math.max(this.lastDisturbanceAt, f.deliverAt);
      this.events.push({ kind: 'fault', at: this.now, what, packet: f.packet, ms: extra });
    }
  }

  private jump(past: 'lifetime' | 'expired' | 'all'): void {
    // Packets already in flight arrive first; then nothing runs until the clock has jumped.
    const settleEnd = this.now + SETTLE_MS_MAX;
    for (let round = 0; round < SETTLE_ROUNDS_MAX && this.flights.length > 0 && this.now < settleEnd; round++) {
      const next = this.nextFlight();
      if (next === null) break;
      this.runUntil(Math.min(settleEnd, next.deliverAt));
    }
    const lifetimeMs =
      Math.max(this.params.defaultLifetimeSeconds, this.params.bindingLifetimeSecondsMax) * MS_PER_SECOND + 1;
    const expiredMs = this.params.maximumExpiredLifetimeSeconds * MS_PER_SECOND + 1;
    const jumpMs = past === 'lifetime' ? lifetimeMs : past === 'expired' ? expiredMs : lifetimeMs + expiredMs;
    this.now += jumpMs;
    this.lastDisturbanceAt = this.now;
    this.events.push({ kind: 'note', at: this.now, text: `the clock jumped ${jumpMs} ms` });
    this.tickAll();
  }

  /** A stretch with no fault, then a probe toward each peer that moved in the step before. */
  private fair(ms: number): void {
    const start = this.now;
    this.runUntil(this.now + Math.max(0, ms));
    for (const move of this.movesLastStep) this.probe(move, start);
  }

  /** LIVE-HONEST-MOVE's probe: Alice's application sends to the peer's new address. */
  private probe(move: { peer: HomelessPeer; address: Address; at: number }, fairStart: number): void {
    const sa = this.truth.ofPeer(move.peer);
    const result: ProbeResult = {
      judged: true,
      sendOk: false,
      unreachable: false,
      packets: [],
      reached: false,
      authenticated: false,
      generic: sa?.record.kind === 'generic',
    };
    const why = this.probePremise(move, fairStart);
    if (why !== null) {
      result.judged = false;
      result.why = why;
      this.events.push({
        kind: 'probe',
        at: this.now,
        peer: move.peer,
        address: move.address,
        moveAt: move.at,
        result,
      });
      return;
    }
    this.probeCount += 1;
    const payload = textBytes(`probe-${this.probeCount}`);
    const payloadHex = toHex(payload);
    const event = this.aliceSendData({ to: move.address, proto: 'udp', payload }, move.peer);
    result.sendOk = event.ok;
    result.unreachable = event.unreachable === true;
    result.packets = [...event.sent];
    const eventsBefore = this.events.length;
    this.runUntil(this.now + PROBE_WAIT_MS);
    for (const e of this.events.slice(eventsBefore)) {
      if (e.kind !== 'peer-delivered' || e.node !== move.peer) continue;
      for (const item of e.items) {
        if (item.payload !== payloadHex) continue;
        if (item.entry !== null) result.reached = true;
        if (item.authenticated) result.authenticated = true;
      }
    }
    this.events.push({ kind: 'probe', at: this.now, peer: move.peer, address: move.address, moveAt: move.at, result });
  }

  /** Why a move is not judged by LIVE-HONEST-MOVE (null: it is). See docs/properties.md. */
  private probePremise(move: { peer: HomelessPeer; address: Address; at: number }, fairStart: number): string | null {
    const cl = this.params.challengeLifetimeMs;
    if (this.now < move.at + 3 * cl) return 'the stretch was shorter than 3 × challengeLifetimeMs';
    if (this.lastDisturbanceAt >= move.at)
      return 'a fault, random loss, clock jump or Alice losing an address since the move';
    if (this.lastMalloryAtAlice >= move.at - cl) return 'Mallory reached Alice within challengeLifetimeMs of the move';
    if (fairStart < move.at) return 'the move was not right before the stretch';
    if (this.ownerOf(move.address) !== move.peer) return 'the peer no longer owns the address';
    if (!this.truth.hasPeer(move.peer)) return 'the peer has no SA with Alice';
    const named = this.namedToAlice.get(move.peer) ?? [];
    if (!named.some((n) => n.address === move.address && n.at >= move.at && !n.deletes))
      return "the peer's BU naming the address never reached Alice";
    // An address the peer lost whose deleting BU never reached Alice may still be active in its
    // entry (§5.3): Alice may rightly send there (rule 21), and the probe would be lost.
    const keepMs =
      (Math.max(this.params.bindingLifetimeSecondsMax, this.params.defaultLifetimeSeconds) +
        this.params.maximumExpiredLifetimeSeconds) *
      MS_PER_SECOND;
    // The peer's first address is known to Alice from her addSA (rule 17), before any BU.
    const first = this.truth.ofPeer(move.peer)?.record.peerAddress;
    for (const l of this.ownership.lost) {
      if (l.by !== move.peer || l.at < this.now - keepMs) continue;
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
    const unknownToPeer = this.aliceAddressesUnknownTo(move.peer);
    if (unknownToPeer.length > 0)
      return `Alice's address ${unknownToPeer.join(', ')} is not active in the peer's entry for her (its check there was lost before the move)`;
    // Bounds (HOST.md rule 8) refuse a named address without fault of Alice's: not judged
    // when the peer's entry may be full (every address the peer named within the time an
    // address can stay in an entry, plus its first one) or at its challenge bound.
    const recent = new Set(named.filter((n) => !n.deletes && n.at >= this.now - keepMs).map((n) => n.address));
    recent.add(this.truth.ofPeer(move.peer)?.record.peerAddress ?? '');
    if (recent.size > this.params.addressesPerEntryCountMax)
      return "the peer's entry may be at addressesPerEntryCountMax";
    const challenged = new Set(
      named.filter((n) => !n.deletes && n.at >= move.at - cl && n.at <= move.at + cl).map((n) => n.address),
    );
    if (challenged.size > this.params.tentativePerEntryCountMax)
      return "the peer's entry may be at tentativePerEntryCountMax";
    return null;
  }

  /** Alice's current addresses that are not active in `peer`'s entry for her (the entry of their SA). */
  private aliceAddressesUnknownTo(peer: HomelessPeer): Address[] {
    const host = this.hosts.get(peer);
    const sa = this.truth.ofPeer(peer);
    if (host === undefined || sa === undefined) return [];
    const entry = host.snapshot().entries.find((e) => e.sa !== null && e.sa.inboundSpi === sa.record.aliceOutboundSpi);
    const active = new Set((entry?.addresses ?? []).filter((a) => a.status === 'active').map((a) => a.address));
    return this.aliceAddresses().filter((a) => !active.has(a));
  }

  // -------------------------------------------------------------------------------------
  // Forks.

  /**
   * An independent copy of the world between two steps: the same state (clock, network,
   * ownership, ground truth, every node), after which each plays its own steps and neither
   * sees the other's. Playing a step on the copy gives the trace that replaying the schedule
   * to here and then that step gives (test/properties/world-fork.test.ts). The trace's
   * packets and finished steps are never written after they are recorded, so the copy shares
   * them; everything a step changes is copied (ownership and the SAs' ground truth by their
   * own `fork`). Null when Alice cannot be copied (an external
   * IUT, a broken host with memory outside its state record: `AliceFactory.fork`).
   */
  fork(): World | null {
    const alice = this.factory.fork?.(this.alice) ?? null;
    if (alice === null) return null;
    const hosts = new Map<HomelessPeer, Host>();
    for (const [peer, host] of this.hosts) {
      const copy = host instanceof ReferenceHost ? host.fork() : null;
      if (copy === null) return null;
      hosts.set(peer, copy);
    }
    const copy = Object.create(World.prototype) as World;
    Object.assign(copy, {
      // Scalars and values never written after they are made (params, schedule, factory,
      // lastState, stormRecord, initialState, the finished step's events).
      ...this,
      rng: this.rng.clone(),
      lossRng: this.lossRng.clone(),
      alice,
      hosts,
      ownership: this.ownership.fork(),
      truth: this.truth.fork(),
      packets: this.packets.slice(),
      flights: this.flights.map((f) => ({ ...f })),
      steps: this.steps.slice(),
      namedToAlice: new Map([...this.namedToAlice].map(([n, list]) => [n, list.slice()])),
      lastBuSequence: new Map(this.lastBuSequence),
      movesThisStep: this.movesThisStep.slice(),
      movesLastStep: this.movesLastStep.slice(),
    });
    Object.assign(copy, {
      mallory: this.mallory.fork(copy),
      sam: this.sam?.fork(copy) ?? null,
      lee: this.lee?.fork(copy) ?? null,
    });
    return copy;
  }

  /** The trace so far. */
  trace(): Trace {
    const trace: Trace = {
      config: this.schedule.config,
      alice: { name: this.factory.name, features: [...this.factory.features] },
      sas: this.truth.records(),
      owners: this.ownership.initialOwners,
      packets: this.packets,
      steps: this.steps,
    };
    if (this.initialState !== undefined) trace.initialState = this.initialState;
    return trace;
  }
}

export interface RunResult {
  trace: Trace;
  /**
   * Set when Alice threw, or when the world itself did (one of its reference peers, which run
   * the same host code as the reference Alice, or the harness): the run stopped at that step.
   * Either way the run is an error, never a pass (DESIGN.md "Evidence and verdicts").
   */
  crash?: { step: number; message: string };
}

/** The message of a crash the world itself caused (not Alice's). */
function worldCrashMessage(e: unknown): string {
  return `the world threw (not Alice: one of its peers or the harness): ${e instanceof Error ? e.message : String(e)}`;
}

/** Plays `schedule` against the Alice that `factory` makes. Deterministic. */
export function runSchedule(schedule: Schedule, factory: AliceFactory): RunResult {
  const started = startWorld(schedule, factory);
  if (!(started instanceof World)) return started;
  const crash = playActions(started, schedule.actions);
  return crash === undefined ? { trace: started.trace() } : { trace: started.trace(), crash };
}

/** The world of `schedule` after its setup step, or the run that ended in it (a crash). */
export function startWorld(schedule: Schedule, factory: AliceFactory): World | RunResult {
  try {
    return new World(schedule, factory);
  } catch (e) {
    return {
      trace: emptyTrace(schedule, factory),
      crash: { step: 0, message: e instanceof AliceCrash ? e.message : worldCrashMessage(e) },
    };
  }
}

/**
 * Plays `actions` on `world`, one step each, until a storm or a crash ends the run; returns
 * the crash, if there was one (the world then plays nothing more that matters).
 */
export function playActions(world: World, actions: readonly Action[]): RunResult['crash'] {
  for (const action of actions) {
    // A storm ends the run (DESIGN.md "Storms"): the actions after it are not played.
    if (world.stormed) return undefined;
    try {
      world.step(action);
    } catch (e) {
      // A throw that escaped here would be taken by fast-check for a failed run and the check
      // would go on as if the run had never been played.
      return {
        step: world.trace().steps.length,
        message: e instanceof AliceCrash ? e.message : worldCrashMessage(e),
      };
    }
  }
  return undefined;
}

function emptyTrace(schedule: Schedule, factory: AliceFactory): Trace {
  return {
    config: schedule.config,
    alice: { name: factory.name, features: [...factory.features] },
    sas: [],
    owners: {},
    packets: [],
    steps: [],
  };
}
