// INV-REPLAY (RFC 2402 §3.4.3; WIRE.md "the anti-replay window moves only after the ICV
// verifies"). Two halves of one window:
// - (state) a received packet whose AH verifies but whose sequence number Alice has already
//   seen under that SA, or that fell behind the window (a network duplicate, or Mallory
//   replaying a BU, BA or Response it saw or sent), leaves Alice's state exactly as it was
//   (after the expiries due at that instant, which the world applies with a tick first);
// - (black-box) a fresh packet that arrives late, inside the window (its sequence number below
//   the highest the SA had delivered, not seen: a delayed or reordered datagram), is accepted:
//   upper-layer data under a generic SA that nothing else drops is delivered, once, as sent. A
//   window that rejects what it never saw (one that forgets to clear the slots a slide skips)
//   loses such datagrams.
// Freshness is the independent ground truth's window (properties/truth), never Alice's.

import { arrivalFacts, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, type ArrivalFacts } from '../truth/index.js';
import type { AliceEvent, Trace } from '../world/types.js';
import { aliceAddressesAtReceives, hexBytes } from './delivery.js';
import { aliceCalls, packet, sameState } from './trace-view.js';
import { fail, pass, type Property, type Verdict } from './types.js';

const ID = 'INV-REPLAY';

/** The payload a delivered item must carry for this datagram (rule 23: an echo's data after identifier and sequence). */
function expectedItem(facts: ArrivalFacts): { proto: 'udp' | 'icmp'; payload: string } | null {
  const u = facts.upper;
  if (u.kind === 'udp') return { proto: 'udp', payload: Buffer.from(u.payload).toString('hex') };
  if (u.kind === 'icmp' && (u.type === ICMP_ECHO_REQUEST || u.type === ICMP_ECHO_REPLY) && u.code === 0)
    return { proto: 'icmp', payload: Buffer.from(u.data).toString('hex') };
  return null;
}

/**
 * Whether Alice must deliver this fresh datagram whatever her cache holds: no HAO (whose
 * check needs her cache, rule 2), every destination hers (rule 22), a good checksum, no
 * unknown option to discard (WIRE.md), and an SA she accepted.
 */
function mustDeliver(facts: ArrivalFacts, mine: ReadonlySet<string>): boolean {
  return (
    !facts.hao &&
    facts.checksumValid === true &&
    !facts.discardingUnknownOption &&
    mine.has(facts.destination) &&
    facts.routing.every((a) => mine.has(a))
  );
}

function check(trace: Trace): Verdict {
  const hasState = trace.alice.features.includes('state');
  const addresses = aliceAddressesAtReceives(trace);
  const accepted = new Set<number>();
  /** Per SA: the highest AH sequence number of a fresh valid packet handed to Alice so far. */
  const highest = new Map<string, number>();
  let judged = 0;
  for (const call of aliceCalls(trace)) {
    const { event, before, after } = call;
    // A malformed addSA Alice accepted counts too, its SPI read as a number.
    if (event.op === 'addSA' && event.ok)
      accepted.add(event.invalid === true ? Number(event.request.inboundSpi) : event.request.inboundSpi);
    if (event.op !== 'receive' || event.truth === undefined) continue;
    const truth = event.truth;
    if (truth.ah === 'replay' && hasState) {
      judged += 1;
      if (!sameState(before, after)) {
        const p = event.input !== undefined ? packet(trace, event.input) : undefined;
        return fail(
          ID,
          call.step,
          `a replayed packet (SA ${truth.sa}) changed Alice's state: #${event.input} ${p?.summary ?? ''}`,
        );
      }
    }
    if (truth.ah !== 'valid' || truth.sa === null || event.input === undefined) continue;
    const facts = arrivalFacts(hexBytes(packet(trace, event.input).hex));
    if (facts === null || facts.ah === null) continue;
    const top = highest.get(truth.sa) ?? 0;
    highest.set(truth.sa, Math.max(top, facts.ah.sequence));
    if (facts.ah.sequence >= top || truth.saKind !== 'generic' || !accepted.has(facts.ah.spi)) continue;
    const want = expectedItem(facts);
    if (want === null || !mustDeliver(facts, addresses.get(event) ?? new Set())) continue;
    judged += 1;
    const why = lateVerdict(event, want);
    if (why !== null) {
      const p = packet(trace, event.input);
      return fail(
        ID,
        call.step,
        `a fresh datagram arriving late inside the anti-replay window (SA ${truth.sa}, AH sequence number ${facts.ah.sequence}, below the highest so far ${top}) ${why}: #${p.id} ${p.summary}`,
      );
    }
  }
  return pass(judged);
}

function lateVerdict(event: AliceEvent, want: { proto: 'udp' | 'icmp'; payload: string }): string | null {
  if (event.delivered.length === 0) return 'was not delivered';
  if (
    event.delivered.length > 1 ||
    event.delivered[0].proto !== want.proto ||
    event.delivered[0].payload !== want.payload
  ) {
    return `was delivered as ${JSON.stringify(event.delivered)}, not once as sent`;
  }
  return null;
}

export const replay: Property = {
  id: ID,
  needs: 'black-box',
  summary:
    'a replayed BU, BA or Response changes nothing (with state); a fresh datagram arriving late inside the window is delivered',
  situation: 'replayed packet received (with state), or fresh datagram received late',
  judgedPerRun: 0.02,
  check,
};
