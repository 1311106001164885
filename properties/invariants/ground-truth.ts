// What the world can prove about Alice's host cache, from the trace alone (DESIGN.md "Evidence
// and verdicts", "Ground truth"): never from her `state`, which is judged against it
// (INV-STATE-TRUTHFUL), never in her own favour.
//
// Per entry, keyed by the SA the world gave Alice (`sa:<name>`), or, for an entry without an
// SA, by the address her `send` named (`to:<address>`), two sets of addresses at any instant:
//
// - MUST-ACTIVE: addresses every correct host has active there. Only an entry's first address
//   (HOST.md rule 17: the `peer` of an accepted `addSA`, the `to` of an entry-creating `send`),
//   and only while nothing that might end it has happened. Conservative by construction: a
//   proof is lost at the first doubt, never invented.
//   - Its activity lifetime runs `defaultLifetimeSeconds` from the last instant Alice was asked
//     about the address while it was surely in no entry (an entry a `send` made may be older
//     than its SA); activity refreshes are ignored (they only lengthen it, rule 4).
//   - Every AH-valid BU under the entry's SA naming it (a Response included) may make its
//     lifetime absolute, min(L, `bindingLifetimeSecondsMax`) from the BU's arrival (rules 6,
//     12): the shorter one counts. A BU with lifetime 0 naming it may remove it (rule 6).
//   - While proven, its lifetime's kind is known too: activity-related from the ask (§2.1.1
//     R2.1.1-7, rule 17), absolute from a BU every correct host accepts that names it with
//     L > 0, for at most L seconds (§2.1.4 R2.1.4-4, rule 6); unknown after any other BU naming
//     it under the SA.
//   - Anything under another SA that touches it (an AH-valid packet whose source, HAO or named
//     addresses include it, an `addSA` with it as `peer`) may start a conflict (rule 13) in
//     which the holder loses it when its re-check goes unanswered.
//   - Correct Responses for one address under two SAs may flush both entries (rule 13).
//   An entry without an SA is proven only when its `send` surely created it: the address was
//   in no entry, no SA had ever touched it (it cannot be tentative anywhere), and data went.
//
// - MAY-ACTIVE: addresses some correct host may have active there: MUST-ACTIVE, plus every
//   first address, plus every address for which a Response that correctly answers a Challenge
//   Alice sent to that address under the entry's SA reached her while that Challenge was live
//   (the world's `truth.responses[].answers`: §3.4.2 step 3, rules 12 and 13; within
//   `challengeLifetimeMs` of the Challenge's first transmission, rule 9 and wire-format.md;
//   nothing else makes an address active). Generous by construction: an address leaves it
//   only when provably removed or provably past its lifetime:
//   - a BU with lifetime 0 naming it that every correct host processes (AH-valid under the SA,
//     newer modulo 2^16 than every number the entry's last accepted BU may have (rule 7),
//     newer than the BU before it in the packet (§3.2.2), no HAO, no routing header, to one of
//     Alice's addresses, no option that makes a host drop the packet): rule 6;
//   - max(`defaultLifetimeSeconds`, `bindingLifetimeSecondsMax`) after the last instant anything
//     could have set or refreshed its lifetime while it may still have been active: the ask or
//     the Response, then any packet that reached Alice naming it as source, HAO or in a BU
//     (whatever its AH: a host that counts more packets as activity than rule 4 does is
//     generous, not wrong), any `send` or `addSA` naming it. Once surely past its lifetime it is
//     deprecated at best, and a BU naming it makes it tentative again, never active (rule 6).
//
// A third set, MAY-HOLD, is what may be in the entry active or deprecated (MAY-ACTIVE for a
// further `maximumExpiredLifetimeSeconds`, rule 16): the entries rule 21 may pick for a `send`.

import { isNewerSequence } from '../../impl/sequence.js';
import { MS_PER_SECOND } from '../../impl/units.js';
import { decodePacket, fromHex, optionAction } from '../../impl/wire/index.js';
import type { Address } from '../../impl/wire/types.js';
import type { AliceEvent, AliceEventOf, PacketRecord, SaRecord, Trace } from '../world/types.js';
import { aliceCalls, packet } from './trace-view.js';

