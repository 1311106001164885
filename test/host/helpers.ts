// Test helpers for the reference host: a tiny in-memory network that hands every sent packet
// to the host owning its destination (quinn's two in-memory endpoints with a virtual clock),
// and builders for hand-made peers (a draft-13 node, Mallory) that go through the wire and
// crypto layers only.

import { expect } from 'vitest';
import { makeResponse, protect } from '../../impl/crypto/index.js';
import { addressToBytes, decodePacket, encodePacket, toHex } from '../../impl/wire/index.js';
import type { BindingAck, BindingUpdate, DestOption, Packet, SubOption, UpperLayer } from '../../impl/wire/types.js';
import {
  createHost,
  seededRandom,
  type Delivered,
  type HostParams,
  type HostState,
  type ReferenceHost,
  type SaConfig,
  type SaKind,
  type AddressState,
  type EntryState,
} from '../../impl/host/index.js';

export { A1, A2, B1, B2, B3, C1, C2, M1, M2 } from '../helpers/fixtures.js';

export const KEY_SHA1 = Uint8Array.from({ length: 20 }, (_, i) => 0x10 + i);
export const KEY_SHA1_MALLORY = Uint8Array.from({ length: 20 }, (_, i) => 0x80 + i);
export const KEY_SHA256 = Uint8Array.from({ length: 32 }, (_, i) => 0x40 + i);

export function host(localAddresses: string[], params: Partial<HostParams> = {}, seed = 1, nowMs = 0): ReferenceHost {
  return createHost({ localAddresses, params, random: seededRandom(seed), nowMs });
}

export function decode(bytes: Uint8Array): Packet {
  const d = decodePacket(bytes);
  if (!d.ok) throw new Error(`undecodable packet: ${d.error.code} at ${d.error.offset}: ${d.error.message}`);
  return d.packet;
}

export function okSent(answer: { ok: true; sent: Uint8Array[] } | { ok: false; error: string }): Uint8Array[] {
  if (!answer.ok) throw new Error(`refused: ${answer.error}`);
  return answer.sent;
}

export function bus(p: Packet): BindingUpdate[] {
  return (p.destOptions ?? []).filter((o): o is BindingUpdate => o.kind === 'bu');
}

export function bas(p: Packet): BindingAck[] {
  return (p.destOptions ?? []).filter((o): o is BindingAck => o.kind === 'ba');
}

export function hao(p: Packet): string | null {
  const o = (p.destOptions ?? []).find((x) => x.kind === 'hao');
  return o !== undefined && o.kind === 'hao' ? o.homeAddress : null;
}

export function security(subs: readonly SubOption[]): Uint8Array | null {
  const s = subs.find((x) => x.kind === 'security');
  return s !== undefined && s.kind === 'security' ? s.value : null;
}

export function isChallengeBa(p: Packet): boolean {
  return bas(p).some((ba) => security(ba.subOptions) !== null);
}

export function hasMobileOption(p: Packet): boolean {
  return (p.destOptions ?? []).some((o) => o.kind !== 'unknown');
}

export function entryById(state: HostState, id: string): EntryState {
  const e = state.entries.find((x) => x.id === id);
  if (e === undefined) throw new Error(`no entry ${id}`);
  return e;
}

/** The entry that holds `address` (any status), or undefined. */
export function entryHolding(state: HostState, address: string): EntryState | undefined {
  return state.entries.find((e) => e.addresses.some((a) => a.address === address));
}

export function addressIn(entry: EntryState | undefined, address: string): AddressState | undefined {
  return entry?.addresses.find((a) => a.address === address);
}

export function statusOf(h: ReferenceHost, entryId: string, address: string): string {
  const e = h.snapshot().entries.find((x) => x.id === entryId);
  return addressIn(e, address)?.status ?? 'absent';
}

/** SA configs for both ends of one SA pair: `a` at its peer `bAddress`, `b` at `aAddress`. */
export function saPair(
  aAddress: string,
  bAddress: string,
  spiA: number,
  spiB: number,
  kind: SaKind = 'generic',
  key: Uint8Array = KEY_SHA1,
): { atA: SaConfig; atB: SaConfig } {
  return {
    atA: { peer: bAddress, inboundSpi: spiA, outboundSpi: spiB, alg: 'hmac-sha1-96', key, kind },
    atB: { peer: aAddress, inboundSpi: spiB, outboundSpi: spiA, alg: 'hmac-sha1-96', key, kind },
  };
}

