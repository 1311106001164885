// Reachability verification (§3.4.2, WIRE.md "Reachability verification", HOST.md rules 6,
// 8, 9, 12, 13): what a claimed address becomes, the Challenge sent to it, the Response that
// settles it, and how rival claims on one address are settled.

import { constantTimeEqual, makeChallenge, makeResponse, TIME_BYTES } from '../crypto/index.js';
import { addressToBytes } from '../wire/index.js';
import { isLocal } from './addresses.js';
import type { AddressRecord, EntryRecord } from './cache.js';
import { mayUseMobileOptions } from './compat.js';
import type { HostContext } from './context.js';
import {
  activateAddress,
  assert,
  hasAnswered,
  insertAddress,
  isLive,
  removeAddress,
  setAddressStatus,
  type StatusReason,
} from './lifecycle.js';
import { challengeBa } from './packets.js';
import { LIFETIME_SECONDS_MAX, MS_PER_SECOND } from './params.js';
import type { SaRecord } from './sa.js';
import type { Address } from './types.js';

/** What a claim carries into the Challenges it starts (HOST.md rule 9). */
export interface ClaimContext {
  readonly nowMs: number;
  /** The SA that protected the claim: it protects the Challenge and its key makes it (§3.4.2 step 1). */
  readonly sa: SaRecord;
  /** The BA's sequence number: the BU's (rule 9), or the entry's last accepted one (rules 13, 20a). */
  readonly sequence: number;
  /** The BA's lifetime and refresh: the granted lifetime min(L, `bindingLifetimeSecondsMax`). */
  readonly grantedLifetimeSeconds: number;
  /** Alice's address the claim arrived at: the Challenge's source (rule 9). */
  readonly localAddress: Address | null;
  /** Why the address is claimed. */
  readonly reason: Extract<StatusReason, 'claimed' | 'appendix-b'>;
}

/** What a claim did to one named address (rule 6). */
export type Admission = 'challenged' | 'refreshed' | 'unchanged' | 'refused' | 'activated';

/** min(L, `bindingLifetimeSecondsMax`): the lifetime Alice grants a peer's address (rules 6, 9, 12). */
export function grantedLifetimeSeconds(ctx: HostContext, requestedSeconds: number): number {
  return Math.min(requestedSeconds, ctx.params.bindingLifetimeSecondsMax);
}

/**
 * Rule 6, for one address a BU with lifetime > 0 names (or Appendix B adds, rule 20a):
 * absent → tentative and challenged; tentative → unchanged; active → absolute lifetime
 * refreshed; deprecated → tentative again (it may belong to someone else now, §5.3).
 * Within the bounds of rule 8 and the conflict rule 13, else refused.
 */
export function admitNamedAddress(
  ctx: HostContext,
  entry: EntryRecord,
  address: Address,
  claim: ClaimContext,
): Admission {
  const d = ctx.decisions;
  const record = ctx.state.cache.recordIn(entry, address);
  if (record !== undefined && record.status === 'tentative') return 'unchanged';
  if (record !== undefined && record.status === 'active') {
    // §2.1.4: a BU for an address entered by other means switches it to an absolute lifetime.
    record.lifetimeKind = 'absolute';
    record.expiresAtMs = claim.nowMs + claim.grantedLifetimeSeconds * MS_PER_SECOND;
    return 'refreshed';
  }
  if (record === undefined && !d.enforceBounds(ctx, { kind: 'address', entry })) return 'refused';
  if (!d.shouldChallenge(ctx, entry, address, claim)) {
    // Only a decision that skips verification gets here (the draft's MUST, §2.4.1, says never).
    const expiresAtMs = claim.nowMs + claim.grantedLifetimeSeconds * MS_PER_SECOND;
    const target = record ?? insertAddress(ctx, entry, address, 'active');
    if (record !== undefined) activateAddress(ctx, record, 'absolute', expiresAtMs, 'unverified');
    target.lifetimeKind = 'absolute';
    target.expiresAtMs = expiresAtMs;
    return 'activated';
  }
  if (!d.enforceBounds(ctx, { kind: 'challenge', entry })) return 'refused';
  if (!d.onConflict(ctx, entry, address, claim)) return 'refused';
  let target: AddressRecord;
  if (record === undefined) {
    target = insertAddress(ctx, entry, address, 'tentative');
  } else {
    setAddressStatus(ctx, record, 'tentative', claim.reason);
    target = record;
  }
  startChallenge(ctx, target, claim);
  return 'challenged';
}

