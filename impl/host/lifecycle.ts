// The address lifecycle (DESIGN.md "Address lifecycle"): the one setter for an address's
// status and the named transitions built on it, entry creation and removal, and the limits
// of HOST.md rule 8.

import { isLocal } from './addresses.js';
import type { AddressRecord, EntryRecord } from './cache.js';
import type { HostContext } from './context.js';
import { MS_PER_SECOND } from './params.js';
import type { Address, AddressStatus, LifetimeKind } from './types.js';

/** Why an address changed status: kept for assertions and their messages. */
export type StatusReason =
  /** HOST.md rule 17: the `peer` of `addSA` or the `to` of an entry-creating `send`. */
  | 'first-address'
  /** Rule 6: a BU named it (absent or deprecated → tentative). */
  | 'claimed'
  /** Rule 20a: Appendix B, an AH-valid packet from an unknown source. */
  | 'appendix-b'
  /** Rule 12: a matching Response. */
  | 'verified'
  /** Rule 13: it answered and its rivals' checks ended. */
  | 'claim-settled'
  /** §2.1.4, rule 16: its lifetime ran out. */
  | 'expired'
  /** Rule 16: deprecated for `maximumExpiredLifetimeSeconds`. */
  | 'deprecation-ended'
  /** Rule 9: its Challenge ended unanswered. */
  | 'challenge-unanswered'
  /** Rule 6: a BU with lifetime 0 named it. */
  | 'deleted'
  /** Rule 13: another entry proved it, or this holder did not answer its re-check. */
  | 'lost-claim'
  /** Rule 13: both claimants answered; the entry is flushed. */
  | 'flushed'
  /** A decision that activates without verification (a mutant) uses this. */
  | 'unverified';

/**
 * Allowed status changes ('absent' before insertion, 'removed' after). Every other change is a
 * programmer error: e.g. tentative → deprecated cannot happen, a tentative address whose
 * Challenge ends is removed (rule 9); active → tentative cannot happen, a holder keeps its
 * address active while it is re-checked (rule 13).
 */
const STATUS_TRANSITIONS: Readonly<Record<AddressStatus | 'absent', readonly (AddressStatus | 'removed')[]>> = {
  absent: ['tentative', 'active'],
  tentative: ['active', 'removed'],
  active: ['deprecated', 'removed'],
  deprecated: ['tentative', 'active', 'removed'],
};

export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`host: ${message}`);
}

/** What one limit check is about (HOST.md rule 8, INV-BOUNDED). */
export type BoundCheck =
  /** A new Foreign Host Cache Entry (`foreignEntriesCountMax`). */
  | { kind: 'entry' }
  /** A new address record in `entry` (`addressesPerEntryCountMax`, every status counted). */
  | { kind: 'address'; entry: EntryRecord }
  /** A new Challenge in `entry`: a tentative address or a conflict re-check (`tentativePerEntryCountMax`). */
  | { kind: 'challenge'; entry: EntryRecord };

/** A Challenge is live from its first transmission until answered or ended (rule 9). */
export function isLive(record: AddressRecord): boolean {
  return record.challenge !== null && record.challenge.answeredAtMs === null;
}

/** Whether the record answered its latest Challenge and waits for its rivals (rule 13). */
export function hasAnswered(record: AddressRecord): boolean {
  return record.challenge !== null && record.challenge.answeredAtMs !== null;
}

/**
 * Every status change of an address goes through here. It checks the change is one the
 * lifecycle allows, applies it, keeps the index, and removes an entry left with neither SA
 * nor address (HOST.md rule 18).
 */
export function setAddressStatus(
  ctx: HostContext,
  record: AddressRecord,
  to: AddressStatus | 'removed',
  reason: StatusReason,
): void {
  const from = record.status;
  assert(
    STATUS_TRANSITIONS[from].includes(to),
    `${record.address} in ${record.entry.id}: ${from} → ${to} (${reason}) is not a lifecycle step`,
  );
  if (to === 'removed') {
    ctx.state.cache.deleteRecord(record);
    removeEntryIfEmpty(ctx, record.entry);
    return;
  }
  record.status = to;
}

/** Inserts `address` into `entry` (absent → tentative or active); the caller sets its lifetime. */
export function insertAddress(
  ctx: HostContext,
  entry: EntryRecord,
  address: Address,
  to: 'tentative' | 'active',
): AddressRecord {
  assert(ctx.state.cache.recordIn(entry, address) === undefined, `${address} is already in ${entry.id}`);
  assert(!isLocal(ctx, address), `${address} is Alice's own address`);
  return ctx.state.cache.insertRecord(entry, address, to);
}

/** → active, with the given lifetime (rules 12, 13, 17). */
export function activateAddress(
  ctx: HostContext,
  record: AddressRecord,
  kind: LifetimeKind,
  expiresAtMs: number,
  reason: StatusReason,
): void {
  assert(record.status !== 'active', `${record.address} in ${record.entry.id} is already active`);
  setAddressStatus(ctx, record, 'active', reason);
  record.lifetimeKind = kind;
  record.expiresAtMs = expiresAtMs;
  record.removeAtMs = 0;
}

/** Active → deprecated at `atMs`, the instant its lifetime ran out (§2.1.4, rules 16 and 19). */
export function deprecateAddress(ctx: HostContext, record: AddressRecord, atMs: number): void {
  setAddressStatus(ctx, record, 'deprecated', 'expired');
  record.challenge = null;
  record.expiresAtMs = atMs;
  record.removeAtMs = atMs + ctx.params.maximumExpiredLifetimeSeconds * MS_PER_SECOND;
}

export function removeAddress(ctx: HostContext, record: AddressRecord, reason: StatusReason): void {
  record.challenge = null;
  setAddressStatus(ctx, record, 'removed', reason);
}

/** Rule 18: an entry goes only when it has neither an SA nor any address (§2.1.5). */
function removeEntryIfEmpty(ctx: HostContext, entry: EntryRecord): void {
  if (entry.sa === null && entry.addresses.length === 0) ctx.state.cache.removeEntry(entry);
}

/**
 * Rule 17 / §2.1.1: a new Foreign Host Cache Entry whose first address is active with an
 * activity-related lifetime of `defaultLifetimeSeconds`. Only `addSA` and a locally
 * initiated `send` call this, never the receive path (§2.3.4, INV-NO-STRANGER-STATE).
 */
export function createEntryForPeer(ctx: HostContext, address: Address, nowMs: number): EntryRecord {
  const entry = ctx.state.cache.newEntry();
  const record = insertAddress(ctx, entry, address, 'active');
  record.lifetimeKind = 'activity';
  record.expiresAtMs = nowMs + ctx.params.defaultLifetimeSeconds * MS_PER_SECOND;
  return entry;
}

/**
 * Every limit in one place (HOST.md rule 8, INV-BOUNDED): true when one more of the thing
 * `check` names fits. Nothing is ever evicted to make room.
 */
export function enforceBounds(ctx: HostContext, check: BoundCheck): boolean {
  switch (check.kind) {
    case 'entry':
      return ctx.state.cache.foreignEntriesCount() < ctx.params.foreignEntriesCountMax;
    case 'address':
      return check.entry.addresses.length < ctx.params.addressesPerEntryCountMax;
    case 'challenge':
      return challengeCount(check.entry) < ctx.params.tentativePerEntryCountMax;
  }
}

/** Tentative addresses plus active ones under a live conflict re-check (rule 8). */
function challengeCount(entry: EntryRecord): number {
  let n = 0;
  for (const r of entry.addresses) if (r.status === 'tentative' || (r.status === 'active' && isLive(r))) n++;
  return n;
}
