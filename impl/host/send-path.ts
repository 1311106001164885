// Sending (§2.2, HOST.md rules 10, 11, 14–16, 20, 21): which entry, which destination and
// source, the standard-host emulation (§2.2.2, §2.2.3), and every BU and BA Alice sends.

import { makeResponse } from '../crypto/index.js';
import { addressToBytes } from '../wire/index.js';
import type { Address, Packet, RoutingHeader, UpperLayer } from '../wire/types.js';
import type { EntryRecord } from './cache.js';
import { mayUseMobileOptions, sendingRules } from './compat.js';
import {
  addressListBu,
  addressListChunks,
  careOfBu,
  dataPacket,
  plainBa,
  responseBu,
  type EmulationOptions,
} from './packets.js';
import {
  CONNECTIONS_PER_ENTRY_MAX,
  MS_PER_SECOND,
  OPTION_DATA_BYTES_MAX,
  SEQUENCE_MODULUS,
} from './params.js';
import type { SaRecord } from './sa.js';
import { scopeOf } from './scope.js';
import type { SendRequest } from './types.js';
import { VerifyingHost } from './verification.js';

/** Where a packet to a peer goes. */
export interface Route {
  /** The IPv6 Destination as sent. */
  readonly destination: Address;
  /** Its final destination: the home address behind a routing header, else `destination`. */
  readonly finalDestination: Address;
  readonly routing?: RoutingHeader;
}

/** Which of Alice's addresses a packet comes from. */
export interface SourcePlan {
  readonly source: Address;
  /** The connection's emulated home address when it differs from `source` (§2.2.2), else null. */
  readonly home: Address | null;
}

/** ADAPTER-PROTOCOL.md: UDP ports default to 5000 and 5000. */
export const UDP_PORT_DEFAULT = 5000;
/** ADAPTER-PROTOCOL.md: Alice's echo requests carry identifier 0. */
export const ECHO_IDENTIFIER = 0;
const ECHO_SEQUENCE_MODULUS = 0x10000;

/** What the packet of one locally initiated "connection" shares (§2.2.2: per connection). */
export function connectionKey(request: SendRequest): string {
  return request.proto === 'udp'
    ? `udp ${request.sport ?? UDP_PORT_DEFAULT} ${request.dport ?? UDP_PORT_DEFAULT}`
    : `icmp ${ECHO_IDENTIFIER}`;
}

export abstract class SendingHost extends VerifyingHost {
  // ---- Entries, destinations, sources ----------------------------------------------------

  /** Rule 21: the entry holding `to` as active, else as deprecated; null when a new one is needed. */
  protected entryForSend(to: Address): EntryRecord | null {
    const record = this.cache.findWithStatus(to, 'active') ?? this.cache.findWithStatus(to, 'deprecated');
    return record === undefined ? null : record.entry;
  }

  /**
   * Rule 21 (§1.4, §2.2.1): any active address of the entry; the reference uses the last
   * source received if it is still active, else the oldest active one. Never a tentative
   * address (§2.4.1, INV-DATA-TO-ACTIVE), nor a deprecated one (§2.2: all deprecated means
   * unreachable). Toward a standard mobile host: its home address, through a routing header
   * via its care-of address only once that address verified (rule 15a, §2.2.2).
   */
  protected selectDestination(entry: EntryRecord): Route | null {
    if (entry.peerKind === 'standard-mobile') {
      const route = this.standardMobileRoute(entry);
      if (route !== null) return route;
    }
    const last = entry.lastSourceReceived;
    if (last !== null && this.cache.recordIn(entry, last)?.status === 'active') {
      return { destination: last, finalDestination: last };
    }
    for (const r of entry.addresses) {
      if (r.status === 'active') return { destination: r.address, finalDestination: r.address };
    }
    return null;
  }