/**
 * Whether a newly claimed address must be verified before use. Always, in the reference:
 * §2.3.1, §2.4.1 and §3.4.2 say new addresses MUST be tentative and verified first.
 */
export function shouldChallenge(
  _ctx: HostContext,
  _entry: EntryRecord,
  _address: Address,
  _claim: ClaimContext,
): boolean {
  return true;
}

/**
 * Rule 13, when `claimant` claims `address`: an active copy in another entry is re-checked
 * in that (holder) entry, which keeps it active meanwhile; a tentative copy is already being
 * checked; a deprecated copy is not a conflict. Returns false, changing nothing, when a
 * holder that needs a re-check is at its challenge bound: the claim is then refused.
 * A holder without an SA (or one that takes no Mobile IPv6 option) cannot be re-checked and
 * loses the address once the claimant answers (settled in `settleClaims`).
 */
export function onConflict(ctx: HostContext, claimant: EntryRecord, address: Address, claim: ClaimContext): boolean {
  const holders: AddressRecord[] = [];
  for (const r of ctx.state.cache.recordsOf(address)) {
    if (r.entry === claimant || r.status !== 'active' || r.challenge !== null) continue;
    if (r.entry.sa === null || !mayUseMobileOptions(r.entry.peerKind)) continue;
    if (!ctx.decisions.enforceBounds(ctx, { kind: 'challenge', entry: r.entry })) return false;
    holders.push(r);
  }
  for (const holder of holders) startRecheck(ctx, holder, claim.nowMs, claim.localAddress);
  return true;
}

/**
 * Rule 13: the holder's re-check BA uses the holder's SA, its last accepted BU number and the
 * address's remaining lifetime in whole seconds, rounded up so that it is never 0 (a
 * Response with lifetime 0 is ignored, rule 12).
 */
function startRecheck(ctx: HostContext, holder: AddressRecord, nowMs: number, localAddress: Address | null): void {
  const sa = holder.entry.sa;
  assert(sa !== null, `re-check of ${holder.address} in ${holder.entry.id} without an SA`);
  const remainingSeconds = Math.ceil((holder.expiresAtMs - nowMs) / MS_PER_SECOND);
  startChallenge(ctx, holder, {
    nowMs,
    sa,
    sequence: holder.entry.lastReceivedBuSequence ?? 0,
    grantedLifetimeSeconds: Math.min(Math.max(remainingSeconds, 1), LIFETIME_SECONDS_MAX),
    localAddress,
    reason: 'claimed',
  });
}

/**
 * §3.4.2 step 1 and rule 9: a fresh Challenge for `record`, sent at once in a BA to the
 * address being checked, protected by the claim's SA. A tentative address shows the
 * Challenge's end as its expiry (rule 19).
 */
