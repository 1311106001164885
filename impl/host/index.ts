// The reference Homeless Mobile IPv6 host: sans I/O (time, randomness and packets come in as
// arguments; what it sends and delivers is returned), following the draft and HOST.md.
//
// `ReferenceHost` is the top of a stack of layers (host-core → verification → send-path →
// receive-path → timers → here); every decision is a protected method a subclass may
// override. This file holds the public entry points: each checks its request, refuses it
// with no effect at all if it must (HOST.md rule 24), else runs the expiries due at `now`
// (rule 16) and then does its work.

import { checkKey } from '../crypto/index.js';
import { bytesToAddress, tryAddressToBytes } from '../wire/index.js';
import type { EntryRecord } from './cache.js';
import { resolveParams, MS_PER_SECOND } from './params.js';
import type { SaTable } from './sa.js';
import { isUsableUnicast } from './scope.js';
import { hostState } from './snapshot.js';
import { TimedHost } from './timers.js';
import type {
  Address,
  Host,
  HostOptions,
  HostState,
  ReceiveAnswer,
  SaConfig,
  SendAnswer,
  SendRequest,
  SentAnswer,
} from './types.js';

export * from './types.js';
export { resolveParams, PARAM_NAMES, SENT_PACKETS_REMEMBERED_PER_ENTRY_MAX, CONNECTIONS_PER_ENTRY_MAX } from './params.js';
export { seededRandom } from './random.js';
export { nextPeerKind, sendingRules, COMPAT_EVENTS, PEER_KINDS, type CompatEvent } from './compat.js';
export { isNewerSequence, quoteMatches, ICMP_ERROR_QUOTE_BYTES_MAX, PARAMETER_PROBLEM_UNRECOGNIZED_OPTION } from './receive-path.js';
export type { AddressRecord, EntryRecord, ChallengeState } from './cache.js';
export type { SaRecord } from './sa.js';
export type { ClaimContext, Admission } from './verification.js';
export type { Route, SourcePlan } from './send-path.js';
export type { ReceivedPacket } from './receive-path.js';
export type { DueEvent } from './timers.js';
export type { BoundCheck, StatusReason } from './host-core.js';
export { isLive, hasAnswered } from './host-core.js';

/** SPIs 0..255 are reserved (RFC 2402); SPIs are 32 bits. */
export const SPI_MIN = 256;
export const SPI_MAX = 0xffffffff;
export const PORT_MAX = 0xffff;

/** RFC 5952 text: what the host's addresses are (the adapter normalizes whatever it is given). */
function isCanonicalAddress(a: unknown): a is Address {
  if (typeof a !== 'string') return false;
  const bytes = tryAddressToBytes(a);
  return bytes !== null && bytesToAddress(bytes) === a;
}

