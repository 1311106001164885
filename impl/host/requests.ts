// The public requests (DESIGN.md "Entry points", ADAPTER-PROTOCOL.md): each checks its
// request and refuses it with no effect at all if it must (HOST.md rule 24), else runs the
// expiries due at `now` (rule 16) and then does its work.

import { checkKey } from '../crypto/index.js';
import { bytesToAddress, tryAddressToBytes } from '../wire/index.js';
import { isLocal } from './addresses.js';
import type { EntryRecord } from './cache.js';
import type { HostContext } from './context.js';
import { activateAddress, createEntryForPeer } from './lifecycle.js';
import { MS_PER_SECOND } from './params.js';
import { isUsableUnicast } from './scope.js';
import { scheduleRefresh, sendInitialBu } from './send/bu.js';
import { cloneHostState } from './state.js';
import { expire, nextDue, onTick } from './timers.js';
import type { Address, ReceiveAnswer, SaConfig, SendAnswer, SendRequest, SentAnswer } from './types.js';
import { recheckFirstAddress } from './verification.js';

/** SPIs 0..255 are reserved (RFC 2402); SPIs are 32 bits. */
export const SPI_MIN = 256;
export const SPI_MAX = 0xffffffff;
export const PORT_MAX = 0xffff;

/** RFC 5952 text: what the host's addresses are (the adapter normalizes whatever it is given). */
export function isCanonicalAddress(a: unknown): a is Address {
  if (typeof a !== 'string') return false;
  const bytes = tryAddressToBytes(a);
  return bytes !== null && bytesToAddress(bytes) === a;
}

