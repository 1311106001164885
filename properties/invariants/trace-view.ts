// Reading a trace: Alice's calls with the state before and after each, the SAs by SPI,
// where every packet was delivered, and who owned what when. Shared by every property.

import { MS_PER_SECOND } from '../../impl/units.js';
import type { AddressState, EntryState, HostState } from '../../impl/host/types.js';
import { decodePacket, fromHex } from '../../impl/wire/index.js';
import type { Address } from '../../impl/wire/types.js';
import { START_MS } from '../world/constants.js';
import type { AliceEvent, NodeName, PacketRecord, SaRecord, Trace, TraceEvent } from '../world/types.js';

export interface CallView {
  /** Index of the step the call happened in. */
  step: number;
  event: AliceEvent;
  /** Alice's state before the call (undefined in black-box mode). */
  before: HostState | undefined;
  after: HostState | undefined;
}

/** Each complete trace's calls, built once: every property walks them. */
const CALLS = new WeakMap<Trace, readonly CallView[]>();

/** Every Alice call in order, with the states around it (one list per trace, shared: never changed). */
export function aliceCalls(trace: Trace): readonly CallView[] {
  let calls = CALLS.get(trace);
  if (calls === undefined) {
    calls = buildCalls(trace);
    CALLS.set(trace, calls);
  }
  return calls;
}

function buildCalls(trace: Trace): CallView[] {
  const out: CallView[] = [];
  let before = trace.initialState;
  for (const step of trace.steps) {
    for (const e of step.events) {
      if (e.kind !== 'alice') continue;
      const after = e.state ?? before;
      out.push({ step: step.index, event: e, before, after });
      before = after;
    }
  }
  return out;
}

/** Virtual time as the story prints it: seconds since the run began ("60.010 s"), stable from step to step. */
export function clockText(atMs: number): string {
  return `${((atMs - START_MS) / MS_PER_SECOND).toFixed(3)} s`;
}

/**
 * One of Alice's calls as reasons name it: by the packet she received (`receive of #5`), else
 * by its kind and instant (`tick at 3600.250 s`), both as the story shows them. In text, `#N`
 * is always packet N; the calls' own count (`AliceEvent.call`) is never printed.
 */
export function callText(event: AliceEvent): string {
  if (event.op === 'receive' && event.input !== undefined) return `receive of #${event.input}`;
  return `${event.op} at ${clockText(event.at)}`;
}

/** Each complete trace's events with their steps, built once. */
const EVENTS = new WeakMap<Trace, readonly { step: number; event: TraceEvent }[]>();

/** Every event in order, with its step (one list per trace, shared: never changed). */
export function events(trace: Trace): readonly { step: number; event: TraceEvent }[] {
  let list = EVENTS.get(trace);
  if (list === undefined) {
    const built: { step: number; event: TraceEvent }[] = [];
    for (const step of trace.steps) for (const event of step.events) built.push({ step: step.index, event });
    list = built;
    EVENTS.set(trace, list);
  }
  return list;
}

export class SaIndex {
  private readonly inbound = new Map<number, SaRecord>();
  private readonly outbound = new Map<number, SaRecord>();

  constructor(trace: Trace) {
    for (const sa of trace.sas) {
      this.inbound.set(sa.aliceInboundSpi, sa);
      this.outbound.set(sa.aliceOutboundSpi, sa);
    }
  }

  /** The SA whose SPI Alice's peers put on packets to her. */
  byInbound(spi: number | undefined): SaRecord | undefined {
    return spi === undefined ? undefined : this.inbound.get(spi);
  }

  /** The SA whose SPI Alice puts on her packets. */
  byOutbound(spi: number | undefined): SaRecord | undefined {
    return spi === undefined ? undefined : this.outbound.get(spi);
  }
}

export function entryById(state: HostState | undefined, id: string): EntryState | undefined {
  return state?.entries.find((e) => e.id === id);
}

/** The entry Alice associates with `sa` (HOST.md rule 1): the one whose SA has its inbound SPI. */
export function entryForSa(state: HostState | undefined, sa: SaRecord): EntryState | undefined {
  return state?.entries.find((e) => e.sa !== null && e.sa.inboundSpi === sa.aliceInboundSpi);
}

export function addressIn(entry: EntryState | undefined, address: Address): AddressState | undefined {
  return entry?.addresses.find((a) => a.address === address);
}

/** Entries that list `address` as active. */
export function activeHolders(state: HostState | undefined, address: Address): EntryState[] {
  return (state?.entries ?? []).filter((e) => e.addresses.some((a) => a.address === address && a.status === 'active'));
}

/** Stable text of a state, for "unchanged" comparisons. */
export function stateKey(state: HostState | undefined): string {
  return JSON.stringify(state ?? null);
}

/** Whether two states are the same (the world reuses the object for an unchanged state). */
export function sameState(a: HostState | undefined, b: HostState | undefined): boolean {
  return a === b || stateKey(a) === stateKey(b);
}

export interface Delivery {
  step: number;
  at: number;
  to: NodeName;
  address: Address;
}

/** Where each packet was delivered (a duplicated packet may be delivered twice). */
export function deliveries(trace: Trace): Map<number, Delivery[]> {
  const out = new Map<number, Delivery[]>();
  for (const { step, event } of events(trace)) {
    if (event.kind !== 'deliver') continue;
    const list = out.get(event.packet) ?? [];
    list.push({ step, at: event.at, to: event.to, address: event.address });
    out.set(event.packet, list);
  }
  return out;
}

