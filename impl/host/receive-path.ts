// Receiving (§2.3, HOST.md rules 1–7, 10–13, 15, 20a, 22, 23): which packets are Alice's,
// AH and the anti-replay window, the HAO, then one handler per message kind.

import { match } from 'ts-pattern';
import { verifyAh } from '../crypto/index.js';
import {
  BA_STATUS,
  bytesToAddress,
  careOfAddress,
  decodePacket,
  expandAlternatePrefixes,
  isGlobalAddress,
  IPV6,
  optionAction,
} from '../wire/index.js';
import type {
  Address,
  AuthHeader,
  BindingAck,
  BindingRequest,
  BindingUpdate,
  HomeAddressOption,
  IcmpMessage,
  Packet,
  PacketLayout,
} from '../wire/types.js';
import type { EntryRecord, SentPacketMemory } from './cache.js';
import { nextPeerKind, type CompatEvent } from './compat.js';
import { echoReply } from './packets.js';
import { MS_PER_SECOND, SEQUENCE_MODULUS, SEQUENCE_NEWER_SPAN_MAX } from './params.js';
import type { SaRecord } from './sa.js';
import { SendingHost } from './send-path.js';
import type { Delivered } from './types.js';
import type { ClaimContext } from './verification.js';

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

/** WIRE.md: `a` is newer than `b` when (a − b) mod 2^16 is in 1..32767. */
export function isNewerSequence(a: number, b: number): boolean {
  const d = (((a - b) % SEQUENCE_MODULUS) + SEQUENCE_MODULUS) % SEQUENCE_MODULUS;
  return d >= 1 && d <= SEQUENCE_NEWER_SPAN_MAX;
}

function hasHomelessSupport(option: BindingUpdate | BindingRequest): boolean {
  return option.subOptions.some((s) => s.kind === 'homeless-support');
}

export abstract class ReceivingHost extends SendingHost {
  /** The receive path: drops silently whatever fails a check (never throws on peer bytes). */
  protected receivePacket(bytes: Uint8Array, nowMs: number): void {
    const decoded = decodePacket(bytes);
    if (!decoded.ok) return;
    const { packet, layout } = decoded;
    const localAddress = this.finalDestination(packet);
    if (localAddress === null) return;
    // RFC 2460 §4.2: an unknown option whose action bits are not "skip" discards the packet
    // (the reference sends no ICMP error; WIRE.md lets it choose).
    if (packet.destOptions?.some((o) => o.kind === 'unknown' && optionAction(o.type) !== 'skip')) return;
    let sa: SaRecord | null = null;
    if (packet.ah !== undefined) {
      sa = this.verifyPacketAh(bytes, layout, packet.ah);
      if (sa === null) return; // rule 2: unknown SPI, bad ICV or replay drops the whole packet
    }
    const received: ReceivedPacket = { packet, nowMs, localAddress, sa, homeAddress: null };
    const hao = packet.destOptions?.find((o): o is HomeAddressOption => o.kind === 'hao');
    if (hao !== undefined && !this.onHomeAddress(received, hao)) return;
    if (sa !== null) this.onAuthenticated(received, sa.entry);
    this.onData(received);
  }

  /**
   * Rule 22: the final destination must be one of Alice's addresses (§1.4). A type 0 routing
   * header is processed only when every address in it is Alice's (RFC 5095: she forwards
   * nothing); with Segments Left > 0 its last address is the final destination.
   */
  protected finalDestination(packet: Packet): Address | null {
    if (!this.isLocal(packet.ipv6.destination)) return null;
    const routing = packet.routing;
    if (routing === undefined) return packet.ipv6.destination;
    if (!routing.addresses.every((a) => this.isLocal(a))) return null;
    if (routing.segmentsLeft === 0 || routing.addresses.length === 0) return packet.ipv6.destination;
    return routing.addresses[routing.addresses.length - 1];
  }

  /**
   * RFC 2402 §3.4: the SA by inbound SPI, the anti-replay check, the ICV; the window moves
   * only after the ICV verifies (WIRE.md). Null when the packet must be dropped.
   */
  protected verifyPacketAh(bytes: Uint8Array, layout: PacketLayout, ah: AuthHeader): SaRecord | null {
    const sa = this.sas.get(ah.spi);
    if (sa === undefined) return null;
    if (!this.replayCheck(sa, ah.sequence)) return null;
    if (!verifyAh(bytes, layout, ah, sa.config)) return null;
    sa.replay.update(ah.sequence);
    return sa;
  }

