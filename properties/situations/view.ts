// What the situation detectors read off a trace, computed once per run: every packet that
// reached Alice with the world's verdict on it, the Challenges she sent, her sends, who owned
// what when, and the bindings the world knows an SA to hold.
//
// Everything here comes from the world's ground truth (DESIGN.md "Evidence and verdicts"):
// what the world gave Alice and its own verdict on it (`truth`), what she sent (the world
// carried it), who owned which address when. Alice's reported state is never read: a
// situation is something the schedule made happen, whatever Alice made of it.

import { MS_PER_SECOND } from '../../impl/units.js';
import { decodePacket, fromHex } from '../../impl/wire/index.js';
import type { Address } from '../../impl/wire/types.js';
import type {
  AliceEvent,
  BuInfo,
  MalformedEvent,
  NodeName,
  PacketRecord,
  ReceiveEvent,
  ReceiveTruth,
  SaRecord,
  SendEvent,
  Trace,
  TraceEvent,
} from '../world/types.js';

export const HONEST_NODES: ReadonlySet<NodeName> = new Set(['bob', 'carol', 'sam', 'lee']);
export const HOMELESS_NODES: ReadonlySet<NodeName> = new Set(['bob', 'carol']);

/** A packet the network handed to Alice, with the world's verdict on it. */
export interface Arrival {
  /** Position among the arrivals, oldest first. */
  index: number;
  step: number;
  at: number;
  /** Index of Alice's receive call. */
  call: number;
  packet: PacketRecord;
  truth: ReceiveTruth;
  /** The SA whose inbound SPI the AH carries, when the world knows it. */
  sa: SaRecord | undefined;
  /** The address the network delivered it at (one of Alice's). */
  address: Address | undefined;
  /** The SA's AH verdict was `valid`: the packet is authentic and fresh. */
  valid: boolean;
}

/** The sub-options of a Response, counted as rule 12 reads them (padding is not represented). */
export interface ResponseShape {
  securities: number;
  alternateCoas: number;
  /** Every other sub-option (Unique Identifier, Homeless Support, Alternate Prefixes, unknown). */
  others: number;
}

/** A Response (a BU with a Security sub-option) inside an arrival, with what it answers. */
export interface ResponseArrival {
  arrival: Arrival;
  bu: BuInfo;
  /**
   * Alice's Challenge packet whose Challenge its value (the first Security sub-option's)
   * correctly answers for its care-of address (the world's verdict), else null: whatever its
   * form and lifetime.
   */
  answers: number | null;
  shape: ResponseShape;
  /** Rule 12's form: one Security sub-option, at most one Alternate CoA, nothing else. */
  wellFormed: boolean;
}

/** Rule 12: a Response that answers correctly, is well formed and has a lifetime; every correct host takes it (if its Challenge lives). */
export function accepted(r: ResponseArrival): boolean {
  return r.answers !== null && r.wellFormed && r.bu.lifetimeSeconds > 0;
}

/** The shapes of the Responses among `packet`'s BUs, in order (none when it does not decode). */
function responseShapes(packet: PacketRecord): ResponseShape[] {
  const bytes = fromHex(packet.hex);
  const decoded = bytes === null ? null : decodePacket(bytes);
  if (decoded === null || !decoded.ok) return [];
  const out: ResponseShape[] = [];
  for (const o of decoded.packet.destOptions ?? []) {
    if (o.kind !== 'bu' || !o.subOptions.some((s) => s.kind === 'security')) continue;
    const shape: ResponseShape = { securities: 0, alternateCoas: 0, others: 0 };
    for (const s of o.subOptions) {
      if (s.kind === 'security') shape.securities += 1;
      else if (s.kind === 'alternate-coa') shape.alternateCoas += 1;
      else shape.others += 1;
    }
    out.push(shape);
  }
  return out;
}

/** A claim: an authentic, fresh BU that is no Response, with a lifetime, naming addresses. */
export interface Claim {
  arrival: Arrival;
  sa: SaRecord;
  bu: BuInfo;
}

/** One Challenge value Alice sent under an SA (retransmissions share the value). */
export interface ChallengeSent {
  sa: SaRecord;
  value: string;
  destination: Address;
  source: Address | undefined;
  /** First transmission: the Challenge lives challengeLifetimeMs from here (HOST.md rule 9). */
  firstAt: number;
  /** Index of the call that first sent it. */
  firstCall: number;
  packets: number[];
  /** When a correct Response to it first reached Alice, else null. */
  answeredAt: number | null;
}

