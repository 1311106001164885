// The BUs Alice sends on her own account (§2.2, §3.2.1, HOST.md rules 14, 16, 20): the
// Initial BU, the periodic BU, and the BUs announcing and withdrawing her addresses.

import { isLocal, localGlobalAddresses } from '../addresses.js';
import type { EntryRecord } from '../cache.js';
import { mayUseMobileOptions, sendingRules } from '../compat.js';
import type { HostContext } from '../context.js';
import { addressListBu, addressListChunks, careOfBu, dataPacket } from '../packets.js';
import { MS_PER_SECOND, OPTION_DATA_BYTES_MAX } from '../params.js';
import { scopeOf } from '../scope.js';
import { nextSequence } from '../sequence.js';
import type { Address } from '../types.js';
import type { Route } from './route.js';

/** The sequence number of Alice's next BU to this peer (WIRE.md: from 1, modulo 2^16). */
export function takeBuSequence(entry: EntryRecord): number {
  const n = entry.nextSentBuSequence;
  entry.nextSentBuSequence = nextSequence(n);
  return n;
}

/** §3.1, rule 14: Homeless Support stays in Alice's BUs to a peer until its first BA. */
export function homelessSupportFor(entry: EntryRecord): boolean {
  return !entry.acknowledgedByPeer;
}

/** Rule 16: when the next periodic BU to an entry with an SA is due. */
export function scheduleRefresh(ctx: HostContext, entry: EntryRecord, fromMs: number): void {
  entry.nextRefreshMs = fromMs + ctx.params.bindingRefreshSeconds * MS_PER_SECOND;
}

/**
 * Rule 14 (§2.2.4, §3.2.1, Appendix A): on `addSA`, the Initial BU to `peer`, from Alice's
 * oldest address of its scope, HAO = that source, A bit, `defaultLifetimeSeconds`,
 * Homeless Support, Alternate Prefixes naming her other global addresses. It starts the
 * compatibility probe (rule 15).
 */
export function sendInitialBu(ctx: HostContext, entry: EntryRecord, peer: Address, nowMs: number): void {
  if (entry.sa === null || !mayUseMobileOptions(entry.peerKind)) return;
  const source = ctx.decisions.oldestLocalOfScope(ctx, peer);
  if (source === null) return;
  ctx.decisions.sendAddressList(ctx, entry, { destination: peer, finalDestination: peer }, source, true, true);
  if (entry.peerKind === 'unknown') entry.probeDeadlineMs = nowMs + ctx.params.compatProbeTimeoutMs;
}

/**
 * Rule 16: the periodic BU (no A bit) naming all Alice's global addresses, also the answer
 * to a BR. Its lifetime is `defaultLifetimeSeconds` (a choice: HOST.md leaves it open).
 * Toward a standard peer it refreshes each emulated binding instead (§2.2.2), in strict
 * draft-13 form; toward a legacy peer nothing is sent.
 */
export function sendRefreshBu(ctx: HostContext, entry: EntryRecord): void {
  const d = ctx.decisions;
  if (entry.sa === null) return;
  const format = sendingRules(entry.peerKind).buFormat;
  if (format === 'none') return;
  const route = d.selectDestination(ctx, entry);
  if (route === null) return;
  if (format === 'mipv6') {
    for (const [home, binding] of entry.emulatedBindings) {
      if (home === binding.careOf || !isLocal(ctx, binding.careOf)) continue;
      const bu = {
        sequence: takeBuSequence(entry),
        lifetimeSeconds: ctx.params.defaultLifetimeSeconds,
        ack: false,
        homelessSupport: false,
      };
      binding.sequence = bu.sequence;
      d.transmit(
        ctx,
        dataPacket({ ...route, source: binding.careOf, emulation: { home, bu }, upper: { kind: 'none' } }),
        entry.sa,
        entry,
      );
    }
    return;
  }
  const source = d.oldestLocalOfScope(ctx, route.finalDestination);
  if (source === null) return;
  d.sendAddressList(ctx, entry, route, source, false, format === 'initial');
}

/** BUs from `source` naming it and all Alice's other global addresses, split to fit (WIRE.md). */
export function sendAddressList(
  ctx: HostContext,
  entry: EntryRecord,
  route: Route,
  source: Address,
  ack: boolean,
  hao: boolean,
): void {
  const sa = entry.sa;
  if (sa === null) return;
  const homelessSupport = homelessSupportFor(entry);
  const others = localGlobalAddresses(ctx).filter((a) => a !== source);
  for (const chunk of addressListChunks(source, others, homelessSupport, OPTION_DATA_BYTES_MAX)) {
    const packet = addressListBu({
      source,
      destination: route.destination,
      sequence: takeBuSequence(entry),
      lifetimeSeconds: ctx.params.defaultLifetimeSeconds,
      ack,
      homelessSupport,
      others: chunk,
      hao,
    });
    ctx.decisions.transmit(ctx, packet, sa, entry);
  }
  entry.announced = new Set([source, ...others]);
}

