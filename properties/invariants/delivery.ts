// INV-DELIVERY (DESIGN.md's row and its decision "INV-DELIVERY"; HOST.md rules 2, 22, 23;
// WIRE.md; R2.3.1-1): Alice delivers upper-layer data only from packets those rules let
// through, attributed and marked `authenticated` as rule 22 says, each datagram at most once.
//
// Black-box, from each `receive` and the independent ground truth (properties/truth: its own
// header walk, checksums and AH verdict, never Alice's nor impl/'s):
// - at most one delivered item per `receive`, and at most one per (SA, AH sequence number);
// - nothing from a packet that is dropped: undecodable, a bad UDP/ICMPv6 checksum, an unknown
//   option whose action bits are not 00, failing AH (unknown SPI, bad ICV, replayed or zero
//   sequence number), a final destination or routing-header address that is not Alice's
//   (rule 22), or an HAO without valid AH outside rule 2's standard-mobile exception;
// - ICMP only as rule 23 says (echo requests and replies), and what is delivered is what the
//   packet carries (protocol, ports, payload);
// - `authenticated: true` only under a fresh valid AH of a generic SA, and then with an entry.
// - what a packet no rule drops is owed, where the world proves it: its data, without HAO, from
//   a global unicast source, is delivered (rule 2; a packet without AH at its first arrival
//   only); data without AH whose HAO
//   names a home address the world proves recorded for a standard-mobile peer is delivered
//   (rule 2's exception; standard-mobile-homes.ts), and an echo request without HAO from a
//   global unicast source is answered in that call from its final destination to its IPv6
//   Source, with its identifier, sequence number and data (rule 23).
// With `state` (which may convict, never excuse) it also judges what needs Alice's cache: an HAO
// under valid AH must name an active or deprecated address of the SA's entry (rule 2); the
// standard-mobile exception needs a standard-mobile entry with that home address; entry ids
// and `authenticated` follow rule 22 wherever the state before and after the call agree.
// AH-less data the network duplicated may be delivered twice (nothing here forbids it).

import type { HostState } from '../../impl/host/types.js';
import { isGlobalAddress } from '../../impl/wire/index.js';
import type { Address } from '../../impl/wire/types.js';
import { arrivalFacts, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, type ArrivalFacts } from '../truth/index.js';
import type { AliceEvent, JsonDelivered, ReceiveEvent, Trace } from '../world/types.js';
import { provenStandardMobileHomes } from './standard-mobile-homes.js';
import { aliceAddressesAtReceives, aliceCalls, entryForSa, hexBytes, packet } from './trace-view.js';

export { aliceAddressesAtReceives, hexBytes } from './trace-view.js';
import { fail, pass, type Property, type Verdict } from './types.js';

const ID = 'INV-DELIVERY';

/** AH verdicts of the ground truth under which the whole packet is dropped (HOST.md rule 2). */
const FAILING_AH: ReadonlySet<string> = new Set(['bad-icv', 'unknown-spi', 'replay', 'bad-sequence']);

