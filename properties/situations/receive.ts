// Situations of what Alice's receive path must tell apart (rules 2, 15, 22 and 23): Parameter
// Problems in each form while the peer's entry can still turn `legacy`, packets routed through
// her own addresses, and data without AH under rule 2's standard-mobile exception. Judged from
// what reached Alice and what she sent, as the other detectors are; never from her state.

import { decodePacket, fromHex, OPTION_TYPE } from '../../impl/wire/index.js';
import type { Address } from '../../impl/wire/types.js';
import { provenStandardMobileHomes } from '../invariants/standard-mobile-homes.js';
import { carriesHomelessSupport, isData } from '../invariants/trace-view.js';
import type { PacketRecord, SaRecord } from '../world/types.js';
import { situation, type Situation } from './types.js';
import type { Arrival, TruthView } from './view.js';

/** RFC 4443 §2.4(c): what an ICMPv6 error quotes of a longer packet. */
const QUOTE_BYTES_MAX = 1280 - 40 - 8;
/** ICMPv6 Parameter Problem code 2: unrecognized IPv6 option (RFC 4443 §3.4). */
const UNRECOGNIZED_OPTION = 2;
const MOBILITY_OPTION_TYPES: ReadonlySet<number> = new Set([
  OPTION_TYPE.hao,
  OPTION_TYPE.bu,
  OPTION_TYPE.ba,
  OPTION_TYPE.br,
]);

/** A Parameter Problem that reached Alice, read: its code, pointer, quote, and the packet of Alice's it is about. */
interface ParamProblem {
  arrival: Arrival;
  code: number;
  pointer: number;
  /** The quote, hex. */
  quote: string;
  /** The packet of Alice's it is about: the one Mallory copied (its tag), else the one it quotes. */
  about: PacketRecord;
  /** Offsets of the Mobile IPv6 options' type bytes in that packet. */
  mobilityOptions: number[];
  /** Offsets of every option's type byte in that packet. */
  options: number[];
}

function paramProblems(v: TruthView): ParamProblem[] {
  return v.memo('param-problems', () => {
    const out: ParamProblem[] = [];
    for (const a of v.arrivals) {
      const info = a.packet.info;
      if (info.upper !== 'param-problem' || info.quoted === undefined) continue;
      const bytes = fromHex(a.packet.hex);
      const r = bytes === null ? null : decodePacket(bytes);
      if (r === null || !r.ok || r.packet.upper.kind !== 'icmpv6') continue;
      const m = r.packet.upper.message;
      if (m.type !== 'parameter-problem') continue;
      const copied = /^mallory-param-problem:#(\d+)/.exec(a.packet.tag ?? '');
      const quote = info.quoted;
      const about =
        copied !== null
          ? v.trace.packets[Number(copied[1])]
          : quote.length > 0
            ? v.alicePackets.find((p) => p.hex.startsWith(quote))
            : undefined;
      if (about === undefined || about.from !== 'alice') continue;
      const q = decodePacket(fromHex(about.hex) ?? new Uint8Array(0));
      const layout = q.ok ? q.layout.options : [];
      out.push({
        arrival: a,
        code: m.code,
        pointer: m.pointer,
        quote,
        about,
        mobilityOptions: layout.filter((o) => MOBILITY_OPTION_TYPES.has(o.type)).map((o) => o.offset),
        options: layout.map((o) => o.offset),
      });
    }
    return out;
  });
}

/** The quote is what a real node sends: the whole packet, or exactly its first 1232 bytes. */
function exactQuote(pp: ParamProblem): boolean {
  const whole = pp.about.hex;
  return pp.quote.length === Math.min(whole.length, 2 * QUOTE_BYTES_MAX) && whole.startsWith(pp.quote);
}

/** From the quoted packet's destination, pointing at one of its Mobile IPv6 options, code 2. */
function asARealNodeSends(pp: ParamProblem): boolean {
  return (
    pp.code === UNRECOGNIZED_OPTION &&
    pp.mobilityOptions.includes(pp.pointer) &&
    pp.arrival.packet.info.source === pp.about.info.destination
  );
}

/**
 * The entry a packet of Alice's went through, as the world can name it: the SA whose AH it
 * carries, else the SA whose first address it went to, else (an entry without an SA, rule 17)
 * its destination.
 */
interface EntryOf {
  key: string;
  sa: SaRecord | undefined;
}

function entryOf(v: TruthView, p: PacketRecord): EntryOf {
  const spi = p.info.spi;
  const sa =
    spi !== undefined
      ? v.trace.sas.find((s) => s.aliceOutboundSpi === spi)
      : v.trace.sas.find((s) => s.peerAddress === p.info.destination);
  return sa !== undefined ? { key: `sa ${sa.name}`, sa } : { key: `to ${p.info.destination ?? '?'}`, sa: undefined };
}

