// INV-BOUNDED (§4.1; HOST.md rule 8; TigerBeetle's "a limit on everything"): after every
// call, Alice has at most `foreignEntriesCountMax` entries; each entry has at most
// `addressesPerEntryCountMax` addresses (every status) and at most `tentativePerEntryCountMax`
// addresses under a check (tentative, or with a live Challenge: conflict re-checks count).

import { aliceCalls } from './trace-view.js';
import { fail, pass, type Property, type Verdict } from './types.js';
import type { Trace } from '../world/types.js';

const ID = 'INV-BOUNDED';

function check(trace: Trace): Verdict {
  const p = trace.config.params;
  let judged = 0;
  for (const call of aliceCalls(trace)) {
    const s = call.after;
    if (s === undefined) continue;
    // A call after which a table is full: the bound is what stops the next one.
    const full =
      s.entries.length >= p.foreignEntriesCountMax ||
      s.entries.some(
        (e) =>
          e.addresses.length >= p.addressesPerEntryCountMax ||
          e.addresses.filter((a) => a.status === 'tentative' || a.challengeOutstanding).length >=
            p.tentativePerEntryCountMax,
      );
    if (full) judged += 1;
    if (s.entries.length > p.foreignEntriesCountMax)
      return fail(ID, call.step, `${s.entries.length} entries > foreignEntriesCountMax ${p.foreignEntriesCountMax}`);
    for (const e of s.entries) {
      if (e.addresses.length > p.addressesPerEntryCountMax)
        return fail(
          ID,
          call.step,
          `entry ${e.id} has ${e.addresses.length} addresses > addressesPerEntryCountMax ${p.addressesPerEntryCountMax}`,
        );
      const checking = e.addresses.filter((a) => a.status === 'tentative' || a.challengeOutstanding).length;
      if (checking > p.tentativePerEntryCountMax)
        return fail(
          ID,
          call.step,
          `entry ${e.id} has ${checking} addresses under a check > tentativePerEntryCountMax ${p.tentativePerEntryCountMax}`,
        );
    }
  }
  return pass(judged);
}

export const bounded: Property = {
  id: ID,
  needs: 'state',
  summary: 'entries, addresses and outstanding challenges stay within their ...Max parameters',
  situation: 'call leaving a table at its bound',
  judgedPerRun: 1,
  check,
};
