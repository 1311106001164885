// LIVE-COMPAT (§2.2.2, §2.2.3, §3.2.3; HOST.md rules 15 and 15a): toward a standard MIPv6 peer
// (Sam, a draft-13 mobile node) Alice sends MIPv6-valid packets, and toward a legacy peer
// (Lee, which rejects Mobile IPv6 options) she sends none and keeps her source. Black-box,
// on every packet Alice sends toward Sam (under Sam's SA; without AH, to an address Sam ever
// had):
// (a) data of a connection (UDP ports, or ICMPv6 echo, of one sending entry: below) whose
//     source differs from that connection's initial source (its first packet's HAO, else
//     source) carries an HAO naming the initial source (§2.2.2: "MUST include a Home Address
//     Destination Option");
// (b) a packet carrying a BU carries an HAO (draft-13 §5.1, which §3.2.1 keeps);
// (c) BUs until a BA, for data under Sam's SA: a call that sends such data from source S with
//     home H also sends Sam a BU from S with HAO H, unless Sam has already acknowledged (a BA
//     with status 0 that reached Alice under Sam's SA) a BU Alice sent from S with HAO H
//     (§2.2.2: "MUST keep sending Binding Updates until a Binding Acknowledgement is
//     received");
// (d) a routing header only toward a verified care-of address: its IPv6 Destination must be
//     an address for which a correct Response from Sam reached Alice (Sam never answers, so
//     never; HOST.md rule 15a).
// The emulation's state (a connection's initial source, the bindings Sam acknowledged)
// belongs to the peer entry that sends (HOST.md rules 15 and 21 work per entry, and a new
// entry starts fresh, of unknown kind), so a connection is keyed by its sending entry, as far
// as the packets tell:
// - under Sam's SA: the SA's entry, which lives as long as the SA (rule 18);
// - without AH, to Sam's address X: an entry without an SA that Alice's `send` made (rule 21:
//   data goes under AH when the entry's SA is generic, and Sam's is), once X was in no entry
//   as active or deprecated: X had left the SA's entry (it expired there and was removed,
//   rules 16, 17), or Sam moved to X and Alice had not heard of it. That entry holds X active
//   for defaultLifetimeSeconds from its creation, by the `send` of its first packet, and never
//   longer (no SA: nothing refreshes it, rule 4); then the entry sends nothing (rule 21, §2.2:
//   no active address, unreachable) until X is removed from it. So packets without AH to X
//   less than defaultLifetimeSeconds after such an entry's first packet are that entry's,
//   and a later one opens a new entry's.
// Such an entry cannot send a BU (no SA to protect it, §2.2.2, rule 1), so (c) judges data
// under Sam's SA only.
// Toward every peer, on every packet Alice sends under one of her SAs:
// (b') a BU that is no Response (a Response carries the Security sub-option and no HAO,
//     HOST.md rule 11) carries an HAO unless an authenticated BU or BR with Homeless Support
//     reached her under that SA before (§3.2.1: toward a host not known to be homeless a BU
//     goes in the Initial BU's form, with MIPv6's HAO; §3.2.2 drops it only toward one known
//     to be homeless). It is lenient where the world cannot tell what Alice made of a packet:
//     any authentic Homeless Support counts, even in a packet she rightly dropped.
// Toward every standard mobile peer, with `state` (standard-mobile-route.ts):
// (f) data for an entry Alice shows `standard-mobile` with its home address H active goes to
//     H, through a routing header via its care-of address C when C is active there and
//     verified (§2.2.2 R2.2.2-1 MUST, HOST.md rule 15a): to C with a routing header [H];
//     else straight to H.
// (No Homeless Support toward a peer known not to be homeless, §3.2.3's lowercase "must" that
// rules 14-16 fix, is REFINES-SIGNALLING's part (h), standard-peer-bu.ts: a host-rules matter,
// judged once.)
// Toward Lee, once Lee's Parameter Problem has reached Alice:
// (e) no HAO, BU, BA or BR, and the source is the initial source toward Lee while Alice
//     still has it (rule 15: "keeps each connection on its initial source address").
// Echo replies are no connection's (rule 23: answered from the address the request was sent
// to, without the host cache): they neither set an initial source nor are held to one.
// Rule 15 makes a peer *entry* legacy: the one that sent the packet the Parameter Problem
// quotes. So (e) judges the packets of that entry only. A packet under Lee's SA comes from
// the SA's entry, which stays legacy (only Lee's authenticated signalling could move it, and
// Lee sends none). A packet without AH to Lee's address comes from an entry without an SA
// that Alice's `send` made (rule 21: data goes under AH when the entry's SA is generic, and
// Lee's is), once Lee's address had left the SA's entry (it expired there and was removed,
// rules 16, 17): a new entry, of unknown kind, which only a Parameter Problem quoting one of
// its own packets makes legacy. Such an entry holds the address from its creation c, active
// for defaultLifetimeSeconds (never refreshed without an SA, rule 4), then deprecated for
// maximumExpiredLifetimeSeconds; a quoted packet sent at tP (while active, so c >
// tP - defaultLifetimeSeconds) shows it alive until after tP + maximumExpiredLifetimeSeconds,
// and no later entry can send to the address before then: packets without AH to it are
// judged until that instant.

