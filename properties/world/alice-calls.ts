// Alice's calls (DESIGN.md "The world and the attacker"): the world reaches Alice only through
// the `Host` interface, and each call becomes one `AliceEvent` of the trace, with the packets
// she sent put on the network, what she delivered, the ground truth of what she was handed and
// (feature `state`) her state after it. A throw of hers ends the run (`AliceCrash`).

import type { Host, HostState, SaConfig, SendRequest } from '../../impl/host/types.js';
import { fromHex, toHex } from '../../impl/wire/index.js';
import type { Address } from '../../impl/wire/types.js';
import { NON_GLOBAL_ADDRESSES, strangerAddress } from './addresses.js';
import { LATENCY_MS } from './constants.js';
import type { AnyAnswer } from './network.js';
import type { SaState } from './sa-truth.js';
import { copyHostState, sameHostState } from './same-json.js';
import { EDGE_REQUESTS } from '../arbitraries/invalid.js';
import { textBytes } from './craft.js';
import {
  deliveredToJson,
  type AliceCall,
  type AliceEvent,
  type InvalidRequest,
  type NodeName,
  type OddRequest,
  type SendRecord,
} from './types.js';
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
  /** The instant of her last accepted call. */
  lastAcceptedAt = Number.NEGATIVE_INFINITY;
  /** Her state after her last call that changed it (feature `state`; never written, replaced). */
  lastState: HostState | undefined;
  /** The inbound SPIs of the `addSA` requests she accepted (never written, replaced). */
  inboundSpis: readonly number[] = [];

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

/** The fields of an AliceEvent the call itself fills in (when, and what Alice answered). */
type Answered = 'kind' | 'call' | 'at' | 'ok' | 'error' | 'sent' | 'delivered' | 'unreachable' | 'state';
/** Each variant of a union without the answered fields (distributive, so that `op` still tells them apart). */
type Asked<E> = E extends unknown ? Omit<E, Answered> : never;
/**
 * What a caller of `aliceCall` gives: the op and what was asked. With `op` first: the trace's
 * keys keep their order (kind, call, at, op, the request...), which a counterexample's
 * byte-for-byte replay compares.
 */
type AliceAsk = Asked<AliceEvent>;

/** One call of Alice's, recorded in the trace with `asked`; the packets she sent go on the network. */
export function aliceCall(world: World, run: () => AnyAnswer, asked: AliceAsk): AliceEvent {
  const alice = world.alice;
  const network = world.network;
  let answer: AnyAnswer;
  try {
    answer = run();
  } catch (e) {
    throw new AliceCrash(asked.op, e);
  }
  const event: AliceEvent = {
    kind: 'alice',
    call: alice.calls++,
    at: world.now,
    ...asked,
    ok: answer.ok,
    sent: [],
    delivered: [],
  };
  alice.lastAt = world.now;
  if (answer.ok) {
    alice.lastAcceptedAt = world.now;
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
      throw new AliceCrash(asked.op, e);
    }
    event.state = alice.lastState;
  }
  world.events.push(event);
  // Bounds checked once the call is in the trace, so that the storm's last call is there.
  network.boundInFlight(world.now);
  network.countAliceDeliveries(event.delivered.length, world.now);
  return event;
}

export function aliceAddSa(world: World, sa: SaState): AliceEvent {
  const r = sa.record;
  const config: SaConfig = {
    peer: r.peerAddress,
    inboundSpi: r.aliceInboundSpi,
    outboundSpi: r.aliceOutboundSpi,
    alg: r.alg,
    key: sa.key,
    kind: r.kind,
  };
  const event = aliceCall(world, () => world.alice.host.addSA(config, world.now), {
    op: 'addSA',
    request: {
      peer: r.peerAddress,
      inboundSpi: r.aliceInboundSpi,
      outboundSpi: r.aliceOutboundSpi,
      alg: r.alg,
      key: r.keyHex,
      kind: r.kind,
    },
  });
  if (event.ok) world.alice.inboundSpis = [...world.alice.inboundSpis, r.aliceInboundSpi];
  return event;
}

/**
 * Alice establishes a generic SA with the stranger at `strangerAddress(n)` (Appendix A): the
 * key exchange happens outside the world, and nobody in it holds the other end. Once per
 * stranger: a second `addSA` with the same SPIs would only be refused (HOST.md rule 24).
 */
