// The canonical key of a world state for `hmip6 explore`: two runs whose last states have the
// same key are one state of the search. It is read off the trace alone (so any Alice works,
// the reference host, a mutant or an external implementation), and keeps what decides what
// the next actions can do:
//
// - Alice's abstract state (HOST.md: per entry its SA, peer kind, home and care-of address;
//   per address its status, lifetime kind, challengeOutstanding, and the time left before its
//   expiry, in coarse buckets), and her local addresses;
// - who owns which address, and the addresses lost and not yet owned again (what `takeover`
//   and a `lost` target reach), newest first;
// - the packets in flight, each as its abstract content with the time left before it arrives;
// - Mallory's knowledge: the last packet it received or sent (what `replay` resends);
// - the clock's phase on the tick grid (to 10 ms), and whether a peer moved in the last step
//   (what a `fair` stretch probes).
//
// Times are relative to the clock and bucketed on a doubling scale, so that two histories
// whose timers differ by less than a bucket are one state. That is an abstraction: it merges
// states a precise key would keep apart (peers' internal state is not in it either), which is
// what makes a depth of 6 or more affordable; docs/exploring.md states the limits.

import type { HostState } from '../../impl/host/types.js';
import { MS_PER_SECOND } from '../../impl/units.js';
import { LATENCY_MS, TICK_MS } from '../world/constants.js';
import type { NodeName, PacketInfo, SaRecord, Trace } from '../world/types.js';

/** Mallory's last packets that the key keeps (the moves replay the last one). */
const MALLORY_MEMORY_PACKETS = 1;
/** Lost addresses the key keeps, newest first. */
const LOST_MEMORY_ADDRESSES = 2;
/** The clock's phase on the tick grid is kept to this precision (a packet takes LATENCY_MS to arrive). */
const PHASE_BIN_MS = LATENCY_MS;

/** Time left, bucketed: `x` when past, else the doubling bucket of seconds (0: under 1 s, 1: under 3 s, 2: under 7 s...). */
export function timeBucket(leftMs: number): string {
  if (leftMs <= 0) return 'x';
  return String(Math.floor(Math.log2(leftMs / MS_PER_SECOND + 1)));
}

function aliceKey(state: HostState | undefined, now: number): string {
  if (state === undefined) return '-';
  const entries = state.entries.map((e) => {
    const addresses = e.addresses
      .map(
        (a) =>
          `${a.address}:${a.status[0]}${a.lifetime.kind[0]}${timeBucket(a.lifetime.expiresAt - now)}${a.challengeOutstanding ? '?' : ''}`,
      )
      .sort()
      .join(',');
    const sa = e.sa === null ? 'nosa' : `${e.sa.kind[0]}${e.sa.inboundSpi}`;
    return `${sa}/${e.peerKind}/${e.homeAddress ?? ''}/${e.careOfAddress ?? ''}[${addresses}]`;
  });
  return `${entries.sort().join(';')}|${[...state.local].sort().join(',')}`;
}

/** A packet's content without its counters (AH sequence numbers, Challenge values): what it can do, not which copy it is. */
export function packetShape(info: PacketInfo, sas: ReadonlyMap<number, string>): string {
  if (!info.decodes) return 'garbage';
  const parts = [`${info.source}>${info.destination}`];
  if (info.routing !== undefined) parts.push(`rh:${info.routing.join(',')}`);
  if (info.hao !== undefined) parts.push(`hao:${info.hao}`);
  for (const b of info.bus)
    parts.push(
      `bu:${b.security !== undefined ? `resp:${b.careOf}` : b.named.join(',')}${b.lifetimeSeconds === 0 ? ':del' : ''}`,
    );
  for (const b of info.bas) parts.push(`ba:${b.status}${b.security !== undefined ? ':ch' : ''}`);
  if (info.br) parts.push('br');
  if (info.spi !== undefined) parts.push(`ah:${sas.get(info.spi) ?? 'unknown'}`);
  if (info.upper !== 'none') parts.push(info.upper);
  return parts.join(' ');
}

