// One Foreign Host Cache Entry as the model sees it (§1.3, §2.1): the peer's compatibility
// state, its addresses (one address machine each, in insertion order, rule 19), the last
// accepted BU sequence number (rule 7) and its SA with the anti-replay window (RFC 2402,
// rule 2). Plain data; model/cache.ts routes events to the machines and applies the rules
// that span entries.

import { isNewerSequence } from '../impl/sequence.js';
import type { ModelParams, SaKind, Address } from './events.js';
import type { AddressContext, AddressValue } from './address.js';
import type { CompatContext, CompatValue } from './compat.js';
import type { MachineState } from './table.js';

export type AddressState = MachineState<AddressValue, AddressContext>;
export type CompatState = MachineState<CompatValue, CompatContext>;

/** RFC 2402 §3.4.3 anti-replay window: the highest sequence number accepted and those seen within the window. */
export interface ReplayState {
  readonly highest: number;
  readonly seen: readonly number[];
}

export interface EntrySa {
  readonly inboundSpi: number;
  readonly outboundSpi: number;
  readonly kind: SaKind;
  readonly replay: ReplayState;
}

export interface EntryModel {
  /** The model's own identity for the entry (creation order); never compared with the host's ids. */
  readonly key: number;
  readonly sa: EntrySa | null;
  readonly compat: CompatState;
  /** Insertion order (rule 19); removed addresses are deleted. */
  readonly addresses: ReadonlyMap<Address, AddressState>;
  /** Rule 7: the last accepted BU sequence number; null before the first. */
  readonly lastSequence: number | null;
  /** Challenges issued so far per address (the epochs of WIRE.md's "latest Challenge"); kept after removal. */
  readonly challengeCounts: ReadonlyMap<Address, number>;
}

/** The mutable copy an entry becomes while one event is applied (copy on write, model/cache.ts). */
export interface WorkEntry {
  key: number;
  sa: EntrySa | null;
  compat: CompatState;
  addresses: Map<Address, AddressState>;
  lastSequence: number | null;
  challengeCounts: Map<Address, number>;
}

export function cloneEntry(e: EntryModel): WorkEntry {
  return {
    key: e.key,
    sa: e.sa,
    compat: e.compat,
    addresses: new Map(e.addresses),
    lastSequence: e.lastSequence,
    challengeCounts: new Map(e.challengeCounts),
  };
}

/** Rule 7: the first BU is always accepted; later ones must be newer (modulo 2^16, WIRE.md). */
export function isFreshSequence(last: number | null, sequence: number): boolean {
  return last === null || isNewerSequence(sequence, last);
}

export const REPLAY_INITIAL: ReplayState = Object.freeze({ highest: 0, seen: Object.freeze([]) as readonly number[] });

/** RFC 2402 §3.4.3 (WIRE.md): 0 is always rejected; beyond the window's left edge or already seen is a replay. */
export function replayAccepts(r: ReplayState, sequence: number, windowPackets: number): boolean {
  if (sequence <= 0) return false;
  if (sequence > r.highest) return true;
  if (sequence <= r.highest - windowPackets) return false;
  return !r.seen.includes(sequence);
}

/** The window after an ICV verified for `sequence` (it moves only then, WIRE.md). */
export function replayUpdate(r: ReplayState, sequence: number, windowPackets: number): ReplayState {
  const highest = Math.max(r.highest, sequence);
  const seen = [...r.seen, sequence].filter((s) => s > highest - windowPackets);
  return { highest, seen };
}

/** Rule 8: challenges an entry carries: tentative addresses and active ones under a live re-check. */
export function challengeCount(e: { addresses: ReadonlyMap<Address, AddressState> }): number {
  let n = 0;
  for (const s of e.addresses.values()) if (s.value.startsWith('tentative') || hasLiveChallenge(s.value)) n++;
  return n;
}

/** Whether the entry has an active address (rule 21: else `send` is unreachable, §2.2). */
export function hasActiveAddress(e: { addresses: ReadonlyMap<Address, AddressState> }): boolean {
  for (const s of e.addresses.values()) if (s.value.startsWith('active')) return true;
  return false;
}

export type { ModelParams };

/** The observable view of one address (HOST.md rule 19, ADAPTER-PROTOCOL.md `state`). */
export function addressStatus(value: AddressValue): 'tentative' | 'active' | 'deprecated' | null {
  if (value.startsWith('tentative')) return 'tentative';
  if (value.startsWith('active')) return 'active';
  if (value === 'deprecated') return 'deprecated';
  return null;
}

/** Rule 19: true while the address has a live Challenge (an answered claimant shows false). */
export function hasLiveChallenge(value: AddressValue): boolean {
  return value === 'tentative.challenged' || value === 'active.rechecking';
}

/** Rule 13: answered and waiting on a rival's check. */
export function hasAnswered(value: AddressValue): boolean {
  return value === 'tentative.answered' || value === 'active.recheckAnswered';
}
