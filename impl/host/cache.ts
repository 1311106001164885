// The Host Cache (§1.3, §2.1): Foreign Host Cache Entries, each a list of a peer's addresses
// with their status and lifetime, and an index from address to the records that hold it.
//
// This file keeps the data and its bookkeeping (insertion order, the index, counts); what a
// status change means lives in the host (`setAddressStatus` and the named transitions built
// on it), so that every change goes through one place that checks its preconditions.

import type { Packet } from '../wire/types.js';
import type { Address, AddressStatus, LifetimeKind, PeerKind } from './types.js';
import type { SaRecord } from './sa.js';

/**
 * One Challenge (§3.4.2, HOST.md rule 9). The address record keeps its latest Challenge until
 * the address's claim is settled, so that "answered" is remembered while a rival's check runs
 * (rule 13); only a Challenge with `answeredAtMs === null` is live.
 */
export interface ChallengeState {
  /** The 16-byte Challenge = HMAC(K, ADDR || TIME). */
  readonly value: Uint8Array;
  /** The SA that protected the claim and protects the BA; its key makes the Challenge (§3.4.2 step 1). */
  readonly sa: SaRecord;
  /** The challenge BA as built, without AH: retransmissions are identical but for the AH sequence number (rule 9). */
  packet: Packet;
  readonly firstSentMs: number;
  lastSentMs: number;
  /** Transmissions so far, at most `challengeAttemptsMax` (rule 9, INV-AMPLIFICATION). */
  attempts: number;
  /** When a matching Response arrived; null while the Challenge is live. */
  answeredAtMs: number | null;
}

export interface AddressRecord {
  readonly address: Address;
  /** Back-reference: the entry that holds this record. */
  readonly entry: EntryRecord;
  status: AddressStatus;
  /** Activity-related or absolute (§1.3, §2.1.4). A tentative address shows `absolute` (rule 19). */
  lifetimeKind: LifetimeKind;
  /**
   * Active: the instant it expires. Tentative: first Challenge + `challengeLifetimeMs`.
   * Deprecated: the instant it expired (HOST.md rule 19).
   */
  expiresAtMs: number;
  /** Deprecated only: expiry + `maximumExpiredLifetimeSeconds` (§2.1.4, rule 16). */
  removeAtMs: number;
  /** The latest Challenge for this address in this entry, or null (none, or settled). */
  challenge: ChallengeState | null;
  /**
   * The absolute expiry a matching Response granted (rule 12), applied when a claimant that
   * answered wins after a rival's check (rule 13).
   */
  grantedExpiresAtMs: number;
}

/** §2.2.2: the emulated binding (home address → care-of address) Alice keeps at a standard peer. */
export interface EmulatedBinding {
  careOf: Address;
  /** The sequence number of the BU that registered `careOf`; a BA with it acknowledges the binding. */
  sequence: number;
  acknowledged: boolean;
}

/** A packet Alice sent to this peer that carried a Mobile IPv6 option (HOST.md rule 15, legacy detection). */
export interface SentPacketMemory {
  readonly bytes: Uint8Array;
  /** [start, end) of every HAO, BU, BA and BR option in `bytes`, type byte included. */
  readonly mobileOptionSpans: ReadonlyArray<readonly [number, number]>;
}

export interface EntryRecord {
  readonly id: string;
  peerKind: PeerKind;
  sa: SaRecord | null;
  /** Insertion order (HOST.md rule 19). */
  addresses: AddressRecord[];
  /** Standard mobile peers only (rule 15): the HAO's address and the BU's care-of address. */
  homeAddress: Address | null;
  careOfAddress: Address | null;
  /** The last accepted BU sequence number from the peer (rule 7); null before the first. */
  lastReceivedBuSequence: number | null;
  /** The sequence number of Alice's next BU to this peer; numbered from 1 (WIRE.md). */
  nextSentBuSequence: number;
  /** The IPv6 Source of the last authenticated packet from an active address (§1.4, rule 21). */
  lastSourceReceived: Address | null;
  /** Whether a BA with status 0 has come from the peer: Homeless Support stops then (§3.1, rule 14). */
  acknowledgedByPeer: boolean;
  /** When an `unknown` peer falls back to `standard` (rule 15); null when no probe runs. */
  probeDeadlineMs: number | null;
  /** When Alice's next periodic BU to this peer is due (rule 16); null without an SA. */
  nextRefreshMs: number | null;
  /** Alice's addresses she has named to this peer in a BU with a lifetime and not deleted since. */
  announced: Set<Address>;
  /** Per connection (proto and ports), the source Alice first used: its emulated home address (§2.2.2). */
  connections: Map<string, Address>;
  /** Per emulated home address, the binding Alice registered at a standard peer (§2.2.2, §2.2.3). */
  emulatedBindings: Map<Address, EmulatedBinding>;
  /** Bounded by SENT_PACKETS_REMEMBERED_PER_ENTRY_MAX, oldest first. */
  sentPackets: SentPacketMemory[];
}

