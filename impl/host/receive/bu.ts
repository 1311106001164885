// A Binding Update under valid AH (§2.3.1, HOST.md rules 5-8, 10, 12, 15): the sequence
// number, then either a Response to one of Alice's Challenges or a claim on the addresses it
// names, and the plain BA it asks for.

import { BA_STATUS, careOfAddress, expandAlternatePrefixes, isGlobalAddress } from '../../wire/index.js';
import type { BindingUpdate } from '../../wire/types.js';
import { isLocal } from '../addresses.js';
import type { EntryRecord } from '../cache.js';
import type { HostContext } from '../context.js';
import { scopeOf } from '../scope.js';
import { removeAddress } from '../lifecycle.js';
import { sendPlainBa, type ReplyTarget } from '../send/ba.js';
import { isNewerSequence } from '../sequence.js';
import type { Address } from '../types.js';
import { settleClaims, type ClaimContext } from '../verification.js';
import type { ReceivedPacket } from './packet.js';

/**
 * Sequence first (rule 7); a BU with a Security sub-option is a Response (rule 12); any
 * other names addresses (rule 5) that it adds, refreshes or deletes (rule 6), then a plain
 * BA if asked for and nothing new was named (rule 10).
 */
export function onBindingUpdate(
  ctx: HostContext,
  received: ReceivedPacket,
  entry: EntryRecord,
  bu: BindingUpdate,
): void {
  const d = ctx.decisions;
  const last = entry.lastReceivedBuSequence;
  if (last !== null && !isNewerSequence(bu.sequence, last)) return;
  if (bu.subOptions.some((s) => s.kind === 'security')) {
    onResponse(ctx, received, entry, bu);
    return;
  }
  entry.lastReceivedBuSequence = bu.sequence;
  noteCareOf(received, entry, bu);
  const named = namedAddresses(ctx, entry, bu, received.packet.ipv6.source);
  const granted = d.grantedLifetimeSeconds(ctx, bu.lifetimeSeconds);
  let challenged = false;
  let refused = false;
  if (bu.lifetimeSeconds === 0) {
    // Rule 6: lifetime 0 removes every named address, whatever its status (§2.1.4).
    for (const address of named) {
      const record = ctx.state.cache.recordIn(entry, address);
      if (record === undefined) continue;
      removeAddress(ctx, record, 'deleted');
      settleClaims(ctx, address, received.nowMs);
    }
  } else {
    const claim = claimContext(received, entry, bu.sequence, granted, 'claimed');
    for (const address of named) {
      const admission = d.admitNamedAddress(ctx, entry, address, claim);
      if (admission === 'challenged') challenged = true;
      if (admission === 'refused') refused = true;
    }
  }
  if (bu.flags.ack && !challenged) {
    const status = refused ? BA_STATUS.insufficientResources : BA_STATUS.accepted;
    sendPlainBa(ctx, entry, replyTarget(received), status, bu.sequence, granted);
  }
}

/**
 * Rule 15: each *accepted* BU without Homeless Support from a standard mobile peer (newer
 * sequence, rule 7; a Response only when it verifies) sets `careOfAddress` to its care-of
 * address (rule 5), or to null when it deletes the binding (draft-13 §8.3: lifetime 0, or a
 * care-of address equal to the home address).
 */
function noteCareOf(received: ReceivedPacket, entry: EntryRecord, bu: BindingUpdate): void {
  if (entry.peerKind !== 'standard-mobile') return;
  const coa = careOfAddress(bu, received.packet.ipv6.source);
  entry.careOfAddress = bu.lifetimeSeconds === 0 || coa === entry.homeAddress ? null : coa;
}

/**
 * Rule 5: the care-of address (last Alternate CoA, else the IPv6 Source as on the wire) and
 * the Alternate Prefixes' addresses, without duplicates, in that order; never Alice's own
 * addresses nor non-global ones (§1.3, §2.1.1: one scope per entry). So an entry that holds
 * an address of another scope (its first address was link-local or site-local, rule 17)
 * takes none: a global address beside it would give the entry two scopes (R2.1.1-8), and
 * a connection begun in the one could go on to the other from a source of the wrong scope
 * (R1.4-14 MUST). docs/findings.md, "Entries of one scope".
 */
function namedAddresses(ctx: HostContext, entry: EntryRecord, bu: BindingUpdate, source: Address): Address[] {
  if (entry.addresses.some((r) => scopeOf(r.address) !== 'global')) return [];
  const all = [careOfAddress(bu, source), ...expandAlternatePrefixes(bu, source)];
  const named: Address[] = [];
  for (const a of all) if (!named.includes(a) && isGlobalAddress(a) && !isLocal(ctx, a)) named.push(a);
  return named;
}

/** What a claim arriving in `received` for `entry` carries into its Challenges (rule 9). */
export function claimContext(
  received: ReceivedPacket,
  entry: EntryRecord,
  sequence: number,
  grantedLifetimeSeconds: number,
  reason: ClaimContext['reason'],
): ClaimContext {
  const sa = entry.sa;
  if (sa === null) throw new Error(`host: claim in ${entry.id} without an SA`);
  return { nowMs: received.nowMs, sa, sequence, grantedLifetimeSeconds, localAddress: received.localAddress, reason };
}

function replyTarget(received: ReceivedPacket): ReplyTarget {
  return {
    source: received.packet.ipv6.source,
    homeAddress: received.homeAddress,
    localAddress: received.localAddress,
  };
}

/**
 * Rule 12 (§3.4.2 step 3): a Response may hold only its Security sub-option and at most one
 * Alternate CoA (padding is not represented); lifetime 0 is ignored; it must match the
 * live Challenge of its named address in this entry. A match consumes the sequence number
 * (rule 7) and settles the address (rule 13); a mismatch changes nothing.
 */
function onResponse(ctx: HostContext, received: ReceivedPacket, entry: EntryRecord, bu: BindingUpdate): void {
  const d = ctx.decisions;
  let securities = 0;
  let alternateCoas = 0;
  let others = 0;
  for (const s of bu.subOptions) {
    if (s.kind === 'security') securities++;
    else if (s.kind === 'alternate-coa') alternateCoas++;
    else others++;
  }
  if (securities !== 1 || alternateCoas > 1 || others > 0 || bu.lifetimeSeconds === 0) return;
  const value = bu.subOptions.find((s) => s.kind === 'security');
  if (value === undefined || value.kind !== 'security') return;
  const address = careOfAddress(bu, received.packet.ipv6.source);
  const record = ctx.state.cache.recordIn(entry, address);
  if (!d.acceptResponse(ctx, record, value.value, received.nowMs) || record === undefined) return;
  entry.lastReceivedBuSequence = bu.sequence;
  noteCareOf(received, entry, bu);
  d.recordResponse(ctx, record, bu.lifetimeSeconds, received.nowMs);
  if (bu.flags.ack) {
    sendPlainBa(
      ctx,
      entry,
      replyTarget(received),
      BA_STATUS.accepted,
      bu.sequence,
      d.grantedLifetimeSeconds(ctx, bu.lifetimeSeconds),
    );
  }
}
