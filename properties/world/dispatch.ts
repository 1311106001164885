// What each action of a schedule does (DESIGN.md "The world and the attacker"): honest life
// (peers and Alice move, gain and lose addresses, send data; the clock advances or jumps),
// network faults, and Mallory's attacks, with the addresses they name resolved when they run.

import { match } from 'ts-pattern';
import type { SendRequest } from '../../impl/host/types.js';
import { MS_PER_SECOND } from '../../impl/units.js';
import { fromHex } from '../../impl/wire/index.js';
import type { Address } from '../../impl/wire/types.js';
import { NON_GLOBAL_ADDRESSES, strangerAddress, victimAddress } from './addresses.js';
import {
  aliceAddSaAgain,
  aliceAddSaWithLee,
  aliceAddSaWithStranger,
  aliceCall,
  aliceInvalid,
  aliceOdd,
  aliceSendData,
} from './alice-calls.js';
import {
  ALICE_ADDRESSES_MAX,
  BURST_COUNT_MAX,
  FLOOD_COUNT_MAX,
  LARGE_PAYLOAD_BYTES,
  PEER_ADDRESSES_MAX,
  SETTLE_MS_MAX,
} from './constants.js';
import { fault, peerCall, runUntil, tickAll } from './network.js';
import { fair } from './probes.js';
import type { AliceRoute } from './mallory.js';
import type { Action, HomelessPeer, PeerName, Target, Via } from './types.js';
import type { World } from './world.js';

/** A clock jump that settles lasts at most this many ticks of settling (a bound on the loop). */
const SETTLE_ROUNDS_MAX = 64;