function startChallenge(ctx: HostContext, record: AddressRecord, claim: ClaimContext): void {
  const d = ctx.decisions;
  const { alg, key } = claim.sa.config;
  const time = d.drawChallengeTime(ctx, claim.nowMs);
  const value = makeChallenge(alg, key, addressToBytes(record.address), time);
  const source = challengeSource(ctx, record, claim.localAddress);
  const packet = challengeBa({
    // With no address of the scope left the BA cannot go yet; `retransmitChallenge` gives
    // it one of Alice's addresses before it is ever sent.
    source: source ?? record.address,
    destination: d.challengeDestination(ctx, record),
    sequence: claim.sequence,
    lifetimeSeconds: claim.grantedLifetimeSeconds,
    challenge: value,
  });
  record.challenge = {
    value,
    sa: claim.sa,
    packet,
    firstSentMs: claim.nowMs,
    lastSentMs: claim.nowMs,
    attempts: 0,
    answeredAtMs: null,
  };
  if (record.status === 'tentative') {
    record.lifetimeKind = 'absolute';
    record.expiresAtMs = claim.nowMs + ctx.params.challengeLifetimeMs;
  }
  if (source !== null && mayUseMobileOptions(record.entry.peerKind)) {
    d.transmit(ctx, packet, claim.sa, record.entry);
    record.challenge.attempts = 1;
  }
}

/**
 * TIME (§3.4.2): 8 bytes from the host's random source, never the clock (WIRE.md: a peer
 * holding K could otherwise compute the Challenge for a guessed time).
 */
export function drawChallengeTime(ctx: HostContext, _nowMs: number): Uint8Array {
  return ctx.random(TIME_BYTES);
}

/**
 * §3.4.2 step 1: "It is important that the challenge is actually sent to the Tentative
 * Address and not to any other of the addresses in the Foreign Host Cache Entry"
 * (INV-CHALLENGE-TARGET).
 */
export function challengeDestination(_ctx: HostContext, record: AddressRecord): Address {
  return record.address;
}

/** Rule 9: from the address the claim arrived at, or, if Alice no longer has it, her oldest of that scope. */
function challengeSource(ctx: HostContext, record: AddressRecord, localAddress: Address | null): Address | null {
  if (localAddress !== null && isLocal(ctx, localAddress)) return localAddress;
  return ctx.decisions.oldestLocalOfScope(ctx, record.address);
}

/**
 * Rule 9: a retransmission is the same BA but for its AH sequence number. If Alice has lost
 * the BA's source meanwhile, it goes from her oldest address of the scope instead (the
 * Response must be able to come back); with no such address nothing is sent.
 */
export function retransmitChallenge(ctx: HostContext, record: AddressRecord, nowMs: number): void {
  const c = record.challenge;
  assert(c !== null && isLive(record), `retransmission of a Challenge that is not live (${record.address})`);
  if (!isLocal(ctx, c.packet.ipv6.source)) {
    const source = ctx.decisions.oldestLocalOfScope(ctx, record.address);
    if (source === null) return;
    c.packet = { ...c.packet, ipv6: { ...c.packet.ipv6, source } };
  }
  ctx.decisions.transmit(ctx, c.packet, c.sa, record.entry);
  c.attempts++;
  c.lastSentMs = nowMs;
}

/**
 * WIRE.md: a Response is accepted once, only for the latest Challenge sent to that address
 * for that entry, only while that Challenge is younger than `challengeLifetimeMs`, and only
 * if it equals HMAC(K, Challenge || ADDR) (compared in constant time).
 */
export function acceptResponse(
  ctx: HostContext,
  record: AddressRecord | undefined,
  response: Uint8Array,
  nowMs: number,
): boolean {
  if (record === undefined || !isLive(record)) return false;
  const c = record.challenge;
  if (c === null || nowMs - c.firstSentMs >= ctx.params.challengeLifetimeMs) return false;
  const expected = makeResponse(c.sa.config.alg, c.sa.config.key, c.value, addressToBytes(record.address));
  return constantTimeEqual(expected, response);
}

/**
 * Rule 12, after `acceptResponse`: the Challenge is answered (never accepted again); the
 * address gets an absolute lifetime min(L, `bindingLifetimeSecondsMax`) from the Response's
 * arrival, at once if it is active (a holder's re-check), when it wins if it is tentative.
 */
