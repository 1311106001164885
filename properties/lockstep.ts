// REFINES-MODEL, the lockstep run (DESIGN.md "The model"): every call the world made to Alice
// becomes one abstract event (model/events.ts), derived from the world's own knowledge (the
// bytes it carried, the keys it holds, the Challenges it saw Alice send), never from Alice's
// verdicts. The model steps on each event; after every call the harness compares
// `abstractHostState(alice's state)` with the model's abstract state (and whether the request
// was accepted, and for a send whether it was unreachable). The first disagreement fails the
// property, naming the step, both states and the difference.

import type { HostState } from '../impl/host/types.js';
import {
  addressToBytes,
  careOfAddress,
  decodePacket,
  expandAlternatePrefixes,
  fromHex,
  optionAction,
  OPTION_TYPE,
  toHex,
} from '../impl/wire/index.js';
import type { Address, Packet, PacketLayout } from '../impl/wire/types.js';
import { abstractHostState, abstractModel, diffAbstract, modelToHostState } from '../model/abstraction.js';
import { createModel, step as stepModel, type CacheModel, type MachineObserver } from '../model/cache.js';
import type { ModelEvent, PacketItem, ReceivedPacket, ResponseAnswers } from '../model/events.js';
import { aliceCalls, callText, type CallView } from './invariants/trace-view.js';
import { responseValue, verifyIcv } from './truth/index.js';
import { fail, type Verdict } from './invariants/types.js';
import type { AliceEvent, MalformedEvent, SaRecord, Trace } from './world/types.js';

const ID = 'REFINES-MODEL';
/** Mobile IPv6 option types a Parameter Problem may point at (rule 15). */
const MOBILITY_OPTION_TYPES: ReadonlySet<number> = new Set([
  OPTION_TYPE.hao,
  OPTION_TYPE.bu,
  OPTION_TYPE.ba,
  OPTION_TYPE.br,
]);

export interface LockstepResult {
  verdict: Verdict;
  /**
   * The model's state (adapter shape) at the end of each step, up to the failing one: built
   * when first read (a counterexample file wants it; a passing run never reads it).
   */
  readonly modelStates: (HostState | null)[];
  /** Alice calls compared. */
  calls: number;
}

/**
 * Where a passing lockstep stopped, to go on from there on a trace that extends the one it
 * judged (the explorer's child states: a forked world's trace keeps its parent's steps): the
 * calls already compared, the model and the knowledge after them. Opaque to callers.
 */
export interface LockstepPoint {
  readonly calls: number;
  readonly model: CacheModel;
  readonly knowledge: Knowledge;
  readonly agreed: Agreed | null;
  readonly lastStep: number;
  /** The model at the end of each step before `lastStep`. */
  readonly models: readonly (CacheModel | null)[];
}

/** The last compared pair, equal: the host's state object and the model's entries and local addresses. */
type Agreed = { host: HostState | undefined; entries: CacheModel['entries']; local: CacheModel['local'] };

export interface LockstepOptions {
  /**
   * Told of every machine step the model takes (model/coverage.ts's CoverageTracker). A tick
   * that changes nothing in the model is stepped without it (see `observe`).
   */
  observer?: MachineObserver;
}

/** What the world knows that the events need: SAs by SPI, and Alice's packets so far. */
/**
 * What an ICMPv6 error quotes of the packet that caused it: as much as fits in the minimum MTU,
 * 1280 bytes less the IPv6 (40) and ICMPv6 (8) headers (RFC 4443 §2.4 (c)); HOST.md rule 15's
 * Parameter Problem quotes a packet of Alice's byte for byte up to this length.
 */
const QUOTE_BYTES_MAX = 1280 - 40 - 8;

export class Knowledge {
  private readonly byInbound = new Map<number, { sa: SaRecord; key: Uint8Array }>();
  private readonly byOutbound = new Map<number, SaRecord>();
  /** Per SA name and address: the distinct Challenge values Alice sent, in order of first transmission. */
  private readonly challenges = new Map<string, string[]>();
  /**
   * Every packet Alice sent, by the hex of what an ICMPv6 error can quote of it (all of it, or
   * its first QUOTE_BYTES_MAX bytes), with its destination, AH SPI and whole hex.
   */
  private readonly sent = new Map<string, { destination: Address; spi: number | null; hex: string }>();

