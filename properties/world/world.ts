// The simulated world (DESIGN.md "The world and the attacker"): nodes that own addresses, a
// network that delivers each packet to the node owning its destination when it arrives (else
// drops it), faults, a virtual clock, Alice behind the `Host` interface, honest peers and
// Mallory. `runSchedule` plays one schedule and returns the trace the invariants judge.
//
// Deterministic: a seed and a schedule give the same trace byte for byte. Time is the
// virtual clock; randomness comes from `Rng` forks of the seed; maps are iterated in
// insertion order only.
//
// The world is its parts, each in its own file and each with its own fork: who owns which
// address (ownership.ts), the ground truth of Alice's SAs (sa-truth.ts), the network and its
// faults (network.ts), the facts the liveness probes read (probes.ts) and Alice's calls
// (alice-calls.ts); dispatch.ts says what each action does. This file sets the world up,
// plays its steps and records them, and copies it (`fork`).

import { createHost, ReferenceHost } from '../../impl/host/index.js';
import type { Host, HostParams, HostState, SaKind } from '../../impl/host/types.js';
import type { Address } from '../../impl/wire/types.js';
import { MALLORY_SECOND } from './addresses.js';
import { AliceCrash, AliceLink, aliceAddSa } from './alice-calls.js';
import { ALICE_ADDRESSES_MANY_MAX, IN_FLIGHT_PACKETS_MAX, START_MS, STEP_DELIVERIES_MAX } from './constants.js';
import { textBytes } from './craft.js';
import { describeAction } from './describe.js';
import { perform } from './dispatch.js';
import { LegacyPeer } from './legacy-peer.js';
import { Mallory, type MallorySa, type MalloryWorld } from './mallory.js';
import { Network, peerCall, StormStop } from './network.js';
import type { EmitOptions } from './node.js';
import { Ownership } from './ownership.js';
import { Liveness } from './probes.js';
import { Rng, seededRandomSource } from './random.js';
import { SaTruth } from './sa-truth.js';
import { StandardMobilePeer } from './standard-peer.js';
import type {
  Action,
  AliceFactory,
  HomelessPeer,
  JsonDelivered,
  NodeName,
  PacketRecord,
  Schedule,
  StormRecord,
  Trace,
  TraceEvent,
  TraceStep,
} from './types.js';

export { AliceCrash } from './alice-calls.js';

export class World implements MalloryWorld {
  now = START_MS;
  readonly params: HostParams;
  readonly mallory: Mallory;
  readonly initialState: HostState | undefined;

  // The parts and nodes the world's own modules (alice-calls, network, probes, dispatch) read
  // and drive; a caller plays steps and reads the trace instead.
  readonly rng: Rng;
  readonly alice: AliceLink;
  readonly hosts = new Map<HomelessPeer, Host>();
  readonly sam: StandardMobilePeer | null = null;
  readonly lee: LegacyPeer | null = null;
  readonly ownership = new Ownership();
  readonly truth: SaTruth;
  readonly network: Network;
  readonly liveness = new Liveness();
  /** The current step's events. */
  events: TraceEvent[] = [];

  private dataCount = 0;
  private readonly steps: TraceStep[] = [];
  /** The storm that ended the run, once there was one: the world plays no step after it. */
  private stormRecord: StormRecord | null = null;