/** The Foreign Host Cache Entries in insertion order, and an index over their addresses. */
export class HostCache {
  readonly entries: EntryRecord[] = [];
  private readonly index = new Map<Address, AddressRecord[]>();
  private nextEntryNumber = 1;

  newEntry(): EntryRecord {
    const entry: EntryRecord = {
      id: `e${this.nextEntryNumber++}`,
      peerKind: 'unknown',
      sa: null,
      addresses: [],
      homeAddress: null,
      careOfAddress: null,
      lastReceivedBuSequence: null,
      nextSentBuSequence: 1,
      lastSourceReceived: null,
      acknowledgedByPeer: false,
      probeDeadlineMs: null,
      nextRefreshMs: null,
      announced: new Set(),
      connections: new Map(),
      emulatedBindings: new Map(),
      sentPackets: [],
    };
    this.entries.push(entry);
    return entry;
  }

  removeEntry(entry: EntryRecord): void {
    if (entry.addresses.length !== 0) throw new Error(`host cache: entry ${entry.id} removed with addresses left`);
    const i = this.entries.indexOf(entry);
    if (i < 0) throw new Error(`host cache: entry ${entry.id} is not in the cache`);
    this.entries.splice(i, 1);
  }

  /** Appends a record for `address` to `entry` (insertion order) and indexes it. */
  insertRecord(entry: EntryRecord, address: Address, status: AddressStatus): AddressRecord {
    if (this.recordIn(entry, address) !== undefined) throw new Error(`host cache: ${address} already in ${entry.id}`);
    const record: AddressRecord = {
      address,
      entry,
      status,
      lifetimeKind: 'absolute',
      expiresAtMs: 0,
      removeAtMs: 0,
      challenge: null,
      grantedExpiresAtMs: 0,
    };
    entry.addresses.push(record);
    const list = this.index.get(address);
    if (list === undefined) this.index.set(address, [record]);
    else list.push(record);
    return record;
  }

  deleteRecord(record: AddressRecord): void {
    const list = record.entry.addresses;
    const i = list.indexOf(record);
    if (i < 0) throw new Error(`host cache: ${record.address} is not in ${record.entry.id}`);
    list.splice(i, 1);
    const indexed = this.index.get(record.address);
    const j = indexed === undefined ? -1 : indexed.indexOf(record);
    if (indexed === undefined || j < 0) throw new Error(`host cache: index lost ${record.address}`);
    indexed.splice(j, 1);
    if (indexed.length === 0) this.index.delete(record.address);
  }

  recordIn(entry: EntryRecord, address: Address): AddressRecord | undefined {
    for (const r of entry.addresses) if (r.address === address) return r;
    return undefined;
  }

  /** Every record of `address`, in every entry, in entry insertion order of their creation. */
  recordsOf(address: Address): readonly AddressRecord[] {
    return this.index.get(address) ?? [];
  }

  /** The first record (entry insertion order) holding `address` with `status`. */
  findWithStatus(address: Address, status: AddressStatus): AddressRecord | undefined {
    let best: AddressRecord | undefined;
    for (const r of this.recordsOf(address)) {
      if (r.status !== status) continue;
      if (best === undefined || this.entries.indexOf(r.entry) < this.entries.indexOf(best.entry)) best = r;
    }
    return best;
  }

  foreignEntriesCount(): number {
    return this.entries.length;
  }

  /**
   * A deep copy for a dry run: new entries, records and SA records, sharing only immutable
   * values (addresses, challenge values, built packets, remembered bytes).
   */
  clone(cloneSas: (entryFor: (old: EntryRecord) => EntryRecord) => Map<SaRecord, SaRecord>): HostCache {
    const copy = new HostCache();
    copy.nextEntryNumber = this.nextEntryNumber;
    const entryMap = new Map<EntryRecord, EntryRecord>();
    for (const old of this.entries) {
      const e: EntryRecord = {
        ...old,
        addresses: [],
        announced: new Set(old.announced),
        connections: new Map(old.connections),
        emulatedBindings: new Map([...old.emulatedBindings].map(([k, v]) => [k, { ...v }])),
        sentPackets: old.sentPackets.slice(),
      };
      entryMap.set(old, e);
      copy.entries.push(e);
    }
    const saMap = cloneSas((old) => {
      const e = entryMap.get(old);
      if (e === undefined) throw new Error('host cache clone: SA of an unknown entry');
      return e;
    });
    for (const old of this.entries) {
      const e = entryMap.get(old) as EntryRecord;
      e.sa = old.sa === null ? null : (saMap.get(old.sa) ?? null);
      for (const r of old.addresses) {
        const record: AddressRecord = {
          ...r,
          entry: e,
          challenge: r.challenge === null ? null : { ...r.challenge, sa: saMap.get(r.challenge.sa) ?? r.challenge.sa },
        };
        e.addresses.push(record);
        const list = copy.index.get(record.address);
        if (list === undefined) copy.index.set(record.address, [record]);
        else list.push(record);
      }
    }
    return copy;
  }
}
