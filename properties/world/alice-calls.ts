// Alice's calls (DESIGN.md "The world and the attacker"): the world reaches Alice only through
// the `Host` interface, and each call becomes one `AliceEvent` of the trace, with the packets
// she sent put on the network, what she delivered, the ground truth of what she was handed and
// (feature `state`) her state after it. A throw of hers ends the run (`AliceCrash`).

import type { Host, HostState, SaConfig, SendRequest } from '../../impl/host/types.js';
import { fromHex, toHex } from '../../impl/wire/index.js';
import type { Address } from '../../impl/wire/types.js';
import { strangerAddress } from './addresses.js';
import { LATENCY_MS } from './constants.js';
import type { AnyAnswer } from './network.js';
import type { SaState } from './sa-truth.js';
import { copyHostState, sameHostState } from './same-json.js';
import { deliveredToJson, type AliceCall, type AliceEvent, type InvalidRequest, type NodeName } from './types.js';
import type { World } from './world.js';

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

/** Alice's host and what the world remembers of her calls. */
export class AliceLink {
  /** Her calls so far (the next one's index). */
  calls = 0;
  /** The instant of her last call. */
  lastAt = Number.NEGATIVE_INFINITY;
  /** Her state after her last call that changed it (feature `state`; never written, replaced). */
  lastState: HostState | undefined;

  /** `hasState`: the factory offers feature `state`, so each call records her state. */
  constructor(
    readonly host: Host,
    readonly hasState: boolean,
  ) {}

  /** A copy driving `host`, a copy of this one's host. */
  fork(host: Host): AliceLink {
    return Object.assign(Object.create(AliceLink.prototype) as AliceLink, { ...this, host });
  }
}

/** One call of Alice's, recorded in the trace with `fields`; the packets she sent go on the network. */
export function aliceCall(world: World, op: AliceCall, run: () => AnyAnswer, fields: Partial<AliceEvent>): AliceEvent {
  const alice = world.alice;
  const network = world.network;
  let answer: AnyAnswer;
  try {
    answer = run();
  } catch (e) {
    throw new AliceCrash(op, e);
  }
  const event: AliceEvent = {
    kind: 'alice',
    call: alice.calls++,
    at: world.now,
    op,
    ...fields,
    ok: answer.ok,
    sent: [],
    delivered: [],
  };
  alice.lastAt = world.now;
  if (answer.ok) {
    for (const bytes of answer.sent) {
      const id = network.register('alice', bytes, world.now);
      world.truth.noteAliceSent(id, network.packets[id].info);
      // A packet to one of her own addresses never leaves her (loopback, as on any IPv6
      // node): it reaches her at once, so a host that answers its own packets loops within
      // one instant, and the storm bound is what ends the loop.
      const to = network.packets[id].info.destination;
      const latencyMs = to !== undefined && world.ownerOf(to) === 'alice' ? 0 : LATENCY_MS;
      network.enqueue(id, bytes, world.now, 0, undefined, latencyMs);
      event.sent.push(id);
    }
    network.aliceSentThisStep += answer.sent.length;
    if (answer.delivered !== undefined) event.delivered = answer.delivered.map((d) => deliveredToJson(d, toHex));
    if (answer.unreachable === true) event.unreachable = true;
  } else {
    event.error = answer.error;
  }
  if (alice.hasState) {
    // An unchanged state is the same object as before (cheap "unchanged" checks later); a
    // changed one is copied through JSON, so the trace owns it whatever the host does with
    // its own. Most calls change nothing: comparing first saves serialising every snapshot.
    try {
      const snapshot = alice.host.snapshot();
      if (alice.lastState === undefined || !sameHostState(snapshot, alice.lastState))
        alice.lastState = copyHostState(snapshot) as HostState;
    } catch (e) {
      throw new AliceCrash(op, e);
    }
    event.state = alice.lastState;
  }
  world.events.push(event);
  // Bounds checked once the call is in the trace, so that the storm's last call is there.
  network.boundInFlight(world.now);
  network.countAliceDeliveries(event.delivered.length, world.now);
  return event;
}