function toHexText(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** Why rules 2, 22, 23 and WIRE.md drop the packet whatever Alice's cache holds, or null. */
function dropReason(
  event: ReceiveEvent,
  facts: ArrivalFacts | null,
  mine: ReadonlySet<Address>,
  authenticatedHomes: ReadonlySet<Address>,
  hasState: boolean,
): string | null {
  const truth = event.truth;
  if (truth.ah === 'undecodable' || facts === null) return 'it does not decode (docs/wire-format.md)';
  if (facts.checksumValid === false) return 'its UDP/ICMPv6 checksum is wrong (docs/wire-format.md)';
  if (facts.discardingUnknownOption)
    return 'it carries an unknown option whose action bits are not 00 (RFC 2460 §4.2, docs/wire-format.md)';
  if (!mine.has(facts.destination)) return `its destination ${facts.destination} is not Alice's (rule 22)`;
  const foreign = facts.routing.find((a) => !mine.has(a));
  if (foreign !== undefined) return `its routing header names ${foreign}, which is not Alice's (rule 22, RFC 5095)`;
  if (FAILING_AH.has(truth.ah))
    return `its AH fails (${truth.ah}${truth.sa !== null ? `, SA ${truth.sa}` : ''}; rule 2)`;
  // Rule 2's exception: a standard-mobile peer's recorded home address, which Alice can only
  // have learnt from an authenticated HAO (rule 15). With state the exception is judged exactly.
  if (
    facts.hao &&
    truth.ah === 'none' &&
    !hasState &&
    (facts.homeAddress === null || !authenticatedHomes.has(facts.homeAddress))
  ) {
    return `it carries an HAO (${facts.homeAddress ?? 'malformed'}) without AH, and no authenticated packet ever named that home address (rule 2, R2.3.1-1)`;
  }
  return null;
}

/** Upper-layer data Alice hands to her application when the packet is let through: UDP, or an echo (rule 23). */
function deliverable(facts: ArrivalFacts): boolean {
  const u = facts.upper;
  return (
    facts.checksumValid === true &&
    (u.kind === 'udp' || (u.kind === 'icmp' && (u.type === ICMP_ECHO_REQUEST || u.type === ICMP_ECHO_REPLY)))
  );
}

/**
 * What a packet that no rule drops owes, black-box (null: nothing, or it was done):
 * - rule 2: its data (UDP or an echo) without HAO, from a global unicast source, is delivered,
 *   without AH only at the first arrival of those bytes;
 * - rule 2's exception: data without AH whose HAO names the home address the world proves
 *   recorded for a standard-mobile peer (standard-mobile-homes.ts) is delivered;
 * - rule 23: an echo request without HAO, without AH or under a valid one, from a global
 *   unicast source, is answered in the same call from the address it was sent to (its final
 *   destination, RFC 2460 §8.1) to its IPv6 Source, with its identifier, sequence number and data.
 */
function owedProblem(
  trace: Trace,
  event: ReceiveEvent,
  facts: ArrivalFacts | null,
  mine: ReadonlySet<Address>,
  authenticatedHomes: ReadonlySet<Address>,
  provenHomes: ReadonlySet<Address> | undefined,
): string | null {
  const truth = event.truth;
  if (facts === null || (truth.ah !== 'none' && truth.ah !== 'valid')) return null;
  if (dropReason(event, facts, mine, authenticatedHomes, false) !== null || !deliverable(facts)) return null;
  if (facts.hao) {
    const home = facts.homeAddress;
    if (truth.ah !== 'none' || home === null || provenHomes?.has(home) !== true || event.delivered.length > 0)
      return null;
    return `delivered nothing from data without AH whose HAO names ${home}, the home address recorded for a standard mobile peer since its authenticated HAO (rule 2's exception: delivered unauthenticated)`;
  }
  // Rule 2: data in a packet no rule drops is delivered (without AH the signalling in it is
  // ignored and the data still delivered; under a valid AH both are processed); rule 23: echo
  // requests and replies too. Owed once, in that call, from a global unicast source (rule 5's sense: only garbage
  // carries another), and for a packet without AH only at its first arrival: a copy the network
  // duplicated may be delivered again, or not (nothing tells copies apart, nor asks for both).
  if (event.delivered.length === 0 && isGlobalAddress(facts.source)) {
    const bytes = trace.packets[event.input].hex;
    const copy = truth.ah === 'none' && arrivedBefore(trace, event, bytes);
    if (!copy)
      return `delivered nothing from ${facts.upper.kind === 'udp' ? 'a UDP datagram' : 'an echo'} that no rule drops (rule 2: the upper-layer data of a packet let through is delivered${truth.ah === 'none' ? ', unauthenticated' : ''}; rule 23 for echoes)`;
  }
  // Only toward a global unicast source (rule 5's sense): a host may well answer no multicast,
  // unspecified or link-local source, which only garbage carries here.
  if (facts.upper.kind !== 'icmp' || facts.upper.type !== ICMP_ECHO_REQUEST || !isGlobalAddress(facts.source))
    return null;
  const request = trace.packets[event.input].info;
  const replies = event.sent.map((id) => trace.packets[id]).filter((r) => r.info.upper === 'echo-reply');
  if (replies.length === 0)
    return `did not answer an echo request that no rule drops (rule 23: answered from ${facts.finalDestination}, the address it was sent to, to its IPv6 Source ${facts.source})`;
  for (const r of replies) {
    const where = `#${r.id} ${r.summary}`;
    if (r.info.source !== facts.finalDestination || r.info.destination !== facts.source)
      return `answered an echo request with ${where}, from ${r.info.source ?? '?'} to ${r.info.destination ?? '?'} (rule 23: from ${facts.finalDestination}, the address it was sent to, to its IPv6 Source ${facts.source})`;
    if (
      r.info.echo?.identifier !== request.echo?.identifier ||
      r.info.echo?.sequence !== request.echo?.sequence ||
      r.info.payload !== request.payload
    )
      return `answered an echo request with ${where}, whose identifier, sequence number or data are not the request's (rule 23)`;
  }
  return null;
}

/** Whether the bytes `event` hands Alice reached her before, in an earlier `receive` (per trace, computed once). */
const FIRST_ARRIVAL = new WeakMap<Trace, Map<string, AliceEvent>>();
function arrivedBefore(trace: Trace, event: AliceEvent, bytes: string): boolean {
  let first = FIRST_ARRIVAL.get(trace);
  if (first === undefined) {
    first = new Map();
    for (const step of trace.steps)
      for (const e of step.events) {
        if (e.kind !== 'alice' || e.op !== 'receive' || e.input === undefined) continue;
        const hex = trace.packets[e.input].hex;
        if (!first.has(hex)) first.set(hex, e);
      }
    FIRST_ARRIVAL.set(trace, first);
  }
  const at = first.get(bytes);
  return at !== undefined && at !== event;
}

/** Entries of `state` holding `address` as active, else as deprecated (rule 22's attribution). */
function holders(state: HostState | undefined, address: Address): (string | null)[] {
  const entries = state?.entries ?? [];
  const active = entries.filter((e) => e.addresses.some((a) => a.address === address && a.status === 'active'));
  if (active.length > 0) return active.map((e) => e.id);
  const deprecated = entries.filter((e) => e.addresses.some((a) => a.address === address && a.status === 'deprecated'));
  return deprecated.length > 0 ? deprecated.map((e) => e.id) : [null];
}

function activeOrDeprecated(state: HostState | undefined, entryId: string | undefined, address: Address): boolean {
  const entry = state?.entries.find((e) => e.id === entryId);
  return (
    entry?.addresses.some((a) => a.address === address && (a.status === 'active' || a.status === 'deprecated')) ?? false
  );
}

/** Whether `d` is what the packet carries: UDP with its ports and payload, or an echo's data (rule 23). */
function contentMismatch(d: JsonDelivered, facts: ArrivalFacts): string | null {
  const u = facts.upper;
  if (d.proto === 'udp') {
    if (u.kind !== 'udp')
      return `delivered UDP from a packet whose upper layer is ${u.kind === 'icmp' ? `ICMPv6 type ${u.type}` : u.kind}`;
    if (d.payload !== toHexText(u.payload))
      return `delivered UDP payload ${d.payload}, the packet carries ${toHexText(u.payload)}`;
    if (
      (d.sport !== undefined && d.sport !== u.sourcePort) ||
      (d.dport !== undefined && d.dport !== u.destinationPort)
    ) {
      return `delivered ports ${d.sport ?? '-'} → ${d.dport ?? '-'}, the packet carries ${u.sourcePort} → ${u.destinationPort}`;
    }
    return null;
  }
  if (u.kind !== 'icmp' || (u.type !== ICMP_ECHO_REQUEST && u.type !== ICMP_ECHO_REPLY)) {
    return `delivered ICMP from a packet that is no echo request or reply (${u.kind === 'icmp' ? `ICMPv6 type ${u.type}` : u.kind}; rule 23)`;
  }
  if (d.payload !== toHexText(u.data))
    return `delivered echo data ${d.payload}, the packet carries ${toHexText(u.data)} (rule 23)`;
  return null;
}

function check(trace: Trace): Verdict {
  const hasState = trace.alice.features.includes('state');
  const addresses = aliceAddressesAtReceives(trace);
  const sasByName = new Map(trace.sas.map((s) => [s.name, s]));
  /** Home addresses of HAOs in packets whose AH verified (rule 15 records only those). */
  const authenticatedHomes = new Set<Address>();
  /** (SA, AH sequence number) pairs that already gave a delivery. */
  const deliveredUnder = new Set<string>();
  /** Rule 2's exception, as the world proves it (standard-mobile-homes.ts). */
  const provenHomes = provenStandardMobileHomes(trace);
  let judged = 0;
  for (const call of aliceCalls(trace)) {
    const { event, before, after } = call;
    if (event.op !== 'receive' || event.invalid === true) continue;
    judged += 1;
    const truth = event.truth;
    const p = packet(trace, event.input);
    const where = `#${p.id} ${p.summary}`;
    const facts = arrivalFacts(hexBytes(p.hex));
    const mine = addresses.get(event) ?? new Set<Address>();
    const delivered = event.delivered;
    if (delivered.length > 1)
      return fail(ID, call.step, `Alice delivered ${delivered.length} items from one packet: ${where}`);
    const owed = owedProblem(trace, event, facts, mine, authenticatedHomes, provenHomes.get(event));
    if (owed !== null) return fail(ID, call.step, `Alice ${owed}: ${where}`);
    const d = delivered[0];
    if (d !== undefined) {
      const why = dropReason(event, facts, mine, authenticatedHomes, hasState);
      if (why !== null || facts === null)
        return fail(
          ID,
          call.step,
          `Alice delivered data from a packet she must drop: ${why ?? 'it does not decode'}: ${where}`,
        );
      const content = contentMismatch(d, facts);
      if (content !== null) return fail(ID, call.step, `Alice ${content}: ${where}`);
      const generic = truth.ah === 'valid' && truth.saKind === 'generic';
      if (d.authenticated && !generic)
        return fail(
          ID,
          call.step,
          `Alice reported data as authenticated with AH ${truth.ah}${truth.saKind !== null ? ` under the ${truth.saKind} SA ${truth.sa}` : ''} (rule 22): ${where}`,
        );
      if (d.authenticated && d.entry === null)
        return fail(
          ID,
          call.step,
          `Alice reported data as authenticated but attributed to no entry (rule 22): ${where}`,
        );
      if (facts.ah !== null && truth.sa !== null) {
        const key = `${truth.sa}|${facts.ah.sequence}`;
        if (deliveredUnder.has(key))
          return fail(
            ID,
            call.step,
            `Alice delivered a second datagram under SA ${truth.sa} with AH sequence number ${facts.ah.sequence}: ${where}`,
          );
        deliveredUnder.add(key);
      }
      if (hasState) {
        const why = stateReason(
          d,
          facts,
          truth.ah === 'valid' ? sasByName.get(truth.sa ?? '') : undefined,
          generic,
          before,
          after,
        );
        if (why !== null) return fail(ID, call.step, `Alice ${why}: ${where}`);
      }
    }
    if (truth.ah === 'valid' && facts?.homeAddress !== null && facts?.homeAddress !== undefined)
      authenticatedHomes.add(facts.homeAddress);
  }
  return pass(judged);
}

/**
 * What the state before and after the call proves about one delivered item (rules 2, 22). A
 * verdict is given only where both states agree, so the packet's own effect (a Response that
 * activates its source, a BU deleting it) never convicts.
 */
function stateReason(
  d: JsonDelivered,
  facts: ArrivalFacts,
  sa: Trace['sas'][number] | undefined,
  generic: boolean,
  before: HostState | undefined,
  after: HostState | undefined,
): string | null {
  const entryOf = (s: HostState | undefined): string | undefined =>
    sa === undefined ? undefined : entryForSa(s, sa)?.id;
  if (facts.hao) {
    const home = facts.homeAddress;
    if (home === null) return 'delivered data from a packet with a malformed HAO';
    if (sa !== undefined) {
      // Rule 2: under valid AH the HAO must name an active or deprecated address of the SA's entry.
      if (!activeOrDeprecated(before, entryOf(before), home) && !activeOrDeprecated(after, entryOf(after), home)) {
        return `delivered data from a packet whose HAO ${home} is not an active or deprecated address of SA ${sa.name}'s entry (rule 2)`;
      }
    } else {
      // Rule 2's exception: only a standard-mobile peer's recorded home address passes without AH.
      const exempt = (s: HostState | undefined): boolean =>
        s?.entries.some((e) => e.peerKind === 'standard-mobile' && e.homeAddress === home) ?? false;
      if (!exempt(before) && !exempt(after))
        return `delivered data from a packet with an HAO (${home}) and no valid AH, which no standard-mobile entry records as its home address (rule 2, R2.3.1-1)`;
    }
  }
  const source = facts.homeAddress ?? facts.source;
  if (generic && sa !== undefined) {
    const known = [before, after].map((s) => activeOrDeprecated(s, entryOf(s), source));
    const ids = [entryOf(before), entryOf(after)];
    const isSaEntry = d.entry !== null && ids.includes(d.entry);
    if (known[0] && known[1] && (!d.authenticated || !isSaEntry)) {
      return `delivered data under SA ${sa.name} from ${source}, active or deprecated in its entry ${ids[0] ?? '?'}, as entry ${d.entry ?? 'null'}, authenticated ${d.authenticated} (rule 22: that entry, authenticated)`;
    }
    if (!known[0] && !known[1] && (d.authenticated || d.entry !== null)) {
      return `delivered data under SA ${sa.name} from ${source}, not active or deprecated in its entry, as entry ${d.entry ?? 'null'}, authenticated ${d.authenticated} (rule 22: no entry, unauthenticated)`;
    }
    if (d.authenticated && !isSaEntry)
      return `delivered authenticated data under SA ${sa.name} as entry ${d.entry ?? 'null'}, not the SA's entry (rule 22)`;
    return null;
  }
  // Without AH or under an anonymous SA: the entry holding the source as active, else deprecated.
  const allowed = [...holders(before, source), ...holders(after, source)];
  if (!allowed.includes(d.entry))
    return `attributed data from ${source} to entry ${d.entry ?? 'null'}; rule 22 gives ${[...new Set(allowed)].map((x) => x ?? 'null').join(' or ')}`;
  return null;
}

export const delivery: Property = {
  id: ID,
  needs: 'black-box',
  summary:
    "delivers data only from packets rules 2, 22 and 23 let through, attributed and authenticated as rule 22 says, each datagram at most once; delivers under rule 2's standard-mobile exception and answers echo requests (rule 23) where the world proves it owed",
  situation: 'packet received',
  // A quarter of what the reference host reaches at the defaults (hmip6 check --seed 1 to 5: 21.7 to 25.1 per run).
  judgedPerRun: 5.5,
  check,
};