  /** RFC 2402 §3.4.3: sequence 0, one older than the window, or one already seen is a replay. */
  protected replayCheck(sa: SaRecord, sequence: number): boolean {
    return sa.replay.check(sequence);
  }

  /**
   * Rule 2 (§2.3.1, §2.3.2): under valid AH the HAO must name an active or deprecated
   * address of the SA's entry; without AH only a standard mobile peer's recorded home
   * address passes (draft-13 nodes send data so; it changes nothing in the cache).
   * Returns false when the packet must be dropped.
   */
  protected onHomeAddress(received: ReceivedPacket, hao: HomeAddressOption): boolean {
    const home = hao.homeAddress;
    if (received.sa !== null) {
      const record = this.cache.recordIn(received.sa.entry, home);
      if (record === undefined || (record.status !== 'active' && record.status !== 'deprecated')) return false;
      received.homeAddress = home;
      return true;
    }
    const known = this.cache.entries.some((e) => e.peerKind === 'standard-mobile' && e.homeAddress === home);
    if (!known) return false;
    received.homeAddress = home;
    return true;
  }

  /** Everything a packet whose AH verified does to the SA's entry (rule 1), in option order. */
  protected onAuthenticated(received: ReceivedPacket, entry: EntryRecord): void {
    const options = received.packet.destOptions ?? [];
    this.applyPacketCompatEvent(received, entry);
    this.refreshActivity(received, entry);
    let previousBuSequence: number | null = null;
    for (const option of options) {
      match(option)
        .with({ kind: 'bu' }, (bu) => {
          // §3.2.2: several BUs in one packet MUST have increasing sequence numbers.
          const increasing = previousBuSequence === null || isNewerSequence(bu.sequence, previousBuSequence);
          previousBuSequence = bu.sequence;
          if (increasing) this.onBindingUpdate(received, entry, bu);
        })
        .with({ kind: 'ba' }, (ba) => this.onBindingAck(received, entry, ba))
        .with({ kind: 'br' }, (br) => this.onBindingRequest(received, entry, br))
        .with({ kind: 'hao' }, { kind: 'unknown' }, () => undefined)
        .exhaustive();
    }
    this.onAppendixB(received, entry);
  }

  /**
   * Rule 15: an authenticated BU or BR with Homeless Support makes the peer homeless; else an
   * authenticated HAO or BU makes an unknown or standard peer a standard mobile one, whose
   * home address (the HAO) is recorded. Its care-of address waits for the BU to be accepted
   * (`noteCareOf`): an ignored BU changes neither address.
   */
  protected applyPacketCompatEvent(received: ReceivedPacket, entry: EntryRecord): void {
    const options = received.packet.destOptions ?? [];
    const signalling = options.filter((o): o is BindingUpdate | BindingRequest => o.kind === 'bu' || o.kind === 'br');
    let event: CompatEvent | null = null;
    if (signalling.some(hasHomelessSupport)) event = 'homeless-support';
    else if (received.homeAddress !== null || signalling.some((o) => o.kind === 'bu')) event = 'mobile-ipv6-signal';
    if (event === null) return;
    this.applyCompatEvent(entry, event);
    if (entry.peerKind !== 'standard-mobile' || event !== 'mobile-ipv6-signal') return;
    if (received.homeAddress !== null) entry.homeAddress = received.homeAddress;
  }

  /**
   * Rule 15: each *accepted* BU without Homeless Support from a standard mobile peer (newer
   * sequence, rule 7; a Response only when it verifies) sets `careOfAddress` to its care-of
   * address (rule 5), or to null when it deletes the binding (draft-13 §8.3: lifetime 0, or a
   * care-of address equal to the home address).
   */
  private noteCareOf(received: ReceivedPacket, entry: EntryRecord, bu: BindingUpdate): void {
    if (entry.peerKind !== 'standard-mobile') return;
    const coa = careOfAddress(bu, received.packet.ipv6.source);
    entry.careOfAddress = bu.lifetimeSeconds === 0 || coa === entry.homeAddress ? null : coa;
  }