/** Plays `action` on `world` (within its step). */
export function perform(world: World, action: Action): void {
  const mallory = world.mallory;
  match(action)
    .with({ kind: 'advance' }, (a) => runUntil(world, world.now + Math.max(0, a.ms)))
    .with({ kind: 'jump' }, (a) => jump(world, a.past))
    .with({ kind: 'fair' }, (a) => fair(world, a.ms))
    .with({ kind: 'peerMove' }, (a) => peerMove(world, a.peer))
    .with({ kind: 'peerGain' }, (a) => peerGain(world, a.peer))
    .with({ kind: 'peerLose' }, (a) => peerLose(world, a.peer, a.pick))
    .with({ kind: 'peerSend' }, (a) => peerSend(world, a.peer))
    .with({ kind: 'peerBurst' }, (a) => peerBurst(world, a.peer, a.count))
    .with({ kind: 'aliceSend' }, (a) => aliceSend(world, a.peer, a.pick, a.proto, a))
    .with({ kind: 'aliceSendNew' }, (a) => {
      aliceSendData(world, { to: strangerAddress(a.n), proto: 'udp', payload: world.dataPayload() }, null);
    })
    .with({ kind: 'aliceAddSa' }, (a) => aliceAddSaWithStranger(world, a.n, a.edge === true))
    .with({ kind: 'aliceAddSaAgain' }, (a) => {
      // Just past `defaultLifetimeSeconds`: the first SA's address (activity-related, rule 17)
      // is then due to be deprecated, and within MAXIMUM-EXPIRED-LIFETIME still held.
      if (a.jump)
        jumpBy(world, world.params.defaultLifetimeSeconds * MS_PER_SECOND + 1, () => aliceAddSaAgain(world, a.n));
      else aliceAddSaAgain(world, a.n);
    })
    .with({ kind: 'aliceOdd' }, (a) => aliceOdd(world, a.what, a.pick))
    .with({ kind: 'aliceAddSaLee' }, () => aliceAddSaWithLee(world))
    .with({ kind: 'aliceGain' }, () => aliceGain(world))
    .with({ kind: 'aliceLose' }, (a) => aliceLose(world, a.pick, a.last === true))
    .with({ kind: 'invalid' }, (a) => aliceInvalid(world, a.request))
    .with({ kind: 'lose' }, (a) => fault(world, 'lose', a.select, a.fromEnd, 0))
    .with({ kind: 'duplicate' }, (a) => fault(world, 'duplicate', a.select, a.fromEnd, 0))
    .with({ kind: 'reorder' }, (a) => fault(world, 'reorder', a.select, a.fromEnd, 0))
    .with({ kind: 'delay' }, (a) => fault(world, 'delay', a.select, a.fromEnd, a.ms))
    .with({ kind: 'lossy' }, (a) => {
      world.events.push({ kind: 'fault', at: world.now, what: 'lossy', ms: a.ms });
      runUntil(world, world.now + Math.max(0, a.ms), Math.min(1000, Math.max(0, a.permille)));
      world.liveness.lastDisturbanceAt = world.now;
    })
    .with({ kind: 'claim' }, (a) => {
      const target = resolve(world, a.target);
      if (target === null) world.note('claim: no such target');
      else
        mallory.claim(
          a.sa,
          target,
          a.form,
          undefined,
          undefined,
          undefined,
          a.via === undefined ? null : aliceRoute(world, a.via),
        );
    })
    .with({ kind: 'takeover' }, (a) => takeover(world, a.sa, a.fromEnd))
    .with({ kind: 'spoof' }, (a) => {
      const as = resolve(world, a.as);
      if (as === null) world.note('spoof: no such address');
      else mallory.spoof(a.what, as, a.via === undefined ? null : aliceRoute(world, a.via));
    })
    .with({ kind: 'badAh' }, (a) => {
      const target = resolve(world, a.target);
      if (target === null) world.note('badAh: no such target');
      else mallory.badAh(a.what, target);
    })
    .with({ kind: 'replay' }, (a) => {
      if (!mallory.replay(a.fromEnd, a.retarget)) world.note('replay: Mallory has seen nothing yet');
    })
    .with({ kind: 'forgeResponse' }, (a) => {
      const target = resolve(world, a.target);
      if (target === null) world.note('forgeResponse: no such target');
      else mallory.forgeResponse(target, a.under);
    })
    .with({ kind: 'clockGuess' }, (a) => {
      const target = resolve(world, a.target);
      if (target === null) world.note('clockGuess: no such target');
      else mallory.clockGuess(a.sa, target);
    })
    .with({ kind: 'anonData' }, () => {
      if (!mallory.anonData()) world.note('anonData: Mallory has no anonymous SA');
    })
    .with({ kind: 'garbage' }, (a) => mallory.garbage(fromHex(a.hex) ?? new Uint8Array(0)))
    .with({ kind: 'bitflip' }, (a) => {
      if (!mallory.bitflip(a.fromEnd, a.bit)) world.note('bitflip: Mallory has no packet');
    })
    .with({ kind: 'flood' }, (a) => {
      const count = Math.max(0, Math.min(FLOOD_COUNT_MAX, a.count));
      mallory.flood(
        a.sa,
        Array.from({ length: count }, (_, i) => victimAddress(a.first + i)),
      );
    })
    .with({ kind: 'paramProblem' }, (a) => {
      if (!mallory.paramProblem(a.fromEnd, world.ownership.everAliceAddresses(), a.form))
        world.note('paramProblem: Mallory has seen no packet of Alice');
    })
    .with({ kind: 'withhold' }, (a) => {
      // Another of its own addresses: the SA's first one is active already (rule 17).
      const others = world.malloryAddresses().filter((x) => x !== mallory.sa(a.sa).registered);
      if (others.length === 0) world.note('withhold: Mallory has no other address');
      else mallory.withhold(a.sa, others[Math.abs(a.pick) % others.length]);
    })
    .with({ kind: 'reuse' }, (a) => {
      if (!mallory.reuse(a.what, a.fromEnd, resolve(world, a.target)))
        world.note(`reuse: Mallory has nothing to reuse (${a.what})`);
    })
    .with({ kind: 'answer' }, (a) => {
      if (!mallory.answerIn(a.form, a.fromEnd)) world.note('answer: Mallory has received no Challenge');
    })
    .with({ kind: 'seqWrap' }, (a) => mallory.seqWrap(a.sa))
    .with({ kind: 'ahEnd' }, (a) => {
      const target = resolve(world, a.target);
      if (target === null) world.note('ahEnd: no such target');
      else mallory.ahEnd(a.sa, target);
    })
    .with({ kind: 'fill' }, (a) => {
      // Fresh addresses under Mallory's own /48: it owns them, so it answers their Challenges.
      for (let i = 0; i < Math.max(0, Math.min(FLOOD_COUNT_MAX, a.count)); i++) {
        const address = world.ownership.freshAddress('mallory');
        world.own(address, 'mallory');
        // The longest lifetime Alice grants (rule 6), so that a clock jump past every
        // lifetime leaves the filled addresses deprecated rather than removed.
        mallory.claim(a.sa, address, 'alt-coa', 'mallory-fill', world.params.bindingLifetimeSecondsMax);
      }
    })
    .with({ kind: 'correspond' }, (a) => {
      if (a.what === 'alice-sends')
        aliceSendData(
          world,
          {
            to: a.aside === true ? malloryAside(world) : mallory.sa('generic').registered,
            proto: 'udp',
            payload: a.large === true ? padded(world.dataPayload(), LARGE_PAYLOAD_BYTES) : world.dataPayload(),
          },
          'mallory',
        );
      else if (a.what === 'mallory-br') mallory.bindingRequest();
      else if (a.what === 'mallory-acks') {
        if (!mallory.acknowledge()) world.note('correspond: Alice sent Mallory no BU asking for a BA');
      } else if (!mallory.data()) world.note('correspond: Mallory has no generic SA');
    })
    .exhaustive();
}