import { MS_PER_SECOND } from '../../impl/units.js';
import type { Address } from '../../impl/wire/types.js';
import type { AliceEvent, PacketRecord, Trace } from '../world/types.js';
import { aliceCalls, carriesHomelessSupport, isData, Ownership, packet, SaIndex } from './trace-view.js';
import { judgeStandardMobileRoutes } from './standard-mobile-route.js';
import { fail, type Property, type Verdict } from './types.js';

const ID = 'LIVE-COMPAT';
/** The sending entry of every packet under Sam's SA: that SA's entry (HOST.md rule 18). */
const SAM_SA_ENTRY = "Sam's SA entry";

/**
 * A connection: what §2.2.2's per-connection emulation keys on. An echo reply is no part of
 * one: Alice answers an echo request from the address it was sent to, without the host cache
 * (HOST.md rule 23), whoever sent it (Mallory may spoof one as Sam or Lee).
 */
function connectionOf(p: PacketRecord): string | null {
  if (p.info.upper === 'udp') return `udp ${p.info.ports?.join(' ') ?? ''}`;
  if (p.info.upper === 'echo-request') return 'icmp';
  return null;
}

/** An echo reply: answered from the address the request was sent to (HOST.md rule 23). */
function isEchoReply(p: PacketRecord): boolean {
  return p.info.upper === 'echo-reply';
}

/** (f), then the rest: (f) judges every standard mobile peer's entry, Mallory's too, in every world. */
function check(trace: Trace): Verdict {
  const routes = judgeStandardMobileRoutes(trace);
  if (!routes.ok) return fail(ID, routes.step, routes.reason);
  const rest = checkSamAndLee(trace);
  return rest.ok ? { ok: true, judged: rest.judged + routes.judged } : rest;
}