export function packet(trace: Trace, id: number): PacketRecord {
  return trace.packets[id];
}

/** Upper-layer data (what an application sends): UDP or an ICMPv6 echo. */
export function isData(p: PacketRecord): boolean {
  return p.info.upper === 'udp' || p.info.upper === 'echo-request' || p.info.upper === 'echo-reply';
}

/** Whether a packet carries a Challenge (a BA with a Security Challenge/Response sub-option). */
export function isChallenge(p: PacketRecord): boolean {
  return p.info.bas.some((b) => b.security !== undefined);
}

/** Whether a packet carries a BU or BR with a Homeless Support sub-option (§3.1.1). */
export function carriesHomelessSupport(p: PacketRecord): boolean {
  if (p.info.bus.some((b) => b.homelessSupport)) return true;
  if (!p.info.br) return false;
  // PacketInfo does not keep a BR's sub-options: read them off the bytes.
  const bytes = fromHex(p.hex);
  const decoded = bytes === null ? null : decodePacket(bytes);
  if (decoded === null || !decoded.ok) return false;
  return (decoded.packet.destOptions ?? []).some(
    (o) => o.kind === 'br' && o.subOptions.some((x) => x.kind === 'homeless-support'),
  );
}

/** Ownership over time: every address with its owners' intervals [from, to). */
export class Ownership {
  /** Per address: [{node, from, to}] with `to` = Infinity while still owned. */
  private readonly spans = new Map<Address, { node: NodeName; from: number; to: number }[]>();

  constructor(trace: Trace) {
    for (const [address, node] of Object.entries(trace.owners))
      this.spans.set(address, [{ node, from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY }]);
    for (const { event } of events(trace)) {
      if (event.kind !== 'own') continue;
      const list = this.spans.get(event.address) ?? [];
      const open = list.find((s) => s.to === Number.POSITIVE_INFINITY);
      if (open !== undefined) open.to = event.at;
      if (event.to !== null) list.push({ node: event.to, from: event.at, to: Number.POSITIVE_INFINITY });
      this.spans.set(event.address, list);
    }
  }

  /** When `node` stopped owning `address` (the latest time), or null if it never did. */
  lostAt(address: Address, node: NodeName): number | null {
    let at: number | null = null;
    for (const s of this.spans.get(address) ?? [])
      if (s.node === node && s.to !== Number.POSITIVE_INFINITY) at = Math.max(at ?? s.to, s.to);
    return at;
  }

  /** Who owned `address` at instant `at` (a change at `at` counts as done). */
  ownerAt(address: Address, at: number): NodeName | null {
    for (const s of this.spans.get(address) ?? []) if (s.from <= at && at < s.to) return s.node;
    return null;
  }

  everOwnedBy(address: Address, node: NodeName): boolean {
    return (this.spans.get(address) ?? []).some((s) => s.node === node);
  }

  /** Every address `node` ever owned. */
  addressesEverOwnedBy(node: NodeName): Address[] {
    const out: Address[] = [];
    for (const [a, list] of this.spans) if (list.some((s) => s.node === node)) out.push(a);
    return out;
  }
}

/**
 * Who holds which address, followed event by event rather than by instant: a change of owner
 * and a call at the same instant count in the order the world made them (it gives Alice an
 * address before her `addLocalAddress`, and takes one before her `removeLocalAddress`). Feed
 * it every event of the trace in order (`events`).
 */
export class Holdings {
  private readonly current = new Map<Address, NodeName>();
  private readonly ever = new Map<NodeName, Set<Address>>();

  constructor(trace: Trace) {
    for (const [address, node] of Object.entries(trace.owners)) this.give(address, node);
  }

  observe(event: TraceEvent): void {
    if (event.kind !== 'own') return;
    this.current.delete(event.address);
    if (event.to !== null) this.give(event.address, event.to);
  }

  private give(address: Address, node: NodeName): void {
    this.current.set(address, node);
    const set = this.ever.get(node) ?? new Set<Address>();
    set.add(address);
    this.ever.set(node, set);
  }

  /** Who holds `address` now, or null. */
  holder(address: Address): NodeName | null {
    return this.current.get(address) ?? null;
  }

  /** Whether `node` held `address` at any point so far. */
  everHeld(node: NodeName, address: Address): boolean {
    return this.ever.get(node)?.has(address) ?? false;
  }

  /** What `node` holds now. */
  addressesOf(node: NodeName): Address[] {
    const out: Address[] = [];
    for (const [a, n] of this.current) if (n === node) out.push(a);
    return out;
  }
}

export function hexBytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/**
 * Alice's addresses at every `receive`, in event order (the world hands her a packet only
 * between ownership changes, which it records before the calls that make them).
 */
export function aliceAddressesAtReceives(trace: Trace): Map<AliceEvent, ReadonlySet<Address>> {
  const mine = new Set<Address>(Object.entries(trace.owners).flatMap(([a, n]) => (n === 'alice' ? [a] : [])));
  const out = new Map<AliceEvent, ReadonlySet<Address>>();
  for (const { event } of events(trace)) {
    if (event.kind === 'own') {
      if (event.to === 'alice') mine.add(event.address);
      else if (event.from === 'alice') mine.delete(event.address);
    } else if (event.kind === 'alice' && event.op === 'receive') {
      out.set(event, new Set(mine));
    }
  }
  return out;
}