  /** The one place a peer's kind changes (docs/compatibility.md). */
  protected applyCompatEvent(entry: EntryRecord, event: CompatEvent): void {
    const to = nextPeerKind(entry.peerKind, event);
    if (to === entry.peerKind) return;
    entry.peerKind = to;
    if (to !== 'unknown') entry.probeDeadlineMs = null;
    if (to !== 'standard-mobile') {
      // Rule 19: home and care-of addresses are shown for standard mobile peers only.
      entry.homeAddress = null;
      entry.careOfAddress = null;
    }
  }

  /**
   * Rule 4 (§1.3): activity is refreshed only for an active address, only by an AH-valid
   * packet whose IPv6 Source it is: BU, BA or BR under either kind of SA, data under a
   * generic one. The same packets mark the last source received (§1.4, rule 21).
   */
  protected refreshActivity(received: ReceivedPacket, entry: EntryRecord): void {
    const sa = received.sa;
    if (sa === null) return;
    const p = received.packet;
    const signalling = p.destOptions?.some((o) => o.kind === 'bu' || o.kind === 'ba' || o.kind === 'br') ?? false;
    const data = p.upper.kind !== 'none' && this.mayProtectData(sa);
    if (!signalling && !data) return;
    const record = this.cache.recordIn(entry, p.ipv6.source);
    if (record === undefined || record.status !== 'active') return;
    if (record.lifetimeKind === 'activity') record.expiresAtMs = received.nowMs + this.params.defaultLifetimeSeconds * MS_PER_SECOND;
    entry.lastSourceReceived = record.address;
  }

  // ---- One handler per message kind --------------------------------------------------------

  /**
   * A BU under valid AH (§2.3.1, rules 5–8, 10, 12). Sequence first (rule 7); a BU with a
   * Security sub-option is a Response (rule 12); any other names addresses (rule 5) that it
   * adds, refreshes or deletes (rule 6), then a plain BA if asked for and nothing new was
   * named (rule 10).
   */
  protected onBindingUpdate(received: ReceivedPacket, entry: EntryRecord, bu: BindingUpdate): void {
    const last = entry.lastReceivedBuSequence;
    if (last !== null && !isNewerSequence(bu.sequence, last)) return;
    if (bu.subOptions.some((s) => s.kind === 'security')) {
      this.onResponse(received, entry, bu);
      return;
    }
    entry.lastReceivedBuSequence = bu.sequence;
    this.noteCareOf(received, entry, bu);
    const named = this.namedAddresses(bu, received.packet.ipv6.source);
    const granted = this.grantedLifetimeSeconds(bu.lifetimeSeconds);
    let challenged = false;
    let refused = false;
    if (bu.lifetimeSeconds === 0) {
      // Rule 6: lifetime 0 removes every named address, whatever its status (§2.1.4).
      for (const address of named) {
        const record = this.cache.recordIn(entry, address);
        if (record === undefined) continue;
        this.removeAddress(record, 'deleted');
        this.settleClaims(address, received.nowMs);
      }
    } else {
      const claim = this.claimContext(received, entry, bu.sequence, granted, 'claimed');
      for (const address of named) {
        const admission = this.admitNamedAddress(entry, address, claim);
        if (admission === 'challenged') challenged = true;
        if (admission === 'refused') refused = true;
      }
    }
    if (bu.flags.ack && !challenged) {
      const status = refused ? BA_STATUS.insufficientResources : BA_STATUS.accepted;
      this.sendPlainBa(entry, this.replyTarget(received), status, bu.sequence, granted);
    }
  }

  /**
   * Rule 5: the care-of address (last Alternate CoA, else the IPv6 Source as on the wire) and
   * the Alternate Prefixes' addresses, without duplicates, in that order; never Alice's own
   * addresses nor non-global ones (§1.3, §2.1.1: one scope per entry).
   */
  protected namedAddresses(bu: BindingUpdate, source: Address): Address[] {
    const all = [careOfAddress(bu, source), ...expandAlternatePrefixes(bu, source)];
    const named: Address[] = [];
    for (const a of all) if (!named.includes(a) && isGlobalAddress(a) && !this.isLocal(a)) named.push(a);
    return named;
  }

