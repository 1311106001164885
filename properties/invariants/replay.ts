// INV-REPLAY (RFC 2402 §3.4.3; WIRE.md "the anti-replay window moves only after the ICV
// verifies"): a received packet whose AH verifies but whose sequence number Alice has already
// seen under that SA, or that fell behind the window (a network duplicate, or Mallory
// replaying a BU, BA or Response it saw or sent), leaves Alice's state exactly as it was
// (after the expiries due at that instant, which the world applies with a tick first).

import { aliceCalls, packet, sameState } from './trace-view.js';
import { fail, pass, type Property, type Verdict } from './types.js';
import type { Trace } from '../world/types.js';

const ID = 'INV-REPLAY';

function check(trace: Trace): Verdict {
  let judged = 0;
  for (const call of aliceCalls(trace)) {
    const { event, before, after } = call;
    if (event.op !== 'receive' || event.truth?.ah !== 'replay') continue;
    judged += 1;
    if (!sameState(before, after)) {
      const p = event.input !== undefined ? packet(trace, event.input) : undefined;
      return fail(ID, call.step, `a replayed packet (SA ${event.truth.sa}) changed Alice's state: #${event.input} ${p?.summary ?? ''}`);
    }
  }
  return pass(judged);
}

export const replay: Property = {
  id: ID,
  needs: 'state',
  summary: 'a replayed BU, BA or Response changes nothing',
  situation: 'replayed packet received',
  judgedPerRun: 0.02,
  check,
};