/**
 * A routing header through Alice's own addresses (`Via`): to her first address, through
 * `addresses` of hers, the last one her second (her first when she has one). Null when she has none.
 */
function aliceRoute(world: World, via: Via): AliceRoute | null {
  const mine = world.aliceAddresses();
  if (mine.length === 0) return null;
  const count = Math.max(1, Math.min(2, via.addresses));
  const addresses = Array.from({ length: count }, (_, j) => (j === count - 1 ? mine[1 % mine.length] : mine[0]));
  return { to: mine[0], routing: { segmentsLeft: Math.max(0, Math.min(count, via.segmentsLeft)), addresses } };
}

/** Mallory's address that no SA of its names, taken from its prefix the first time. */
function malloryAside(world: World): Address {
  if (world.mallory.aside === null) {
    const address = world.ownership.freshAddress('mallory');
    world.own(address, 'mallory');
    world.mallory.aside = address;
  }
  return world.mallory.aside;
}

/** `payload` followed by dots up to `bytes` bytes (its numbered text still tells the datagram). */
function padded(payload: Uint8Array, bytes: number): Uint8Array {
  const out = new Uint8Array(Math.max(bytes, payload.length)).fill(PAD_BYTE);
  out.set(payload);
  return out;
}
/** ASCII '.'. */
const PAD_BYTE = 0x2e;

/** The address `t` names now (null: none). */
function resolve(world: World, t: Target): Address | null {
  const pick = <T>(list: readonly T[], i: number): T | null =>
    list.length === 0 ? null : list[Math.abs(i) % list.length];
  return (
    match(t)
      // A peer that is not in this world stands for Bob, who always is.
      .with({ kind: 'peer' }, (x) =>
        pick(world.addressesOf(world.addressesOf(x.peer).length > 0 ? x.peer : 'bob'), x.pick),
      )
      .with({ kind: 'lost' }, (x) =>
        pick(
          [...world.ownership.lost].reverse().map((l) => l.address),
          x.fromEnd,
        ),
      )
      .with({ kind: 'victim' }, (x) => victimAddress(x.n))
      .with({ kind: 'alice' }, (x) => pick(world.aliceAddresses(), x.pick))
      .with({ kind: 'own' }, (x) => pick(world.malloryAddresses(), x.pick))
      .with({ kind: 'next' }, (x) => world.ownership.nextAddress(world.hosts.has(x.peer) ? x.peer : 'bob'))
      .with({ kind: 'stranger' }, (x) => strangerAddress(x.n))
      .with({ kind: 'scoped' }, (x) => pick([...NON_GLOBAL_ADDRESSES], x.pick))
      .exhaustive()
  );
}

