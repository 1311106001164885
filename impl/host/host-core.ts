// The host's state and the few operations every layer above builds on: the one setter for an
// address's status (with the named transitions that use it), entry creation and removal,
// Alice's own addresses, and transmission (AH, the legacy guard, the sent-packet memory).
//
// The host is built in layers, one file each, every decision a protected method that a
// subclass may override (the mutant bank in test/mutants/ overrides one method per mutant):
//   HostCore → VerifyingHost (verification.ts) → SendingHost (send-path.ts)
//   → ReceivingHost (receive-path.ts) → TimedHost (timers.ts) → ReferenceHost (index.ts).

import { protect } from '../crypto/index.js';
import { encodePacket, EXT, IPV6, OPTION_TYPE, ROUTING, ADDRESS_BYTES, TLV } from '../wire/index.js';
import type { Packet } from '../wire/types.js';
import { HostCache, type AddressRecord, type EntryRecord } from './cache.js';
import { mayUseMobileOptions } from './compat.js';
import { hasMobileOption } from './packets.js';
import { MS_PER_SECOND, SENT_PACKETS_REMEMBERED_PER_ENTRY_MAX } from './params.js';
import { SaTable, type SaRecord } from './sa.js';
import { scopeOf, type Scope } from './scope.js';
import type { Address, AddressStatus, Delivered, HostOptions, HostParams, LifetimeKind } from './types.js';

/** Why an address changed status: kept for tracing (`traceStatus`) and assertions. */
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
  /** A mutant or a subclass that activates without verification uses this. */
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

/** A bound on the scope memo: Alice's addresses come and go; the memo is rebuilt past this. */
const LOCAL_SCOPES_REMEMBERED_MAX = 256;

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

export abstract class HostCore {
  protected readonly params: Readonly<HostParams>;
  protected readonly random: (n: number) => Uint8Array;
  protected cache = new HostCache();
  protected sas = new SaTable();
  /** Alice's addresses, oldest first (her Local Host Cache Entry, §2.1.1). */
  protected local: Address[];
  /** The `now` of the last accepted request (HOST.md rule 24). */
  protected lastNowMs: number;
  /** Alice's echo requests, counted from 1 (ADAPTER-PROTOCOL.md `send`). */
  protected echoSequence = 0;
  /** What the current request sends and delivers, in order. */
  protected out: Uint8Array[] = [];
  protected delivered: Delivered[] = [];
  private readonly localScopes = new Map<Address, Scope>();

  constructor(options: HostOptions, params: HostParams) {
    this.params = Object.freeze({ ...params });
    this.random = options.random;
    this.local = [];
    for (const a of options.localAddresses) if (!this.local.includes(a)) this.local.push(a);
    this.lastNowMs = options.nowMs ?? Number.NEGATIVE_INFINITY;
  }

  // ---- Alice's addresses ----------------------------------------------------------------

  protected isLocal(address: Address): boolean {
    return this.local.includes(address);
  }

  /** Alice's oldest address of `destination`'s scope (§1.4: the source must be of the same scope). */
  protected oldestLocalOfScope(destination: Address): Address | null {
    const scope = scopeOf(destination);
    for (const a of this.local) if (this.localScope(a) === scope) return a;
    return null;
  }

  /** Alice's global addresses, oldest first: what her BUs name (rules 5, 14, 16). */
  protected localGlobalAddresses(): Address[] {
    return this.local.filter((a) => this.localScope(a) === 'global');
  }

  /** The scope of one of Alice's addresses, remembered (they are few and read for every packet). */
  private localScope(address: Address): Scope {
    let scope = this.localScopes.get(address);
    if (scope === undefined) {
      scope = scopeOf(address);
      if (this.localScopes.size >= LOCAL_SCOPES_REMEMBERED_MAX) this.localScopes.clear();
      this.localScopes.set(address, scope);
    }
    return scope;
  }

  // ---- Address status: the one setter and the named transitions -------------------------