function checkSamAndLee(trace: Trace): Verdict {
  const sas = new SaIndex(trace);
  const samSa = trace.sas.find((s) => s.peer === 'sam');
  const leeSa = trace.sas.find((s) => s.peer === 'lee');
  if (samSa === undefined && leeSa === undefined) return { ok: true, judged: 0 };
  const owners = new Ownership(trace);
  const samAddresses = new Set(owners.addressesEverOwnedBy('sam'));
  const leeAddresses = new Set(owners.addressesEverOwnedBy('lee'));
  // A packet under an SA belongs to that SA's peer (a Challenge to Lee's address under
  // Mallory's SA is Mallory's business); one without AH, to whoever owned its destination.
  const toward = (p: PacketRecord, peer: 'sam' | 'lee', addresses: Set<Address>): boolean => {
    if (p.from !== 'alice') return false;
    const sa = sas.byOutbound(p.info.spi);
    if (sa !== undefined) return sa.peer === peer;
    return p.info.finalDestination !== undefined && addresses.has(p.info.finalDestination);
  };

  /** "sending entry|connection" → the connection's initial source in that entry. */
  const initialSource = new Map<string, Address>();
  /** Sam's address X → when the entry without an SA that last sent data to X without AH sent its first. */
  const saLessEntryFirst = new Map<Address, number>();
  const activeMs = trace.config.params.defaultLifetimeSeconds * MS_PER_SECOND;
  /**
   * The entry that sent `p`, a packet of a connection toward Sam (see the header): Sam's SA
   * entry under AH; without AH, the entry without an SA whose first packet to the same address
   * went less than defaultLifetimeSeconds before (it sends only while that address is active),
   * else a new one, whose first packet `p` is.
   */
  const sendingEntry = (p: PacketRecord, underSamSa: boolean): string => {
    if (underSamSa) return SAM_SA_ENTRY;
    const to = p.info.finalDestination ?? '?';
    const first = saLessEntryFirst.get(to);
    const since = first !== undefined && p.sentAt < first + activeMs ? first : p.sentAt;
    saLessEntryFirst.set(to, since);
    return `the entry without an SA that sent to ${to} from ${(since / MS_PER_SECOND).toFixed(3)} s`;
  };
  /** BUs Alice sent toward Sam: sequence → "home|careOf". */
  const sentBus = new Map<number, string>();
  const acknowledged = new Set<string>();
  const verifiedCareOf = new Set<Address>();
  let leeInitial: Address | null = null;
  /** Alice's packets toward Lee so far: what a Parameter Problem of Lee's can quote. */
  const sentTowardLee: PacketRecord[] = [];
  /** A Parameter Problem quoting a packet under Lee's SA reached Alice: that SA's entry is legacy. */
  let leeSaLegacy = false;
  /** Lee's address → until when a packet without AH to it comes from an SA-less entry known to be legacy. */
  const saLessLegacyUntil = new Map<Address, number>();
  const expiredKeepMs = trace.config.params.maximumExpiredLifetimeSeconds * MS_PER_SECOND;
  let judged = 0;

  /** SAs (by name) under which an authenticated BU or BR with Homeless Support reached Alice. */
  const homelessProven = new Set<string>();

  for (const call of aliceCalls(trace)) {
    const { event } = call;
    if (event.op === 'receive' && event.input !== undefined && event.truth?.ah === 'valid' && event.truth.sa !== null) {
      if (carriesHomelessSupport(packet(trace, event.input))) homelessProven.add(event.truth.sa);
    }
    const signalling = signallingVerdict(trace, sas, event, call.step, homelessProven);
    if (typeof signalling !== 'number') return signalling;
    judged += signalling;
    if (event.op === 'receive' && event.input !== undefined && event.truth !== undefined) {
      const r = packet(trace, event.input);
      if (r.from === 'sam' && event.truth.ah === 'valid' && event.truth.sa === samSa?.name) {
        for (const ba of r.info.bas) {
          const bound = sentBus.get(ba.sequence);
          if (ba.status === 0 && bound !== undefined) acknowledged.add(bound);
        }
        for (const resp of event.truth.responses) if (resp.answers !== null) verifiedCareOf.add(resp.address);
      }
      if (r.from === 'lee' && r.info.upper === 'param-problem') {
        const quoted = r.info.quoted ?? '';
        const q = quoted === '' ? undefined : sentTowardLee.find((p) => p.hex.startsWith(quoted));
        if (q !== undefined && q.info.spi !== undefined) leeSaLegacy ||= sas.byOutbound(q.info.spi)?.peer === 'lee';
        if (q !== undefined && q.info.spi === undefined && q.info.finalDestination !== undefined) {
          const until = q.sentAt + expiredKeepMs;
          const known = saLessLegacyUntil.get(q.info.finalDestination) ?? Number.NEGATIVE_INFINITY;
          if (event.at <= until && until > known) saLessLegacyUntil.set(q.info.finalDestination, until);
        }
      }
    }
    const sentTowardSam = event.sent.map((id) => packet(trace, id)).filter((p) => toward(p, 'sam', samAddresses));
    const busThisCall = new Set<string>();
    for (const p of sentTowardSam) {
      if (p.info.bus.length > 0 && p.info.hao !== undefined && p.info.source !== undefined)
        busThisCall.add(`${p.info.hao}|${p.info.source}`);
    }
    for (const p of sentTowardSam) {
      judged += 1;
      const source = p.info.source ?? '?';
      for (const bu of p.info.bus) {
        if (p.info.hao === undefined)
          return fail(
            ID,
            call.step,
            `Alice sent Sam (a draft-13 mobile node) a BU without an HAO: #${p.id} ${p.summary}`,
          );
        sentBus.set(bu.sequence, `${p.info.hao}|${source}`);
      }
      if (p.info.routing !== undefined && !verifiedCareOf.has(p.info.destination ?? '')) {
        return fail(
          ID,
          call.step,
          `Alice sent Sam a routing header through ${p.info.destination}, a care-of address that never verified: #${p.id} ${p.summary}`,
        );
      }
      const connection = isData(p) ? connectionOf(p) : null;
      if (connection === null) continue;
      const underSamSa = sas.byOutbound(p.info.spi)?.peer === 'sam';
      const entry = sendingEntry(p, underSamSa);
      const key = `${entry}|${connection}`;
      const initial = initialSource.get(key) ?? p.info.hao ?? source;
      initialSource.set(key, initial);
      if (source === initial) continue;
      if (p.info.hao !== initial)
        return fail(
          ID,
          call.step,
          `Alice sent Sam ${connection} data from ${source}, not the connection's initial source ${initial} (in ${entry}), without an HAO naming it: #${p.id} ${p.summary}`,
        );
      // Only an entry with Sam's SA can send a BU (§2.2.2: "the packet MUST be protected with AH").
      if (!underSamSa) continue;
      const binding = `${initial}|${source}`;
      if (!acknowledged.has(binding) && !busThisCall.has(binding)) {
        return fail(
          ID,
          call.step,
          `Alice sent Sam data from ${source} (home ${initial}) with no BU for that binding, which Sam has not acknowledged: #${p.id} ${p.summary}`,
        );
      }
    }
    for (const id of event.sent) {
      const p = packet(trace, id);
      if (!toward(p, 'lee', leeAddresses)) continue;
      sentTowardLee.push(p);
      if (!isEchoReply(p)) leeInitial ??= p.info.source ?? null;
      const legacyEntry =
        p.info.spi !== undefined
          ? leeSaLegacy && sas.byOutbound(p.info.spi)?.peer === 'lee'
          : event.at <= (saLessLegacyUntil.get(p.info.finalDestination ?? '') ?? Number.NEGATIVE_INFINITY);
      if (!legacyEntry) continue;
      judged += 1;
      if (p.info.hao !== undefined || p.info.bus.length > 0 || p.info.bas.length > 0 || p.info.br) {
        return fail(
          ID,
          call.step,
          `Alice sent Lee, which rejects Mobile IPv6 options, a packet with one: #${id} ${p.summary}`,
        );
      }
      const stillHas = leeInitial !== null && owners.ownerAt(leeInitial, event.at) === 'alice';
      if (stillHas && !isEchoReply(p) && p.info.source !== leeInitial)
        return fail(
          ID,
          call.step,
          `Alice changed her source toward Lee (legacy) from ${leeInitial} to ${p.info.source} while she still has it: #${id} ${p.summary}`,
        );
    }
  }
  return { ok: true, judged };
}