  constructor(private readonly trace: Trace) {
    for (const sa of trace.sas) {
      this.byInbound.set(sa.aliceInboundSpi, { sa, key: fromHex(sa.keyHex) ?? new Uint8Array(0) });
      this.byOutbound.set(sa.aliceOutboundSpi, sa);
    }
  }

  /**
   * What this knowledge knows, for `trace`, a trace that extends the one it learnt from: its SAs
   * read again (a later step may have added one), Alice's packets and Challenges so far copied.
   */
  extendedTo(trace: Trace): Knowledge {
    const copy = new Knowledge(trace);
    for (const [k, v] of this.sent) copy.sent.set(k, v);
    for (const [k, list] of this.challenges) copy.challenges.set(k, [...list]);
    return copy;
  }

  /** Records what Alice sent in a call (after the call's event was derived). */
  learn(event: AliceEvent): void {
    for (const id of event.sent) {
      const p = this.trace.packets[id];
      this.sent.set(p.hex.slice(0, 2 * QUOTE_BYTES_MAX), {
        destination: p.info.destination ?? '::',
        spi: p.info.spi ?? null,
        hex: p.hex,
      });
      const sa = this.byOutbound.get(p.info.spi ?? -1);
      if (sa === undefined || p.info.destination === undefined) continue;
      for (const ba of p.info.bas) {
        if (ba.security === undefined) continue;
        const key = `${sa.name}|${p.info.destination}`;
        const list = this.challenges.get(key) ?? [];
        if (!list.includes(ba.security)) list.push(ba.security);
        this.challenges.set(key, list);
      }
    }
  }

  sa(spi: number): { sa: SaRecord; key: Uint8Array } | undefined {
    return this.byInbound.get(spi);
  }

  /** Which Challenge (ordinal from 1) `response` answers for `address` under `sa`, else 'forged'. */
  answers(sa: { sa: SaRecord; key: Uint8Array }, address: Address, response: Uint8Array): ResponseAnswers {
    const list = this.challenges.get(`${sa.sa.name}|${address}`) ?? [];
    const want = toHex(response);
    const addr = addressToBytes(address);
    for (let k = 0; k < list.length; k++) {
      const challenge = fromHex(list[k]);
      if (challenge === null) continue;
      if (toHex(responseValue(sa.sa.alg, sa.key, challenge, addr)) === want) return k + 1;
    }
    return 'forged';
  }

  /** The packet of Alice's that `invoking` quotes, whole or cut at QUOTE_BYTES_MAX bytes. */
  quoted(invoking: Uint8Array): { destination: Address; outboundSpi: number | null; hex: string } | null {
    const hit = invoking.length > QUOTE_BYTES_MAX ? undefined : this.sent.get(toHex(invoking));
    if (hit === undefined || (invoking.length < QUOTE_BYTES_MAX && hit.hex.length !== 2 * invoking.length)) return null;
    return { destination: hit.destination, outboundSpi: hit.spi, hex: hit.hex };
  }
}

/** The type of the destination option whose Type byte is at `offset` (from the packet's start), if one is. */
function optionTypeAt(layout: PacketLayout, offset: number): number | undefined {
  return layout.options.find((o) => o.offset === offset)?.type;
}