function aliceSend(
  world: World,
  peer: PeerName,
  pick: number,
  proto: 'udp' | 'icmp',
  ports: { sport?: number; dport?: number } = {},
): void {
  const addresses = world.addressesOf(peer);
  if (addresses.length === 0) {
    world.note(`aliceSend: ${peer} is not in this world`);
    return;
  }
  const to = addresses[Math.abs(pick) % addresses.length];
  const request: SendRequest = { to, proto, payload: world.dataPayload() };
  if (proto === 'udp' && ports.sport !== undefined) request.sport = ports.sport;
  if (proto === 'udp' && ports.dport !== undefined) request.dport = ports.dport;
  aliceSendData(world, request, peer);
}

function aliceGain(world: World): void {
  if (world.aliceAddresses().length >= ALICE_ADDRESSES_MAX) {
    world.note('aliceGain: Alice has enough addresses');
    return;
  }
  const address = world.ownership.freshAddress('alice');
  world.own(address, 'alice');
  aliceCall(world, () => world.alice.host.addLocalAddress(address, world.now), {
    op: 'addLocalAddress',
    request: { address },
  });
}

function aliceLose(world: World, pick: number, last: boolean): void {
  const addresses = world.aliceAddresses();
  if (addresses.length === 0 || (addresses.length < 2 && !last)) {
    world.note(addresses.length === 0 ? 'aliceLose: Alice has no address' : 'aliceLose: Alice keeps her last address');
    return;
  }
  const address = addresses[Math.abs(pick) % addresses.length];
  world.own(address, null);
  world.liveness.lastDisturbanceAt = world.now;
  aliceCall(world, () => world.alice.host.removeLocalAddress(address, world.now), {
    op: 'removeLocalAddress',
    request: { address },
  });
}

function peerMove(world: World, peer: HomelessPeer | 'sam'): void {
  if (peer === 'sam') {
    const sam = world.sam;
    if (sam === null) {
      world.note('peerMove: Sam is not in this world');
      return;
    }
    const old = sam.coa;
    const coa = world.ownership.freshAddress('sam');
    // Sam's care-of addresses are tracked by Sam itself; the world records the change.
    world.events.push({ kind: 'own', at: world.now, address: coa, from: null, to: 'sam' });
    if (old !== null) {
      world.events.push({ kind: 'own', at: world.now, address: old, from: 'sam', to: null });
      world.ownership.noteLost(old, 'sam', world.now);
    }
    sam.moveTo(coa);
    world.events.push({ kind: 'move', at: world.now, peer: 'sam', address: coa, lost: old });
    return;
  }
  const host = world.hosts.get(peer);
  if (host === undefined) {
    world.note(`peerMove: ${peer} is not in this world`);
    return;
  }
  const old = world.addressesOf(peer)[0];
  const address = world.ownership.freshAddress(peer);
  world.own(address, peer);
  peerCall(world, peer, () => host.addLocalAddress(address, world.now));
  // Make before break: the new address is announced before the old one is given up.
  if (old !== undefined) {
    world.own(old, null);
    peerCall(world, peer, () => host.removeLocalAddress(old, world.now));
  }
  world.events.push({ kind: 'move', at: world.now, peer, address, lost: old ?? null });
  world.liveness.noteMove({ peer, address, at: world.now });
}