  constructor(
    readonly schedule: Schedule,
    readonly factory: AliceFactory,
  ) {
    const config = schedule.config;
    this.params = config.params;
    this.rng = new Rng(config.seed);
    this.network = new Network(this.rng.fork('loss'));
    this.truth = new SaTruth(config.alg, this.params.antiReplayWindowPackets);
    const hasState = factory.features.includes('state');

    const aliceAddresses: Address[] = [];
    for (let k = 0; k < Math.max(1, Math.min(config.aliceAddressCount, ALICE_ADDRESSES_MANY_MAX)); k++)
      aliceAddresses.push(this.ownership.freshAddress('alice'));
    for (const a of aliceAddresses) this.own(a, 'alice', false);
    this.alice = new AliceLink(factory.create([...aliceAddresses], { ...this.params }, config.seed), hasState);
    if (hasState) {
      this.initialState = JSON.parse(JSON.stringify(this.alice.host.snapshot())) as HostState;
    }
    this.alice.lastState = this.initialState;

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
        aliceAddSa(this, sa);
        peerCall(this, peer, () =>
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
        if (sa.record.peer === 'sam' || sa.record.peer === 'lee' || sa.record.peer === 'mallory') aliceAddSa(this, sa);
    });
  }

  // -------------------------------------------------------------------------------------
  // Addresses (Sam tracks its own; ownership.ts the others').

  /** Gives `address` to `node` (null: nobody), recording the change in the trace unless `record` is false. */
  own(address: Address, node: NodeName | null, record = true): void {
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

  ownerOf(address: Address): NodeName | null {
    if (this.sam !== null && this.sam.addresses().includes(address)) return 'sam';
    return this.ownership.ownerOf(address);
  }

  // -------------------------------------------------------------------------------------
  // What the nodes the world plays (Mallory, Sam, Lee) ask of it.

  /** Every packet put on the network, by id. */
  get packets(): PacketRecord[] {
    return this.network.packets;
  }

  emit(from: NodeName, bytes: Uint8Array, options: EmitOptions = {}): number {
    const id = this.network.register(from, bytes, this.now, options.tag);
    this.events.push({ kind: 'emit', at: this.now, packet: id, by: from });
    this.network.enqueue(id, bytes, this.now, options.extraDelayMs, options.direct);
    this.network.boundInFlight(this.now);
    return id;
  }

  peerDelivered(node: NodeName, packetId: number, items: JsonDelivered[]): void {
    if (items.length > 0) this.events.push({ kind: 'peer-delivered', at: this.now, node, packet: packetId, items });
  }

  note(text: string): void {
    this.events.push({ kind: 'note', at: this.now, text });
  }

  /** The payload of the next datagram an application sends (Alice's, or a peer's with its `tag`). */
  dataPayload(tag = 'alice-data'): Uint8Array {
    this.dataCount += 1;
    return textBytes(`${tag}-${this.dataCount}`);
  }

  // -------------------------------------------------------------------------------------
  // Steps.

  /** Whether a storm ended the run (no further step is played). */
  get stormed(): boolean {
    return this.stormRecord !== null;
  }

  /** Runs one action as one step of the trace; after a storm, nothing (the run is over). */
  step(action: Action): void {
    if (this.stormRecord !== null) return;
    this.playStep(action, () => perform(this, action));
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
      this.network.flights = [];
    }
    this.endStep(action, startMs);
  }

  private beginStep(): void {
    this.events = [];
    this.network.beginStep();
    this.liveness.beginStep();
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
    if (this.alice.lastState !== undefined) step.state = this.alice.lastState;
    if (this.stormRecord !== null) step.storm = this.stormRecord;
    this.steps.push(step);
  }

  // -------------------------------------------------------------------------------------
  // Forks and the trace.

  /**
   * An independent copy of the world between two steps: the same state (clock, network,
   * ownership, ground truth, every node), after which each plays its own steps and neither
   * sees the other's. Playing a step on the copy gives the trace that replaying the schedule
   * to here and then that step gives (test/properties/world-fork.test.ts). The trace's
   * packets and finished steps are never written after they are recorded, so the copy shares
   * them; everything a step changes is copied, each part by its own `fork`. Null when Alice
   * cannot be copied (an external IUT, a broken host with memory outside its state record:
   * `AliceFactory.fork`).
   */
  fork(): World | null {
    const alice = this.factory.fork?.(this.alice.host) ?? null;
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
      // stormRecord, initialState, the finished step's events).
      ...this,
      rng: this.rng.clone(),
      alice: this.alice.fork(alice),
      hosts,
      ownership: this.ownership.fork(),
      truth: this.truth.fork(),
      network: this.network.fork(),
      liveness: this.liveness.fork(),
      steps: this.steps.slice(),
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
      alice: traceAlice(this.factory),
      sas: this.truth.records(),
      owners: this.ownership.initialOwners,
      packets: this.network.packets,
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

/** The trace's record of who Alice is. */
function traceAlice(factory: AliceFactory): Trace['alice'] {
  const out: Trace['alice'] = { name: factory.name, features: [...factory.features] };
  if (factory.oracleChecks === true) out.oracleChecks = true;
  return out;
}

function emptyTrace(schedule: Schedule, factory: AliceFactory): Trace {
  return {
    config: schedule.config,
    alice: traceAlice(factory),
    sas: [],
    owners: {},
    packets: [],
    steps: [],
  };
}