/** (b') on the packets of one call (see the header): the BUs judged when it holds. */
function signallingVerdict(
  trace: Trace,
  sas: SaIndex,
  event: AliceEvent,
  step: number,
  homelessProven: ReadonlySet<string>,
): Verdict | number {
  let judged = 0;
  for (const id of event.sent) {
    const p = packet(trace, id);
    if (p.info.bus.length === 0) continue;
    const sa = sas.byOutbound(p.info.spi);
    if (sa === undefined) continue;
    if (homelessProven.has(sa.name)) continue;
    for (const bu of p.info.bus) {
      judged += 1;
      if (bu.security === undefined && p.info.hao === undefined)
        return fail(
          ID,
          step,
          `Alice sent a BU without an HAO under ${sa.name}, whose peer never showed Homeless Support (§3.2.1): #${id} ${p.summary}`,
        );
    }
  }
  return judged;
}

export const liveCompat: Property = {
  id: ID,
  needs: 'black-box',
  summary:
    'MIPv6-valid packets toward a standard mobile peer, data to its home address (through a routing header via its care-of address once verified, with state); BUs with an HAO toward a peer not shown homeless; no Mobile IPv6 option and no source change toward a legacy peer',
  situation: 'packet toward a standard mobile or legacy peer',
  judgedPerRun: 0.2,
  check,
};