/**
 * Rule 15: the entry is `unknown` or `standard` when `pp` arrives, as far as the world can tell:
 * no authenticated BU, HAO or Homeless Support under its SA before, and no earlier Parameter
 * Problem, code 2, pointing at a Mobile IPv6 option of a packet Alice sent through it and
 * quoting that packet byte for byte (which may have made it legacy already, wherever it came from).
 */
function mayTurnLegacy(v: TruthView, entry: EntryOf, pp: ParamProblem): boolean {
  const before = pp.arrival.index;
  if (entry.sa !== undefined)
    for (const a of v.arrivals) {
      if (a.index >= before) break;
      const info = a.packet.info;
      if (
        a.valid &&
        a.sa === entry.sa &&
        (info.bus.length > 0 || info.hao !== undefined || (info.br && carriesHomelessSupport(a.packet)))
      )
        return false;
    }
  return !paramProblems(v).some(
    (other) =>
      other.arrival.index < before &&
      other.code === UNRECOGNIZED_OPTION &&
      other.mobilityOptions.includes(other.pointer) &&
      exactQuote(other) &&
      entryOf(v, other.about).key === entry.key,
  );
}

/** `pp` is about a packet of an entry that may still turn legacy. */
function aboutUndecided(v: TruthView, pp: ParamProblem): boolean {
  return mayTurnLegacy(v, entryOf(v, pp.about), pp);
}

/**
 * Rule 15: the entry is proven `standard`: it has an SA and may still turn legacy (above), and
 * Alice's last BU with Homeless Support under that SA (the Initial BU's form, which arms the
 * probe while the peer is unknown) left compatProbeTimeoutMs or more before.
 */
function aboutStandard(v: TruthView, pp: ParamProblem): boolean {
  const entry = entryOf(v, pp.about);
  const sa = entry.sa;
  if (sa === undefined || !mayTurnLegacy(v, entry, pp)) return false;
  const at = pp.arrival.at;
  let lastProbe: number | undefined;
  for (const step of v.trace.steps)
    for (const e of step.events) {
      if (e.kind !== 'alice' || e.at > at) continue;
      for (const id of e.sent) {
        const info = v.trace.packets[id].info;
        if (info.spi === sa.aliceOutboundSpi && info.bus.some((b) => b.homelessSupport)) lastProbe = e.at;
      }
    }
  return lastProbe !== undefined && at >= lastProbe + v.params.compatProbeTimeoutMs;
}

/** Mallory's Parameter Problems about a packet of an entry that may still turn legacy. */
function malloryUndecided(v: TruthView): ParamProblem[] {
  return v.memo('mallory-param-problems-undecided', () =>
    paramProblems(v).filter((pp) => pp.arrival.packet.from === 'mallory' && aboutUndecided(v, pp)),
  );
}

/** The routing header's addresses are all Alice's when the packet arrives (rule 22: processed). */
function routedThroughAlice(v: TruthView, a: Arrival): boolean {
  const routing = a.packet.info.routing;
  return (
    routing !== undefined &&
    routing.length > 0 &&
    v.ownerAt(a.packet.info.destination, a.at) === 'alice' &&
    routing.every((x) => v.ownerAt(x, a.at) === 'alice')
  );
}

/** Segments Left > 0 and the last address is not the IPv6 Destination: the final destination moved. */
function finalElsewhere(a: Arrival): boolean {
  const info = a.packet.info;
  return info.finalDestination !== undefined && info.finalDestination !== info.destination;
}

/** Segments Left 0 (the route already walked) with an address other than the IPv6 Destination in it. */
function walkedRoute(a: Arrival): boolean {
  const info = a.packet.info;
  return (
    info.finalDestination === info.destination && (info.routing ?? []).some((x: Address) => x !== info.destination)
  );
}

/** Per Alice call: the home addresses the world proves recorded for standard-mobile peers (rule 2's exception). */
function provenHomesByCall(v: TruthView): Map<number, ReadonlySet<Address>> {
  return v.memo('proven-standard-mobile-homes', () => {
    const out = new Map<number, ReadonlySet<Address>>();
    for (const [event, homes] of provenStandardMobileHomes(v.trace)) if (homes.size > 0) out.set(event.call, homes);
    return out;
  });
}