  protected claimContext(
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

  protected replyTarget(received: ReceivedPacket): { source: Address; homeAddress: Address | null; localAddress: Address } {
    return { source: received.packet.ipv6.source, homeAddress: received.homeAddress, localAddress: received.localAddress };
  }

  /**
   * Rule 12 (§3.4.2 step 3): a Response may hold only its Security sub-option and at most one
   * Alternate CoA (padding is not represented); lifetime 0 is ignored; it must match the
   * live Challenge of its named address in this entry. A match consumes the sequence number
   * (rule 7) and settles the address (rule 13); a mismatch changes nothing.
   */
  protected onResponse(received: ReceivedPacket, entry: EntryRecord, bu: BindingUpdate): void {
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
    const record = this.cache.recordIn(entry, address);
    if (!this.acceptResponse(record, value.value, received.nowMs) || record === undefined) return;
    entry.lastReceivedBuSequence = bu.sequence;
    this.noteCareOf(received, entry, bu);
    this.recordResponse(record, bu.lifetimeSeconds, received.nowMs);
    if (bu.flags.ack) {
      this.sendPlainBa(entry, this.replyTarget(received), BA_STATUS.accepted, bu.sequence, this.grantedLifetimeSeconds(bu.lifetimeSeconds));
    }
  }

  /**
   * A BA under valid AH. A non-zero status is ignored (rule 10). Otherwise it is the peer's
   * acknowledgement (Homeless Support stops, rule 14; an emulated binding with its sequence
   * number is acknowledged, §2.2.2), and a Challenge in it is answered (rule 11).
   */
  protected onBindingAck(received: ReceivedPacket, entry: EntryRecord, ba: BindingAck): void {
    if (ba.status !== BA_STATUS.accepted) return;
    entry.acknowledgedByPeer = true;
    for (const binding of entry.emulatedBindings.values()) if (binding.sequence === ba.sequence) binding.acknowledged = true;
    const challenge = ba.subOptions.find((s) => s.kind === 'security');
    if (challenge === undefined || challenge.kind !== 'security') return;
    this.answerChallenge(entry, challenge.value, received.localAddress, received.packet.ipv6.source, ba.lifetimeSeconds);
  }

  /** A BR under valid AH (rule 1) is answered at once with the periodic BU (rule 16). */
  protected onBindingRequest(received: ReceivedPacket, entry: EntryRecord, br: BindingRequest): void {
    this.sendRefreshBu(entry, received.nowMs);
  }

  /**
   * Rule 20a (Appendix B, behind `buOptimization`): an AH-valid packet from a homeless peer
   * whose IPv6 Source is not in the entry adds it as tentative with `defaultLifetimeSeconds`,
   * challenged per rule 9; the Challenge BA is the BA the appendix requires.
   */
  protected onAppendixB(received: ReceivedPacket, entry: EntryRecord): void {
    if (!this.params.buOptimization || entry.peerKind !== 'homeless' || entry.sa === null) return;
    const source = received.packet.ipv6.source;
    if (!isGlobalAddress(source) || this.isLocal(source) || this.cache.recordIn(entry, source) !== undefined) return;
    const granted = this.grantedLifetimeSeconds(this.params.defaultLifetimeSeconds);
    this.admitNamedAddress(entry, source, this.claimContext(received, entry, entry.lastReceivedBuSequence ?? 0, granted, 'appendix-b'));
  }

  /**
   * Upper-layer data (rule 22, §1.4, §2.3): "the source" is the HAO's address when one passed
   * rule 2, else the IPv6 Source. Under a generic SA it belongs to the SA's entry if active or
   * deprecated there (authenticated); under no or an anonymous SA, to the entry holding it
   * active, else deprecated (never authenticated, §3.4.1); otherwise to no entry.
   */
  protected onData(received: ReceivedPacket): void {
    const upper = received.packet.upper;
    if (upper.kind !== 'udp' && upper.kind !== 'icmpv6') return;
    const attribution = this.attributeData(received);
    if (upper.kind === 'udp') {
      this.deliver({
        entry: attribution.entry,
        proto: 'udp',
        payload: upper.payload,
        authenticated: attribution.authenticated,
        sport: upper.sourcePort,
        dport: upper.destinationPort,
      });
      return;
    }
    this.onIcmp(received, upper.message, attribution);
  }

  protected attributeData(received: ReceivedPacket): { entry: string | null; authenticated: boolean } {
    const source = received.homeAddress ?? received.packet.ipv6.source;
    const sa = received.sa;
    if (sa !== null && this.mayProtectData(sa)) {
      const record = this.cache.recordIn(sa.entry, source);
      if (record !== undefined && (record.status === 'active' || record.status === 'deprecated')) {
        return { entry: sa.entry.id, authenticated: true };
      }
      return { entry: null, authenticated: false };
    }
    const record = this.cache.findWithStatus(source, 'active') ?? this.cache.findWithStatus(source, 'deprecated');
    return { entry: record === undefined ? null : record.entry.id, authenticated: false };
  }

  protected deliver(d: Delivered): void {
    this.delivered.push(d);
  }

  /**
   * ICMPv6 (rule 23): echo requests and replies are delivered (payload = the data after
   * identifier and sequence); an echo request is answered from the address it was sent to,
   * to its IPv6 Source, without the host cache and without AH (§1.4); a Parameter Problem
   * may reveal a legacy peer (rule 15). Other messages change nothing.
   */
  protected onIcmp(received: ReceivedPacket, message: IcmpMessage, attribution: { entry: string | null; authenticated: boolean }): void {
    match(message)
      .with({ type: 'echo-request' }, (m) => {
        this.deliver({ entry: attribution.entry, proto: 'icmp', payload: m.data, authenticated: attribution.authenticated });
        const reply = echoReply({
          source: received.localAddress,
          destination: received.packet.ipv6.source,
          identifier: m.identifier,
          sequence: m.sequence,
          data: m.data,
        });
        this.transmit(reply, null, null);
      })
      .with({ type: 'echo-reply' }, (m) => {
        this.deliver({ entry: attribution.entry, proto: 'icmp', payload: m.data, authenticated: attribution.authenticated });
      })
      .with({ type: 'parameter-problem' }, (m) => this.onParameterProblem(received, m))
      .with({ type: 'destination-unreachable' }, { type: 'other' }, () => undefined)
      .exhaustive();
  }

  /**
   * Rule 15: a Parameter Problem, code 2 (unrecognized IPv6 option), about a Mobile IPv6
   * option in a packet Alice sent to an unknown or standard peer, quoting it byte for byte,
   * makes that peer legacy. Unauthenticated by nature; the quote is the evidence (see
   * `quoteMatches`). Anything else is ignored.
   */
  protected onParameterProblem(received: ReceivedPacket, message: Extract<IcmpMessage, { type: 'parameter-problem' }>): void {
    if (message.code !== PARAMETER_PROBLEM_UNRECOGNIZED_OPTION) return;
    const { source, destination } = received.packet.ipv6;
    for (const entry of this.cache.entries) {
      if (entry.peerKind !== 'unknown' && entry.peerKind !== 'standard') continue;
      if (entry.sentPackets.some((sent) => quoteMatches(sent, message.invoking, message.pointer, source, destination))) {
        this.applyCompatEvent(entry, 'parameter-problem');
        return;
      }
    }
  }
}

/** ICMPv6 Parameter Problem code 2: unrecognized IPv6 option encountered (RFC 4443 §3.4). */
export const PARAMETER_PROBLEM_UNRECOGNIZED_OPTION = 2;

/**
 * The most of a packet an ICMPv6 error can quote: 1280 (the minimum MTU, RFC 4443 §2.4(c))
 * less its own IPv6 (40) and ICMPv6 (8) headers. Linux quotes exactly this much of a longer
 * packet (docs/findings.md, "The Linux kernel as a peer").
 */
export const ICMP_ERROR_QUOTE_BYTES_MAX = 1280 - 40 - 8;

/**
 * Whether a Parameter Problem from `from` to `to`, quoting `invoking` with `pointer`, is about
 * `sent`: it quotes all of it, or its first ICMP_ERROR_QUOTE_BYTES_MAX bytes when longer,
 * byte for byte; it comes from the packet's destination and goes to its source; and its
 * pointer is the type byte of one of the packet's Mobile IPv6 options. What a real node
 * answers always meets this (docs/findings.md); a forger needs the whole packet, AH
 * sequence number and ICV included, not just the few guessable bytes before the option.
 */
export function quoteMatches(sent: SentPacketMemory, invoking: Uint8Array, pointer: number, from: Address, to: Address): boolean {
  const b = sent.bytes;
  if (invoking.length !== Math.min(b.length, ICMP_ERROR_QUOTE_BYTES_MAX)) return false;
  for (let i = 0; i < invoking.length; i++) if (invoking[i] !== b[i]) return false;
  if (from !== bytesToAddress(b, IPV6.offsetDestination) || to !== bytesToAddress(b, IPV6.offsetSource)) return false;
  return pointer < invoking.length && sent.mobileOptionSpans.some(([start]) => pointer === start);
}