  /**
   * Every status change of an address goes through here. It checks the change is one the
   * lifecycle allows (DESIGN.md "Address lifecycle"), applies it, keeps the index, removes
   * an entry left with neither SA nor address (HOST.md rule 18), and traces it.
   */
  protected setAddressStatus(record: AddressRecord, to: AddressStatus | 'removed', reason: StatusReason): void {
    const from = record.status;
    assert(STATUS_TRANSITIONS[from].includes(to), `${record.address} in ${record.entry.id}: ${from} → ${to} (${reason}) is not a lifecycle step`);
    this.traceStatus(record.entry, record.address, from, to, reason);
    if (to === 'removed') {
      this.cache.deleteRecord(record);
      this.removeEntryIfEmpty(record.entry);
      return;
    }
    record.status = to;
  }

  /** Inserts `address` into `entry` (absent → tentative or active); the caller sets its lifetime. */
  protected insertAddress(entry: EntryRecord, address: Address, to: 'tentative' | 'active', reason: StatusReason): AddressRecord {
    assert(this.cache.recordIn(entry, address) === undefined, `${address} is already in ${entry.id}`);
    assert(!this.isLocal(address), `${address} is Alice's own address`);
    this.traceStatus(entry, address, 'absent', to, reason);
    return this.cache.insertRecord(entry, address, to);
  }

  /** A hook for tracing status changes (smoltcp's `from => to` log); the reference does nothing. */
  protected traceStatus(entry: EntryRecord, address: Address, from: AddressStatus | 'absent', to: AddressStatus | 'removed', reason: StatusReason): void {
    // Nothing: impl/ does no I/O. A subclass (a debugging harness) may log or collect here.
  }

  /** → active, with the given lifetime (rules 12, 13, 17). */
  protected activateAddress(record: AddressRecord, kind: LifetimeKind, expiresAtMs: number, reason: StatusReason): void {
    assert(record.status !== 'active', `${record.address} in ${record.entry.id} is already active`);
    this.setAddressStatus(record, 'active', reason);
    record.lifetimeKind = kind;
    record.expiresAtMs = expiresAtMs;
    record.removeAtMs = 0;
  }

  /** Active → deprecated at `atMs`, the instant its lifetime ran out (§2.1.4, rules 16 and 19). */
  protected deprecateAddress(record: AddressRecord, atMs: number): void {
    this.setAddressStatus(record, 'deprecated', 'expired');
    record.challenge = null;
    record.expiresAtMs = atMs;
    record.removeAtMs = atMs + this.params.maximumExpiredLifetimeSeconds * MS_PER_SECOND;
  }

  protected removeAddress(record: AddressRecord, reason: StatusReason): void {
    record.challenge = null;
    this.setAddressStatus(record, 'removed', reason);
  }

  /** Rule 18: an entry goes only when it has neither an SA nor any address (§2.1.5). */
  protected removeEntryIfEmpty(entry: EntryRecord): void {
    if (entry.sa === null && entry.addresses.length === 0) this.cache.removeEntry(entry);
  }

  // ---- Entries ---------------------------------------------------------------------------

  /**
   * Rule 17 / §2.1.1: a new Foreign Host Cache Entry whose first address is active with an
   * activity-related lifetime of `defaultLifetimeSeconds`. Only `addSA` and a locally
   * initiated `send` call this, never the receive path (§2.3.4, INV-NO-STRANGER-STATE).
   */
  protected createEntryForPeer(address: Address, nowMs: number, reason: 'addSA' | 'send'): EntryRecord {
    const entry = this.cache.newEntry();
    const record = this.insertAddress(entry, address, 'active', 'first-address');
    record.lifetimeKind = 'activity';
    record.expiresAtMs = nowMs + this.params.defaultLifetimeSeconds * MS_PER_SECOND;
    return entry;
  }