/**
 * The lifetime every correct host gives a proven address: activity-related from its ask (§2.1.1
 * R2.1.1-7, rule 17), or absolute, ending no later than `expiresAtMax`, from a BU that every
 * correct host accepts naming it with lifetime L > 0 (§2.1.4 R2.1.4-4, rule 6: L seconds from
 * its arrival, shortened by `bindingLifetimeSecondsMax`).
 */
export type LifetimeFact = { readonly kind: 'activity' } | { readonly kind: 'absolute'; readonly expiresAtMax: number };

const ACTIVITY: LifetimeFact = { kind: 'activity' };

function challengeKey(spi: number | undefined, destination: Address, value: string): string {
  return `${spi ?? -1}|${destination}|${value}`;
}

/** The key of an entry: `sa:<SA name>`, or `to:<address>` for one a `send` made without an SA. */
export type EntryKey = `sa:${string}` | `to:${Address}`;

export function saKey(sa: SaRecord): EntryKey {
  return `sa:${sa.name}`;
}

export function sendKey(to: Address): EntryKey {
  return `to:${to}`;
}

/** What the world knows of one address in one entry (immutable once in a frame). */
interface AddressFacts {
  /** Active in every correct host until this instant (exclusive); null: no proof. */
  readonly mustUntil: number | null;
  /** Some rule may have made it active, and nothing provably removed it since. */
  readonly may: boolean;
  /**
   * While `may`: no correct host has it active after this instant. Set from the last ask or
   * correct Response, and pushed on by every later mention while it may still be active (a
   * lifetime is set or refreshed only while active, rules 4, 6, 12; once surely deprecated, a
   * BU makes it tentative again, never active).
   */
  readonly mayUntil: number;
  /** While `mustUntil` proves it active: the kind of its lifetime, when every correct host agrees on it. */
  readonly lifetime: LifetimeFact | null;
}

interface EntryFacts {
  readonly key: EntryKey;
  readonly sa: SaRecord | null;
  readonly to: Address | null;
  readonly addresses: ReadonlyMap<Address, AddressFacts>;
}

/** The world's facts after one call: shared with the next call when that call changed none. */
interface Frame {
  readonly call: number;
  readonly at: number;
  readonly entries: readonly EntryFacts[];
  readonly acceptedSas: readonly SaRecord[];
  readonly local: ReadonlySet<Address>;
}

/** One entry's sets at an instant. */
export interface EntryTruth {
  key: EntryKey;
  /** The SA the world gave Alice, or null for an entry a `send` made. */
  sa: SaRecord | null;
  /** For an entry without an SA: the `to` of the `send` that made it. */
  to: Address | null;
  mustActive: ReadonlySet<Address>;
  mayActive: ReadonlySet<Address>;
  /** May be in the entry, active or deprecated (rule 21's candidates). */
  mayHold: ReadonlySet<Address>;
  /** For addresses of `mustActive` whose lifetime's kind every correct host agrees on: that lifetime. */
  lifetimes: ReadonlyMap<Address, LifetimeFact>;
}

/** The ground truth right after one of Alice's calls (or at an instant after it). */
export class TruthView {
  readonly entries: readonly EntryTruth[];
  private readonly byKey = new Map<EntryKey, EntryTruth>();

  constructor(
    /** Index of the call (AliceEvent.call); -1 before her first call. */
    readonly call: number,
    /** The instant the sets are evaluated at. */
    readonly at: number,
    entries: readonly EntryTruth[],
    /** SAs whose `addSA` Alice answered ok, in that order. */
    readonly acceptedSas: readonly SaRecord[],
    /** Alice's addresses: the world's owners at the start and her accepted address changes. */
    readonly local: ReadonlySet<Address>,
  ) {
    this.entries = entries;
    for (const e of entries) this.byKey.set(e.key, e);
  }

  entry(key: EntryKey): EntryTruth | undefined {
    return this.byKey.get(key);
  }

  forSa(sa: SaRecord): EntryTruth | undefined {
    return this.byKey.get(saKey(sa));
  }

  mustActive(key: EntryKey): ReadonlySet<Address> {
    return this.byKey.get(key)?.mustActive ?? EMPTY;
  }

  mayActive(key: EntryKey): ReadonlySet<Address> {
    return this.byKey.get(key)?.mayActive ?? EMPTY;
  }

