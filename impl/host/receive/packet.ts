// Receiving (§2.3, HOST.md rules 1-4, 22): which packets are Alice's, AH and the anti-replay
// window, the HAO; then each option goes to its message's handler (receive/bu.ts, ba.ts,
// br.ts, appendix-b.ts) and the upper layer to receive/data.ts.

import { match } from 'ts-pattern';
import { verifyAh } from '../../crypto/index.js';
import { decodePacket, optionAction } from '../../wire/index.js';
import type {
  AuthHeader,
  BindingRequest,
  BindingUpdate,
  HomeAddressOption,
  Packet,
  PacketLayout,
} from '../../wire/types.js';
import { isLocal } from '../addresses.js';
import type { EntryRecord } from '../cache.js';
import type { CompatEvent } from '../compat.js';
import type { HostContext } from '../context.js';
import { MS_PER_SECOND } from '../params.js';
import type { SaRecord } from '../sa.js';
import { isNewerSequence } from '../sequence.js';
import type { Address } from '../types.js';
import { onAppendixB } from './appendix-b.js';
import { onBindingAck } from './ba.js';
import { onBindingRequest } from './br.js';
import { onBindingUpdate } from './bu.js';
import { onData } from './data.js';

/** One received packet, as the handlers see it. */
export interface ReceivedPacket {
  readonly packet: Packet;
  readonly nowMs: number;
  /** The final destination: one of Alice's addresses (rule 22). */
  readonly localAddress: Address;
  /** The SA whose AH verified the packet, or null when it has no AH. */
  readonly sa: SaRecord | null;
  /** The HAO's address when the packet has an HAO that passed rule 2, else null. */
  homeAddress: Address | null;
}

/** The receive path: drops silently whatever fails a check (never throws on peer bytes). */
export function receivePacket(ctx: HostContext, bytes: Uint8Array, nowMs: number): void {
  const d = ctx.decisions;
  const decoded = decodePacket(bytes);
  if (!decoded.ok) return;
  const { packet, layout } = decoded;
  const localAddress = finalDestination(ctx, packet);
  if (localAddress === null) return;
  // RFC 2460 §4.2: an unknown option whose action bits are not "skip" discards the packet
  // (the reference sends no ICMP error; WIRE.md lets it choose).
  if (packet.destOptions?.some((o) => o.kind === 'unknown' && optionAction(o.type) !== 'skip')) return;
  let sa: SaRecord | null = null;
  if (packet.ah !== undefined) {
    sa = d.verifyPacketAh(ctx, bytes, layout, packet.ah);
    if (sa === null) return; // rule 2: unknown SPI, bad ICV or replay drops the whole packet
  }
  const received: ReceivedPacket = { packet, nowMs, localAddress, sa, homeAddress: null };
  const hao = packet.destOptions?.find((o): o is HomeAddressOption => o.kind === 'hao');
  if (hao !== undefined && !d.onHomeAddress(ctx, received, hao)) return;
  if (sa !== null) onAuthenticated(ctx, received, sa.entry);
  onData(ctx, received);
}

/**
 * Rule 22: the final destination must be one of Alice's addresses (§1.4). A type 0 routing
 * header is processed only when every address in it is Alice's (RFC 5095: she forwards
 * nothing); with Segments Left > 0 its last address is the final destination.
 */
export function finalDestination(ctx: HostContext, packet: Packet): Address | null {
  if (!isLocal(ctx, packet.ipv6.destination)) return null;
  const routing = packet.routing;
  if (routing === undefined) return packet.ipv6.destination;
  if (!routing.addresses.every((a) => isLocal(ctx, a))) return null;
  if (routing.segmentsLeft === 0 || routing.addresses.length === 0) return packet.ipv6.destination;
  return routing.addresses[routing.addresses.length - 1];
}

/**
 * RFC 2402 §3.4: the SA by inbound SPI, the anti-replay check, the ICV; the window moves
 * only after the ICV verifies (WIRE.md). Null when the packet must be dropped.
 */
export function verifyPacketAh(
  ctx: HostContext,
  bytes: Uint8Array,
  layout: PacketLayout,
  ah: AuthHeader,
): SaRecord | null {
  const sa = ctx.state.sas.get(ah.spi);
  if (sa === undefined) return null;
  if (!ctx.decisions.replayCheck(ctx, sa, ah.sequence)) return null;
  if (!verifyAh(bytes, layout, ah, sa.config)) return null;
  sa.replay.update(ah.sequence);
  return sa;
}