function peerGain(world: World, peer: HomelessPeer): void {
  const host = world.hosts.get(peer);
  if (host === undefined || world.addressesOf(peer).length >= PEER_ADDRESSES_MAX) {
    world.note(`peerGain: ${peer} is absent or has enough addresses`);
    return;
  }
  const address = world.ownership.freshAddress(peer);
  world.own(address, peer);
  peerCall(world, peer, () => host.addLocalAddress(address, world.now));
  world.events.push({ kind: 'move', at: world.now, peer, address, lost: null });
  world.liveness.noteMove({ peer, address, at: world.now });
}

function peerLose(world: World, peer: HomelessPeer, pick: number): void {
  const host = world.hosts.get(peer);
  const addresses = world.addressesOf(peer);
  if (host === undefined || addresses.length < 2) {
    world.note(`peerLose: ${peer} is absent or keeps its last address`);
    return;
  }
  const address = addresses[Math.abs(pick) % addresses.length];
  world.own(address, null);
  peerCall(world, peer, () => host.removeLocalAddress(address, world.now));
}

function peerSend(world: World, peer: PeerName): void {
  if (peer === 'sam') {
    if (world.sam !== null) world.sam.sendData();
    return;
  }
  if (peer === 'lee') {
    if (world.lee !== null) world.lee.sendData();
    return;
  }
  const host = world.hosts.get(peer);
  if (host === undefined) return;
  // The peer's application talks to Alice through its entry for her: any active address.
  const entry = host.snapshot().entries.find((e) => e.sa !== null);
  const to = entry?.addresses.find((a) => a.status === 'active')?.address;
  if (to === undefined) {
    world.note(`peerSend: ${peer} has no active address for Alice`);
    return;
  }
  peerCall(world, peer, () => host.send({ to, proto: 'udp', payload: world.dataPayload(`${peer}-data`) }, world.now));
}

/** `count` datagrams from the peer's application at once (one note if the peer cannot send). */
function peerBurst(world: World, peer: PeerName, count: number): void {
  for (let i = 0; i < Math.max(0, Math.min(BURST_COUNT_MAX, count)); i++) {
    const before = world.packets.length;
    peerSend(world, peer);
    if (world.packets.length === before) return;
  }
}

function takeover(world: World, kind: 'generic' | 'anonymous', fromEnd: number): void {
  const free = [...world.ownership.lost].reverse().filter((l) => world.ownerOf(l.address) === null);
  if (free.length === 0) {
    world.note('takeover: no lost address is free');
    return;
  }
  const { address } = free[Math.abs(fromEnd) % free.length];
  world.own(address, 'mallory');
  world.mallory.claim(kind, address, 'alt-coa', 'mallory-takeover');
}

function jump(world: World, past: 'lifetime' | 'expired' | 'all'): void {
  const params = world.params;
  const lifetimeMs = Math.max(params.defaultLifetimeSeconds, params.bindingLifetimeSecondsMax) * MS_PER_SECOND + 1;
  const expiredMs = params.maximumExpiredLifetimeSeconds * MS_PER_SECOND + 1;
  jumpBy(world, past === 'lifetime' ? lifetimeMs : past === 'expired' ? expiredMs : lifetimeMs + expiredMs);
}

/**
 * The clock jumps `jumpMs` once the packets in flight have arrived; `beforeTick`: what happens
 * at the new instant before anybody ticks (Alice's expiries are then due).
 */
function jumpBy(world: World, jumpMs: number, beforeTick?: () => void): void {
  // Packets already in flight arrive first; then nothing runs until the clock has jumped.
  const settleEnd = world.now + SETTLE_MS_MAX;
  for (let round = 0; round < SETTLE_ROUNDS_MAX && world.network.flights.length > 0 && world.now < settleEnd; round++) {
    const next = world.network.nextFlight();
    if (next === null) break;
    runUntil(world, Math.min(settleEnd, next.deliverAt));
  }
  world.now += jumpMs;
  world.liveness.lastDisturbanceAt = world.now;
  world.events.push({ kind: 'note', at: world.now, text: `the clock jumped ${jumpMs} ms` });
  beforeTick?.();
  tickAll(world);
}
