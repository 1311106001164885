// The whole Host Cache as the model sees it: Alice's local addresses and the Foreign Host
// Cache Entries, stepped by one abstract event per host request (model/events.ts). This file
// is plain TypeScript that decides which machine gets which event; every change of a peer's
// kind or an address's status is a transition of model/compat.ts or model/address.ts. What
// this file decides itself are the rules that span addresses or entries: authentication and
// attribution (HOST.md rules 1–3), sequence numbers (7), bounds (8), conflicting claims (13),
// entry creation and removal (17, 18, 21). `step` is pure: it returns a new model.

import { MS_PER_SECOND } from '../impl/units.js';
import { DEFAULT_PARAMS } from '../impl/host/types.js';
import {
  addressMachine,
  addressUpdates,
  type AddressContext,
  type AddressEvent,
  type AddressValue,
} from './address.js';
import { compatMachine, compatUpdates, type CompatContext, type CompatEvent, type CompatValue } from './compat.js';
import {
  addressStatus,
  challengeCount,
  cloneEntry,
  hasAnswered,
  hasLiveChallenge,
  isFreshSequence,
  REPLAY_INITIAL,
  replayAccepts,
  replayUpdate,
  type AddressState,
  type CompatState,
  type EntryModel,
  type WorkEntry,
} from './entry.js';
import type { Address, ModelEvent, ModelParams, PacketItem, ReceivedPacket } from './events.js';
import { isGlobalAddress, scopeOf } from './scope.js';
import { initialState, tableStepper, xstateStepper, type StepOutcome, type Stepper } from './table.js';

/** How the machines are stepped: the derived table (fast) or XState's `transition()` (reference). */
export interface ModelEngine {
  readonly name: 'table' | 'xstate';
  readonly address: Stepper<AddressValue, AddressContext, AddressEvent>;
  readonly compat: Stepper<CompatValue, CompatContext, CompatEvent>;
}

export const tableEngine: ModelEngine = {
  name: 'table',
  address: tableStepper(addressMachine, addressUpdates),
  compat: tableStepper(compatMachine, compatUpdates),
};

export const xstateEngine: ModelEngine = {
  name: 'xstate',
  address: xstateStepper(addressMachine),
  compat: xstateStepper(compatMachine),
};

/** Told of every machine step (model/coverage.ts implements it). */
export interface MachineObserver {
  onStep(
    machine: 'address' | 'compat',
    from: string,
    outcome: StepOutcome<string, unknown>,
    event: { type: string },
  ): void;
}

export interface CacheModel {
  readonly params: ModelParams;
  /** The `now` of the last accepted event (rule 24); null before the first. */
  readonly now: number | null;
  /** Alice's addresses, oldest first. */
  readonly local: readonly Address[];
  /** Foreign Host Cache Entries in creation order. */
  readonly entries: readonly EntryModel[];
  readonly nextEntryKey: number;
  /** The machines' initial states for these parameters (computed once, by XState). */
  readonly initial: { readonly address: AddressState; readonly compat: CompatState };
}

/** What the model predicts Alice does beyond her state: the world may cross-check these against her packets. */
export type ModelEffect =
  /** A Challenge BA to `address` under the entry's SA (rule 9), or a holder's re-check (rule 13). */
  | { kind: 'challenge'; spi: number; address: Address; epoch: number; recheck: boolean }
  /** A named address refused by a bound (rule 8: BA status 131 when one was asked for). */
  | { kind: 'refused'; spi: number; address: Address }
  /** Alice's Initial BU to a new SA's peer (rule 14). */
  | { kind: 'initialBu'; spi: number; peer: Address };

export interface StepResult {
  readonly model: CacheModel;
  /** False: the host answers `ok: false` and nothing changes, not even the clock (rule 24). */
  readonly accepted: boolean;
  /** `send` only: nothing can be sent (no active address, or no room for an entry; §2.2, rules 8 and 21). */
  readonly unreachable: boolean;
  readonly effects: readonly ModelEffect[];
}

