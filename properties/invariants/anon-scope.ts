// INV-ANON-SCOPE (§2.4.3: an anonymous SA "MUST NOT be used for any purposes that require
// strong (identity based) authentication"; §3.4.1: "it MUST make sure that Anonymous SAs are
// used only for securing BUs and BAs, and not for application security"; HOST.md rules 21,
// 22). Two halves, both black-box:
// - every packet Alice protects with an anonymous SA carries a BU or a BA and no upper-layer
//   data (UDP or ICMPv6 echo);
// - every delivery Alice reports as `authenticated` comes from a packet whose AH verified,
//   fresh, under a generic SA (the world's verdict): never from an anonymous SA, and, by
//   extension, never from a packet that no SA authenticates.

import { aliceCalls, isData, packet, SaIndex } from './trace-view.js';
import { fail, pass, type Property, type Verdict } from './types.js';
import type { Trace } from '../world/types.js';

const ID = 'INV-ANON-SCOPE';

function check(trace: Trace): Verdict {
  const sas = new SaIndex(trace);
  let judged = 0;
  for (const call of aliceCalls(trace)) {
    const { event } = call;
    for (const id of event.sent) {
      const p = packet(trace, id);
      const sa = sas.byOutbound(p.info.spi);
      if (sa?.kind !== 'anonymous') continue;
      judged += 1;
      if (isData(p))
        return fail(
          ID,
          call.step,
          `Alice protected upper-layer data with the anonymous SA ${sa.name}: #${id} ${p.summary}`,
        );
      if (p.info.bus.length === 0 && p.info.bas.length === 0)
        return fail(
          ID,
          call.step,
          `Alice used the anonymous SA ${sa.name} for a packet with neither BU nor BA: #${id} ${p.summary}`,
        );
    }
    if (event.op !== 'receive' || event.truth === undefined) continue;
    if (event.truth.saKind === 'anonymous' || event.truth.ah !== 'valid') judged += 1;
    for (const d of event.delivered) {
      if (!d.authenticated) continue;
      if (event.truth.ah !== 'valid' || event.truth.saKind !== 'generic') {
        const how =
          event.truth.saKind === 'anonymous'
            ? `the anonymous SA ${event.truth.sa}`
            : `no generic SA (AH ${event.truth.ah})`;
        return fail(
          ID,
          call.step,
          `Alice reported data as authenticated that ${how} protected: #${event.input} ${event.input !== undefined ? packet(trace, event.input).summary : ''}`,
        );
      }
    }
  }
  return pass(judged);
}

export const anonScope: Property = {
  id: ID,
  needs: 'black-box',
  summary: 'an anonymous SA protects only BU and BA, and never authenticates data',
  situation: 'packet under an anonymous SA, or received without valid generic AH',
  judgedPerRun: 2,
  check,
};
