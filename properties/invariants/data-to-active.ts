// INV-DATA-TO-ACTIVE (§2.4.1, §2.2.1, HOST.md rule 21): Alice sends UDP data for an entry only
// to that entry's active addresses (never tentative). Every address a UDP packet is routed to
// (its IPv6 Destination and each routing header address) must be active, after the call, in
// the entry the data belongs to: for a `send`, the entry holding `to` as active, else as
// deprecated (rule 21); for any other UDP packet, the entry of the SA that protects it. ICMP
// is out of scope (rule 23).

import type { EntryState, HostState } from '../../impl/host/types.js';
import type { Address } from '../../impl/wire/types.js';
import { addressIn, aliceCalls, entryForSa, packet, SaIndex } from './trace-view.js';
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
  let judged = 0;
  for (const call of aliceCalls(trace)) {
    const { event, after } = call;
    if (after === undefined) continue;
    for (const id of event.sent) {
      const p = packet(trace, id);
      if (p.info.upper !== 'udp' || p.info.destination === undefined) continue;
      const to = event.op === 'send' && typeof event.request?.to === 'string' ? event.request.to : null;
      const sa = sas.byOutbound(p.info.spi);
      const entry = to !== null ? entryFor(after, to) : sa !== undefined ? entryForSa(after, sa) : undefined;
      const routedTo = [p.info.destination, ...(p.info.routing ?? [])];
      judged += 1;
      if (entry === undefined) return fail(ID, call.step, `Alice sent UDP data (packet #${id}) to ${routedTo.join(', ')} at ${event.op} #${event.call}, but no entry holds the address the data is for`);
      for (const a of routedTo) {
        const s = addressIn(entry, a);
        if (s?.status !== 'active') {
          return fail(ID, call.step, `Alice sent UDP data (packet #${id}) for entry ${entry.id} to ${a}, which is ${s === undefined ? 'not in that entry' : s.status} there (${event.op} #${event.call})`);
        }
      }
    }
  }
  return pass(judged);
}

export const dataToActive: Property = {
  id: ID,
  needs: 'state',
  summary: "UDP data for an entry goes only to that entry's active addresses",
  situation: 'UDP packet sent',
  judgedPerRun: 0.3,
  check,
};