export function aliceAddSaWithStranger(world: World, n: number, edge = false): void {
  const address = strangerAddress(n);
  if (world.truth.hasStrangerSa(address)) {
    world.note(`aliceAddSa: Alice already has an SA with ${address}`);
    return;
  }
  let spis: { inbound: number; outbound: number } | undefined;
  if (edge) {
    spis = { inbound: EDGE_SPIS.inbound, outbound: EDGE_SPIS.outbound };
    if (world.truth.spiUsed(spis.inbound) || world.truth.spiUsed(spis.outbound)) {
      world.note('aliceAddSa: the SPIs at the ends of their range are in use');
      spis = undefined;
    }
  }
  aliceAddSa(world, world.truth.newSa(world.rng, `alice-stranger-${address}`, 'stranger', address, 'generic', spis));
}

/** The SPIs at the ends of their range (RFC 2402 reserves 0..255; SPIs are 32 bits): both valid. */
const EDGE_SPIS = { inbound: 0x100, outbound: 0xffffffff } as const;

/**
 * Another SA of Alice's with the host at `strangerAddress(n)`, fresh SPIs (HOST.md rule 17:
 * refused while that address is active in an entry with an SA; once it is deprecated, an
 * entry of its own, never the old one). `beforeTick`: the caller moved the clock and no tick
 * ran since, so the expiries due at this `now` decide the verdict (rule 24: judged on the state
 * after them; rule 16).
 */
export function aliceAddSaAgain(world: World, n: number): void {
  const address = strangerAddress(n);
  const count = world.truth.all().filter((s) => s.record.peerAddress === address).length;
  aliceAddSa(world, world.truth.newSa(world.rng, `alice-stranger-${address}-${count}`, 'stranger', address, 'generic'));
}

/** A few bytes that are no IPv6 packet: what a stale `receive` carries. */
const STALE_PACKET_BYTES = 8;

/**
 * A request whose flaw the world resolves from what it knows now (OddRequest in types.ts).
 * The refused ones are marked `invalid` (INV-SEND-FAITHFUL: `ok: false`, no effect); the
 * no-ops `noop` (nothing sent, nothing changed). Each first ticks Alice at the current instant
 * if she accepted no request at it, so that her last accepted `now` is the current one and no
 * expiry is due.
 */
export function aliceOdd(world: World, what: readonly OddRequest[], pick: number): void {
  for (const one of what) aliceOddOne(world, one, pick);
}

function aliceOddOne(world: World, what: OddRequest, pick: number): void {
  const host = world.alice.host;
  if (world.alice.lastAcceptedAt < world.now) aliceTick(world);
  const now = world.now;
  if (what === 'edges') {
    for (const request of EDGE_REQUESTS) aliceInvalid(world, request);
    return;
  }
  const own = world.aliceAddresses();
  const ownPick = own.length === 0 ? null : own[Math.abs(pick) % own.length];
  const probeSa = (peer: Address, inboundSpi: number): SaConfig => ({
    peer,
    inboundSpi,
    outboundSpi: ODD_SPI + 1,
    alg: 'hmac-sha1-96',
    key: new Uint8Array(20).fill(0x6b),
    kind: 'generic',
  });
  const saFields = (sa: SaConfig): Record<string, unknown> => ({ ...sa, key: toHex(sa.key) });
  switch (what) {
    case 'stale-tick':
    case 'fraction-now':
    case 'negative-now': {
      const at = what === 'stale-tick' ? now - 1 : what === 'fraction-now' ? now + 0.5 : -1;
      aliceCall(world, () => host.tick(at), { op: 'tick', request: { now: at }, invalid: true });
      return;
    }
    case 'stale-receive': {
      const bytes = new Uint8Array(STALE_PACKET_BYTES);
      aliceCall(world, () => host.receive(bytes, now - 1), {
        op: 'receive',
        request: { now: now - 1, packet: toHex(bytes) },
        invalid: true,
      });
      return;
    }
    case 'own-peer':
    case 'own-to': {
      if (ownPick === null) {
        world.note(`${what}: Alice has no address`);
        return;
      }
      if (what === 'own-peer') {
        const sa = probeSa(ownPick, ODD_SPI);
        aliceCall(world, () => host.addSA(sa, now), { op: 'addSA', request: saFields(sa), invalid: true });
      } else {
        const payload = textBytes('alice-refused');
        const request: SendRequest = { to: ownPick, proto: 'udp', payload };
        aliceCall(world, () => host.send(request, now), {
          op: 'send',
          request: { to: ownPick, proto: 'udp', payload: toHex(payload) },
          invalid: true,
        });
      }
      return;
    }
    case 'spi-in-use': {
      const spis = world.alice.inboundSpis;
      if (spis.length === 0) {
        world.note('spi-in-use: Alice accepted no SA');
        return;
      }
      const sa = probeSa(strangerAddress(ODD_STRANGER), spis[Math.abs(pick) % spis.length]);
      aliceCall(world, () => host.addSA(sa, now), { op: 'addSA', request: saFields(sa), invalid: true });
      return;
    }
    case 'add-held': {
      if (ownPick === null) {
        world.note('add-held: Alice has no address');
        return;
      }
      aliceCall(world, () => host.addLocalAddress(ownPick, now), {
        op: 'addLocalAddress',
        request: { address: ownPick },
        noop: true,
      });
      return;
    }
    case 'non-global-to': {
      for (const to of NON_GLOBAL_ADDRESSES) {
        aliceSendData(world, { to, proto: 'udp', payload: textBytes('alice-scoped') }, null);
      }
      return;
    }
    case 'remove-lacking': {
      // One she lost (a host that still knows it may send deleting BUs again), else a stranger's.
      const held = new Set(own);
      const lost = world.ownership.everAliceAddresses().filter((a) => !held.has(a));
      const address = lost.length > 0 ? lost[Math.abs(pick) % lost.length] : strangerAddress(ODD_STRANGER);
      aliceCall(world, () => host.removeLocalAddress(address, now), {
        op: 'removeLocalAddress',
        request: { address },
        noop: true,
      });
      return;
    }
  }
}

