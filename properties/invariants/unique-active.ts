// INV-UNIQUE-ACTIVE (§1.3: one Foreign Host Cache Entry per host; §3.4.2 conflicting claims;
// HOST.md rule 13): after every call, an address is active in at most one entry.

import { aliceCalls, callText } from './trace-view.js';
import { fail, pass, type Property, type Verdict } from './types.js';
import type { Trace } from '../world/types.js';

const ID = 'INV-UNIQUE-ACTIVE';

function check(trace: Trace): Verdict {
  let judged = 0;
  for (const call of aliceCalls(trace)) {
    const s = call.after;
    if (s === undefined) continue;
    const holder = new Map<string, string>();
    // A call after which one address sits in two entries (a claim on an address another entry holds).
    const seen = new Map<string, string>();
    for (const e of s.entries) {
      for (const a of e.addresses) {
        const first = seen.get(a.address);
        if (first === undefined) seen.set(a.address, e.id);
        else if (first !== e.id) judged += 1;
      }
    }
    for (const e of s.entries) {
      for (const a of e.addresses) {
        if (a.status !== 'active') continue;
        const other = holder.get(a.address);
        if (other !== undefined)
          return fail(
            ID,
            call.step,
            `${a.address} is active in entries ${other} and ${e.id} after ${callText(call.event)}`,
          );
        holder.set(a.address, e.id);
      }
    }
  }
  return pass(judged);
}

export const uniqueActive: Property = {
  id: ID,
  needs: 'state',
  summary: 'an address is active in at most one entry',
  situation: 'call after which an address is in two entries',
  judgedPerRun: 2,
  check,
};
