// INV-AMPLIFICATION (§4.1; HOST.md rules 9 and 10: "never to an unverified address"): Alice
// sends at most `challengeAttemptsMax` packets to an unverified address per claim. Reading:
// an address X is unverified after a call when it is neither active nor deprecated in any
// entry (a deprecated address was verified once, and rule 10 answers it) and is not Alice's.
// The packets Alice sends to an unverified X are counted against a budget of
// `challengeAttemptsMax` for each time X became tentative in an entry (a claim started a
// check), plus one for each packet Alice received with X as its source or HAO (answers to a
// sender are reflection, not amplification: an echo reply, a plain BA, HOST.md rules 10 and
// 23). Both reset when X is active in some entry and tentative in none (verified, with no
// claim pending).

import { addressIn, aliceCalls, packet } from './trace-view.js';
import { fail, pass, type Property, type Verdict } from './types.js';
import type { Trace } from '../world/types.js';

const ID = 'INV-AMPLIFICATION';

function check(trace: Trace): Verdict {
  const attempts = trace.config.params.challengeAttemptsMax;
  const sent = new Map<string, number>();
  const budget = new Map<string, number>();
  let judged = 0;
  for (const call of aliceCalls(trace)) {
    const { event, before, after } = call;
    if (after === undefined) continue;
    const active = new Set<string>();
    for (const e of after.entries) for (const a of e.addresses) if (a.status === 'active') active.add(a.address);
    for (const e of after.entries) {
      const previous = before?.entries.find((x) => x.id === e.id);
      for (const a of e.addresses) {
        const was = addressIn(previous, a.address);
        if (a.status === 'tentative' && (was === undefined || was.status === 'deprecated')) budget.set(a.address, (budget.get(a.address) ?? 0) + attempts);
      }
    }
    if (event.op === 'receive' && event.input !== undefined) {
      // An answer to the packet's sender: its source, or its HAO (HOST.md rule 10).
      const info = packet(trace, event.input).info;
      for (const from of new Set([info.source, info.hao])) if (from !== undefined) budget.set(from, (budget.get(from) ?? 0) + 1);
    }
    const verifiedOnce = new Set<string>();
    for (const e of after.entries) for (const a of e.addresses) if (a.status === 'deprecated') verifiedOnce.add(a.address);
    for (const id of event.sent) {
      const to = packet(trace, id).info.destination;
      if (to === undefined || active.has(to) || verifiedOnce.has(to) || after.local.includes(to)) continue;
      judged += 1;
      const count = (sent.get(to) ?? 0) + 1;
      sent.set(to, count);
      if (count > (budget.get(to) ?? 0)) {
        return fail(ID, call.step, `Alice sent ${count} packets to the unverified address ${to} (the last: #${id} ${packet(trace, id).summary}) for a budget of ${budget.get(to) ?? 0} (challengeAttemptsMax ${attempts} per claim)`);
      }
    }
    // A verified address with no claim pending on it starts afresh.
    const checking = new Set<string>();
    for (const e of after.entries) for (const a of e.addresses) if (a.status === 'tentative') checking.add(a.address);
    for (const a of active) {
      if (checking.has(a)) continue;
      sent.delete(a);
      budget.delete(a);
    }
  }
  return pass(judged);
}

export const amplification: Property = {
  id: ID,
  needs: 'state',
  summary: 'at most challengeAttemptsMax packets to an unverified address per claim',
  situation: 'packet to an unverified address',
  judgedPerRun: 1,
  check,
};