function refused(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

// ---- The requests ----------------------------------------------------------------------------

/** `addSA` (Appendix A.1/A.2, rules 14, 17): the entry, the SA, the Initial BU. */
export function addSA(ctx: HostContext, sa: SaConfig, nowMs: number): SentAnswer {
  const bad = refuseNow(ctx, nowMs) ?? refuseSaConfig(ctx, sa) ?? refuseSaAfterExpiry(ctx, sa, nowMs);
  if (bad !== null) return refused(bad);
  begin(ctx, nowMs);
  establishSa(ctx, sa, nowMs);
  return { ok: true, sent: ctx.out };
}

export function receive(ctx: HostContext, bytes: Uint8Array, nowMs: number): ReceiveAnswer {
  const bad = refuseNow(ctx, nowMs) ?? (bytes instanceof Uint8Array ? null : 'packet must be bytes');
  if (bad !== null) return refused(bad);
  begin(ctx, nowMs);
  ctx.decisions.receivePacket(ctx, bytes, nowMs);
  return { ok: true, sent: ctx.out, delivered: ctx.delivered };
}

export function tick(ctx: HostContext, nowMs: number): SentAnswer {
  const bad = refuseNow(ctx, nowMs);
  if (bad !== null) return refused(bad);
  begin(ctx, nowMs);
  onTick(ctx, nowMs);
  return { ok: true, sent: ctx.out };
}

export function send(ctx: HostContext, request: SendRequest, nowMs: number): SendAnswer {
  const bad = refuseNow(ctx, nowMs) ?? ctx.decisions.refuseSendRequest(ctx, request);
  if (bad !== null) return refused(bad);
  begin(ctx, nowMs);
  const sent = ctx.decisions.sendData(ctx, request, nowMs);
  return sent ? { ok: true, sent: ctx.out } : { ok: true, sent: ctx.out, unreachable: true };
}

/** §2.1.3 MUST add it; rule 20 announces it. An address Alice already has changes nothing (rule 24). */
export function addLocalAddress(ctx: HostContext, address: Address, nowMs: number): SentAnswer {
  const bad =
    refuseNow(ctx, nowMs) ??
    (isCanonicalAddress(address) && isUsableUnicast(address)
      ? null
      : 'address must be a unicast IPv6 address in RFC 5952 form');
  if (bad !== null) return refused(bad);
  begin(ctx, nowMs);
  if (!isLocal(ctx, address)) {
    ctx.state.local.push(address);
    ctx.decisions.announceAddress(ctx, address, nowMs);
  }
  return { ok: true, sent: ctx.out };
}

/** §2.1.2 MUST send deleting BUs (rule 20). An address Alice lacks changes nothing (rule 24). */
export function removeLocalAddress(ctx: HostContext, address: Address, nowMs: number): SentAnswer {
  const bad =
    refuseNow(ctx, nowMs) ?? (isCanonicalAddress(address) ? null : 'address must be an IPv6 address in RFC 5952 form');
  if (bad !== null) return refused(bad);
  begin(ctx, nowMs);
  if (isLocal(ctx, address)) {
    ctx.state.local = ctx.state.local.filter((a) => a !== address);
    ctx.decisions.withdrawAddress(ctx, address, nowMs);
  }
  return { ok: true, sent: ctx.out };
}

// ---- Request checks (rule 24: a refused request has no effect at all) ---------------------

/** A `now` smaller than the last accepted one is refused (rule 24). */
function refuseNow(ctx: HostContext, nowMs: number): string | null {
  if (typeof nowMs !== 'number' || !Number.isSafeInteger(nowMs) || nowMs < 0)
    return 'now must be a non-negative integer (ms)';
  if (nowMs < ctx.state.lastNowMs) return `now ${nowMs} is before the last accepted now ${ctx.state.lastNowMs}`;
  return null;
}

function refuseSaConfig(ctx: HostContext, sa: SaConfig): string | null {
  if (sa === null || typeof sa !== 'object') return 'sa must be an object';
  if (!isCanonicalAddress(sa.peer) || !isUsableUnicast(sa.peer))
    return 'sa.peer must be a unicast IPv6 address in RFC 5952 form';
  if (isLocal(ctx, sa.peer)) return `sa.peer ${sa.peer} is one of Alice's own addresses`;
  for (const [name, spi] of [
    ['inboundSpi', sa.inboundSpi],
    ['outboundSpi', sa.outboundSpi],
  ] as const) {
    if (!Number.isSafeInteger(spi) || spi < SPI_MIN || spi > SPI_MAX)
      return `sa.${name} must be an integer in ${SPI_MIN}..${SPI_MAX}`;
  }
  if (sa.kind !== 'generic' && sa.kind !== 'anonymous') return 'sa.kind must be "generic" or "anonymous"';
  const keyProblem = checkKey(sa.alg, sa.key);
  if (keyProblem !== null) return `sa: ${keyProblem}`;
  if (ctx.state.sas.has(sa.inboundSpi)) return `sa.inboundSpi ${sa.inboundSpi} is already in use`;
  return null;
}

/**
 * Rules 8 and 17, judged on the state after this request's expiries (which run only if the
 * request is accepted): when anything is due, on a dry-run copy.
 */
function refuseSaAfterExpiry(ctx: HostContext, sa: SaConfig, nowMs: number): string | null {
  const view = nextDue(ctx, nowMs) === null ? ctx : dryRun(ctx, nowMs);
  const active = view.state.cache.findWithStatus(sa.peer, 'active');
  if (active !== undefined && active.entry.sa !== null) {
    return `sa.peer ${sa.peer} is already active in entry ${active.entry.id}, which has an SA (rule 17)`;
  }
  if (entryToReuseForSa(view, sa.peer) === null && !view.decisions.enforceBounds(view, { kind: 'entry' })) {
    return 'foreignEntriesCountMax reached: no new Foreign Host Cache Entry (rule 8)';
  }
  return null;
}

/**
 * Rule 24: a send request must be well formed (ADAPTER-PROTOCOL.md `send`): a unicast `to`
 * that is not Alice's, `udp` or `icmp`, bytes, ports in range.
 */
export function refuseSendRequest(ctx: HostContext, request: SendRequest): string | null {
  if (request === null || typeof request !== 'object') return 'send request must be an object';
  if (!isCanonicalAddress(request.to) || !isUsableUnicast(request.to))
    return 'to must be a unicast IPv6 address in RFC 5952 form';
  if (isLocal(ctx, request.to)) return `to ${request.to} is one of Alice's own addresses`;
  if (request.proto !== 'udp' && request.proto !== 'icmp') return 'proto must be "udp" or "icmp"';
  if (!(request.payload instanceof Uint8Array)) return 'payload must be bytes';
  for (const [name, port] of [
    ['sport', request.sport],
    ['dport', request.dport],
  ] as const) {
    if (port !== undefined && (!Number.isSafeInteger(port) || port < 0 || port > PORT_MAX))
      return `${name} must be an integer in 0..${PORT_MAX}`;
  }
  return null;
}

// ---- Request bodies ----------------------------------------------------------------------

/** An accepted request: its `now` becomes the last accepted one, then the expiries due (rule 16). */
function begin(ctx: HostContext, nowMs: number): void {
  ctx.state.lastNowMs = nowMs;
  ctx.out = [];
  ctx.delivered = [];
  expire(ctx, nowMs);
}

/** Rule 17: the entry holding `peer` active without an SA (one `send` created), else deprecated without one. */
function entryToReuseForSa(ctx: HostContext, peer: Address): EntryRecord | null {
  const cache = ctx.state.cache;
  const active = cache.findWithStatus(peer, 'active');
  if (active !== undefined) return active.entry.sa === null ? active.entry : null;
  for (const r of cache.recordsOf(peer)) if (r.status === 'deprecated' && r.entry.sa === null) return r.entry;
  return null;
}

/**
 * Appendix A: the SA is established with the peer known at `peer`, whose entry (created, or
 * reused from `send`) has `peer` active with an activity-related lifetime (rule 17; the SA
 * negotiation was activity). Then the Initial BU (rule 14), and a re-check if `peer` is
 * tentative in another entry (rule 13 through rule 17).
 */
function establishSa(ctx: HostContext, config: SaConfig, nowMs: number): void {
  const reuse = entryToReuseForSa(ctx, config.peer);
  const entry = reuse ?? createEntryForPeer(ctx, config.peer, nowMs);
  const first = ctx.state.cache.recordIn(entry, config.peer);
  if (first === undefined) throw new Error(`host: ${config.peer} missing from ${entry.id}`);
  const activityEndMs = nowMs + ctx.params.defaultLifetimeSeconds * MS_PER_SECOND;
  if (first.status === 'deprecated') activateAddress(ctx, first, 'activity', activityEndMs, 'first-address');
  else if (first.lifetimeKind === 'activity') first.expiresAtMs = activityEndMs;
  entry.sa = ctx.state.sas.add(config, entry, ctx.params.antiReplayWindowPackets);
  scheduleRefresh(ctx, entry, nowMs);
  sendInitialBu(ctx, entry, config.peer, nowMs);
  recheckFirstAddress(ctx, first, nowMs);
}

/** A dry run's random source: zeros, so the host's own source is not advanced. */
function noRandom(n: number): Uint8Array {
  return new Uint8Array(n);
}

/**
 * The host with the expiries due at `nowMs` applied, on a copy of its state, to judge a
 * request on the state it would meet without changing anything (rule 24).
 */
function dryRun(ctx: HostContext, nowMs: number): HostContext {
  const copy: HostContext = { ...ctx, state: cloneHostState(ctx.state), random: noRandom, out: [], delivered: [] };
  expire(copy, nowMs);
  return copy;
}