export interface SendCall {
  step: number;
  at: number;
  call: number;
  to: Address;
  intent: NodeName | null | undefined;
  /** A malformed send Alice accepted is one too (HOST.md rule 24: she should have refused it). */
  event: SendEvent | MalformedEvent;
}

/** A binding the world knows an SA to hold for an address, from establishment to deletion. */
interface HeldSpan {
  start: number;
  /** A deleting BU's arrival, or Infinity. */
  end: number;
  /** Refreshes: when, and the lifetime granted then. */
  refreshes: { at: number; lifetimeMs: number }[];
  /** The lifetime is activity-related (HOST.md rule 17) until a BU makes it absolute (§2.1.4). */
  activity: boolean;
  /** When the lifetime became absolute: its start if it never was activity-related, Infinity while it is. */
  absoluteFrom: number;
}

export class TruthView {
  readonly trace: Trace;
  readonly params: Trace['config']['params'];
  /** Per address: its owners' spans [from, to), from the initial owners and the `own` events. */
  private readonly ownerSpans = new Map<Address, { node: NodeName; from: number; to: number }[]>();
  readonly arrivals: Arrival[] = [];
  readonly responses: ResponseArrival[] = [];
  readonly claims: Claim[] = [];
  /** Challenges per SA name, in order of first transmission. */
  readonly challenges = new Map<string, ChallengeSent[]>();
  readonly sends: SendCall[] = [];
  /** Every Alice call in order, but ticks that sent nothing. */
  readonly calls: AliceEvent[] = [];
  readonly sasByName = new Map<string, SaRecord>();
  private readonly byOutbound = new Map<number, SaRecord>();
  private readonly held = new Map<string, HeldSpan[]>();
  /** Per SA and address: [claim arrival, end of its Challenge's life or its verification). */
  private readonly pending = new Map<string, { start: number; end: number }[]>();
  /** Every packet Alice sent, in order. */
  readonly alicePackets: PacketRecord[] = [];
  /** Packets the network delivered to Mallory. */
  readonly deliveredToMallory = new Set<number>();
  /** Packets the network delivered to anyone. */
  readonly delivered = new Set<number>();
  /** Honest peers' moves and gains (`lost` null for a gain). */
  readonly moves: Extract<TraceEvent, { kind: 'move' }>[] = [];
  readonly probes: Extract<TraceEvent, { kind: 'probe' }>[] = [];
  /** A homeless peer's entry for Alice around each of her deleting BUs it took. */
  readonly peerEntries: Extract<TraceEvent, { kind: 'peer-entry' }>[] = [];
  readonly faults: Extract<TraceEvent, { kind: 'fault' }>[] = [];
  /** Ownership changes, in order. */
  readonly ownChanges: Extract<TraceEvent, { kind: 'own' }>[] = [];
  private readonly memos = new Map<string, unknown>();

  constructor(trace: Trace) {
    this.trace = trace;
    this.params = trace.config.params;
    for (const [address, node] of Object.entries(trace.owners))
      this.ownerSpans.set(address, [{ node, from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY }]);
    for (const sa of trace.sas) {
      this.sasByName.set(sa.name, sa);
      this.byOutbound.set(sa.aliceOutboundSpi, sa);
    }
    const cl = this.params.challengeLifetimeMs;
    /** Where the network delivered each packet to Alice, waiting for her receive call. */
    const deliveredAt = new Map<number, Address[]>();
    let step = 0;
    for (const s of trace.steps) {
      step = s.index;
      for (const e of s.events) {
        if (e.kind === 'deliver') {
          this.delivered.add(e.packet);
          if (e.to === 'mallory') this.deliveredToMallory.add(e.packet);
          if (e.to !== 'alice') continue;
          const list = deliveredAt.get(e.packet) ?? [];
          list.push(e.address);
          deliveredAt.set(e.packet, list);
          continue;
        }
        if (e.kind === 'move') this.moves.push(e);
        else if (e.kind === 'probe') this.probes.push(e);
        else if (e.kind === 'peer-entry') this.peerEntries.push(e);
        else if (e.kind === 'fault') this.faults.push(e);
        else if (e.kind === 'own') this.owned(e);
        if (e.kind !== 'alice') continue;
        // A tick that sent nothing is most of the calls and says nothing a detector reads.
        if (e.op === 'tick' && e.sent.length === 0) continue;
        this.calls.push(e);
        if (e.op === 'addSA' && e.ok) {
          // A malformed addSA Alice accepted counts too, when its fields name an SA and a peer.
          const peer = e.request.peer;
          const spi = e.request.inboundSpi;
          const sa = trace.sas.find((x) => x.aliceInboundSpi === spi);
          // Rule 17: the SA's peer address is its entry's first address, active from here.
          if (sa !== undefined && typeof peer === 'string')
            this.establish(sa.name, peer, e.at, this.params.defaultLifetimeSeconds * MS_PER_SECOND, true);
        }
        if (e.op === 'send' && e.ok && typeof e.request.to === 'string')
          this.sends.push({ step, at: e.at, call: e.call, to: e.request.to, intent: e.intent, event: e });
        if (e.op === 'receive' && e.invalid !== true) this.arrive(step, e, deliveredAt, cl);
        for (const id of e.sent) this.noteSent(e, id);
      }
    }
  }