export const RECEIVE_SITUATIONS: readonly Situation[] = [
  situation(
    'param-problem-long-packet',
    'attack',
    0.011,
    'a Parameter Problem quoting exactly the first 1232 bytes of a longer packet Alice sent to an entry that can still turn legacy, as a real node sends it (RFC 4443 §2.4(c); rule 15: the entry becomes legacy)',
    (v) =>
      paramProblems(v).some(
        (pp) =>
          pp.about.hex.length > 2 * QUOTE_BYTES_MAX && exactQuote(pp) && asARealNodeSends(pp) && aboutUndecided(v, pp),
      ),
  ),
  situation(
    'param-problem-quote-cut',
    'attack',
    0.018,
    "Mallory's Parameter Problem quotes only the first bytes of a packet Alice sent, through the Mobile IPv6 option it points at, while the entry can still turn legacy (rule 15: a short quote carries no secret; nothing changes)",
    (v) =>
      malloryUndecided(v).some(
        (pp) =>
          pp.quote.length < Math.min(pp.about.hex.length, 2 * QUOTE_BYTES_MAX) &&
          pp.about.hex.startsWith(pp.quote) &&
          2 * pp.pointer < pp.quote.length &&
          asARealNodeSends(pp),
      ),
  ),
  situation(
    'param-problem-quote-altered',
    'attack',
    0.02,
    "Mallory's Parameter Problem quotes as many bytes as a real node would of a packet Alice sent, but not byte for byte, while the entry can still turn legacy (rule 15: nothing changes)",
    (v) =>
      malloryUndecided(v).some(
        (pp) =>
          pp.quote.length === Math.min(pp.about.hex.length, 2 * QUOTE_BYTES_MAX) &&
          !pp.about.hex.startsWith(pp.quote) &&
          pp.about.hex.startsWith(pp.quote.slice(0, 2 * (pp.pointer + 1))) &&
          asARealNodeSends(pp),
      ),
  ),
  situation(
    'param-problem-other-code',
    'attack',
    0.018,
    "Mallory's Parameter Problem with a code other than 2 quotes a packet Alice sent byte for byte, pointing at a Mobile IPv6 option, while the entry can still turn legacy (rule 15: nothing changes)",
    (v) =>
      malloryUndecided(v).some(
        (pp) =>
          pp.code !== UNRECOGNIZED_OPTION &&
          exactQuote(pp) &&
          pp.mobilityOptions.includes(pp.pointer) &&
          pp.arrival.packet.info.source === pp.about.info.destination,
      ),
  ),
  situation(
    'param-problem-from-elsewhere',
    'attack',
    0.019,
    "Mallory's Parameter Problem, code 2, from an address other than the quoted packet's destination, quotes a packet Alice sent byte for byte but points at no option, while the entry can still turn legacy (rule 15: nothing changes)",
    (v) =>
      malloryUndecided(v).some(
        (pp) =>
          pp.code === UNRECOGNIZED_OPTION &&
          exactQuote(pp) &&
          !pp.options.includes(pp.pointer) &&
          pp.arrival.packet.info.source !== pp.about.info.destination,
      ),
  ),
  situation(
    'param-problem-standard-entry',
    'life',
    0.012,
    'a Parameter Problem as a real node sends it quotes a packet Alice sent to a peer whose entry fell back to standard (its Initial BU unanswered for compatProbeTimeoutMs; rule 15: a standard peer turns legacy too)',
    (v) => paramProblems(v).some((pp) => exactQuote(pp) && asARealNodeSends(pp) && aboutStandard(v, pp)),
  ),
  situation(
    'routed-claim',
    'attack',
    0.012,
    "Mallory's authentic claim reaches Alice through a routing header of her own addresses whose final destination is not the IPv6 Destination (Segments Left > 0; rules 22 and 9: the Challenge comes from the final destination)",
    (v) =>
      v.claims.some((c) => c.sa.peer === 'mallory' && routedThroughAlice(v, c.arrival) && finalElsewhere(c.arrival)),
  ),
  situation(
    'routed-claim-walked',
    'attack',
    0.011,
    "Mallory's authentic claim reaches Alice with a routing header of her own addresses and Segments Left 0 (the route already walked; rule 22: the final destination is the IPv6 Destination)",
    (v) => v.claims.some((c) => c.sa.peer === 'mallory' && routedThroughAlice(v, c.arrival) && walkedRoute(c.arrival)),
  ),
  situation(
    'routed-echo',
    'attack',
    0.015,
    'an echo request reaches Alice through a routing header of her own addresses whose final destination is not the IPv6 Destination (rules 22 and 23: answered from the final destination)',
    (v) =>
      v.arrivals.some(
        (a) =>
          a.packet.info.upper === 'echo-request' &&
          (a.truth.ah === 'none' || a.valid) &&
          routedThroughAlice(v, a) &&
          finalElsewhere(a),
      ),
  ),
  situation(
    'hao-data-standard-mobile-home',
    'attack',
    0.019,
    "data without AH whose HAO names the home address recorded for a standard mobile peer (rule 2's exception, proven from the peer's authenticated HAO: delivered unauthenticated)",
    (v) => {
      const homes = provenHomesByCall(v);
      return v.arrivals.some(
        (a) =>
          a.truth.ah === 'none' &&
          isData(a.packet) &&
          a.packet.info.hao !== undefined &&
          homes.get(a.call)?.has(a.packet.info.hao) === true,
      );
    },
  ),
];
