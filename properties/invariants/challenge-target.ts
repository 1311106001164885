// INV-CHALLENGE-TARGET (§3.4.2 step 1: "It is important that the challenge is actually sent to
// the Tentative Address and not to any other of the addresses"): every Challenge Alice sends
// is protected by an SA of hers, has no routing header, and goes to an address with a live
// Challenge in that SA's entry (tentative, or active under a conflict re-check: HOST.md rules
// 9, 13 and 19: `challengeOutstanding`), judged on the state after the call (or before it, if
// the same call ended the check). One Challenge value always goes to one address.

import { addressIn, aliceCalls, entryForSa, packet, SaIndex } from './trace-view.js';
import { fail, pass, type Property, type Verdict } from './types.js';
import type { Trace } from '../world/types.js';

const ID = 'INV-CHALLENGE-TARGET';

function check(trace: Trace): Verdict {
  const sas = new SaIndex(trace);
  const destinationOf = new Map<string, string>();
  let judged = 0;
  for (const call of aliceCalls(trace)) {
    const { event, before, after } = call;
    if (after === undefined) continue;
    for (const id of event.sent) {
      const p = packet(trace, id);
      for (const ba of p.info.bas) {
        if (ba.security === undefined) continue;
        judged += 1;
        const to = p.info.destination ?? '?';
        const sa = sas.byOutbound(p.info.spi);
        if (sa === undefined) return fail(ID, call.step, `Alice sent a Challenge (packet #${id}) to ${to} without the AH of one of her SAs`);
        if (p.info.routing !== undefined) return fail(ID, call.step, `Alice sent a Challenge (packet #${id}) with a routing header (to ${to}, then ${p.info.routing.join(', ')})`);
        const live = [after, before].some((s) => addressIn(entryForSa(s, sa), to)?.challengeOutstanding === true);
        if (!live) {
          const status = addressIn(entryForSa(after, sa), to)?.status ?? 'absent';
          return fail(ID, call.step, `Alice sent a Challenge (packet #${id}, SA ${sa.name}) to ${to}, which has no live Challenge in that SA's entry (it is ${status} there)`);
        }
        const key = `${sa.name}|${ba.security}`;
        const first = destinationOf.get(key);
        if (first !== undefined && first !== to) return fail(ID, call.step, `Alice sent the same Challenge ${ba.security} (SA ${sa.name}) to ${first} and then to ${to}`);
        destinationOf.set(key, to);
      }
    }
  }
  return pass(judged);
}

export const challengeTarget: Property = {
  id: ID,
  needs: 'state',
  summary: 'each Challenge goes to the tentative address it checks, and nowhere else',
  situation: 'Challenge sent',
  judgedPerRun: 1.5,
  check,
};