  /** §2.2.2: "the existence of an address marked as a Care-of-Address forces ... the CoA as the destination". */
  protected standardMobileRoute(entry: EntryRecord): Route | null {
    const home = entry.homeAddress;
    if (home === null || this.cache.recordIn(entry, home)?.status !== 'active') return null;
    const coa = entry.careOfAddress;
    if (coa !== null && coa !== home && this.cache.recordIn(entry, coa)?.status === 'active') {
      return { destination: coa, finalDestination: home, routing: { segmentsLeft: 1, addresses: [home] } };
    }
    return { destination: home, finalDestination: home };
  }

  /**
   * The source of a packet to `entry` (§1.4: of the destination's scope). Toward a homeless
   * peer any address works; the reference uses the oldest. Toward other peers each
   * connection keeps its initial source while Alice has it (§2.2.2 RECOMMENDED: no HAO then);
   * once she has lost it, the oldest address is the care-of address and the initial source
   * stays the emulated home address (an HAO names it), except toward a legacy peer, which
   * cannot take an HAO: its connection moves to the new source (rule 15).
   */
  protected selectSource(entry: EntryRecord, finalDestination: Address, connection: string): SourcePlan | null {
    const oldest = this.oldestLocalOfScope(finalDestination);
    if (oldest === null) return null;
    const rules = sendingRules(entry.peerKind);
    if (!rules.emulateHomeAddress && !rules.keepInitialSource) return { source: oldest, home: null };
    let initial = entry.connections.get(connection);
    if (initial === undefined || (rules.keepInitialSource && !this.isLocal(initial))) {
      initial = oldest;
      this.rememberConnection(entry, connection, initial);
    }
    if (this.isLocal(initial)) return { source: initial, home: null };
    return { source: oldest, home: rules.emulateHomeAddress ? initial : null };
  }

  protected rememberConnection(entry: EntryRecord, connection: string, initial: Address): void {
    entry.connections.delete(connection);
    entry.connections.set(connection, initial);
    if (entry.connections.size > CONNECTIONS_PER_ENTRY_MAX) {
      const oldest = entry.connections.keys().next();
      if (oldest.done !== true) entry.connections.delete(oldest.value);
    }
  }

  /**
   * §3.4.1, §2.4.3: a generic SA may protect anything; an anonymous SA only BUs and BAs, so
   * data under it is neither sent nor ever reported as authenticated (INV-ANON-SCOPE).
   */
  protected mayProtectData(sa: SaRecord): boolean {
    return sa.config.kind === 'generic';
  }

  /** The sequence number of Alice's next BU to this peer (WIRE.md: from 1, modulo 2^16). */
  protected takeBuSequence(entry: EntryRecord): number {
    const n = entry.nextSentBuSequence;
    entry.nextSentBuSequence = (n + 1) % SEQUENCE_MODULUS;
    return n;
  }

  /** §3.1, rule 14: Homeless Support stays in Alice's BUs to a peer until its first BA. */
  protected homelessSupportFor(entry: EntryRecord): boolean {
    return !entry.acknowledgedByPeer;
  }

  // ---- Data -------------------------------------------------------------------------------