  /**
   * Every address a correct host may send data for `to` to (HOST.md rule 21): any address
   * that may be active in an entry that may hold `to` active or deprecated, and `to` itself
   * (a new entry holds it active). `to` always: a host may remove an expired address at once
   * (§2.1.4 MAY; HOST.md's `maximumExpiredLifetimeSeconds` is a departure that only warns), and
   * then a `send` to it makes a new entry.
   */
  sendDestinations(to: Address): Set<Address> {
    const out = new Set<Address>([to]);
    for (const e of this.entries) {
      if (!e.mayHold.has(to)) continue;
      for (const a of e.mayActive) out.add(a);
    }
    return out;
  }

  /** Every address that may be active in some entry. */
  anyMayActive(): Set<Address> {
    const out = new Set<Address>();
    for (const e of this.entries) for (const a of e.mayActive) out.add(a);
    return out;
  }
}

const EMPTY: ReadonlySet<Address> = new Set();

/** GroundTruth.view's time comparisons for one address: proven active, may be active, may be held. */
const VIEW_MUST = 1;
const VIEW_MAY = 2;
const VIEW_HOLD = 4;

/** Every address a packet names: source, destinations, HAO, and each BU's care-of and named addresses. */
function addressesOf(p: PacketRecord): Address[] {
  const i = p.info;
  const out = new Set<Address>();
  for (const a of [i.source, i.destination, i.finalDestination, i.hao, ...(i.routing ?? [])])
    if (a !== undefined) out.add(a);
  for (const bu of i.bus) {
    out.add(bu.careOf);
    for (const a of bu.named) out.add(a);
  }
  return [...out];
}

/** What a valid AH under an SA lets the packet claim (rule 1, 5, 20a): its source, HAO and BUs' addresses. */
function touchedBy(p: PacketRecord): Address[] {
  const i = p.info;
  const out = new Set<Address>();
  for (const a of [i.source, i.hao]) if (a !== undefined) out.add(a);
  for (const bu of i.bus) {
    out.add(bu.careOf);
    for (const a of bu.named) out.add(a);
  }
  return [...out];
}

/**
 * Whether every correct host processes the BUs of `p` (AH-valid under the SA, known already):
 * no HAO, or one naming an address proven active in the SA's entry (rule 1), no routing header,
 * sent to one of Alice's addresses (rule 22), and no destination option whose action bits make
 * a host drop it (RFC 2460 §4.2).
 */
export function surelyProcessed(
  p: PacketRecord,
  local: ReadonlySet<Address>,
  haoPasses: (hao: Address) => boolean,
): boolean {
  const i = p.info;
  if (
    !i.decodes ||
    (i.hao !== undefined && !haoPasses(i.hao)) ||
    i.routing !== undefined ||
    i.destination === undefined ||
    !local.has(i.destination)
  )
    return false;
  const bytes = fromHex(p.hex);
  if (bytes === null) return false;
  const decoded = decodePacket(bytes);
  if (!decoded.ok) return false;
  return !(decoded.packet.destOptions ?? []).some((o) => o.kind === 'unknown' && optionAction(o.type) !== 'skip');
}

/** One ground truth per trace, shared by the properties that judge it (built at its first use). */
const SHARED = new WeakMap<Trace, GroundTruth>();

/** The ground truth of `trace`: built once, then shared (a trace is complete when properties judge it). */
export function groundTruthOf(trace: Trace): GroundTruth {
  let truth = SHARED.get(trace);
  if (truth === undefined) {
    truth = new GroundTruth(trace);
    SHARED.set(trace, truth);
  }
  return truth;
}

/** The world's ground truth over a whole trace, queried by call or by instant. */
export class GroundTruth {
  private readonly frames: Frame[] = [];
  private readonly initialFrame: Frame;
  private readonly defaultMs: number;
  private readonly bindingMaxMs: number;
  /** The longest an address stays active after the last thing that set or refreshed its lifetime. */
  private readonly lifeMaxMs: number;
  private readonly expiredMaxMs: number;
  private readonly challengeLifetimeMs: number;
  /** Per Challenge value Alice sent (SPI, destination, value): its first transmission (rule 9). */
  private readonly challengeFirstSent = new Map<string, number>();

