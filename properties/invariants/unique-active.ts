// INV-UNIQUE-ACTIVE (§1.3: one Foreign Host Cache Entry per host; §3.4.2 conflicting claims;
// HOST.md rule 13): after every call, an address is active in at most one entry.

import { aliceCalls } from './trace-view.js';
import { fail, PASS, type Property, type Verdict } from './types.js';
import type { Trace } from '../world/types.js';

const ID = 'INV-UNIQUE-ACTIVE';

function check(trace: Trace): Verdict {
  for (const call of aliceCalls(trace)) {
    const s = call.after;
    if (s === undefined) continue;
    const holder = new Map<string, string>();
    for (const e of s.entries) {
      for (const a of e.addresses) {
        if (a.status !== 'active') continue;
        const other = holder.get(a.address);
        if (other !== undefined) return fail(ID, call.step, `${a.address} is active in entries ${other} and ${e.id} after ${call.event.op} #${call.event.call}`);
        holder.set(a.address, e.id);
      }
    }
  }
  return PASS;
}

export const uniqueActive: Property = {
  id: ID,
  needs: 'state',
  summary: 'an address is active in at most one entry',
  check,
};