  /**
   * `send` (rule 21): returns false when nothing could be sent (the adapter's `unreachable`):
   * no entry could be created (`foreignEntriesCountMax`, rule 8), the entry has no active
   * address (§2.2), or Alice has no address of its scope.
   */
  protected sendData(request: SendRequest, nowMs: number): boolean {
    let entry = this.entryForSend(request.to);
    if (entry === null) {
      if (!this.enforceBounds({ kind: 'entry' })) return false;
      entry = this.createEntryForPeer(request.to, nowMs, 'send');
      const first = this.cache.recordIn(entry, request.to);
      if (first !== undefined) this.recheckFirstAddress(first, nowMs);
    }
    const route = this.selectDestination(entry);
    if (route === null) return false;
    const plan = this.selectSource(entry, route.finalDestination, connectionKey(request));
    if (plan === null) return false;
    const upper: UpperLayer =
      request.proto === 'udp'
        ? {
            kind: 'udp',
            sourcePort: request.sport ?? UDP_PORT_DEFAULT,
            destinationPort: request.dport ?? UDP_PORT_DEFAULT,
            payload: request.payload,
          }
        : {
            kind: 'icmpv6',
            message: { type: 'echo-request', identifier: ECHO_IDENTIFIER, sequence: this.takeEchoSequence(), data: request.payload },
          };
    const dataSa = entry.sa !== null && this.mayProtectData(entry.sa) ? entry.sa : null;
    let emulation: EmulationOptions | undefined;
    if (plan.home !== null && mayUseMobileOptions(entry.peerKind)) {
      const bu = this.emulationBu(entry, plan.home, plan.source);
      if (bu !== null && dataSa === null && entry.sa !== null) {
        // An anonymous SA protects BUs only (§3.4.1): the BU goes alone, before the data.
        const buOnly = dataPacket({ ...route, source: plan.source, emulation: { home: plan.home, bu }, upper: { kind: 'none' } });
        this.transmit(buOnly, entry.sa, entry);
        emulation = { home: plan.home, bu: null };
      } else {
        emulation = { home: plan.home, bu };
      }
    }
    const packet: Packet = dataPacket({ ...route, source: plan.source, emulation, upper });
    this.transmit(packet, dataSa, entry);
    return true;
  }

  protected takeEchoSequence(): number {
    this.echoSequence = (this.echoSequence + 1) % ECHO_SEQUENCE_MODULUS;
    return this.echoSequence;
  }

  /**
   * §2.2.2/§2.2.3: while the source differs from the emulated home address, Alice "MUST keep
   * sending Binding Updates until a Binding Acknowledgement is received" for that care-of
   * address. Null when the binding is acknowledged or there is no SA to protect a BU.
   */
  protected emulationBu(entry: EntryRecord, home: Address, careOf: Address): EmulationOptions['bu'] {
    if (entry.sa === null) return null;
    const binding = entry.emulatedBindings.get(home);
    if (binding !== undefined && binding.careOf === careOf && binding.acknowledged) return null;
    const sequence = this.takeBuSequence(entry);
    entry.emulatedBindings.delete(home);
    entry.emulatedBindings.set(home, { careOf, sequence, acknowledged: false });
    if (entry.emulatedBindings.size > CONNECTIONS_PER_ENTRY_MAX) {
      const oldest = entry.emulatedBindings.keys().next();
      if (oldest.done !== true) entry.emulatedBindings.delete(oldest.value);
    }
    return {
      sequence,
      lifetimeSeconds: this.params.defaultLifetimeSeconds,
      ack: true,
      // §3.2.3: toward a peer known not to be homeless, no homeless sub-option.
      homelessSupport: entry.peerKind === 'unknown' && this.homelessSupportFor(entry),
    };
  }

  // ---- Binding Updates --------------------------------------------------------------------

  /**
   * Rule 14 (§2.2.4, §3.2.1, Appendix A): on `addSA`, the Initial BU to `peer`, from Alice's
   * oldest address of its scope, HAO = that source, A bit, `defaultLifetimeSeconds`,
   * Homeless Support, Alternate Prefixes naming her other global addresses. It starts the
   * compatibility probe (rule 15).
   */
  protected sendInitialBu(entry: EntryRecord, peer: Address, nowMs: number): void {
    if (entry.sa === null || !mayUseMobileOptions(entry.peerKind)) return;
    const source = this.oldestLocalOfScope(peer);
    if (source === null) return;
    this.sendAddressList(entry, { destination: peer, finalDestination: peer }, source, true, true);
    if (entry.peerKind === 'unknown') entry.probeDeadlineMs = nowMs + this.params.compatProbeTimeoutMs;
  }