function receivedItems(
  p: Packet,
  knowledge: Knowledge,
  sa: { sa: SaRecord; key: Uint8Array } | undefined,
): PacketItem[] {
  const items: PacketItem[] = [];
  for (const o of p.destOptions ?? []) {
    if (o.kind === 'bu') {
      const security = o.subOptions.find((s) => s.kind === 'security');
      const careOf = careOfAddress(o, p.ipv6.source);
      if (security !== undefined && security.kind === 'security') {
        // Rule 12: only the Challenge/Response, at most one Alternate CoA (padding is not represented).
        const wellFormed =
          o.subOptions.every((s) => s.kind === 'security' || s.kind === 'alternate-coa') &&
          o.subOptions.filter((s) => s.kind === 'alternate-coa').length <= 1 &&
          o.subOptions.filter((s) => s.kind === 'security').length === 1;
        const answers: ResponseAnswers = sa === undefined ? 'forged' : knowledge.answers(sa, careOf, security.value);
        items.push({
          kind: 'response',
          sequence: o.sequence,
          lifetimeSeconds: o.lifetimeSeconds,
          address: careOf,
          answers,
          wellFormed,
        });
      } else {
        // Rule 5, before filtering: the care-of address, then the Alternate Prefixes, no duplicates.
        const named: Address[] = [careOf];
        for (const a of expandAlternatePrefixes(o, p.ipv6.source)) if (!named.includes(a)) named.push(a);
        items.push({
          kind: 'bindingUpdate',
          sequence: o.sequence,
          lifetimeSeconds: o.lifetimeSeconds,
          homelessSupport: o.subOptions.some((s) => s.kind === 'homeless-support'),
          named,
        });
      }
    } else if (o.kind === 'ba') {
      items.push({ kind: 'bindingAck', status: o.status });
    } else if (o.kind === 'br') {
      items.push({ kind: 'bindingRequest', homelessSupport: o.subOptions.some((s) => s.kind === 'homeless-support') });
    }
  }
  const u = p.upper;
  if (
    u.kind === 'udp' ||
    (u.kind === 'icmpv6' && (u.message.type === 'echo-request' || u.message.type === 'echo-reply'))
  )
    items.push({ kind: 'data' });
  return items;
}

/**
 * A malformed call (HOST.md rule 24) as the model event it reads as. The lockstep never steps
 * it (the model stays as it is); the event is only named in a failure's message, so its fields
 * are read from the request as they are, whatever JSON they hold.
 */
function malformedEvent(e: MalformedEvent): ModelEvent {
  const now = e.at;
  const r = e.request;
  switch (e.op) {
    case 'tick':
      return { type: 'tick', now };
    case 'addSA':
      return {
        type: 'saAdded',
        now,
        peer: String(r.peer),
        inboundSpi: Number(r.inboundSpi),
        outboundSpi: Number(r.outboundSpi),
        kind: r.kind === 'anonymous' ? 'anonymous' : 'generic',
      };
    case 'send':
      return { type: 'send', now, to: String(r.to) };
    case 'addLocalAddress':
      return { type: 'localAddressAdded', now, address: String(r.address) };
    case 'removeLocalAddress':
      return { type: 'localAddressRemoved', now, address: String(r.address) };
    case 'receive':
      // Bytes that are no packet of the trace.
      return { type: 'noise', now };
  }
}

