// LIVE-HONEST-MOVE (§2.1.2, §2.3.1, §3.4.2; DESIGN.md: safety alone is easy to fake): after an
// honest homeless peer moves (or gains an address) and the network then loses nothing for
// 3 × challengeLifetimeMs, Alice has the new address active and reaches the peer there.
//
// The world judges a move when its premise holds (docs/properties.md lists it: the move is
// followed at once by a fair stretch of at least 3 × challengeLifetimeMs; no fault, random
// loss, clock jump or loss of an Alice address since the move; Mallory silent toward Alice
// from challengeLifetimeMs before the move; the peer still owns the address and its BU naming
// it reached Alice; the peer's entry cannot be at a bound). It then makes Alice's application
// send to the new address. Black-box: the probe must be sent, reach the peer, be matched there
// to its entry for Alice, and arrive authenticated when the SA is generic (data sent through
// a new entry would not be). With `state`: the address must also be active in the peer's entry.

import type { Trace } from '../world/types.js';
import { addressIn, aliceCalls, entryForSa } from './trace-view.js';
import { fail, type Property, type Verdict } from './types.js';

const ID = 'LIVE-HONEST-MOVE';

function check(trace: Trace): Verdict {
  const calls = aliceCalls(trace);
  let judged = 0;
  for (const step of trace.steps) {
    for (const e of step.events) {
      if (e.kind !== 'probe' || !e.result.judged) continue;
      judged += 1;
      const r = e.result;
      const what = `${e.peer} moved to ${e.address} at ${e.moveAt}`;
      if (!r.sendOk) return fail(ID, step.index, `${what}; at ${e.at} Alice refused to send to it`);
      if (r.unreachable)
        return fail(ID, step.index, `${what}; at ${e.at} Alice answered that ${e.address} is unreachable`);
      if (!r.reached)
        return fail(ID, step.index, `${what}; Alice's probe to it did not reach ${e.peer}'s entry for her`);
      if (r.generic && !r.authenticated)
        return fail(
          ID,
          step.index,
          `${what}; Alice's probe reached ${e.peer} without the SA's AH (sent outside ${e.peer}'s entry: the address is not active there)`,
        );
      const sa = trace.sas.find((s) => s.peer === e.peer);
      const call = calls.find(
        (c) => c.step === step.index && c.event.op === 'send' && c.event.request.to === e.address,
      );
      if (sa !== undefined && call?.after !== undefined) {
        const status = addressIn(entryForSa(call.after, sa), e.address)?.status;
        if (status !== 'active')
          return fail(
            ID,
            step.index,
            `${what}; after a fair stretch it is ${status ?? 'absent'} in ${e.peer}'s entry, not active`,
          );
      }
    }
  }
  return { ok: true, judged };
}

export const liveHonestMove: Property = {
  id: ID,
  needs: 'black-box',
  summary: 'after an honest move and a fair stretch, the new address is active and reaches the peer',
  situation: 'honest move after a fair stretch',
  judgedPerRun: 0.12,
  check,
};