function refused(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

export class ReferenceHost extends TimedHost implements Host {
  constructor(options: HostOptions) {
    const resolved = resolveParams(options.params ?? {});
    if (!resolved.ok) throw new RangeError(`createHost: ${resolved.error}`);
    for (const a of options.localAddresses) {
      if (!isCanonicalAddress(a) || !isUsableUnicast(a)) throw new RangeError(`createHost: ${JSON.stringify(a)} is not a unicast address in RFC 5952 form`);
    }
    super(options, resolved.params);
  }

  // ---- Public entry points (DESIGN.md "Entry points", ADAPTER-PROTOCOL.md) -----------------

  /** `addSA` (Appendix A.1/A.2, rules 14, 17): the entry, the SA, the Initial BU. */
  addSA(sa: SaConfig, nowMs: number): SentAnswer {
    const bad = this.refuseNow(nowMs) ?? this.refuseSaConfig(sa) ?? this.refuseSaAfterExpiry(sa, nowMs);
    if (bad !== null) return refused(bad);
    this.begin(nowMs);
    this.establishSa(sa, nowMs);
    return { ok: true, sent: this.out };
  }

  receive(bytes: Uint8Array, nowMs: number): ReceiveAnswer {
    const bad = this.refuseNow(nowMs) ?? (bytes instanceof Uint8Array ? null : 'packet must be bytes');
    if (bad !== null) return refused(bad);
    this.begin(nowMs);
    this.receivePacket(bytes, nowMs);
    return { ok: true, sent: this.out, delivered: this.delivered };
  }

  tick(nowMs: number): SentAnswer {
    const bad = this.refuseNow(nowMs);
    if (bad !== null) return refused(bad);
    this.begin(nowMs);
    this.onTick(nowMs);
    return { ok: true, sent: this.out };
  }

  send(request: SendRequest, nowMs: number): SendAnswer {
    const bad = this.refuseNow(nowMs) ?? this.refuseSendRequest(request);
    if (bad !== null) return refused(bad);
    this.begin(nowMs);
    const sent = this.sendData(request, nowMs);
    return sent ? { ok: true, sent: this.out } : { ok: true, sent: this.out, unreachable: true };
  }

  /** §2.1.3 MUST add it; rule 20 announces it. An address Alice already has changes nothing (rule 24). */
  addLocalAddress(address: Address, nowMs: number): SentAnswer {
    const bad = this.refuseNow(nowMs) ?? (isCanonicalAddress(address) && isUsableUnicast(address) ? null : 'address must be a unicast IPv6 address in RFC 5952 form');
    if (bad !== null) return refused(bad);
    this.begin(nowMs);
    if (!this.isLocal(address)) {
      this.local.push(address);
      this.announceAddress(address, nowMs);
    }
    return { ok: true, sent: this.out };
  }

  /** §2.1.2 MUST send deleting BUs (rule 20). An address Alice lacks changes nothing (rule 24). */
  removeLocalAddress(address: Address, nowMs: number): SentAnswer {
    const bad = this.refuseNow(nowMs) ?? (isCanonicalAddress(address) ? null : 'address must be an IPv6 address in RFC 5952 form');
    if (bad !== null) return refused(bad);
    this.begin(nowMs);
    if (this.isLocal(address)) {
      this.local = this.local.filter((a) => a !== address);
      this.withdrawAddress(address, nowMs);
    }
    return { ok: true, sent: this.out };
  }

  snapshot(): HostState {
    return hostState(this.cache, this.local);
  }

  // ---- Request checks (rule 24: a refused request has no effect at all) ---------------------

  /** A `now` smaller than the last accepted one is refused (rule 24). */
  protected refuseNow(nowMs: number): string | null {
    if (typeof nowMs !== 'number' || !Number.isSafeInteger(nowMs) || nowMs < 0) return 'now must be a non-negative integer (ms)';
    if (nowMs < this.lastNowMs) return `now ${nowMs} is before the last accepted now ${this.lastNowMs}`;
    return null;
  }

  protected refuseSaConfig(sa: SaConfig): string | null {
    if (sa === null || typeof sa !== 'object') return 'sa must be an object';
    if (!isCanonicalAddress(sa.peer) || !isUsableUnicast(sa.peer)) return 'sa.peer must be a unicast IPv6 address in RFC 5952 form';
    if (this.isLocal(sa.peer)) return `sa.peer ${sa.peer} is one of Alice's own addresses`;
    for (const [name, spi] of [['inboundSpi', sa.inboundSpi], ['outboundSpi', sa.outboundSpi]] as const) {
      if (!Number.isSafeInteger(spi) || spi < SPI_MIN || spi > SPI_MAX) return `sa.${name} must be an integer in ${SPI_MIN}..${SPI_MAX}`;
    }
    if (sa.kind !== 'generic' && sa.kind !== 'anonymous') return 'sa.kind must be "generic" or "anonymous"';
    const keyProblem = checkKey(sa.alg, sa.key);
    if (keyProblem !== null) return `sa: ${keyProblem}`;
    if (this.sas.has(sa.inboundSpi)) return `sa.inboundSpi ${sa.inboundSpi} is already in use`;
    return null;
  }

  /**
   * Rules 8 and 17, judged on the state after this request's expiries (which run only if the
   * request is accepted): when anything is due, on a dry-run copy.
   */
  protected refuseSaAfterExpiry(sa: SaConfig, nowMs: number): string | null {
    const view = this.nextDue(nowMs) === null ? this : this.dryRun(nowMs);
    const active = view.cache.findWithStatus(sa.peer, 'active');
    if (active !== undefined && active.entry.sa !== null) {
      return `sa.peer ${sa.peer} is already active in entry ${active.entry.id}, which has an SA (rule 17)`;
    }
    if (view.entryToReuseForSa(sa.peer) === null && !view.enforceBounds({ kind: 'entry' })) {
      return 'foreignEntriesCountMax reached: no new Foreign Host Cache Entry (rule 8)';
    }
    return null;
  }

  protected refuseSendRequest(request: SendRequest): string | null {
    if (request === null || typeof request !== 'object') return 'send request must be an object';
    if (!isCanonicalAddress(request.to) || !isUsableUnicast(request.to)) return 'to must be a unicast IPv6 address in RFC 5952 form';
    if (this.isLocal(request.to)) return `to ${request.to} is one of Alice's own addresses`;
    if (request.proto !== 'udp' && request.proto !== 'icmp') return 'proto must be "udp" or "icmp"';
    if (!(request.payload instanceof Uint8Array)) return 'payload must be bytes';
    for (const [name, port] of [['sport', request.sport], ['dport', request.dport]] as const) {
      if (port !== undefined && (!Number.isSafeInteger(port) || port < 0 || port > PORT_MAX)) return `${name} must be an integer in 0..${PORT_MAX}`;
    }
    return null;
  }

  // ---- Request bodies ----------------------------------------------------------------------

  /** An accepted request: its `now` becomes the last accepted one, then the expiries due (rule 16). */
  protected begin(nowMs: number): void {
    this.lastNowMs = nowMs;
    this.out = [];
    this.delivered = [];
    this.expire(nowMs);
  }

  /** Rule 17: the entry holding `peer` active without an SA (one `send` created), else deprecated without one. */
  protected entryToReuseForSa(peer: Address): EntryRecord | null {
    const active = this.cache.findWithStatus(peer, 'active');
    if (active !== undefined) return active.entry.sa === null ? active.entry : null;
    for (const r of this.cache.recordsOf(peer)) if (r.status === 'deprecated' && r.entry.sa === null) return r.entry;
    return null;
  }

  /**
   * Appendix A: the SA is established with the peer known at `peer`, whose entry (created, or
   * reused from `send`) has `peer` active with an activity-related lifetime (rule 17; the SA
   * negotiation was activity). Then the Initial BU (rule 14), and a re-check if `peer` is
   * tentative in another entry (rule 13 through rule 17).
   */
  protected establishSa(config: SaConfig, nowMs: number): void {
    const reuse = this.entryToReuseForSa(config.peer);
    const entry = reuse ?? this.createEntryForPeer(config.peer, nowMs, 'addSA');
    const first = this.cache.recordIn(entry, config.peer);
    if (first === undefined) throw new Error(`host: ${config.peer} missing from ${entry.id}`);
    const activityEndMs = nowMs + this.params.defaultLifetimeSeconds * MS_PER_SECOND;
    if (first.status === 'deprecated') this.activateAddress(first, 'activity', activityEndMs, 'first-address');
    else if (first.lifetimeKind === 'activity') first.expiresAtMs = activityEndMs;
    entry.sa = this.sas.add(config, entry, this.params.antiReplayWindowPackets);
    this.scheduleRefresh(entry, nowMs);
    this.sendInitialBu(entry, config.peer, nowMs);
    this.recheckFirstAddress(first, nowMs);
  }

  /**
   * A copy of this host with the expiries due at `nowMs` applied, to judge a request on the
   * state it would meet without changing anything (rule 24). Its random source is a dummy so
   * the real one is not advanced.
   */
  protected dryRun(nowMs: number): this {
    const copy = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.assign(copy, this);
    let sas: SaTable | null = null;
    copy.cache = this.cache.clone((entryFor) => {
      const cloned = this.sas.clone(entryFor);
      sas = cloned.table;
      return cloned.map;
    });
    if (sas === null) throw new Error('host: dry run without an SA table');
    copy.sas = sas;
    copy.local = this.local.slice();
    copy.out = [];
    copy.delivered = [];
    Object.defineProperty(copy, 'random', { value: (n: number) => new Uint8Array(n) });
    copy.expire(nowMs);
    return copy;
  }
}

/** DESIGN.md's entry point: a reference host over `options` (throws on invalid options: a programmer error). */
export function createHost(options: HostOptions): ReferenceHost {
  return new ReferenceHost(options);
}