  private noteSent(e: AliceEvent, id: number): void {
    const p = this.trace.packets[id];
    this.alicePackets.push(p);
    const sa = p.info.spi === undefined ? undefined : this.byOutbound.get(p.info.spi);
    if (sa === undefined || p.info.destination === undefined) return;
    for (const ba of p.info.bas) {
      if (ba.security === undefined) continue;
      const list = this.challenges.get(sa.name) ?? [];
      const known = list.find((c) => c.value === ba.security && c.destination === p.info.destination);
      if (known !== undefined) known.packets.push(id);
      else
        list.push({
          sa,
          value: ba.security,
          destination: p.info.destination,
          source: p.info.source,
          firstAt: e.at,
          firstCall: e.call,
          packets: [id],
          answeredAt: null,
        });
      this.challenges.set(sa.name, list);
    }
  }

  private arrive(step: number, e: ReceiveEvent, deliveredAt: Map<number, Address[]>, cl: number): void {
    const id = e.input;
    const truth = e.truth;
    const packet = this.trace.packets[id];
    const where = deliveredAt.get(id);
    const address = where !== undefined && where.length > 0 ? where.shift() : undefined;
    const sa = truth.sa === null ? undefined : this.sasByName.get(truth.sa);
    const arrival: Arrival = {
      index: this.arrivals.length,
      step,
      at: e.at,
      call: e.call,
      packet,
      truth,
      sa,
      address,
      valid: truth.ah === 'valid' && sa !== undefined,
    };
    this.arrivals.push(arrival);
    if (!arrival.valid || sa === undefined) return;
    const info = packet.info;
    // Activity (HOST.md rule 4): an authentic packet from an active address keeps an
    // activity-related lifetime alive.
    if (info.source !== undefined) this.activity(sa.name, info.source, e.at);
    let r = 0;
    const shapes = info.bus.some((bu) => bu.security !== undefined) ? responseShapes(packet) : [];
    for (const bu of info.bus) {
      if (bu.security !== undefined) {
        const answers = truth.responses[r]?.answers ?? null;
        const shape = shapes[r] ?? { securities: 1, alternateCoas: 0, others: 0 };
        r += 1;
        const wellFormed = shape.securities === 1 && shape.alternateCoas <= 1 && shape.others === 0;
        const response: ResponseArrival = { arrival, bu, answers, shape, wellFormed };
        this.responses.push(response);
        // Rule 12: a correct Response of the right form makes the address active, absolute
        // lifetime; one of another form, or with lifetime 0, is ignored.
        if (accepted(response) && answers !== null) {
          const c = this.challengeOf(sa.name, answers);
          if (c !== undefined && c.answeredAt === null) c.answeredAt = e.at;
          this.establish(sa.name, bu.careOf, e.at, this.grantedMs(bu.lifetimeSeconds), false);
          this.endPending(sa.name, bu.careOf, e.at);
        }
        continue;
      }
      for (const a of bu.named) {
        if (bu.lifetimeSeconds === 0) {
          this.remove(sa.name, a, e.at);
          this.endPending(sa.name, a, e.at);
        } else if (this.heldAt(sa.name, a, e.at)) {
          this.refresh(sa.name, a, e.at, this.grantedMs(bu.lifetimeSeconds));
        } else if (!this.pendingAt(sa.name, a, e.at)) {
          const list = this.pending.get(`${sa.name}|${a}`) ?? [];
          list.push({ start: e.at, end: e.at + cl });
          this.pending.set(`${sa.name}|${a}`, list);
        }
      }
      if (bu.lifetimeSeconds > 0) this.claims.push({ arrival, sa, bu });
    }
  }

