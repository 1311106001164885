// INV-AUTH-REQUIRED (§2.4, §2.4.2: "all Binding Updates and Binding Acknowledgements ... MUST
// carry valid AH headers"; HOST.md rules 2 and 3): a received packet carrying a BU, BA or BR
// whose AH is missing, names an unknown SPI, does not verify, or has sequence number 0 leaves
// Alice's state exactly as it was. The world ticks Alice at the same instant just before every
// delivery, so expiries due then (rule 16) are already applied and the comparison is exact.
// Replayed AHs are INV-REPLAY's.

import { aliceCalls, packet, sameState } from './trace-view.js';
import { fail, pass, type Property, type Verdict } from './types.js';
import type { Trace } from '../world/types.js';

const ID = 'INV-AUTH-REQUIRED';
const UNAUTHENTICATED: ReadonlySet<string> = new Set(['none', 'bad-icv', 'unknown-spi', 'bad-sequence']);

function check(trace: Trace): Verdict {
  let judged = 0;
  for (const call of aliceCalls(trace)) {
    const { event, before, after } = call;
    if (
      event.op !== 'receive' ||
      event.truth === undefined ||
      !event.truth.mobility ||
      !UNAUTHENTICATED.has(event.truth.ah)
    )
      continue;
    judged += 1;
    if (!sameState(before, after)) {
      const p = event.input !== undefined ? packet(trace, event.input) : undefined;
      return fail(
        ID,
        call.step,
        `a packet with a BU, BA or BR and AH ${event.truth.ah} changed Alice's state: #${event.input} ${p?.summary ?? ''}`,
      );
    }
  }
  return pass(judged);
}

export const authRequired: Property = {
  id: ID,
  needs: 'state',
  summary: 'no BU, BA or BR without valid AH changes the host cache',
  situation: 'BU, BA or BR received without valid AH',
  judgedPerRun: 0.1,
  check,
};
