// INV-ACTIVE-VERIFIED (§2.4.1, §3.4.2, Appendix C): an address becomes active in an entry
// through a BU only if the address's owner held that entry's SA key. The world's reading:
// during the address's current tentative period in that entry, a Challenge Alice sent under
// the entry's SA to that address was delivered by the network to a node that holds the SA's
// key (only the owner of the address receives what is sent to it). An entry's first address
// (the `peer` of addSA, the `to` of an entry-creating send: HOST.md rule 17) is exempt.

import { addressIn, aliceCalls, callText, deliveries, isChallenge, SaIndex } from './trace-view.js';
import { fail, pass, type Property, type Verdict } from './types.js';
import type { Trace } from '../world/types.js';

const ID = 'INV-ACTIVE-VERIFIED';

function check(trace: Trace): Verdict {
  const sas = new SaIndex(trace);
  const delivered = deliveries(trace);
  /** Per entry id and address: when its current tentative period began. */
  const tentativeSince = new Map<string, number>();
  /** Challenges delivered to a key holder: "spi|address" → delivery times. */
  const reached = new Map<string, number[]>();
  for (const p of trace.packets) {
    if (p.from !== 'alice' || !isChallenge(p) || p.info.spi === undefined || p.info.destination === undefined) continue;
    const sa = sas.byOutbound(p.info.spi);
    if (sa === undefined) continue;
    for (const d of delivered.get(p.id) ?? []) {
      if (d.to === 'alice' || !sa.holders.includes(d.to) || d.address !== p.info.destination) continue;
      const key = `${sa.aliceInboundSpi}|${d.address}`;
      reached.set(key, [...(reached.get(key) ?? []), d.at]);
    }
  }
  let judged = 0;
  for (const call of aliceCalls(trace)) {
    const { event, before, after } = call;
    if (after === undefined) continue;
    for (const entry of after.entries) {
      const previous = before?.entries.find((e) => e.id === entry.id);
      for (const a of entry.addresses) {
        const key = `${entry.id}|${a.address}`;
        const was = addressIn(previous, a.address);
        if (a.status === 'tentative' && (was === undefined || was.status === 'deprecated'))
          tentativeSince.set(key, event.at);
        if (a.status !== 'active' || was?.status === 'active') continue;
        // The entry's first address, chosen by the application or reached by SA establishment.
        if (event.op === 'addSA' && event.request.peer === a.address) continue;
        if (event.op === 'send' && event.request.to === a.address) continue;
        const from = was === undefined ? 'absent' : was.status;
        judged += 1;
        if (entry.sa === null)
          return fail(
            ID,
            call.step,
            `${a.address} became active (from ${from}) in entry ${entry.id}, which has no SA, in ${callText(event)}`,
          );
        const sa = sas.byInbound(entry.sa.inboundSpi);
        const since = tentativeSince.get(key);
        if (since === undefined) {
          return fail(
            ID,
            call.step,
            `${a.address} became active in entry ${entry.id} (SA ${sa?.name ?? entry.sa.inboundSpi}) straight from ${from}, without a tentative period and a Challenge, in ${callText(event)}`,
          );
        }
        const times = reached.get(`${entry.sa.inboundSpi}|${a.address}`) ?? [];
        if (!times.some((t) => t >= since && t <= event.at)) {
          return fail(
            ID,
            call.step,
            `${a.address} became active in entry ${entry.id} (SA ${sa?.name ?? entry.sa.inboundSpi}, key held by ${sa?.holders.join(' and ') ?? '?'}) in ${callText(event)}, but no Challenge for it under that SA reached a key holder at that address since it became tentative at ${since}`,
          );
        }
      }
    }
  }
  return pass(judged);
}

export const activeVerified: Property = {
  id: ID,
  needs: 'state',
  summary: "no unverified address ever becomes active (an entry's first address is exempt)",
  situation: 'address made active by a BU',
  judgedPerRun: 0.5,
  check,
};