  /**
   * Rule 16: the periodic BU (no A bit) naming all Alice's global addresses, also the answer
   * to a BR. Its lifetime is `defaultLifetimeSeconds` (a choice: HOST.md leaves it open).
   * Toward a standard peer it refreshes each emulated binding instead (§2.2.2), in strict
   * draft-13 form; toward a legacy peer nothing is sent.
   */
  protected sendRefreshBu(entry: EntryRecord, nowMs: number): void {
    if (entry.sa === null) return;
    const format = sendingRules(entry.peerKind).buFormat;
    if (format === 'none') return;
    const route = this.selectDestination(entry);
    if (route === null) return;
    if (format === 'mipv6') {
      for (const [home, binding] of entry.emulatedBindings) {
        if (home === binding.careOf || !this.isLocal(binding.careOf)) continue;
        const bu = { sequence: this.takeBuSequence(entry), lifetimeSeconds: this.params.defaultLifetimeSeconds, ack: false, homelessSupport: false };
        binding.sequence = bu.sequence;
        this.transmit(dataPacket({ ...route, source: binding.careOf, emulation: { home, bu }, upper: { kind: 'none' } }), entry.sa, entry);
      }
      return;
    }
    const source = this.oldestLocalOfScope(route.finalDestination);
    if (source === null) return;
    this.sendAddressList(entry, route, source, false, format === 'initial');
  }

  /** BUs from `source` naming it and all Alice's other global addresses, split to fit (WIRE.md). */
  protected sendAddressList(entry: EntryRecord, route: Route, source: Address, ack: boolean, hao: boolean): void {
    const sa = entry.sa;
    if (sa === null) return;
    const homelessSupport = this.homelessSupportFor(entry);
    const others = this.localGlobalAddresses().filter((a) => a !== source);
    for (const chunk of addressListChunks(source, others, homelessSupport, OPTION_DATA_BYTES_MAX)) {
      const packet = addressListBu({
        source,
        destination: route.destination,
        sequence: this.takeBuSequence(entry),
        lifetimeSeconds: this.params.defaultLifetimeSeconds,
        ack,
        homelessSupport,
        others: chunk,
        hao,
      });
      this.transmit(packet, sa, entry);
    }
    entry.announced = new Set([source, ...others]);
  }

  /**
   * Rule 20 (§2.1.2, §2.2.1): Alice learned `address`. To each peer entry with an SA and an
   * active address that takes homeless BUs, a BU (A bit) naming it in an Alternate CoA, from
   * an address already registered there (the oldest); with none registered, from the new
   * address itself. Standard peers learn of it through the emulation when it is used.
   */
  protected announceAddress(address: Address, nowMs: number): void {
    for (const entry of this.cache.entries) {
      const sa = entry.sa;
      const format = sendingRules(entry.peerKind).buFormat;
      if (sa === null || (format !== 'homeless' && format !== 'initial')) continue;
      const route = this.selectDestination(entry);
      if (route === null || scopeOf(route.finalDestination) !== scopeOf(address)) continue;
      const scope = scopeOf(address);
      const registered = this.local.find((a) => a !== address && entry.announced.has(a) && scopeOf(a) === scope);
      const homelessSupport = this.homelessSupportFor(entry);
      const sequence = this.takeBuSequence(entry);
      const lifetimeSeconds = this.params.defaultLifetimeSeconds;
      const packet =
        registered !== undefined
          ? careOfBu({ source: registered, destination: route.destination, sequence, lifetimeSeconds, ack: true, homelessSupport, careOf: address, hao: format === 'initial' ? registered : null })
          : addressListBu({ source: address, destination: route.destination, sequence, lifetimeSeconds, ack: true, homelessSupport, others: [], hao: format === 'initial' });
      this.transmit(packet, sa, entry);
      entry.announced.add(address);
    }
  }