  private grantedMs(lifetimeSeconds: number): number {
    return Math.min(lifetimeSeconds, this.params.bindingLifetimeSecondsMax) * MS_PER_SECOND;
  }

  private challengeOf(saName: string, packetId: number): ChallengeSent | undefined {
    return this.challenges.get(saName)?.find((c) => c.packets.includes(packetId));
  }

  private establish(saName: string, address: Address, at: number, lifetimeMs: number, activity: boolean): void {
    const key = `${saName}|${address}`;
    const spans = this.held.get(key) ?? [];
    const open = spans.find((s) => s.start <= at && at < s.end && at < this.expiry(s, at));
    if (open !== undefined) {
      open.refreshes.push({ at, lifetimeMs });
      if (open.activity && !activity) open.absoluteFrom = at;
      open.activity = open.activity && activity;
    } else
      spans.push({
        start: at,
        end: Number.POSITIVE_INFINITY,
        refreshes: [{ at, lifetimeMs }],
        activity,
        absoluteFrom: activity ? Number.POSITIVE_INFINITY : at,
      });
    this.held.set(key, spans);
  }

  private refresh(saName: string, address: Address, at: number, lifetimeMs: number): void {
    const span = this.spanAt(saName, address, at);
    if (span === undefined) return;
    span.refreshes.push({ at, lifetimeMs });
    if (span.activity) span.absoluteFrom = at;
    span.activity = false;
  }

  private activity(saName: string, address: Address, at: number): void {
    const span = this.spanAt(saName, address, at);
    if (span !== undefined && span.activity && at < this.expiry(span, at))
      span.refreshes.push({ at, lifetimeMs: this.params.defaultLifetimeSeconds * MS_PER_SECOND });
  }

  private remove(saName: string, address: Address, at: number): void {
    const span = this.spanAt(saName, address, at);
    if (span !== undefined) span.end = at;
  }

  private endPending(saName: string, address: Address, at: number): void {
    for (const p of this.pending.get(`${saName}|${address}`) ?? []) if (p.start <= at && at < p.end) p.end = at;
  }

  private spanAt(saName: string, address: Address, at: number): HeldSpan | undefined {
    const spans = this.held.get(`${saName}|${address}`);
    if (spans === undefined) return undefined;
    for (let i = spans.length - 1; i >= 0; i--) if (spans[i].start <= at && at < spans[i].end) return spans[i];
    return undefined;
  }

  /** When the span's lifetime runs out, counting refreshes up to `at`. */
  private expiry(span: HeldSpan, at: number): number {
    let last = span.refreshes[0];
    for (const r of span.refreshes) if (r.at <= at) last = r;
    return last.at + last.lifetimeMs;
  }

  /**
   * The SA holds `address` active at `at`, as far as the world knows: established (its first
   * address, or a correct Response) and neither deleted nor expired since. Conflicts (rule 13)
   * are not followed: a flush after both claimants answered is not seen here.
   */
  heldAt(saName: string, address: Address, at: number): boolean {
    const span = this.spanAt(saName, address, at);
    return span !== undefined && at < this.expiry(span, at);
  }

  /**
   * The SA holds `address` active at `at` with an activity-related lifetime (rule 17) that no
   * packet refreshed at `at` itself: an authentic packet from it arriving then would move its
   * expiry (rule 4).
   */
  activityMovableAt(saName: string, address: Address, at: number): boolean {
    const span = this.spanAt(saName, address, at);
    if (span === undefined || at >= span.absoluteFrom || at >= this.expiry(span, at)) return false;
    return !span.refreshes.some((r) => r.at === at);
  }

  /** The SA's binding for `address` ran out of lifetime and is not yet removed (§2.1.4: deprecated). */
  deprecatedAt(saName: string, address: Address, at: number): boolean {
    const span = this.spanAt(saName, address, at);
    if (span === undefined) return false;
    const expiredAt = this.expiry(span, at);
    return expiredAt <= at && at < expiredAt + this.params.maximumExpiredLifetimeSeconds * MS_PER_SECOND;
  }