export interface Transmission {
  from: string;
  to: string | null;
  bytes: Uint8Array;
  packet: Packet;
  atMs: number;
}

/**
 * A bounded in-memory network: each host owns its local addresses; a sent packet goes to the
 * host owning its IPv6 Destination when it is delivered, else it is dropped. `filter` may
 * drop or divert packets; every transmission is recorded in `log`.
 */
export class Network {
  nowMs = 0;
  readonly hosts = new Map<string, ReferenceHost>();
  readonly queue: Array<{ from: string; bytes: Uint8Array }> = [];
  readonly log: Transmission[] = [];
  readonly delivered: Array<{ at: string; d: Delivered }> = [];
  /** Return false to lose a packet in flight. */
  filter: (t: Transmission) => boolean = () => true;
  /** Extra owners: address → node name (e.g. Mallory listening at an address). */
  readonly taps = new Map<string, (t: Transmission) => void>();

  add(name: string, h: ReferenceHost): ReferenceHost {
    this.hosts.set(name, h);
    return h;
  }

  host(name: string): ReferenceHost {
    const h = this.hosts.get(name);
    if (h === undefined) throw new Error(`no host ${name}`);
    return h;
  }

  owner(address: string): string | null {
    for (const [name, h] of this.hosts) if (h.snapshot().local.includes(address)) return name;
    return null;
  }

  post(from: string, sent: Uint8Array[]): void {
    for (const bytes of sent) this.queue.push({ from, bytes });
  }

  /** Delivers the oldest queued packet; what it causes is queued behind the rest. */
  step(): Transmission | null {
    const next = this.queue.shift();
    if (next === undefined) return null;
    const packet = decode(next.bytes);
    const to = this.owner(packet.ipv6.destination);
    const t: Transmission = { from: next.from, to, bytes: next.bytes, packet, atMs: this.nowMs };
    this.log.push(t);
    this.taps.get(packet.ipv6.destination)?.(t);
    if (to === null || !this.filter(t)) return t;
    const answer = this.host(to).receive(next.bytes, this.nowMs);
    if (!answer.ok) throw new Error(`receive refused: ${answer.error}`);
    for (const d of answer.delivered) this.delivered.push({ at: to, d });
    this.post(to, answer.sent);
    return t;
  }

  /** Delivers queued packets (and what they cause) until none is left; fails if that takes over `stepsMax`. */
  run(stepsMax = 200): void {
    for (let step = 0; step < stepsMax && this.queue.length > 0; step++) this.step();
    expect(this.queue.length, 'network did not settle').toBe(0);
  }

  /** Both ends of an SA, established at the current time, then their Initial BUs delivered. */
  establish(
    a: string,
    aAddress: string,
    b: string,
    bAddress: string,
    spiA: number,
    spiB: number,
    kind: SaKind = 'generic',
    key = KEY_SHA1,
  ): void {
    const { atA, atB } = saPair(aAddress, bAddress, spiA, spiB, kind, key);
    this.post(a, okSent(this.host(a).addSA(atA, this.nowMs)));
    this.post(b, okSent(this.host(b).addSA(atB, this.nowMs)));
    this.run();
  }

  /** Moves the clock forward by `ms` in ticks of at most `stepMs`, ticking every host and delivering. */
  advance(ms: number, stepMs = 250): void {
    const end = this.nowMs + ms;
    while (this.nowMs < end) {
      this.nowMs = Math.min(end, this.nowMs + stepMs);
      for (const [name, h] of this.hosts) this.post(name, okSent(h.tick(this.nowMs)));
      this.run();
    }
  }

  /** Packets logged from `from` since index `since`, optionally only those matching. */
  sentBy(from: string, since = 0, pred: (p: Packet) => boolean = () => true): Transmission[] {
    return this.log.slice(since).filter((t) => t.from === from && pred(t.packet));
  }
}

