// INV-DATA-TO-ACTIVE (§2.4.1, §2.2.1, HOST.md rule 21): Alice sends UDP data for an entry only
// to that entry's active addresses (never tentative). Every address a UDP packet is routed to
// (its IPv6 Destination and each routing header address) is judged. ICMP is out of scope
// (rule 23).
//
// Black-box, from the world's ground truth (ground-truth.ts): the address must be one that may
// be active in the entry the data is for. For a `send`, the entries that may hold `to` active
// or deprecated (rule 21 picks one of them), or a new entry holding `to` itself; for any other
// UDP packet, the entry of the SA whose AH it carries (any entry's, without AH). An address no
// rule can have made active there (a claim still tentative: the Challenge's Response never
// reached Alice) or whose lifetime has provably run out fails.
//
// With `state`, in addition: the address must be active, after the call, in the entry the data
// belongs to by Alice's own state: for a `send`, the entry holding `to` as active, else as
// deprecated (rule 21); for any other UDP packet, the entry of the SA that protects it. The
// state adds this obligation; it never removes the world's (DESIGN.md "Evidence and verdicts").

import type { EntryState, HostState } from '../../impl/host/types.js';
import type { Address } from '../../impl/wire/types.js';
import { groundTruthOf, type GroundTruth } from './ground-truth.js';
import { addressIn, aliceCalls, callText, entryForSa, packet, SaIndex } from './trace-view.js';
import { fail, pass, type Property, type Verdict } from './types.js';
import type { Trace } from '../world/types.js';

const ID = 'INV-DATA-TO-ACTIVE';

function entryFor(state: HostState, to: Address): EntryState | undefined {
  return (
    state.entries.find((e) => e.addresses.some((a) => a.address === to && a.status === 'active')) ??
    state.entries.find((e) => e.addresses.some((a) => a.address === to && a.status === 'deprecated'))
  );
}

function check(trace: Trace): Verdict {
  const sas = new SaIndex(trace);
  let truth: GroundTruth | null = null;
  let judged = 0;
  for (const call of aliceCalls(trace)) {
    const { event } = call;
    // The state after this call, when Alice reports one (never the one before it).
    const after = event.state;
    for (const id of event.sent) {
      const p = packet(trace, id);
      if (p.info.upper !== 'udp' || p.info.destination === undefined) continue;
      truth ??= groundTruthOf(trace);
      const view = truth.afterCall(event.call);
      const to = event.op === 'send' && typeof event.request.to === 'string' ? event.request.to : null;
      const sa = sas.byOutbound(p.info.spi);
      const routedTo = [p.info.destination, ...(p.info.routing ?? [])];
      judged += 1;
      // The world's obligation, whatever Alice reports.
      const allowed =
        to !== null
          ? view.sendDestinations(to)
          : sa !== undefined
            ? new Set(view.mayActive(`sa:${sa.name}`))
            : view.anyMayActive();
      const forWhat = to !== null ? `for ${to}` : sa !== undefined ? `under SA ${sa.name}` : 'without AH';
      for (const a of routedTo) {
        if (allowed.has(a)) continue;
        return fail(
          ID,
          call.step,
          `Alice sent UDP data (packet #${id}) ${forWhat} to ${a} in ${callText(event)}, which no rule can have made active in the entry the data is for (it may be active only at ${[...allowed].join(', ') || 'no address'}: a claim whose Challenge no correct Response answered is still tentative, §2.4.1)`,
        );
      }
      if (after === undefined) continue;
      // With `state`: active in the entry Alice's own state says the data is for.
      const entry = to !== null ? entryFor(after, to) : sa !== undefined ? entryForSa(after, sa) : undefined;
      if (entry === undefined)
        return fail(
          ID,
          call.step,
          `Alice sent UDP data (packet #${id}) to ${routedTo.join(', ')} in ${callText(event)}, but no entry holds the address the data is for`,
        );
      for (const a of routedTo) {
        const s = addressIn(entry, a);
        if (s?.status !== 'active') {
          return fail(
            ID,
            call.step,
            `Alice sent UDP data (packet #${id}) for entry ${entry.id} to ${a}, which is ${s === undefined ? 'not in that entry' : s.status} there (${callText(event)})`,
          );
        }
      }
    }
  }
  return pass(judged);
}

export const dataToActive: Property = {
  id: ID,
  needs: 'black-box',
  summary:
    "UDP data for an entry goes only to that entry's active addresses (black-box: to addresses the world cannot rule out as active there)",
  situation: 'UDP packet sent',
  judgedPerRun: 0.3,
  check,
};