/** The abstract event of one Alice call, from the world's knowledge. */
function deriveEvent(trace: Trace, call: CallView, knowledge: Knowledge): ModelEvent {
  const e = call.event;
  if (e.invalid === true) return malformedEvent(e);
  const now = e.at;
  switch (e.op) {
    case 'tick':
      return { type: 'tick', now };
    case 'addSA':
      return {
        type: 'saAdded',
        now,
        peer: e.request.peer,
        inboundSpi: e.request.inboundSpi,
        outboundSpi: e.request.outboundSpi,
        kind: e.request.kind,
      };
    case 'send':
      return { type: 'send', now, to: e.request.to };
    case 'addLocalAddress':
      return { type: 'localAddressAdded', now, address: e.request.address };
    case 'removeLocalAddress':
      return { type: 'localAddressRemoved', now, address: e.request.address };
    case 'receive':
      break;
  }
  const bytes = fromHex(trace.packets[e.input].hex);
  const decoded = bytes === null ? null : decodePacket(bytes);
  if (bytes === null || decoded === null || !decoded.ok) return { type: 'noise', now };
  const p = decoded.packet;
  if ((p.destOptions ?? []).some((o) => o.kind === 'unknown' && optionAction(o.type) !== 'skip'))
    return { type: 'noise', now };
  let ah: ReceivedPacket['ah'] = null;
  const sa = p.ah === undefined ? undefined : knowledge.sa(p.ah.spi);
  // The ICV and Response values are the independent ground truth's (properties/truth), as in the world.
  if (p.ah !== undefined)
    ah = {
      spi: p.ah.spi,
      sequence: p.ah.sequence,
      icvValid: sa !== undefined && verifyIcv(bytes, { alg: sa.sa.alg, key: sa.key }),
    };
  const u = p.upper;
  if (
    u.kind === 'icmpv6' &&
    u.message.type === 'parameter-problem' &&
    (ah === null || (ah.icvValid && e.truth.ah === 'valid'))
  ) {
    const hit = knowledge.quoted(u.message.invoking);
    let aboutMobilityOption = false;
    if (hit !== null && u.message.pointer < u.message.invoking.length) {
      // The option pointed at, read from the whole packet Alice sent (a quote cut at
      // QUOTE_BYTES_MAX bytes may not decode).
      const whole = fromHex(hit.hex);
      const q = whole === null ? null : decodePacket(whole);
      if (q?.ok === true)
        aboutMobilityOption = MOBILITY_OPTION_TYPES.has(optionTypeAt(q.layout, u.message.pointer) ?? -1);
    }
    const quoted = hit === null ? null : { destination: hit.destination, outboundSpi: hit.outboundSpi };
    return { type: 'parameterProblem', now, code: u.message.code, aboutMobilityOption, quoted };
  }
  const hao = (p.destOptions ?? []).find((o) => o.kind === 'hao');
  return {
    type: 'received',
    now,
    packet: {
      source: p.ipv6.source,
      destinations: [p.ipv6.destination, ...(p.routing?.addresses ?? [])],
      ah,
      hao: hao !== undefined && hao.kind === 'hao' ? hao.homeAddress : null,
      items: receivedItems(p, knowledge, ah?.icvValid === true ? sa : undefined),
    },
  };
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The abstraction of model/abstraction.ts without address canonicalisation: entries keyed by
 * SA inbound SPI (else first address), ids dropped, entries, addresses and local addresses sorted.
 */
function fastKey(state: HostState): string {
  const entries = state.entries.map((e) => {
    const key = e.sa !== null ? `spi=${e.sa.inboundSpi}` : `addr=${e.addresses[0]?.address ?? '-'}`;
    const addresses = e.addresses
      .map((a) => `${a.address} ${a.status} ${a.lifetime.kind} ${a.lifetime.expiresAt} ${a.challengeOutstanding}`)
      .sort(byText)
      .join(',');
    return `${key}|${e.sa?.kind ?? ''}|${e.peerKind}|${e.homeAddress}|${e.careOfAddress}|${addresses}`;
  });
  return `${entries.sort(byText).join(';')}/${[...state.local].sort(byText).join(',')}`;
}

/**
 * One model step, told to `observer` when there is one. An observer makes the cache run every
 * clock pass (so that guard outcomes are recorded), which is most of a tick's cost; ticks are
 * most of a run's calls and rarely change anything. So a tick is first stepped without it, and
 * stepped again with it (steps are pure) only when the model changed: what a tick that changes
 * nothing would record is a clock guard evaluating to false, which other steps record anyway.
 */
function observe(
  model: CacheModel,
  event: ModelEvent,
  observer: MachineObserver | undefined,
): ReturnType<typeof stepModel> {
  if (observer === undefined) return stepModel(model, event);
  if (event.type === 'tick') {
    const quiet = stepModel(model, event);
    const same =
      quiet.model.entries.length === model.entries.length &&
      quiet.model.entries.every((x, i) => x === model.entries[i]);
    if (same) return quiet;
  }
  return stepModel(model, event, { observer });
}

/** Steps the model alongside Alice's recorded calls; fails at the first disagreement. */
export function lockstep(trace: Trace, options: LockstepOptions = {}): LockstepResult {
  return lockstepFrom(trace, null, options).result;
}

/**
 * The lockstep of `trace`, going on from `from` (a point of a trace that `trace` extends: its
 * first `from.calls` calls are the same) or from the start; with the point it reaches when
 * every call agreed (null otherwise). The same verdict as `lockstep(trace)`
 * (test/properties/lockstep-resume.test.ts).
 */
export function lockstepFrom(
  trace: Trace,
  from: LockstepPoint | null,
  options: LockstepOptions = {},
): { result: LockstepResult; point: LockstepPoint | null } {
  const observer = options.observer;
  // The model at the end of each step: its states are immutable, so keeping them costs a reference each.
  const models: (CacheModel | null)[] = trace.steps.map(() => null);
  const result = (verdict: Verdict, calls: number): LockstepResult => withModelStates(verdict, calls, models);
  /** A result to go on from nowhere: a failure, or a trace without states. */
  const pointless = (verdict: Verdict, calls: number): { result: LockstepResult; point: null } => ({
    result: result(verdict, calls),
    point: null,
  });
  if (trace.initialState === undefined) return pointless({ ok: true, judged: 0 }, 0);
  let model: CacheModel =
    from?.model ?? createModel({ localAddresses: trace.initialState.local, params: trace.config.params });
  const knowledge = from === null ? new Knowledge(trace) : from.knowledge.extendedTo(trace);
  let lastStep = from?.lastStep ?? 0;
  let calls = from?.calls ?? 0;
  if (from !== null) for (let s = 0; s < from.models.length; s++) models[s] = from.models[s];
  let agreed: Agreed | null = from?.agreed ?? null;
  const all = aliceCalls(trace);
  for (let c = calls; c < all.length; c++) {
    const call = all[c];
    const e = call.event;
    if (call.step !== lastStep) {
      // The model's state at the end of each finished step (for the counterexample file).
      for (let s = lastStep; s < call.step; s++) models[s] = model;
      lastStep = call.step;
    }
    const event = deriveEvent(trace, call, knowledge);
    knowledge.learn(e);
    // A request the world made malformed (HOST.md rule 24) is refused with no effect at all:
    // the model stays as it is (INV-SEND-FAITHFUL judges the refusal itself).
    const stepped =
      e.invalid === true ? { model, accepted: false, unreachable: false } : observe(model, event, observer);
    model = stepped.model;
    calls += 1;
    const where = `${callText(e)} (step ${call.step}: ${trace.steps[call.step]?.label ?? ''})`;
    if (stepped.accepted !== e.ok) {
      return pointless(
        fail(
          ID,
          call.step,
          `${where}: Alice ${e.ok ? 'accepted' : `refused (${e.error ?? ''})`} the request, the model ${stepped.accepted ? 'accepts' : 'refuses'} it`,
        ),
        calls,
      );
    }
    if (e.op === 'send' && e.ok && stepped.unreachable !== (e.unreachable === true)) {
      return pointless(
        fail(
          ID,
          call.step,
          `${where}: Alice answered ${e.unreachable === true ? 'unreachable' : 'sent'}, the model predicts ${stepped.unreachable ? 'unreachable' : 'sent'}`,
        ),
        calls,
      );
    }
    if (call.after === undefined) continue;
    // Neither side changed since they last agreed (the world reuses an unchanged state
    // object; the model shares untouched entries): nothing to compare.
    const unchanged =
      agreed !== null &&
      agreed.host === call.after &&
      agreed.local === model.local &&
      agreed.entries.length === model.entries.length &&
      agreed.entries.every((x, i) => x === model.entries[i]);
    if (unchanged) continue;
    // Addresses in the trace are already RFC 5952 text, so equal fast keys mean equal
    // abstract states; only a difference pays for the full abstraction and its diff.
    if (fastKey(call.after) === fastKey(modelToHostState(model))) {
      agreed = { host: call.after, entries: model.entries, local: model.local };
      continue;
    }
    const diff = diffAbstract(abstractHostState(call.after), abstractModel(model), ['Alice', 'model']);
    if (diff.length > 0) {
      models[call.step] = model;
      const reason = `${where} after event ${JSON.stringify(event)}: ${diff.join('; ')}`;
      return pointless(fail(ID, call.step, reason), calls);
    }
    agreed = { host: call.after, entries: model.entries, local: model.local };
  }
  const point: LockstepPoint = { calls, model, knowledge, agreed, lastStep, models: models.slice(0, lastStep) };
  for (let s = lastStep; s < trace.steps.length; s++) models[s] = model;
  return { result: result({ ok: true, judged: calls }, calls), point };
}

/** A result whose `modelStates` are the adapter shapes of `models`, converted when first read. */
function withModelStates(verdict: Verdict, calls: number, models: readonly (CacheModel | null)[]): LockstepResult {
  let states: (HostState | null)[] | null = null;
  return {
    verdict,
    calls,
    get modelStates() {
      states ??= models.map((m) => (m === null ? null : modelToHostState(m)));
      return states;
    },
  };
}