/** SPIs of the odd requests' `addSA`: above every SPI the world draws (< 2^20), below the malformed ones'. */
const ODD_SPI = 0x180000;
/** A stranger's address number no episode names (they draw 0..16). */
const ODD_STRANGER = 900;

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
  aliceCall(world, () => world.alice.host.tick(world.now), { op: 'tick' });
}

export function aliceReceive(world: World, packetId: number, bytes: Uint8Array): void {
  // Expiries due now run at the start of any request (HOST.md rule 16); a tick first
  // separates them from what the packet itself does (INV-AUTH-REQUIRED, INV-REPLAY).
  if (world.alice.lastAt < world.now) aliceTick(world);
  const truth = world.truth.truthFor(bytes, () => world.aliceAddresses());
  world.liveness.noteArrival(world.network.packets[packetId], truth.ah === 'valid', world.now);
  aliceCall(world, () => world.alice.host.receive(bytes, world.now), { op: 'receive', input: packetId, truth });
}

export function aliceSendData(world: World, request: SendRequest, intent: NodeName | null): AliceEvent {
  // The request as the adapter protocol carries it: ports only when given (INV-SEND-FAITHFUL
  // reads them, defaulting to 5000 as ADAPTER-PROTOCOL.md does).
  const fields: SendRecord = { to: request.to, proto: request.proto, payload: toHex(request.payload) };
  if (request.sport !== undefined) fields.sport = request.sport;
  if (request.dport !== undefined) fields.dport = request.dport;
  return aliceCall(world, () => world.alice.host.send(request, world.now), { op: 'send', request: fields, intent });
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
    // An `sa` that is no object reaches the host as it is (rule 24: a host checks what it is given).
    if (typeof fields.sa !== 'object' || fields.sa === null || Array.isArray(fields.sa)) {
      const config = fields.sa as unknown as SaConfig;
      aliceCall(world, () => host.addSA(config, now), { op: 'addSA', request: { sa: fields.sa }, invalid: true });
      return;
    }
    const sa: Record<string, unknown> = { ...fields.sa };
    const config = { ...sa, key: bytesIfHex(sa.key) } as unknown as SaConfig;
    aliceCall(world, () => host.addSA(config, now), { op: 'addSA', request: sa, invalid: true });
    return;
  }
  if (type === 'receive') {
    const bytes = bytesIfHex(fields.packet) as Uint8Array;
    aliceCall(world, () => host.receive(bytes, now), { op: 'receive', request: fields, invalid: true });
    return;
  }
  if (type === 'send') {
    const send = { ...fields, payload: bytesIfHex(fields.payload) } as unknown as SendRequest;
    aliceCall(world, () => host.send(send, now), { op: 'send', request: fields, invalid: true });
    return;
  }
  const address = fields.address as Address;
  const call =
    type === 'addLocalAddress' ? () => host.addLocalAddress(address, now) : () => host.removeLocalAddress(address, now);
  aliceCall(world, call, { op: type, request: fields, invalid: true });
}