  /** A claim naming `address` reached Alice under the SA less than challengeLifetimeMs ago, not yet answered correctly. */
  pendingAt(saName: string, address: Address, at: number): boolean {
    return (this.pending.get(`${saName}|${address}`) ?? []).some((p) => p.start <= at && at < p.end);
  }

  /** Every address with a pending claim under the SA at `at`. */
  pendingAddresses(saName: string, at: number): Address[] {
    const out: Address[] = [];
    const prefix = `${saName}|`;
    for (const [key, list] of this.pending)
      if (key.startsWith(prefix) && list.some((p) => p.start <= at && at < p.end)) out.push(key.slice(prefix.length));
    return out;
  }

  /**
   * Every address the SA's entry holds at `at` as far as the world knows: active (held),
   * deprecated, or under a claim that arrived before `at` and is still pending (tentative).
   * Rule 8's address bound counts them all.
   */
  entryAddressesAt(saName: string, at: number): Set<Address> {
    const out = new Set<Address>();
    const prefix = `${saName}|`;
    for (const [key, list] of this.pending)
      if (key.startsWith(prefix) && list.some((p) => p.start < at && at < p.end)) out.add(key.slice(prefix.length));
    for (const key of this.held.keys()) {
      if (!key.startsWith(prefix)) continue;
      const address = key.slice(prefix.length);
      if (this.heldAt(saName, address, at) || this.deprecatedAt(saName, address, at)) out.add(address);
    }
    return out;
  }

  /** Whether Alice owned any address at `at` (a change at `at` counts as done). */
  aliceHoldsAnyAt(at: number): boolean {
    for (const address of this.ownerSpans.keys()) if (this.ownerAt(address, at) === 'alice') return true;
    return false;
  }

  /** SAs (by name) that hold `address` at `at`. */
  holdersAt(address: Address, at: number): string[] {
    const out: string[] = [];
    for (const sa of this.sasByName.keys()) if (this.heldAt(sa, address, at)) out.push(sa);
    return out;
  }

  /** SAs (by name) with a pending claim on `address` at `at`. */
  claimantsAt(address: Address, at: number): string[] {
    const out: string[] = [];
    for (const sa of this.sasByName.keys()) if (this.pendingAt(sa, address, at)) out.push(sa);
    return out;
  }

  /** A value computed once per view and shared by the detectors that need it. */
  memo<T>(key: string, make: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, make());
    return this.memos.get(key) as T;
  }

  /** The SA an honest or attacking node holds with Alice (its first, when it has several). */
  saOf(node: NodeName): SaRecord | undefined {
    return this.trace.sas.find((s) => s.peer === node);
  }

  private owned(e: Extract<TraceEvent, { kind: 'own' }>): void {
    this.ownChanges.push(e);
    const spans = this.ownerSpans.get(e.address) ?? [];
    const open = spans.find((x) => x.to === Number.POSITIVE_INFINITY);
    if (open !== undefined) open.to = e.at;
    if (e.to !== null) spans.push({ node: e.to, from: e.at, to: Number.POSITIVE_INFINITY });
    this.ownerSpans.set(e.address, spans);
  }

  /** Who owned `address` at `at` (a change at `at` counts as done), as trace-view's Ownership says. */
  ownerAt(address: Address | undefined, at: number): NodeName | null {
    if (address === undefined) return null;
    for (const x of this.ownerSpans.get(address) ?? []) if (x.from <= at && at < x.to) return x.node;
    return null;
  }

  /**
   * Challenges alive under the SA just before call `call` at `at`: sent by an earlier call,
   * within challengeLifetimeMs, not yet answered correctly.
   */
  liveChallengesBefore(saName: string, call: number, at: number): ChallengeSent[] {
    const cl = this.params.challengeLifetimeMs;
    return (this.challenges.get(saName) ?? []).filter(
      (c) => c.firstCall < call && at < c.firstAt + cl && (c.answeredAt === null || c.answeredAt > at),
    );
  }
}

/** The addresses a claim names: its BU's (HOST.md rule 5) and an HAO's (Appendix C's home address). */
export function claimedAddresses(claim: Claim): Address[] {
  const hao = claim.arrival.packet.info.hao;
  return hao !== undefined && !claim.bu.named.includes(hao) ? [...claim.bu.named, hao] : claim.bu.named;
}
