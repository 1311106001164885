// INV-NO-STRANGER-STATE (§2.3.4: "the receiving host SHOULD NOT create any new Foreign Host
// Cache Entry upon packet arrival"; §4.1; §5.2): a received packet that no SA of Alice's
// authenticates (no AH, unknown SPI, bad ICV, sequence 0 or replayed, or undecodable) creates
// no entry: the entry ids after the call are among those before it.

import { aliceCalls, packet } from './trace-view.js';
import { fail, pass, type Property, type Verdict } from './types.js';
import type { Trace } from '../world/types.js';

const ID = 'INV-NO-STRANGER-STATE';

function check(trace: Trace): Verdict {
  let judged = 0;
  for (const call of aliceCalls(trace)) {
    const { event, before, after } = call;
    if (event.op !== 'receive' || event.truth === undefined || event.truth.ah === 'valid' || after === undefined)
      continue;
    judged += 1;
    const known = new Set((before?.entries ?? []).map((e) => e.id));
    const created = after.entries.filter((e) => !known.has(e.id));
    if (created.length > 0) {
      const p = event.input !== undefined ? packet(trace, event.input) : undefined;
      return fail(
        ID,
        call.step,
        `an unauthenticated packet (AH ${event.truth.ah}) created entry ${created.map((e) => `${e.id} [${e.addresses.map((a) => a.address).join(', ')}]`).join(', ')}: #${event.input} ${p?.summary ?? ''}`,
      );
    }
  }
  return pass(judged);
}

export const noStrangerState: Property = {
  id: ID,
  needs: 'state',
  summary: 'no entry is created for an unauthenticated packet',
  situation: 'packet received without valid AH',
  judgedPerRun: 0.3,
  check,
};