export function aliceAddSa(world: World, sa: SaState): void {
  const r = sa.record;
  const config: SaConfig = {
    peer: r.peerAddress,
    inboundSpi: r.aliceInboundSpi,
    outboundSpi: r.aliceOutboundSpi,
    alg: r.alg,
    key: sa.key,
    kind: r.kind,
  };
  aliceCall(world, 'addSA', () => world.alice.host.addSA(config, world.now), {
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
export function aliceAddSaWithStranger(world: World, n: number): void {
  const address = strangerAddress(n);
  if (world.truth.hasStrangerSa(address)) {
    world.note(`aliceAddSa: Alice already has an SA with ${address}`);
    return;
  }
  aliceAddSa(world, world.truth.newSa(world.rng, `alice-stranger-${address}`, 'stranger', address, 'generic'));
}

/**
 * Alice establishes a second generic SA with the host at Lee's address: as with a stranger,
 * nobody in the world holds its key (Lee's node keeps its first SA). Once per run.
 */
export function aliceAddSaWithLee(world: World): void {
  const lee = world.lee;
  if (lee === null) {
    world.note('aliceAddSaLee: Lee is not in this world');
    return;
  }
  const address = lee.config.address;
  if (world.truth.hasStrangerSa(address)) {
    world.note(`aliceAddSaLee: Alice already has a second SA with ${address}`);
    return;
  }
  aliceAddSa(world, world.truth.newSa(world.rng, 'alice-lee-second', 'stranger', address, 'generic'));
}

export function aliceTick(world: World): void {
  aliceCall(world, 'tick', () => world.alice.host.tick(world.now), {});
}

export function aliceReceive(world: World, packetId: number, bytes: Uint8Array): void {
  // Expiries due now run at the start of any request (HOST.md rule 16); a tick first
  // separates them from what the packet itself does (INV-AUTH-REQUIRED, INV-REPLAY).
  if (world.alice.lastAt < world.now) aliceTick(world);
  const truth = world.truth.truthFor(bytes, () => world.aliceAddresses());
  world.liveness.noteArrival(world.network.packets[packetId], truth.ah === 'valid', world.now);
  aliceCall(world, 'receive', () => world.alice.host.receive(bytes, world.now), { input: packetId, truth });
}

export function aliceSendData(world: World, request: SendRequest, intent: NodeName | null): AliceEvent {
  // The request as the adapter protocol carries it: ports only when given (INV-SEND-FAITHFUL
  // reads them, defaulting to 5000 as ADAPTER-PROTOCOL.md does).
  const fields: Record<string, unknown> = { to: request.to, proto: request.proto, payload: toHex(request.payload) };
  if (request.sport !== undefined) fields.sport = request.sport;
  if (request.dport !== undefined) fields.dport = request.dport;
  return aliceCall(world, 'send', () => world.alice.host.send(request, world.now), { request: fields, intent });
}

/**
 * A request a correct host refuses with no effect (HOST.md rule 24; DESIGN.md "Probes"),
 * at the current `now`. The Host interface carries bytes where the protocol has hex, so a
 * hex field that is hex becomes bytes and every other value reaches the host as it is (a
 * host checks what it is given, rule 24); the adapter (properties/adapter/alice.ts) writes
 * such values back unchanged, so an external IUT reads the same JSON. Recorded with the
 * trace's field names (an addSA's `sa` fields flat, as `aliceAddSa` records them).
 */
export function aliceInvalid(world: World, request: InvalidRequest): void {
  const { type, ...fields } = request;
  const bytesIfHex = (v: unknown): unknown => (typeof v === 'string' ? (fromHex(v) ?? v) : v);
  const now = world.now;
  const host = world.alice.host;
  if (type === 'addSA') {
    const sa: Record<string, unknown> =
      typeof fields.sa === 'object' && fields.sa !== null && !Array.isArray(fields.sa) ? { ...fields.sa } : {};
    const config = { ...sa, key: bytesIfHex(sa.key) } as unknown as SaConfig;
    aliceCall(world, 'addSA', () => host.addSA(config, now), { request: sa, invalid: true });
    return;
  }
  if (type === 'send') {
    const send = { ...fields, payload: bytesIfHex(fields.payload) } as unknown as SendRequest;
    aliceCall(world, 'send', () => host.send(send, now), { request: fields, invalid: true });
    return;
  }
  const address = fields.address as Address;
  const call =
    type === 'addLocalAddress' ? () => host.addLocalAddress(address, now) : () => host.removeLocalAddress(address, now);
  aliceCall(world, type, call, { request: fields, invalid: true });
}