export interface ModelOptions {
  localAddresses: readonly Address[];
  params?: Partial<ModelParams>;
}

export interface StepOptions {
  engine?: ModelEngine;
  observer?: MachineObserver;
}

function unreachable(x: never): never {
  throw new Error(`model: unexpected ${JSON.stringify(x)}`);
}

/** Expiry passes per event: one per link of active → deprecated → removed plus a settled conflict. */
const CLOCK_PASSES_MAX = 8;
/** Distinct expiry instants one request may pass through before the rest are applied at its `now`. */
const CLOCK_INSTANTS_MAX = 4096;

export function createModel(options: ModelOptions): CacheModel {
  const params: ModelParams = {
    defaultLifetimeSeconds: DEFAULT_PARAMS.defaultLifetimeSeconds,
    maximumExpiredLifetimeSeconds: DEFAULT_PARAMS.maximumExpiredLifetimeSeconds,
    bindingLifetimeSecondsMax: DEFAULT_PARAMS.bindingLifetimeSecondsMax,
    challengeLifetimeMs: DEFAULT_PARAMS.challengeLifetimeMs,
    compatProbeTimeoutMs: DEFAULT_PARAMS.compatProbeTimeoutMs,
    buOptimization: DEFAULT_PARAMS.buOptimization,
    foreignEntriesCountMax: DEFAULT_PARAMS.foreignEntriesCountMax,
    addressesPerEntryCountMax: DEFAULT_PARAMS.addressesPerEntryCountMax,
    tentativePerEntryCountMax: DEFAULT_PARAMS.tentativePerEntryCountMax,
    antiReplayWindowPackets: DEFAULT_PARAMS.antiReplayWindowPackets,
    ...options.params,
  };
  const local: Address[] = [];
  for (const a of options.localAddresses) if (!local.includes(a)) local.push(a);
  return {
    params,
    now: null,
    local,
    entries: [],
    nextEntryKey: 1,
    initial: {
      address: initialState<AddressValue, AddressContext>(addressMachine, { params }),
      compat: initialState<CompatValue, CompatContext>(compatMachine, { params }),
    },
  };
}

/** Applies one event; pure. */
export function step(model: CacheModel, event: ModelEvent, options: StepOptions = {}): StepResult {
  // Rule 24: a `now` smaller than the last accepted one is refused with no effect.
  if (model.now !== null && event.now < model.now) return { model, accepted: false, unreachable: false, effects: [] };
  const w = new Work(model, options.engine ?? tableEngine, options.observer);
  w.advanceClock(event.now);
  const outcome = w.apply(event);
  if (outcome === 'refused') return { model, accepted: false, unreachable: false, effects: [] };
  w.prune();
  return { model: w.finish(event.now), accepted: true, unreachable: outcome === 'unreachable', effects: w.effects };
}

interface Contender {
  readonly i: number;
  readonly value: AddressValue;
}

type Outcome = 'done' | 'refused' | 'unreachable';