  /**
   * Rule 20 (§2.1.2 MUST, §2.2.1): Alice lost `address`. To each such peer, a deleting BU
   * (lifetime 0, A bit) naming it in an Alternate CoA, from a remaining address of its
   * scope; nothing when none remains. Emulated bindings on it are forgotten: the next packet
   * from another source registers a new care-of address.
   */
  protected withdrawAddress(address: Address, nowMs: number): void {
    for (const entry of this.cache.entries) {
      const told = [...entry.announced];
      entry.announced.delete(address);
      for (const [home, binding] of [...entry.emulatedBindings]) if (binding.careOf === address) entry.emulatedBindings.delete(home);
      const sa = entry.sa;
      const format = sendingRules(entry.peerKind).buFormat;
      if (sa === null || (format !== 'homeless' && format !== 'initial')) continue;
      const route = this.selectDestination(entry);
      if (route === null || scopeOf(route.finalDestination) !== scopeOf(address)) continue;
      const source = this.oldestLocalOfScope(route.finalDestination);
      if (source === null) continue;
      const packet = careOfBu({
        source,
        destination: route.destination,
        sequence: this.takeBuSequence(entry),
        lifetimeSeconds: 0,
        ack: true,
        homelessSupport: this.homelessSupportFor(entry),
        careOf: address,
        hao: format === 'initial' ? this.deletionHomeAddress(told, source, address) : null,
      });
      this.transmit(packet, sa, entry);
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
  protected deletionHomeAddress(told: readonly Address[], source: Address, lost: Address): Address {
    const lostAt = told.indexOf(lost);
    const sourceAt = told.indexOf(source);
    return lostAt !== -1 && (sourceAt === -1 || lostAt < sourceAt) ? lost : source;
  }

  // ---- Binding Acknowledgements and Responses --------------------------------------------

  /**
   * Rule 10: a plain BA to the packet's source when that address is active or deprecated in
   * the entry, else to the HAO's address, else nowhere (never to an unverified address,
   * INV-AMPLIFICATION). From the address the BU arrived at.
   */
  protected sendPlainBa(
    entry: EntryRecord,
    received: { source: Address; homeAddress: Address | null; localAddress: Address },
    status: number,
    sequence: number,
    lifetimeSeconds: number,
  ): void {
    const sa = entry.sa;
    if (sa === null || !mayUseMobileOptions(entry.peerKind)) return;
    const known = this.cache.recordIn(entry, received.source);
    const destination =
      known !== undefined && (known.status === 'active' || known.status === 'deprecated') ? received.source : received.homeAddress;
    if (destination === null) return;
    const source = this.isLocal(received.localAddress) ? received.localAddress : this.oldestLocalOfScope(destination);
    if (source === null) return;
    this.transmit(plainBa({ source, destination, status, sequence, lifetimeSeconds }), sa, entry);
  }

  /**
   * Rule 11 (§3.4.2 step 2): every host answers a Challenge. ADDR is the BA's destination as
   * it arrived; the Response BU goes to the BA's source with the BA's lifetime, Alice's next
   * sequence number, flags clear, no HAO, under the same SA; from ADDR while Alice has it
   * (first form), else from another address with an Alternate CoA (second form).
   */
  protected answerChallenge(entry: EntryRecord, challenge: Uint8Array, checked: Address, baSource: Address, lifetimeSeconds: number): void {
    const sa = entry.sa;
    if (sa === null || !mayUseMobileOptions(entry.peerKind)) return;
    const source = this.responseSource(checked, baSource);
    if (source === null) return;
    const response = makeResponse(sa.config.alg, sa.config.key, challenge, addressToBytes(checked));
    const packet = responseBu({
      source,
      destination: baSource,
      sequence: this.takeBuSequence(entry),
      lifetimeSeconds,
      checked,
      response,
    });
    this.transmit(packet, sa, entry);
  }

  /** Rule 11: ADDR itself while Alice has it, else her oldest address of the verifier's scope. */
  protected responseSource(checked: Address, verifier: Address): Address | null {
    return this.isLocal(checked) ? checked : this.oldestLocalOfScope(verifier);
  }

  /** Rule 16: when the next periodic BU to an entry with an SA is due. */
  protected scheduleRefresh(entry: EntryRecord, fromMs: number): void {
    entry.nextRefreshMs = fromMs + this.params.bindingRefreshSeconds * MS_PER_SECOND;
  }
}