/**
 * Rule 20 (§2.1.2, §2.2.1): Alice learned `address`. To each peer entry with an SA and an
 * active address that takes homeless BUs, a BU (A bit) naming it in an Alternate CoA, from
 * an address already registered there (the oldest); with none registered, from the new
 * address itself. Standard peers learn of it through the emulation when it is used.
 */
export function announceAddress(ctx: HostContext, address: Address, _nowMs: number): void {
  for (const entry of ctx.state.cache.entries) {
    const sa = entry.sa;
    const format = sendingRules(entry.peerKind).buFormat;
    if (sa === null || (format !== 'homeless' && format !== 'initial')) continue;
    const route = ctx.decisions.selectDestination(ctx, entry);
    if (route === null || scopeOf(route.finalDestination) !== scopeOf(address)) continue;
    const scope = scopeOf(address);
    const registered = ctx.state.local.find((a) => a !== address && entry.announced.has(a) && scopeOf(a) === scope);
    const homelessSupport = homelessSupportFor(entry);
    const sequence = takeBuSequence(entry);
    const lifetimeSeconds = ctx.params.defaultLifetimeSeconds;
    const packet =
      registered !== undefined
        ? careOfBu({
            source: registered,
            destination: route.destination,
            sequence,
            lifetimeSeconds,
            ack: true,
            homelessSupport,
            careOf: address,
            hao: format === 'initial' ? registered : null,
          })
        : addressListBu({
            source: address,
            destination: route.destination,
            sequence,
            lifetimeSeconds,
            ack: true,
            homelessSupport,
            others: [],
            hao: format === 'initial',
          });
    ctx.decisions.transmit(ctx, packet, sa, entry);
    entry.announced.add(address);
  }
}

/**
 * Rule 20 (§2.1.2 MUST, §2.2.1): Alice lost `address`. To each such peer, a deleting BU
 * (lifetime 0, A bit) naming it in an Alternate CoA, from a remaining address of its
 * scope; nothing when none remains. Emulated bindings on it are forgotten: the next packet
 * from another source registers a new care-of address.
 */
export function withdrawAddress(ctx: HostContext, address: Address, _nowMs: number): void {
  for (const entry of ctx.state.cache.entries) {
    const told = [...entry.announced];
    entry.announced.delete(address);
    for (const [home, binding] of [...entry.emulatedBindings])
      if (binding.careOf === address) entry.emulatedBindings.delete(home);
    const sa = entry.sa;
    const format = sendingRules(entry.peerKind).buFormat;
    if (sa === null || (format !== 'homeless' && format !== 'initial')) continue;
    const route = ctx.decisions.selectDestination(ctx, entry);
    if (route === null || scopeOf(route.finalDestination) !== scopeOf(address)) continue;
    const source = ctx.decisions.oldestLocalOfScope(ctx, route.finalDestination);
    if (source === null) continue;
    const packet = careOfBu({
      source,
      destination: route.destination,
      sequence: takeBuSequence(entry),
      lifetimeSeconds: 0,
      ack: true,
      homelessSupport: homelessSupportFor(entry),
      careOf: address,
      hao: format === 'initial' ? deletionHomeAddress(told, source, address) : null,
    });
    ctx.decisions.transmit(ctx, packet, sa, entry);
  }
}

/**
 * The HAO of a deleting BU in §3.2.1's form (toward a peer not yet known to be homeless): of
 * its source and the lost address, the one the peer was told of first (`told`: the addresses
 * announced to it, in order), since the HAO must name an address the peer already holds
 * (§3.2.2; a homeless receiver drops a BU whose HAO names no active or deprecated address of
 * its entry, HOST.md rule 1). After a move (make before break) the only remaining source is
 * the new address, which the peer has not verified yet: the HAO names the lost address, and
 * to a draft-13 node the BU reads home = care-of, "delete the binding" (MIPv6 §5.1). After an
 * address gained and lost again, the older source is named.
 */
function deletionHomeAddress(told: readonly Address[], source: Address, lost: Address): Address {
  const lostAt = told.indexOf(lost);
  const sourceAt = told.indexOf(source);
  return lostAt !== -1 && (sourceAt === -1 || lostAt < sourceAt) ? lost : source;
}