/** RFC 2402 §3.4.3: sequence 0, one older than the window, or one already seen is a replay. */
export function replayCheck(_ctx: HostContext, sa: SaRecord, sequence: number): boolean {
  return sa.replay.check(sequence);
}

/**
 * Rule 2 (§2.3.1, §2.3.2): under valid AH the HAO must name an active or deprecated
 * address of the SA's entry; without AH only a standard mobile peer's recorded home
 * address passes (draft-13 nodes send data so; it changes nothing in the cache).
 * Returns false when the packet must be dropped.
 */
export function onHomeAddress(ctx: HostContext, received: ReceivedPacket, hao: HomeAddressOption): boolean {
  const home = hao.homeAddress;
  if (received.sa !== null) {
    const record = ctx.state.cache.recordIn(received.sa.entry, home);
    if (record === undefined || (record.status !== 'active' && record.status !== 'deprecated')) return false;
    received.homeAddress = home;
    return true;
  }
  const known = ctx.state.cache.entries.some((e) => e.peerKind === 'standard-mobile' && e.homeAddress === home);
  if (!known) return false;
  received.homeAddress = home;
  return true;
}

/** Everything a packet whose AH verified does to the SA's entry (rule 1), in option order. */
export function onAuthenticated(ctx: HostContext, received: ReceivedPacket, entry: EntryRecord): void {
  const options = received.packet.destOptions ?? [];
  applyPacketCompatEvent(ctx, received, entry);
  refreshActivity(ctx, received, entry);
  let previousBuSequence: number | null = null;
  for (const option of options) {
    match(option)
      .with({ kind: 'bu' }, (bu) => {
        // §3.2.2: several BUs in one packet MUST have increasing sequence numbers.
        const increasing = previousBuSequence === null || isNewerSequence(bu.sequence, previousBuSequence);
        previousBuSequence = bu.sequence;
        if (increasing) onBindingUpdate(ctx, received, entry, bu);
      })
      .with({ kind: 'ba' }, (ba) => onBindingAck(ctx, received, entry, ba))
      .with({ kind: 'br' }, () => onBindingRequest(ctx, entry))
      .with({ kind: 'hao' }, { kind: 'unknown' }, () => undefined)
      .exhaustive();
  }
  onAppendixB(ctx, received, entry);
}

function hasHomelessSupport(option: BindingUpdate | BindingRequest): boolean {
  return option.subOptions.some((s) => s.kind === 'homeless-support');
}

/**
 * Rule 15: an authenticated BU or BR with Homeless Support makes the peer homeless; else an
 * authenticated HAO or BU makes an unknown or standard peer a standard mobile one, whose
 * home address (the HAO) is recorded. Its care-of address waits for the BU to be accepted
 * (receive/bu.ts `noteCareOf`): an ignored BU changes neither address.
 */
function applyPacketCompatEvent(ctx: HostContext, received: ReceivedPacket, entry: EntryRecord): void {
  const options = received.packet.destOptions ?? [];
  const signalling = options.filter((o): o is BindingUpdate | BindingRequest => o.kind === 'bu' || o.kind === 'br');
  let event: CompatEvent | null = null;
  if (signalling.some(hasHomelessSupport)) event = 'homeless-support';
  else if (received.homeAddress !== null || signalling.some((o) => o.kind === 'bu')) event = 'mobile-ipv6-signal';
  if (event === null) return;
  ctx.decisions.applyCompatEvent(ctx, entry, event);
  if (entry.peerKind !== 'standard-mobile' || event !== 'mobile-ipv6-signal') return;
  if (received.homeAddress !== null) entry.homeAddress = received.homeAddress;
}

/**
 * Rule 4 (§1.3): activity is refreshed only for an active address, only by an AH-valid
 * packet whose IPv6 Source it is: BU, BA or BR under either kind of SA, data under a
 * generic one. The same packets mark the last source received (§1.4, rule 21).
 */
function refreshActivity(ctx: HostContext, received: ReceivedPacket, entry: EntryRecord): void {
  const sa = received.sa;
  if (sa === null) return;
  const p = received.packet;
  const signalling = p.destOptions?.some((o) => o.kind === 'bu' || o.kind === 'ba' || o.kind === 'br') ?? false;
  const data = p.upper.kind !== 'none' && ctx.decisions.mayProtectData(ctx, sa);
  if (!signalling && !data) return;
  const record = ctx.state.cache.recordIn(entry, p.ipv6.source);
  if (record === undefined || record.status !== 'active') return;
  if (record.lifetimeKind === 'activity')
    record.expiresAtMs = received.nowMs + ctx.params.defaultLifetimeSeconds * MS_PER_SECOND;
  entry.lastSourceReceived = record.address;
}