export function recordResponse(ctx: HostContext, record: AddressRecord, lifetimeSeconds: number, nowMs: number): void {
  // The reference only gets here with a live Challenge; an `acceptResponse` that accepts more
  // (a second time, a stale Challenge) gets the same treatment, so that what it accepted
  // shows in the state.
  if (record.challenge !== null && record.challenge.answeredAtMs === null) record.challenge.answeredAtMs = nowMs;
  record.grantedExpiresAtMs = nowMs + ctx.decisions.grantedLifetimeSeconds(ctx, lifetimeSeconds) * MS_PER_SECOND;
  if (record.status === 'active') {
    record.lifetimeKind = 'absolute';
    record.expiresAtMs = record.grantedExpiresAtMs;
  }
  if (record.challenge !== null) settleClaims(ctx, record.address, nowMs);
}

/**
 * Rule 9: a Challenge that ends unanswered. A tentative address is removed; a holder that
 * did not answer its re-check loses the address (rule 13). Then the address's rivals settle.
 */
export function endChallengeUnanswered(ctx: HostContext, record: AddressRecord, atMs: number): void {
  assert(isLive(record), `end of a Challenge that is not live (${record.address})`);
  removeAddress(ctx, record, record.status === 'tentative' ? 'challenge-unanswered' : 'lost-claim');
  settleClaims(ctx, record.address, atMs);
}

/**
 * Rule 13, whenever a Challenge on `address` ends (answered, unanswered, or its record gone):
 * - two or more entries answered: each of them is flushed (every address removed; the
 *   entries and SAs stay, a departure from the draft's "completely flushes", §3.4.2);
 * - otherwise, while any entry's Challenge is live, those that answered wait;
 * - then the one that answered wins: it is (or stays) active, and every other entry holding
 *   the address active (a holder that could not be re-checked) loses it.
 */
export function settleClaims(ctx: HostContext, address: Address, nowMs: number): void {
  const rivals = ctx.state.cache.recordsOf(address).filter((r) => r.status === 'tentative' || r.status === 'active');
  const answered = rivals.filter(hasAnswered);
  if (answered.length >= 2) {
    flushEntries(
      ctx,
      answered.map((r) => r.entry),
      nowMs,
    );
    return;
  }
  if (rivals.some(isLive) || answered.length === 0) return;
  const winner = answered[0];
  const reason: StatusReason = rivals.length === 1 ? 'verified' : 'claim-settled';
  for (const r of rivals) if (r !== winner) removeAddress(ctx, r, 'lost-claim');
  winner.challenge = null;
  if (winner.status === 'tentative') activateAddress(ctx, winner, 'absolute', winner.grantedExpiresAtMs, reason);
}

/** Rule 13, both claimants answered: every address of these entries goes; their rivals then settle. */
function flushEntries(ctx: HostContext, entries: readonly EntryRecord[], nowMs: number): void {
  const affected = new Set<Address>();
  for (const entry of entries) {
    for (const r of entry.addresses.slice()) {
      affected.add(r.address);
      removeAddress(ctx, r, 'flushed');
    }
  }
  for (const address of affected) settleClaims(ctx, address, nowMs);
}

/**
 * Rule 13 through rule 17: `record` has just become (or is) active as an entry's first
 * address while tentative in another entry; the new holder is re-checked if it can be.
 */
export function recheckFirstAddress(ctx: HostContext, record: AddressRecord, nowMs: number): void {
  if (record.status !== 'active' || record.challenge !== null) return;
  const rivalTentative = ctx.state.cache
    .recordsOf(record.address)
    .some((r) => r !== record && r.status === 'tentative');
  if (!rivalTentative || record.entry.sa === null || !mayUseMobileOptions(record.entry.peerKind)) return;
  if (!ctx.decisions.enforceBounds(ctx, { kind: 'challenge', entry: record.entry })) return;
  startRecheck(ctx, record, nowMs, null);
}