  // The running state, copied into a frame after each call that changed it.
  private readonly entries = new Map<
    EntryKey,
    { sa: SaRecord | null; to: Address | null; addresses: Map<Address, AddressFacts> }
  >();
  private accepted: SaRecord[] = [];
  private local: Set<Address>;
  /** Per address: the SAs under which an AH-valid packet touched it, or whose `addSA` named it. */
  private readonly touched = new Map<Address, Set<string>>();
  /** Per address: the SAs under which a correct Response for it reached Alice. */
  private readonly answered = new Map<Address, Set<string>>();
  /**
   * Per SA: every number its entry's last accepted BU may have (rule 7; null: none accepted
   * yet). A BU every correct host processes and that is newer than each of them replaces them
   * all; any other BU may or may not have been accepted, and only adds its number.
   */
  private readonly lastBuSequences = new Map<string, ReadonlySet<number | null>>();
  /** Per address: the last instant Alice was asked about it (`send`, `addSA`) while it was surely in no entry. */
  private readonly freshAsk = new Map<Address, number>();
  /** Per call: the BUs of the packet it received that every correct host accepts (`surelyAccepted`). */
  private readonly acceptedBus = new Map<number, number[]>();
  private changed = true;
  private lastFrame: Frame | null = null;
  private readonly saByName = new Map<string, SaRecord>();
  private readonly saByInbound = new Map<number, SaRecord>();
  private readonly saByOutbound = new Map<number, SaRecord>();

  constructor(private readonly trace: Trace) {
    const params = trace.config.params;
    this.defaultMs = params.defaultLifetimeSeconds * MS_PER_SECOND;
    this.bindingMaxMs = params.bindingLifetimeSecondsMax * MS_PER_SECOND;
    this.lifeMaxMs = Math.max(this.defaultMs, this.bindingMaxMs);
    this.expiredMaxMs = params.maximumExpiredLifetimeSeconds * MS_PER_SECOND;
    this.challengeLifetimeMs = params.challengeLifetimeMs;
    for (const p of trace.packets) {
      if (p.from !== 'alice' || p.info.destination === undefined) continue;
      for (const ba of p.info.bas) {
        if (ba.security === undefined) continue;
        const key = challengeKey(p.info.spi, p.info.destination, ba.security);
        const first = this.challengeFirstSent.get(key);
        if (first === undefined || p.sentAt < first) this.challengeFirstSent.set(key, p.sentAt);
      }
    }
    for (const sa of trace.sas) {
      this.saByName.set(sa.name, sa);
      this.saByInbound.set(sa.aliceInboundSpi, sa);
      this.saByOutbound.set(sa.aliceOutboundSpi, sa);
    }
    this.local = new Set(Object.entries(trace.owners).flatMap(([a, node]) => (node === 'alice' ? [a] : [])));
    this.initialFrame = this.freeze(-1, Number.NEGATIVE_INFINITY);
    for (const { event } of aliceCalls(trace)) {
      this.observe(event);
      this.frames.push(this.freeze(event.call, event.at));
    }
  }

  /** Alice's calls the truth has frames for. */
  get calls(): number {
    return this.frames.length;
  }

  /** The ground truth right after Alice's call number `call` (AliceEvent.call), at its instant. */
  afterCall(call: number): TruthView {
    const frame = this.frames[call];
    if (frame === undefined || frame.call !== call)
      throw new RangeError(`ground truth: no call #${call} (the trace has ${this.frames.length})`);
    return this.view(frame, frame.at);
  }

  /** The ground truth right before Alice's call number `call`, at that call's instant. */
  beforeCall(call: number): TruthView {
    const frame = this.frames[call];
    if (frame === undefined || frame.call !== call)
      throw new RangeError(`ground truth: no call #${call} (the trace has ${this.frames.length})`);
    return this.view(call === 0 ? this.initialFrame : this.frames[call - 1], frame.at);
  }

  /**
   * The BUs of the packet Alice received in call `call` that every correct host accepts
   * (their indices in its `info.bus`): AH-valid under an SA she accepted, in a packet every
   * correct host processes, no Response, in order in the packet (§3.2.2) and newer (modulo
   * 2^16) than every number the entry's last accepted BU may have (rule 7).
   */
  surelyAccepted(call: number): readonly number[] {
    return this.acceptedBus.get(call) ?? [];
  }

  /** The ground truth before Alice's first call. */
  initial(): TruthView {
    return this.view(this.initialFrame, this.initialFrame.at);
  }