  /**
   * Every limit in one place (HOST.md rule 8, INV-BOUNDED): true when one more of the thing
   * `check` names fits. Nothing is ever evicted to make room.
   */
  protected enforceBounds(check: BoundCheck): boolean {
    switch (check.kind) {
      case 'entry':
        return this.cache.foreignEntriesCount() < this.params.foreignEntriesCountMax;
      case 'address':
        return check.entry.addresses.length < this.params.addressesPerEntryCountMax;
      case 'challenge':
        return this.challengeCount(check.entry) < this.params.tentativePerEntryCountMax;
    }
  }

  /** Tentative addresses plus active ones under a live conflict re-check (rule 8). */
  protected challengeCount(entry: EntryRecord): number {
    let n = 0;
    for (const r of entry.addresses) if (r.status === 'tentative' || (r.status === 'active' && isLive(r))) n++;
    return n;
  }

  // ---- Transmission ----------------------------------------------------------------------

  /**
   * Encodes `packet`, under AH with `sa` when given, and queues it. `entry` is the peer the
   * packet belongs to: a packet with a Mobile IPv6 option is remembered there (rule 15) and
   * must never go to a legacy peer.
   */
  protected transmit(packet: Packet, sa: SaRecord | null, entry: EntryRecord | null): Uint8Array {
    const mobile = hasMobileOption(packet);
    assert(!(mobile && entry !== null && !mayUseMobileOptions(entry.peerKind)), `Mobile IPv6 option toward legacy peer ${entry?.id}`);
    const bytes =
      sa === null
        ? encodePacket(packet)
        : protect(packet, {
            alg: sa.config.alg,
            key: sa.config.key,
            spi: sa.config.outboundSpi,
            sequence: this.sas.takeOutboundSequence(sa),
          });
    this.out.push(bytes);
    if (mobile && entry !== null) this.rememberSent(entry, packet, bytes);
    return bytes;
  }

  /** Rule 15's memory: the last SENT_PACKETS_REMEMBERED_PER_ENTRY_MAX packets with a Mobile IPv6 option. */
  protected rememberSent(entry: EntryRecord, packet: Packet, bytes: Uint8Array): void {
    entry.sentPackets.push({ bytes, mobileOptionSpans: mobileOptionSpans(packet, bytes) });
    if (entry.sentPackets.length > SENT_PACKETS_REMEMBERED_PER_ENTRY_MAX) entry.sentPackets.shift();
  }
}

/** A Challenge is live from its first transmission until answered or ended (rule 9). */
export function isLive(record: AddressRecord): boolean {
  return record.challenge !== null && record.challenge.answeredAtMs === null;
}

/** Whether the record answered its latest Challenge and waits for its rivals (rule 13). */
export function hasAnswered(record: AddressRecord): boolean {
  return record.challenge !== null && record.challenge.answeredAtMs !== null;
}

const MOBILE_OPTION_TYPES: ReadonlySet<number> = new Set([OPTION_TYPE.hao, OPTION_TYPE.bu, OPTION_TYPE.ba, OPTION_TYPE.br]);

/**
 * [start, end) of every Mobile IPv6 option in an encoded packet Alice built: the Destination
 * Options header follows the IPv6 header and the routing header, if any (WIRE.md order).
 */
function mobileOptionSpans(packet: Packet, bytes: Uint8Array): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  if (packet.destOptions === undefined) return spans;
  const routingBytes = packet.routing === undefined ? 0 : ROUTING.offsetAddresses + ADDRESS_BYTES * packet.routing.addresses.length;
  const header = IPV6.headerBytes + routingBytes;
  const end = header + (bytes[header + EXT.offsetHdrExtLen] + 1) * EXT.unitBytes;
  let p = header + 2;
  while (p < end && p < bytes.length) {
    const type = bytes[p];
    if (type === OPTION_TYPE.pad1) {
      p++;
      continue;
    }
    const next = p + TLV.headerBytes + bytes[p + 1];
    if (MOBILE_OPTION_TYPES.has(type)) spans.push([p, next]);
    p = next;
  }
  return spans;
}