/** The peer side of an SA, for hand-made packets: what the peer needs to protect and verify. */
export class HandPeer {
  private sequence = 1;
  constructor(
    readonly spiToAlice: number,
    readonly key: Uint8Array = KEY_SHA1,
    readonly alg: 'hmac-sha1-96' | 'hmac-sha256-128' = 'hmac-sha1-96',
  ) {}

  protect(packet: Packet): Uint8Array {
    return protect(packet, { alg: this.alg, key: this.key, spi: this.spiToAlice, sequence: this.sequence++ });
  }

  /** The next AH sequence number, consumed without sending (to make a gap). */
  skip(n = 1): void {
    this.sequence += n;
  }
}

export function ipv6(source: string, destination: string): Packet['ipv6'] {
  return { trafficClass: 0, flowLabel: 0, hopLimit: 64, source, destination };
}

export function bu(
  sequence: number,
  lifetimeSeconds: number,
  subOptions: SubOption[] = [],
  ack = false,
): BindingUpdate {
  return {
    kind: 'bu',
    flags: { ack, home: false, router: false, dad: false },
    prefixLength: 0,
    sequence,
    lifetimeSeconds,
    subOptions,
  };
}

export function packet(
  source: string,
  destination: string,
  options: DestOption[] | undefined,
  upper: UpperLayer = { kind: 'none' },
): Packet {
  const p: Packet = { ipv6: ipv6(source, destination), upper };
  if (options !== undefined && options.length > 0) p.destOptions = options;
  return p;
}

export function udp(payload: Uint8Array, sourcePort = 5000, destinationPort = 5000): UpperLayer {
  return { kind: 'udp', sourcePort, destinationPort, payload };
}

export function plain(p: Packet): Uint8Array {
  return encodePacket(p);
}

export function hex(bytes: Uint8Array): string {
  return toHex(bytes);
}

export interface SeenChallenge {
  packet: Packet;
  value: Uint8Array;
  spi: number;
  sequence: number;
  lifetimeSeconds: number;
}

/** The challenge BAs among `sent`, optionally only those to `to`. */
export function challengesIn(sent: readonly Uint8Array[], to?: string): SeenChallenge[] {
  const out: SeenChallenge[] = [];
  for (const bytes of sent) {
    const p = decode(bytes);
    if (to !== undefined && p.ipv6.destination !== to) continue;
    for (const ba of bas(p)) {
      const value = security(ba.subOptions);
      if (value !== null)
        out.push({
          packet: p,
          value,
          spi: p.ah?.spi ?? -1,
          sequence: ba.sequence,
          lifetimeSeconds: ba.lifetimeSeconds,
        });
    }
  }
  return out;
}

/**
 * A Response BU (§3.4.2, rule 11) to `ch` from a hand-made peer: from the checked address
 * itself (first form) or from `from` with an Alternate CoA (second form).
 */
export function responseTo(
  ch: SeenChallenge,
  peer: HandPeer,
  buSequence: number,
  opts: { from?: string; ack?: boolean; lifetimeSeconds?: number } = {},
): Uint8Array {
  const checked = ch.packet.ipv6.destination;
  const from = opts.from ?? checked;
  const value = makeResponse(peer.alg, peer.key, ch.value, addressToBytes(checked));
  const subs: SubOption[] =
    from === checked
      ? [{ kind: 'security', value }]
      : [
          { kind: 'alternate-coa', address: checked },
          { kind: 'security', value },
        ];
  return peer.protect(
    packet(from, ch.packet.ipv6.source, [
      bu(buSequence, opts.lifetimeSeconds ?? ch.lifetimeSeconds, subs, opts.ack ?? false),
    ]),
  );
}

/** A BU from a hand-made peer naming `named` in an Alternate CoA (from `source`). */
export function claimBu(
  peer: HandPeer,
  source: string,
  destination: string,
  sequence: number,
  named: string,
  lifetimeSeconds = 600,
  ack = false,
): Uint8Array {
  return peer.protect(
    packet(source, destination, [bu(sequence, lifetimeSeconds, [{ kind: 'alternate-coa', address: named }], ack)]),
  );
}