  /** The ground truth at instant `at`: after every call at or before it, with lifetimes run to `at`. */
  atInstant(at: number): TruthView {
    let lo = 0;
    let hi = this.frames.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.frames[mid].at <= at) lo = mid + 1;
      else hi = mid;
    }
    return this.view(lo === 0 ? this.initialFrame : this.frames[lo - 1], at);
  }

  // ---- Queries ------------------------------------------------------------------------------

  /**
   * Each frame's entries as last evaluated, with the outcome of every time comparison that
   * built them (VIEW_MUST, VIEW_MAY, VIEW_HOLD per address, in order). A frame is shared by
   * the calls that changed nothing, and between two expiries the sets stay as they are: a
   * view whose comparisons all come out the same reuses them (sets are never changed).
   */
  private readonly views = new WeakMap<
    readonly EntryFacts[],
    { outcomes: Uint8Array; entries: readonly EntryTruth[] }
  >();

  /** The outcomes of `view`'s time comparisons for `entries` at `at`, into `out` (or compared with it). */
  private outcomes(
    entries: readonly EntryFacts[],
    at: number,
    out: Uint8Array | null,
    against: Uint8Array | null,
  ): boolean {
    let i = 0;
    for (const e of entries) {
      for (const f of e.addresses.values()) {
        let o = f.mustUntil !== null && at < f.mustUntil ? VIEW_MUST : 0;
        // Generous at the boundary: an expiry due at `at` has run (rule 16), but one instant more costs nothing.
        if (f.may && at <= f.mayUntil) o |= VIEW_MAY;
        if (f.may && at <= f.mayUntil + this.expiredMaxMs) o |= VIEW_HOLD;
        if (out !== null) out[i] = o;
        else if (against === null || against[i] !== o) return false;
        i += 1;
      }
    }
    return true;
  }

  private view(frame: Frame, at: number): TruthView {
    const cached = this.views.get(frame.entries);
    if (cached !== undefined && this.outcomes(frame.entries, at, null, cached.outcomes))
      return new TruthView(frame.call, at, cached.entries, frame.acceptedSas, frame.local);
    let count = 0;
    for (const e of frame.entries) count += e.addresses.size;
    const outcomes = new Uint8Array(count);
    this.outcomes(frame.entries, at, outcomes, null);
    const entries: EntryTruth[] = [];
    let i = 0;
    for (const e of frame.entries) {
      const must = new Set<Address>();
      const may = new Set<Address>();
      const hold = new Set<Address>();
      const lifetimes = new Map<Address, LifetimeFact>();
      for (const [address, f] of e.addresses) {
        const o = outcomes[i++];
        if ((o & VIEW_MUST) !== 0) {
          must.add(address);
          if (f.lifetime !== null) lifetimes.set(address, f.lifetime);
        }
        if ((o & VIEW_MAY) !== 0) may.add(address);
        if ((o & VIEW_HOLD) !== 0) hold.add(address);
      }
      for (const a of must) {
        may.add(a);
        hold.add(a);
      }
      entries.push({ key: e.key, sa: e.sa, to: e.to, mustActive: must, mayActive: may, mayHold: hold, lifetimes });
    }
    this.views.set(frame.entries, { outcomes, entries });
    return new TruthView(frame.call, at, entries, frame.acceptedSas, frame.local);
  }

  // ---- Building -----------------------------------------------------------------------------

  private freeze(call: number, at: number): Frame {
    if (!this.changed && this.lastFrame !== null) {
      const frame: Frame = { ...this.lastFrame, call, at };
      this.lastFrame = frame;
      return frame;
    }
    const entries: EntryFacts[] = [...this.entries].map(([key, e]) => ({
      key,
      sa: e.sa,
      to: e.to,
      addresses: new Map(e.addresses),
    }));
    const frame: Frame = { call, at, entries, acceptedSas: [...this.accepted], local: new Set(this.local) };
    this.changed = false;
    this.lastFrame = frame;
    return frame;
  }

  /**
   * Something named `address` at `at` (a packet that reached Alice, whatever its AH; a `send`;
   * an `addSA`): generously, it may have set or refreshed its lifetime wherever it may still be
   * active (a host counting more as activity than rule 4 does is generous, not wrong).
   */
  private mention(address: Address, at: number): void {
    for (const [key, e] of this.entries) {
      const f = e.addresses.get(address);
      if (f === undefined || !f.may || at > f.mayUntil || at + this.lifeMaxMs <= f.mayUntil) continue;
      this.setFacts(key, address, { ...f, mayUntil: at + this.lifeMaxMs });
    }
  }

  /** `address` may be active in `key` from `at` (an ask or a correct Response): for at most the longest lifetime. */
  private mayFrom(
    key: EntryKey,
    address: Address,
    at: number,
    mustUntil: number | null,
    lifetime: LifetimeFact | null,
  ): void {
    const f = this.facts(key, address);
    const mayUntil = Math.max(f?.may === true ? f.mayUntil : Number.NEGATIVE_INFINITY, at + this.lifeMaxMs);
    this.setFacts(key, address, { mustUntil, may: true, mayUntil, lifetime });
  }

  /** Whether `address` is proven active in `key` at `at` (MUST-ACTIVE, from the running state). */
  private provenAt(key: EntryKey, address: Address, at: number): boolean {
    const until = this.facts(key, address)?.mustUntil;
    return until !== undefined && until !== null && at < until;
  }

  private setLifetime(key: EntryKey, address: Address, lifetime: LifetimeFact | null): void {
    const f = this.facts(key, address);
    if (f !== undefined && f.lifetime !== lifetime) this.setFacts(key, address, { ...f, lifetime });
  }

  private facts(key: EntryKey, address: Address): AddressFacts | undefined {
    return this.entries.get(key)?.addresses.get(address);
  }

  private setFacts(key: EntryKey, address: Address, f: AddressFacts): void {
    const e = this.entries.get(key);
    if (e === undefined) return;
    e.addresses.set(address, f);
    this.changed = true;
  }

  /** Drops the MUST-ACTIVE proof of `address` in the entry `key`, if there is one. */
  private unprove(key: EntryKey, address: Address): void {
    const f = this.facts(key, address);
    if (f !== undefined && f.mustUntil !== null) this.setFacts(key, address, { ...f, mustUntil: null });
  }

  /** Drops every MUST-ACTIVE proof of the entry `key` (it may be flushed, rule 13). */
  private unproveAll(key: EntryKey): void {
    for (const a of [...(this.entries.get(key)?.addresses.keys() ?? [])]) this.unprove(key, a);
  }

  /** Whether `address` may be in any entry, active or deprecated, at `at` (from the running state). */
  private mayHoldAnywhere(address: Address, at: number): boolean {
    for (const e of this.entries.values()) {
      const f = e.addresses.get(address);
      if (f === undefined || !f.may) continue;
      if (at <= f.mayUntil + this.expiredMaxMs) return true;
    }
    return false;
  }

  /** Alice is asked about `address` (`send`'s `to`, `addSA`'s `peer`): remembers when it was surely in no entry. */
  private ask(address: Address, at: number): void {
    if (!this.mayHoldAnywhere(address, at)) this.freshAsk.set(address, at);
    this.mention(address, at);
  }

  private touchedByOther(address: Address, sa: SaRecord): boolean {
    return [...(this.touched.get(address) ?? [])].some((name) => name !== sa.name);
  }

  private touch(address: Address, sa: SaRecord): void {
    const set = this.touched.get(address) ?? new Set<string>();
    set.add(sa.name);
    this.touched.set(address, set);
  }

  private observe(event: AliceEvent): void {
    // A refused request has no effect at all (HOST.md rule 24).
    if (!event.ok) return;
    if (event.op === 'addSA') this.onAddSa(event);
    else if (event.op === 'send') this.onSend(event);
    else if (event.op === 'receive') this.onReceive(event);
    else if (event.op === 'addLocalAddress' || event.op === 'removeLocalAddress') this.onLocal(event);
  }

  /** Rule 17: the SA's entry (reusing the one a `send` made) holds `peer` active, activity-related. */
  private onAddSa(event: AliceEventOf<'addSA'>): void {
    // A malformed addSA Alice accepted counts too, when its inbound SPI is an SA's.
    const spi = event.request.inboundSpi;
    const sa = typeof spi === 'number' ? this.saByInbound.get(spi) : undefined;
    if (sa === undefined || this.accepted.includes(sa)) return;
    const peer = sa.peerAddress;
    this.ask(peer, event.at);
    this.accepted.push(sa);
    const key = saKey(sa);
    this.entries.set(key, { sa, to: null, addresses: new Map() });
    // `addSA` reuses the entry a `send` made for `peer` (rule 17): it is now the SA's.
    this.entries.delete(sendKey(peer));
    // Rule 13 through rule 17: tentative in another entry, it is re-checked here, and may be lost.
    const doubtful = this.touchedByOther(peer, sa);
    const base = this.freshAsk.get(peer);
    const mustUntil = doubtful || base === undefined ? null : base + this.defaultMs;
    // §2.1.1 (R2.1.1-7), rule 17: a first address has an activity-related lifetime.
    this.mayFrom(key, peer, event.at, mustUntil, mustUntil === null ? null : ACTIVITY);
    this.touch(peer, sa);
    for (const [otherKey, e] of this.entries)
      if (otherKey !== key && e.addresses.has(peer)) this.unprove(otherKey, peer);
    this.changed = true;
  }

  /** Rule 21: `to` held active (else deprecated) somewhere, or a new entry without an SA holds it active. */
  private onSend(event: AliceEventOf<'send'>): void {
    const to = event.request.to;
    if (typeof to !== 'string') return;
    const fresh = !this.mayHoldAnywhere(to, event.at);
    this.ask(to, event.at);
    const key = sendKey(to);
    // An address surely active elsewhere makes no new entry; otherwise one may have been made.
    const surelyElsewhere = [...this.entries.entries()].some(([k, e]) => {
      const until = e.addresses.get(to)?.mustUntil;
      return k !== key && until !== undefined && until !== null && event.at < until;
    });
    if (surelyElsewhere) return;
    const existing = this.entries.get(key);
    if (existing === undefined || fresh) this.entries.set(key, { sa: null, to, addresses: new Map() });
    const previous = fresh ? undefined : this.facts(key, to);
    // Surely created (and so surely active until its activity lifetime ends): the address was
    // in no entry, no SA ever touched it (so it is tentative nowhere, rule 13), and data went.
    const created = fresh && this.touched.get(to) === undefined && event.unreachable !== true && event.sent.length > 0;
    const mustUntil = created ? event.at + this.defaultMs : (previous?.mustUntil ?? null);
    this.mayFrom(key, to, event.at, mustUntil, created ? ACTIVITY : (previous?.lifetime ?? null));
  }

  private onReceive(event: AliceEventOf<'receive'>): void {
    if (event.input === undefined) return;
    const p = packet(this.trace, event.input);
    for (const a of addressesOf(p)) this.mention(a, event.at);
    const truth = event.truth;
    // Rule 3: a packet that fails authentication changes nothing.
    if (truth.ah !== 'valid' || truth.sa === null) return;
    const sa = this.saByName.get(truth.sa);
    // An SA Alice never accepted is an unknown SPI to a correct host: the packet is dropped.
    if (sa === undefined || !this.accepted.includes(sa)) return;
    const key = saKey(sa);
    for (const a of touchedBy(p)) {
      this.touch(a, sa);
      // Rule 13: a claim (or Appendix B, rule 20a) on an address another entry holds.
      for (const [otherKey, e] of this.entries) if (otherKey !== key && e.addresses.has(a)) this.unprove(otherKey, a);
    }
    let possible = this.lastBuSequences.get(sa.name) ?? new Set<number | null>([null]);
    const processed = surelyProcessed(p, this.local, (hao) => this.provenAt(key, hao, event.at));
    let response = 0;
    let previous: number | null = null;
    const surely: number[] = [];
    for (const [index, bu] of p.info.bus.entries()) {
      // §3.2.2: a BU not newer than the one before it in the packet may be skipped.
      const inOrder = previous === null || isNewerSequence(bu.sequence, previous);
      previous = bu.sequence;
      // Rule 7: newer, modulo 2^16, than whatever number the entry's last accepted BU has.
      const newer = inOrder && [...possible].every((l) => l === null || isNewerSequence(bu.sequence, l));
      const isResponse = bu.security !== undefined;
      if (processed && newer && !isResponse) surely.push(index);
      const before = possible;
      possible =
        processed && inOrder && !isResponse
          ? new Set([...before].map((l) => (l === null || isNewerSequence(bu.sequence, l) ? bu.sequence : l)))
          : new Set([...before, bu.sequence]);
      const named = [...new Set([bu.careOf, ...bu.named])];
      if (isResponse) {
        const r = truth.responses[response++];
        if (r !== undefined) this.onResponse(sa, r.address, r.answers, event.at);
        // Rule 12: a matching Response makes the lifetime absolute from its arrival (lifetime 0 is ignored).
        for (const a of named) {
          if (bu.lifetimeSeconds > 0) this.shorten(key, a, event.at, bu.lifetimeSeconds);
          this.setLifetime(key, a, null);
        }
        continue;
      }
      if (bu.lifetimeSeconds > 0) {
        // Rule 6 (§2.1.4 R2.1.4-4): an active address named again gets an absolute lifetime
        // from now; known for certain when every correct host accepts the BU.
        for (const a of named) {
          const known = processed && newer && this.provenAt(key, a, event.at);
          this.shorten(key, a, event.at, bu.lifetimeSeconds);
          this.setLifetime(
            key,
            a,
            known ? { kind: 'absolute', expiresAtMax: event.at + bu.lifetimeSeconds * MS_PER_SECOND } : null,
          );
        }
        continue;
      }
      // Rule 6: lifetime 0 removes every named address; surely so when every host processes it.
      for (const a of named) {
        const f = this.facts(key, a);
        if (f === undefined) continue;
        this.setFacts(key, a, { ...f, mustUntil: null, may: f.may && !(newer && processed) });
      }
    }
    this.lastBuSequences.set(sa.name, possible);
    if (surely.length > 0) this.acceptedBus.set(event.call, surely);
  }

  /** A Response under `sa` for `address`: with `answers`, it correctly answers that Challenge of Alice's. */
  private onResponse(sa: SaRecord, address: Address, answers: number | null, at: number): void {
    if (answers === null) return;
    // The world's verdict, checked against the Challenge itself: Alice sent it under this SA, to this address.
    const challenge = this.trace.packets[answers];
    if (
      challenge === undefined ||
      challenge.from !== 'alice' ||
      this.saByOutbound.get(challenge.info.spi ?? -1) !== sa ||
      challenge.info.destination !== address
    )
      return;
    const key = saKey(sa);
    const f = this.facts(key, address);
    // Rule 9 and wire-format.md: a Challenge lives `challengeLifetimeMs` from its first
    // transmission (retransmissions do not extend it); a Response that arrives later activates
    // nothing in a correct host. Generous at the boundary: `now >= t` ends it (rule 16).
    const first = Math.max(
      ...challenge.info.bas.map((b) =>
        b.security === undefined
          ? Number.NEGATIVE_INFINITY
          : (this.challengeFirstSent.get(challengeKey(challenge.info.spi, address, b.security)) ??
            Number.POSITIVE_INFINITY),
      ),
    );
    if (at <= first + this.challengeLifetimeMs) this.mayFrom(key, address, at, f?.mustUntil ?? null, null);
    const answeredBy = this.answered.get(address) ?? new Set<string>();
    answeredBy.add(sa.name);
    this.answered.set(address, answeredBy);
    // Rule 13: two entries that both answered for one address may both be flushed.
    if (answeredBy.size > 1) for (const name of answeredBy) this.unproveAll(`sa:${name}`);
  }

  /** Rules 6 and 12: the proof lasts no longer than an absolute lifetime min(L, max) from `at`. */
  private shorten(key: EntryKey, address: Address, at: number, lifetimeSeconds: number): void {
    const f = this.facts(key, address);
    if (f === undefined || f.mustUntil === null) return;
    const until = Math.min(f.mustUntil, at + Math.min(lifetimeSeconds * MS_PER_SECOND, this.bindingMaxMs));
    if (until !== f.mustUntil) this.setFacts(key, address, { ...f, mustUntil: until });
  }

  /** §2.1.3, rule 24: an accepted address change (adding one she has, removing one she lacks, does nothing). */
  private onLocal(event: AliceEventOf<'addLocalAddress' | 'removeLocalAddress'>): void {
    const address = event.request.address;
    if (typeof address !== 'string') return;
    const had = this.local.has(address);
    if (event.op === 'addLocalAddress' && !had) this.local.add(address);
    else if (event.op === 'removeLocalAddress' && had) this.local.delete(address);
    else return;
    this.changed = true;
  }
}