function sameAddresses(a: readonly Address[], b: readonly Address[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One event's worth of changes, on copy-on-write entries. */
class Work {
  private readonly params: ModelParams;
  private readonly entries: Array<EntryModel | WorkEntry>;
  private readonly writable = new Set<WorkEntry>();
  private readonly local: Address[];
  private nextEntryKey: number;
  readonly effects: ModelEffect[] = [];

  constructor(
    private readonly model: CacheModel,
    private readonly engine: ModelEngine,
    private readonly observer: MachineObserver | undefined,
  ) {
    this.params = model.params;
    this.entries = model.entries.slice();
    this.local = model.local.slice();
    this.nextEntryKey = model.nextEntryKey;
  }

  finish(now: number): CacheModel {
    // An unchanged list of local addresses stays the same array, so that a caller can tell
    // "nothing changed" by identity: properties/lockstep.ts then skips comparing the states,
    // and most events (ticks) change nothing. A new array every step made that comparison
    // run on every call, two thirds of the lockstep's time (docs/benchmarks.md).
    const local = sameAddresses(this.local, this.model.local) ? this.model.local : this.local;
    return { ...this.model, now, local, entries: this.entries, nextEntryKey: this.nextEntryKey };
  }

  // A `switch` rather than ts-pattern here and in `received`: this is the model's hot path
  // (DESIGN.md "Performance notes"); the `never` default keeps the match exhaustive.
  apply(event: ModelEvent): Outcome {
    switch (event.type) {
      case 'tick':
      case 'noise':
        return 'done';
      case 'saAdded':
        return this.saAdded(event);
      case 'send':
        return this.send(event.to, event.now);
      case 'localAddressAdded':
        if (!this.local.includes(event.address)) this.local.push(event.address);
        return 'done';
      case 'localAddressRemoved': {
        const k = this.local.indexOf(event.address);
        if (k >= 0) this.local.splice(k, 1);
        return 'done';
      }
      case 'received':
        this.received(event.packet, event.now);
        return 'done';
      case 'parameterProblem': {
        // Rule 15: unauthenticated by nature, but a packet that fails AH or its HAO is dropped whole (rule 2).
        if (event.packet !== undefined && this.received(event.packet, event.now) === 'dropped') return 'done';
        const i = this.parameterProblemEntry(event.quoted);
        if (i >= 0) {
          this.runCompat(i, {
            type: 'parameterProblem',
            code: event.code,
            aboutMobilityOption: event.aboutMobilityOption,
            quotesAlice: event.quoted !== null,
          });
        }
        return 'done';
      }
      default:
        return unreachable(event);
    }
  }

  // ---- machine plumbing ------------------------------------------------------------------

  /** The entry at `i`, made writable (copied once per event). */
  private w(i: number): WorkEntry {
    const e = this.entries[i];
    if (this.writable.has(e as WorkEntry)) return e as WorkEntry;
    const copy = cloneEntry(e);
    this.entries[i] = copy;
    this.writable.add(copy);
    return copy;
  }

  private runAddress(i: number, address: Address, event: AddressEvent): StepOutcome<AddressValue, AddressContext> {
    const before = this.entries[i].addresses.get(address) ?? this.model.initial.address;
    const out = this.engine.address.step(before, event);
    this.observer?.onStep('address', before.value, out, event);
    if (out.taken === null) return out;
    const e = this.w(i);
    if (out.state.value === 'removed') e.addresses.delete(address);
    else e.addresses.set(address, out.state);
    for (const effect of out.effects) {
      // The epoch is committed only when a Challenge really goes out (rule 9).
      e.challengeCounts.set(address, out.state.context.challengeEpoch);
      if (e.sa !== null) {
        this.effects.push({
          kind: 'challenge',
          spi: e.sa.inboundSpi,
          address,
          epoch: out.state.context.challengeEpoch,
          recheck: effect === 'sendRecheck',
        });
      }
    }
    return out;
  }

  private runCompat(i: number, event: CompatEvent): void {
    const before = this.entries[i].compat;
    const out = this.engine.compat.step(before, event);
    this.observer?.onStep('compat', before.value, out, event);
    if (out.taken !== null) this.w(i).compat = out.state;
  }

  private nextEpoch(i: number, address: Address): number {
    return (this.entries[i].challengeCounts.get(address) ?? 0) + 1;
  }

  private valueIn(i: number, address: Address): AddressValue {
    return this.entries[i].addresses.get(address)?.value ?? 'absent';
  }

  /** Entries holding `address` as tentative or active: the parties of a conflict (rule 13; a deprecated copy is none). */
  private contenders(address: Address): Contender[] {
    const out: Contender[] = [];
    this.entries.forEach((e, i) => {
      const s = e.addresses.get(address);
      if (s === undefined) return;
      const status = addressStatus(s.value);
      if (status === 'tentative' || status === 'active') out.push({ i, value: s.value });
    });
    return out;
  }

  private findHolding(address: Address, status: 'tentative' | 'active' | 'deprecated', withSa?: boolean): number {
    return this.entries.findIndex(
      (e) =>
        (withSa === undefined || (e.sa !== null) === withSa) &&
        addressStatus(e.addresses.get(address)?.value ?? 'absent') === status,
    );
  }

  // ---- time (rule 16) ------------------------------------------------------------------------

  /**
   * The earliest instant any clock guard can hold: every clock guard of the machines is
   * `now >= t` for one of these `t` (and more). Without an observer, a step before it skips the
   * clock pass; with one (coverage), every clock step runs so guard outcomes are recorded.
   */
  private earliestDue(): number {
    let due = Number.POSITIVE_INFINITY;
    const deprecationMs = this.params.maximumExpiredLifetimeSeconds * MS_PER_SECOND;
    for (const e of this.entries) {
      if (e.compat.value === 'unknown' && e.compat.context.probeDeadlineMs !== null)
        due = Math.min(due, e.compat.context.probeDeadlineMs);
      for (const s of e.addresses.values()) {
        const c = s.context;
        if (hasLiveChallenge(s.value)) due = Math.min(due, c.challengeEndsAt);
        if (s.value === 'deprecated') due = Math.min(due, c.expiresAt + deprecationMs);
        else if (addressStatus(s.value) === 'active') due = Math.min(due, c.expiresAt);
      }
    }
    return due;
  }

  /**
   * Every expiry due by `now`, each at its own instant and in time order across entries (HOST.md
   * rule 16: "at the exact instant due"), conflicts settled after each instant. Order matters
   * when one request jumps past several expiries: a rival's Challenge that ended at t1 settles
   * a claim (rule 13) before another copy's lifetime runs out at t2 > t1.
   */
  advanceClock(now: number): void {
    if (this.observer === undefined && now < this.earliestDue()) return;
    let at = Math.min(this.earliestDue(), now);
    for (let instant = 0; ; instant++) {
      // A due instant that does not move (it cannot happen with the machines' guards) falls
      // back to `now` rather than looping.
      if (instant >= CLOCK_INSTANTS_MAX) at = now;
      this.advanceClockTo(at);
      if (at >= now) break;
      const next = this.earliestDue();
      at = next > at ? Math.min(next, now) : now;
    }
    this.prune();
  }

  /** One instant: every expiry due at `at`, each link of a chain at its own instant, conflicts settled after each. */
  private advanceClockTo(at: number): void {
    for (let pass = 0; ; pass++) {
      if (pass >= CLOCK_PASSES_MAX) throw new Error('model: expiries did not settle');
      const touched = new Set<Address>();
      for (let i = 0; i < this.entries.length; i++) {
        this.runCompat(i, { type: 'clock', now: at });
        for (const address of [...this.entries[i].addresses.keys()]) {
          // active → deprecated → removed may both be due: step until nothing is.
          while (this.runAddress(i, address, { type: 'clock', now: at }).taken !== null) {
            touched.add(address);
            if (!this.entries[i].addresses.has(address)) break;
          }
        }
      }
      if (touched.size === 0) break;
      for (const address of touched) this.settle(address);
    }
  }

  // ---- conflicts (rule 13, §3.4.2) -------------------------------------------------------------

  /**
   * Resolves a conflict on `address` once nobody's check is live: two or more entries that
   * answered are flushed ("if both of them check ok … completely flushes"); a single one that
   * answered wins, and every other holder (one that could not be re-checked) loses it. A
   * holder loses the address only to a winner: when the claimants are flushed, nobody checked
   * OK alone, and a holder that could not be re-checked keeps it (rule 13, §3.4.2).
   */
  private settle(address: Address): void {
    const contenders = this.contenders(address);
    const answered = contenders.filter((c) => hasAnswered(c.value));
    const pending = contenders.filter((c) => hasLiveChallenge(c.value));
    if (answered.length >= 2) {
      this.flush(answered.map((c) => c.i));
      return;
    }
    if (answered.length === 1 && pending.length === 0) {
      for (const c of contenders) if (c !== answered[0]) this.runAddress(c.i, address, { type: 'displaced' });
      this.runAddress(answered[0].i, address, { type: 'won' });
    }
  }

  /**
   * Rule 13: every address of these entries goes; the entries and their SAs stay (a departure,
   * docs/model.md). All of them are flushed before any address settles: settling between two
   * flushes would let the last claimant "win" for an instant, displace a holder that could not
   * be re-checked, and then be flushed itself.
   */
  private flush(entries: readonly number[]): void {
    const affected = new Set<Address>();
    for (const i of entries) {
      for (const a of [...this.entries[i].addresses.keys()]) {
        affected.add(a);
        this.runAddress(i, a, { type: 'flushed' });
      }
    }
    for (const a of affected) this.settle(a);
  }

  /**
   * Rule 13: a holder can be re-checked only under its SA, and only if it takes Mobile IPv6
   * options (a legacy peer, rule 15, cannot answer): else it is like a holder without an SA.
   */
  private canRecheck(i: number): boolean {
    return this.entries[i].sa !== null && this.entries[i].compat.value !== 'legacy';
  }

  /**
   * Rule 13 for an address that just became some entry's first address (rule 17) while
   * tentative elsewhere: the new holder is re-checked when it can be and has room for a Challenge.
   */
  private recheckNewHolder(i: number, address: Address, now: number): void {
    if (this.valueIn(i, address) !== 'active.held') return;
    const rivals = this.contenders(address).filter((c) => c.i !== i);
    if (
      rivals.length === 0 ||
      !this.canRecheck(i) ||
      challengeCount(this.entries[i]) >= this.params.tentativePerEntryCountMax
    )
      return;
    this.runAddress(i, address, { type: 'recheck', now, epoch: this.nextEpoch(i, address) });
  }

  // ---- BUs and Responses (rules 5–8, 12, 13) ------------------------------------------------

  /** Rule 6 for one named address, L > 0, within the bounds of rule 8 and the conflicts of rule 13. */
  private claim(i: number, address: Address, now: number, lifetimeSeconds: number): void {
    const e = this.entries[i];
    const value = this.valueIn(i, address);
    const status = addressStatus(value);
    const named: AddressEvent = { type: 'named', now, lifetimeSeconds, epoch: this.nextEpoch(i, address) };
    if (status === 'tentative') return; // rule 6: unchanged
    if (status === 'active') {
      this.runAddress(i, address, named);
      return;
    }
    const holders = this.contenders(address).filter(
      (c) => c.i !== i && c.value === 'active.held' && this.canRecheck(c.i),
    );
    const refused =
      (value === 'absent' && e.addresses.size >= this.params.addressesPerEntryCountMax) ||
      challengeCount(e) >= this.params.tentativePerEntryCountMax ||
      holders.some((h) => challengeCount(this.entries[h.i]) >= this.params.tentativePerEntryCountMax);
    if (refused) {
      if (e.sa !== null) this.effects.push({ kind: 'refused', spi: e.sa.inboundSpi, address });
      return;
    }
    this.runAddress(i, address, named);
    for (const h of holders)
      this.runAddress(h.i, address, { type: 'recheck', now, epoch: this.nextEpoch(h.i, address) });
  }

  /** Rule 5: the care-of address and the Alternate Prefixes, never Alice's own or non-global ones. */
  private nameable(addresses: readonly Address[]): Address[] {
    const out: Address[] = [];
    for (const a of addresses) if (!out.includes(a) && isGlobalAddress(a) && !this.local.includes(a)) out.push(a);
    return out;
  }

  private bindingUpdate(i: number, bu: Extract<PacketItem, { kind: 'bindingUpdate' }>, now: number): void {
    for (const address of this.nameable(bu.named)) {
      if (bu.lifetimeSeconds > 0) {
        this.claim(i, address, now, bu.lifetimeSeconds);
      } else if (this.entries[i].addresses.has(address)) {
        // Rule 6: L = 0 removes every named address, whatever its status.
        this.runAddress(i, address, { type: 'unnamed' });
        this.settle(address);
      }
    }
  }

  /** Rule 12; true when the Response is accepted (and so consumes its sequence number, rule 7). */
  private response(i: number, r: Extract<PacketItem, { kind: 'response' }>, now: number): boolean {
    if (!r.wellFormed || r.lifetimeSeconds === 0) return false;
    if (!hasLiveChallenge(this.valueIn(i, r.address))) return false;
    const others = this.contenders(r.address).filter((c) => c.i !== i);
    const contested = others.some((c) => hasLiveChallenge(c.value) || hasAnswered(c.value));
    const out = this.runAddress(i, r.address, {
      type: 'response',
      now,
      answers: r.answers,
      lifetimeSeconds: r.lifetimeSeconds,
      contested,
    });
    if (out.taken === null) return false;
    if (out.state.value === 'active.held') {
      // Unique active: a holder that was not (or could not be) re-checked loses it (rule 13).
      for (const c of others) this.runAddress(c.i, r.address, { type: 'displaced' });
    } else {
      this.settle(r.address);
    }
    return true;
  }

  // ---- received packets (rules 1–4, 15, 20a, 22) ---------------------------------------------

  /**
   * Rules 1–4, 5–8, 12, 13, 15, 20a and 22 for one received packet. `dropped`: Alice drops it
   * whole; `unauthenticated`: it has no AH (its data may be delivered; the cache does not change).
   */
  private received(p: ReceivedPacket, now: number): 'dropped' | 'unauthenticated' | 'authenticated' {
    // §1.4, rule 22: every destination must be Alice's, else the packet is dropped.
    if (p.destinations.length === 0 || !p.destinations.every((d) => this.local.includes(d))) return 'dropped';
    if (p.ah === null) {
      // Rule 2: without AH an HAO passes only as a standard mobile peer's recorded home address.
      const hao = p.hao;
      const known =
        hao === null ||
        this.entries.some((e) => e.compat.value === 'standard-mobile' && e.compat.context.homeAddress === hao);
      return known ? 'unauthenticated' : 'dropped';
    }
    // Rules 2 and 3: unknown SPI, bad ICV or a replay drops the whole packet.
    const spi = p.ah.spi;
    const i = this.entries.findIndex((e) => e.sa?.inboundSpi === spi);
    const sa = i < 0 ? null : this.entries[i].sa;
    if (sa === null || !p.ah.icvValid || !replayAccepts(sa.replay, p.ah.sequence, this.params.antiReplayWindowPackets))
      return 'dropped';
    this.w(i).sa = { ...sa, replay: replayUpdate(sa.replay, p.ah.sequence, this.params.antiReplayWindowPackets) };
    // Rule 2: an HAO must name an active or deprecated address of the SA's entry.
    if (p.hao !== null) {
      const haoStatus = addressStatus(this.valueIn(i, p.hao));
      if (haoStatus !== 'active' && haoStatus !== 'deprecated') return 'dropped';
    }
    // Rule 15: one compatibility signal per packet, from every BU and BR in it (fresh or not);
    // Homeless Support outranks the rest. The care-of address waits for the BUs' fate (below).
    const homelessSupport = this.compatSignal(i, p);
    // Rule 4: BU, BA, BR under either kind of SA; data only under a generic one.
    const signalling = p.items.some((item) => item.kind !== 'data');
    const data = p.items.some((item) => item.kind === 'data');
    if ((signalling || (data && sa.kind === 'generic')) && addressStatus(this.valueIn(i, p.source)) === 'active') {
      this.runAddress(i, p.source, { type: 'activity', now });
    }
    let previous: number | null = null;
    /** The last BU of the packet that was accepted (rule 15: only an accepted one sets careOfAddress). */
    let acceptedBu: { careOf: Address; lifetimeSeconds: number } | null = null;
    for (const item of p.items) {
      switch (item.kind) {
        case 'bindingUpdate':
        case 'response': {
          // §3.2.2: several BUs in one packet MUST have increasing sequence numbers.
          const increasing = previous === null || isFreshSequence(previous, item.sequence);
          previous = item.sequence;
          // Rule 7: newer than the last accepted one.
          if (!increasing || !isFreshSequence(this.entries[i].lastSequence, item.sequence)) break;
          if (item.kind === 'response') {
            // A rejected Response does not consume its number (rule 7).
            if (this.response(i, item, now)) {
              this.w(i).lastSequence = item.sequence;
              acceptedBu = { careOf: item.address, lifetimeSeconds: item.lifetimeSeconds };
            }
            break;
          }
          this.w(i).lastSequence = item.sequence;
          acceptedBu = { careOf: item.named[0] ?? p.source, lifetimeSeconds: item.lifetimeSeconds };
          this.bindingUpdate(i, item, now);
          break;
        }
        case 'bindingRequest': // rules 4 and 15 only (above)
        case 'bindingAck':
        case 'data':
          break;
        default:
          unreachable(item);
      }
    }
    this.careOfSignal(i, p, homelessSupport, acceptedBu);
    // Rule 20a, Appendix B: an AH-valid packet from a homeless peer whose source is not in the entry.
    if (
      this.params.buOptimization &&
      this.entries[i].compat.value === 'homeless' &&
      !this.entries[i].addresses.has(p.source) &&
      this.nameable([p.source]).length === 1
    ) {
      this.claim(i, p.source, now, this.params.defaultLifetimeSeconds);
    }
    return 'authenticated';
  }

  /**
   * Rule 15 for one authenticated packet whose HAO (if any) passed rule 2: the peer's kind
   * and home address, which need only authentication. Returns whether the packet carried
   * Homeless Support. The care-of address is left to `careOfSignal`, once the packet's BUs
   * are accepted or ignored.
   */
  private compatSignal(i: number, p: ReceivedPacket): boolean {
    let homelessSupport = false;
    let bu = false;
    for (const item of p.items) {
      if (item.kind === 'bindingUpdate') {
        homelessSupport ||= item.homelessSupport;
        bu = true;
      } else if (item.kind === 'response') {
        bu = true;
      } else if (item.kind === 'bindingRequest') {
        homelessSupport ||= item.homelessSupport;
      }
    }
    if (homelessSupport) this.runCompat(i, { type: 'homelessSupport' });
    else if (p.hao !== null || bu) this.runCompat(i, { type: 'mobileSignal', hao: p.hao, lastBu: null });
    return homelessSupport;
  }

  /**
   * Rule 15: `careOfAddress` is set by each *accepted* BU without Homeless Support from a
   * standard mobile peer (newer sequence, rule 7; a Response only when it verifies); an
   * ignored BU changes neither address. The packet's last accepted BU decides.
   */
  private careOfSignal(
    i: number,
    p: ReceivedPacket,
    homelessSupport: boolean,
    acceptedBu: { careOf: Address; lifetimeSeconds: number } | null,
  ): void {
    if (homelessSupport || acceptedBu === null || this.entries[i].compat.value !== 'standard-mobile') return;
    this.runCompat(i, { type: 'mobileSignal', hao: p.hao, lastBu: acceptedBu });
  }

  private parameterProblemEntry(quoted: { destination: Address; outboundSpi: number | null } | null): number {
    if (quoted === null) return -1;
    if (quoted.outboundSpi !== null) {
      const spi = quoted.outboundSpi;
      return this.entries.findIndex((e) => e.sa?.outboundSpi === spi);
    }
    for (const status of ['active', 'deprecated', 'tentative'] as const) {
      const i = this.findHolding(quoted.destination, status);
      if (i >= 0) return i;
    }
    return -1;
  }

  // ---- requests that make entries (rules 14, 17, 18, 21) ------------------------------------------

  private newEntry(sa: WorkEntry['sa']): number {
    const entry: WorkEntry = {
      key: this.nextEntryKey++,
      sa,
      compat: this.model.initial.compat,
      addresses: new Map(),
      lastSequence: null,
      challengeCounts: new Map(),
    };
    this.entries.push(entry);
    this.writable.add(entry);
    return this.entries.length - 1;
  }

  private saAdded(e: Extract<ModelEvent, { type: 'saAdded' }>): Outcome {
    if (this.entries.some((en) => en.sa?.inboundSpi === e.inboundSpi)) return 'refused';
    if (this.local.includes(e.peer) || scopeOf(e.peer) === 'unusable') return 'refused';
    // Rule 17: refused for an address already active in an entry with an SA.
    if (this.findHolding(e.peer, 'active', true) >= 0) return 'refused';
    const sa = { inboundSpi: e.inboundSpi, outboundSpi: e.outboundSpi, kind: e.kind, replay: REPLAY_INITIAL };
    // Rule 17: `addSA` reuses an entry that `send` created.
    let i = this.findHolding(e.peer, 'active', false);
    if (i < 0) i = this.findHolding(e.peer, 'deprecated', false);
    if (i >= 0) {
      this.w(i).sa = sa;
    } else {
      // Rule 8: `foreignEntriesCountMax` refuses `addSA`.
      if (this.entries.length >= this.params.foreignEntriesCountMax) return 'refused';
      i = this.newEntry(sa);
    }
    this.runAddress(i, e.peer, { type: 'established', now: e.now });
    // Rule 14: the Initial BU, from Alice's oldest address of the peer's scope (none: none
    // sent), to a peer that takes Mobile IPv6 options; it starts the probe of rule 15.
    if (this.entries[i].compat.value !== 'legacy' && this.local.some((a) => scopeOf(a) === scopeOf(e.peer))) {
      this.runCompat(i, { type: 'initialBuSent', now: e.now });
      this.effects.push({ kind: 'initialBu', spi: e.inboundSpi, peer: e.peer });
    }
    this.recheckNewHolder(i, e.peer, e.now);
    return 'done';
  }

  private send(to: Address, now: number): Outcome {
    if (this.local.includes(to) || scopeOf(to) === 'unusable') return 'refused';
    // Rule 21: the entry holding `to` as active, else as deprecated.
    let i = this.findHolding(to, 'active');
    if (i < 0) i = this.findHolding(to, 'deprecated');
    if (i < 0) {
      // Rule 8: no room for an entry is answered as unreachable.
      if (this.entries.length >= this.params.foreignEntriesCountMax) return 'unreachable';
      i = this.newEntry(null);
      this.runAddress(i, to, { type: 'established', now });
      this.recheckNewHolder(i, to, now);
    }
    return this.reachable(i) ? 'done' : 'unreachable';
  }

  /**
   * §2.2, rule 21: an active address to send to and an address of Alice's of its scope. The
   * host prefers the last source received; the model looks at the oldest active address,
   * which is the same scope whenever the entry holds one scope (rule 5 names global ones only).
   */
  private reachable(i: number): boolean {
    for (const [address, s] of this.entries[i].addresses) {
      if (addressStatus(s.value) === 'active') return this.local.some((a) => scopeOf(a) === scopeOf(address));
    }
    return false;
  }

  /** Rule 18: an entry goes only when it has neither an SA nor any address (§2.1.5). */
  prune(): void {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i];
      if (e.sa === null && e.addresses.size === 0) this.entries.splice(i, 1);
    }
  }
}
