// INV-DEPRECATED-BOUND (§2.1.4: "An deprecated address MUST NOT be kept in the Host Cache for
// longer than MAXIMUM-EXPIRED-LIFETIME seconds"; HOST.md rule 16: removal counts from the
// expiry instant and applies at the start of every request at or after it). An address is
// deprecated since the instant its lifetime ran out: the earliest of the `expiresAt` it had
// while active just before, the `expiresAt` Alice reports for it (rule 19) and the call that
// first shows it deprecated. At any accepted call at or after that instant plus
// maximumExpiredLifetimeSeconds, it must be gone. A refused call is not judged: rule 24 runs no
// expiry for it ("no effect at all"), so its state is the one of the last accepted `now`.

import { MS_PER_SECOND } from '../../impl/units.js';
import { addressIn, aliceCalls } from './trace-view.js';
import { fail, pass, type Property, type Verdict } from './types.js';
import type { Trace } from '../world/types.js';

const ID = 'INV-DEPRECATED-BOUND';

function check(trace: Trace): Verdict {
  const keepMs = trace.config.params.maximumExpiredLifetimeSeconds * MS_PER_SECOND;
  const since = new Map<string, number>();
  let judged = 0;
  for (const call of aliceCalls(trace)) {
    const { event, before, after } = call;
    if (after === undefined || !event.ok) continue;
    const seen = new Set<string>();
    for (const e of after.entries) {
      for (const a of e.addresses) {
        if (a.status !== 'deprecated') continue;
        const key = `${e.id}|${a.address}`;
        seen.add(key);
        let start = since.get(key);
        if (start === undefined) {
          const was = addressIn(
            before?.entries.find((x) => x.id === e.id),
            a.address,
          );
          start = Math.min(
            event.at,
            a.lifetime.expiresAt,
            was?.status === 'active' ? was.lifetime.expiresAt : Number.POSITIVE_INFINITY,
          );
          since.set(key, start);
          judged += 1;
        }
        if (event.at >= start + keepMs) {
          return fail(
            ID,
            call.step,
            `${a.address} in entry ${e.id} is still deprecated at ${event.at}, ${event.at - start} ms after it expired at ${start} (maximumExpiredLifetimeSeconds ${keepMs / MS_PER_SECOND})`,
          );
        }
      }
    }
    for (const key of [...since.keys()]) if (!seen.has(key)) since.delete(key);
  }
  return pass(judged);
}

export const deprecatedBound: Property = {
  id: ID,
  needs: 'state',
  summary: 'no address stays deprecated longer than maximumExpiredLifetimeSeconds',
  situation: 'address seen deprecated',
  judgedPerRun: 0.25,
  check,
};
