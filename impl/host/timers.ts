// Time (HOST.md rule 16): expiries at the start of every accepted request that carries
// `now`, each at the exact instant it was due, in the order they fell due; retransmissions
// and periodic BUs only in `tick`.

import type { AddressRecord, EntryRecord } from './cache.js';
import { mayUseMobileOptions } from './compat.js';
import type { HostContext } from './context.js';
import { assert, isLive, removeAddress } from './lifecycle.js';
import { scheduleRefresh, sendRefreshBu } from './send/bu.js';
import { endChallengeUnanswered, settleClaims } from './verification.js';

/** Something that falls due at `atMs` (rule 16). */
export type DueEvent =
  /** §3.4.2, rule 9: a live Challenge reaches `challengeLifetimeMs` unanswered. */
  | { kind: 'challenge-end'; atMs: number; record: AddressRecord }
  /** §2.1.4: an active address's lifetime runs out; it becomes deprecated. */
  | { kind: 'lifetime-end'; atMs: number; record: AddressRecord }
  /** §2.1.4 MUST: deprecated for `maximumExpiredLifetimeSeconds`; it is removed. */
  | { kind: 'deprecation-end'; atMs: number; record: AddressRecord }
  /** Rule 15: the compatibility probe ends; an unknown peer becomes standard. */
  | { kind: 'probe-end'; atMs: number; entry: EntryRecord };

/**
 * Among events due at the same instant, the order they apply in (then entry and address
 * insertion order). A holder whose re-check and lifetime end together loses the address
 * first (rule 13) rather than keeping a deprecated copy.
 */
const DUE_ORDER: Readonly<Record<DueEvent['kind'], number>> = {
  'challenge-end': 0,
  'lifetime-end': 1,
  'deprecation-end': 2,
  'probe-end': 3,
};

/** Whether an event of `kind` at `atMs` is due by `nowMs` and comes before the best so far. */
function dueEarlier(
  kind: DueEvent['kind'],
  atMs: number,
  nowMs: number,
  bestKind: DueEvent['kind'] | null,
  bestAtMs: number,
): boolean {
  if (atMs > nowMs) return false;
  return bestKind === null || atMs < bestAtMs || (atMs === bestAtMs && DUE_ORDER[kind] < DUE_ORDER[bestKind]);
}

/** Each event removes itself (or ends the loop), so this many passes per record is ample. */
const DUE_EVENTS_PER_RECORD_MAX = 4;

/**
 * Rule 16: applies, in the order they fell due, every expiry with `atMs <= nowMs`: active →
 * deprecated, deprecated → removed (counted from the expiry instant), Challenge ends, the
 * compatibility fallback. Runs at the start of every accepted request carrying `now`.
 */
export function expire(ctx: HostContext, nowMs: number): void {
  let records = 0;
  for (const e of ctx.state.cache.entries) records += e.addresses.length;
  const passesMax = DUE_EVENTS_PER_RECORD_MAX * (records + ctx.state.cache.entries.length) + 1;
  for (let pass = 0; ; pass++) {
    assert(pass <= passesMax, 'expiry does not converge');
    const due = nextDue(ctx, nowMs);
    if (due === null) return;
    applyDue(ctx, due);
  }
}

/** The earliest event due at or before `nowMs`, or null. Runs for every request: allocates only when something is due. */
export function nextDue(ctx: HostContext, nowMs: number): DueEvent | null {
  let kind: DueEvent['kind'] | null = null;
  let atMs = Number.POSITIVE_INFINITY;
  let record: AddressRecord | null = null;
  let entry: EntryRecord | null = null;
  for (const e of ctx.state.cache.entries) {
    for (const r of e.addresses) {
      if (r.challenge !== null && r.challenge.answeredAtMs === null) {
        const t = r.challenge.firstSentMs + ctx.params.challengeLifetimeMs;
        if (dueEarlier('challenge-end', t, nowMs, kind, atMs)) {
          kind = 'challenge-end';
          atMs = t;
          record = r;
          entry = e;
        }
      }
      if (r.status === 'active' && dueEarlier('lifetime-end', r.expiresAtMs, nowMs, kind, atMs)) {
        kind = 'lifetime-end';
        atMs = r.expiresAtMs;
        record = r;
        entry = e;
      } else if (r.status === 'deprecated' && dueEarlier('deprecation-end', r.removeAtMs, nowMs, kind, atMs)) {
        kind = 'deprecation-end';
        atMs = r.removeAtMs;
        record = r;
        entry = e;
      }
    }
    if (
      e.probeDeadlineMs !== null &&
      e.peerKind === 'unknown' &&
      dueEarlier('probe-end', e.probeDeadlineMs, nowMs, kind, atMs)
    ) {
      kind = 'probe-end';
      atMs = e.probeDeadlineMs;
      record = null;
      entry = e;
    }
  }
  if (kind === null || entry === null) return null;
  if (kind === 'probe-end') return { kind, atMs, entry };
  return record === null ? null : { kind, atMs, record };
}

function applyDue(ctx: HostContext, event: DueEvent): void {
  switch (event.kind) {
    case 'challenge-end':
      endChallengeUnanswered(ctx, event.record, event.atMs);
      return;
    case 'lifetime-end': {
      const settle = event.record.challenge !== null;
      ctx.decisions.deprecateAddress(ctx, event.record, event.atMs);
      // A deprecated copy is no longer a rival (rule 13): the others may settle now.
      if (settle) settleClaims(ctx, event.record.address, event.atMs);
      return;
    }
    case 'deprecation-end':
      removeAddress(ctx, event.record, 'deprecation-ended');
      return;
    case 'probe-end':
      event.entry.probeDeadlineMs = null;
      ctx.decisions.applyCompatEvent(ctx, event.entry, 'probe-timeout');
      return;
  }
}

/**
 * `tick` after the expiries (rule 16): each live Challenge is retransmitted when
 * `challengeRetransmitMs` has passed since its last transmission, at most once per tick
 * and `challengeAttemptsMax` times in all (rule 9); then each entry with an SA whose
 * periodic BU is due gets one. Retransmissions come first in `sent`.
 */
export function onTick(ctx: HostContext, nowMs: number): void {
  for (const entry of ctx.state.cache.entries) {
    if (!mayUseMobileOptions(entry.peerKind)) continue;
    for (const record of entry.addresses) {
      const c = record.challenge;
      if (c === null || !isLive(record)) continue;
      if (c.attempts >= ctx.params.challengeAttemptsMax || nowMs < c.lastSentMs + ctx.params.challengeRetransmitMs)
        continue;
      ctx.decisions.retransmitChallenge(ctx, record, nowMs);
    }
  }
  for (const entry of ctx.state.cache.entries) {
    if (entry.sa === null || entry.nextRefreshMs === null || nowMs < entry.nextRefreshMs) continue;
    sendRefreshBu(ctx, entry);
    scheduleRefresh(ctx, entry, nowMs);
  }
}