/** SA names by every SPI they use (both directions). */
export function saNames(sas: readonly SaRecord[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const sa of sas) {
    out.set(sa.aliceInboundSpi, `${sa.name}>a`);
    out.set(sa.aliceOutboundSpi, `${sa.name}<a`);
  }
  return out;
}

/** Shapes of packets by sender and bytes: the same bytes recur across the many runs of a search. */
export class ShapeCache {
  private readonly shapes = new Map<string, string>();
  constructor(private readonly sas: ReadonlyMap<number, string>) {}

  shape(trace: Trace, id: number): string {
    const p = trace.packets[id];
    const cacheKey = `${p.from}|${p.hex}`;
    let s = this.shapes.get(cacheKey);
    if (s === undefined) {
      s = `${p.from}:${packetShape(p.info, this.sas)}`;
      this.shapes.set(cacheKey, s);
    }
    return s;
  }
}

/** The canonical key of the state at the end of `trace`. */
export function stateKey(trace: Trace, shapes: ShapeCache = new ShapeCache(saNames(trace.sas))): string {
  const last = trace.steps[trace.steps.length - 1];
  const now = last?.endMs ?? 0;
  const owners = new Map<string, NodeName>(Object.entries(trace.owners));
  const lost: string[] = [];
  /** Per packet id: copies in flight and when the next one arrives. */
  const flights = new Map<number, { copies: number; due: number }>();
  const queue = (id: number, at: number, extra = 0): void => {
    const f = flights.get(id);
    if (f === undefined) flights.set(id, { copies: 1, due: at + LATENCY_MS + extra });
    else f.copies += 1;
  };
  const unqueue = (id: number): void => {
    const f = flights.get(id);
    if (f === undefined) return;
    f.copies -= 1;
    if (f.copies <= 0) flights.delete(id);
  };
  const mallorySeen: number[] = [];
  for (const step of trace.steps) {
    for (const e of step.events) {
      switch (e.kind) {
        case 'own':
          if (e.from !== null) lost.push(e.address);
          if (e.to === null) owners.delete(e.address);
          else owners.set(e.address, e.to);
          break;
        case 'emit':
          queue(e.packet, e.at);
          if (e.by === 'mallory') mallorySeen.push(e.packet);
          break;
        case 'alice':
          for (const id of e.sent) queue(id, e.at);
          break;
        case 'deliver':
          unqueue(e.packet);
          if (e.to === 'mallory') mallorySeen.push(e.packet);
          break;
        case 'drop':
          unqueue(e.packet);
          break;
        case 'fault':
          if (e.packet === undefined) break;
          if (e.what === 'duplicate') queue(e.packet, e.at);
          else if (e.what === 'delay') {
            const f = flights.get(e.packet);
            if (f !== undefined) f.due += e.ms ?? 0;
          }
          break;
        default:
          break;
      }
    }
  }
  const freeLost: string[] = [];
  for (let i = lost.length - 1; i >= 0 && freeLost.length < LOST_MEMORY_ADDRESSES; i--) {
    if (!owners.has(lost[i]) && !freeLost.includes(lost[i])) freeLost.push(lost[i]);
  }
  const owned = [...owners].map(([a, n]) => `${a}=${n}`).sort();
  const inFlight = [...flights]
    .map(([id, f]) => `${shapes.shape(trace, id)}@${timeBucket(f.due - now)}${f.copies > 1 ? `x${f.copies}` : ''}`)
    .sort();
  const mallory = mallorySeen.slice(-MALLORY_MEMORY_PACKETS).map((id) => shapes.shape(trace, id));
  const moved = (last?.events ?? []).some((e) => e.kind === 'move') ? 'moved' : '';
  return [
    `phase ${Math.floor((now % TICK_MS) / PHASE_BIN_MS)}`,
    `alice ${aliceKey(last?.state ?? trace.initialState, now)}`,
    `owners ${owned.join(' ')}`,
    `lost ${freeLost.join(' ')}`,
    `flight ${inFlight.join(' ; ')}`,
    `mallory ${mallory.join(' ; ')}`,
    moved,
  ].join('\n');
}
