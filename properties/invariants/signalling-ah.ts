// REFINES-SIGNALLING part (e): every BU and BA Alice sends is protected by AH under one of her
// SAs (§2.4 "All Binding Updates and Binding Acknowledgements MUST be protected with AH",
// R2.4-3; R2.4.2-1 REQUIRED), and its ICV verifies under that SA's key as the world drew it;
// so does every other packet she sends under AH (data under a generic SA, §3.4.1): an AH whose
// ICV does not verify is one the peer must drop (RFC 2402 §3.4.4), and a computation wrong the
// same way on every node (the routing header's arrival form, say) shows only here.
// Judged from the world's ground truth: the SAs it gave Alice (trace.sas: SPIs and keys) and
// the independent ICV of properties/truth, never impl/crypto's.
//
// The oracle's packet check SIGNALLING-AH judges the BUs and BAs of an external implementation
// (a failure there, from the adapter's view of each call), so for one this part judges only
// her other AH packets; for the reference and the mutant bank, which the oracle's checks never
// see, it judges all.

import { fromHex } from '../../impl/wire/index.js';
import { verifyIcv } from '../truth/index.js';
import type { Trace } from '../world/types.js';
import { callText, SaIndex } from './trace-view.js';

export interface AhJudgement {
  ok: boolean;
  /** Packets judged: those that carry a BU or a BA, and the others under AH. */
  judged: number;
  step: number;
  reason: string;
}

/**
 * Part (e): the AH of every packet of Alice's that carries a BU or a BA (unless
 * `signalling` is false: the oracle judges those), and of every other packet she sent under AH.
 */
export function judgeSignallingAh(trace: Trace, signalling = true): AhJudgement {
  const sas = new SaIndex(trace);
  const keys = new Map<string, Uint8Array>();
  let judged = 0;
  for (const step of trace.steps) {
    for (const event of step.events) {
      if (event.kind !== 'alice' || !event.ok) continue;
      for (const id of event.sent) {
        const record = trace.packets[id];
        const info = record.info;
        if (!info.decodes) continue;
        const carriesSignalling = info.bus.length > 0 || info.bas.length > 0;
        if (carriesSignalling ? !signalling : info.spi === undefined) continue;
        judged += 1;
        const what = carriesSignalling
          ? [...info.bus.map(() => 'BU'), ...info.bas.map(() => 'BA')].join('+')
          : 'packet under AH';
        // A BU or BA must be under AH (§2.4); any AH must be computed as RFC 2402 says, or the
        // peer drops the packet (§3.3.3 the ICV, §3.4.4 its check).
        const basis = carriesSignalling ? 'R2.4-3 MUST' : 'RFC 2402 §3.3.3, §3.4.4';
        const to = info.destination ?? '?';
        const where = `packet ${id}, ${callText(event)}`;
        if (info.spi === undefined)
          return {
            ok: false,
            judged,
            step: step.index,
            reason: `Alice sent a ${what} to ${to} without AH (${where}; §2.4, R2.4-3 MUST)`,
          };
        const sa = sas.byOutbound(info.spi);
        if (sa === undefined)
          return {
            ok: false,
            judged,
            step: step.index,
            reason: `Alice sent a ${what} to ${to} under SPI ${info.spi}, none of her outbound SPIs (${where}; ${basis})`,
          };
        let key = keys.get(sa.name);
        if (key === undefined) {
          key = fromHex(sa.keyHex) ?? new Uint8Array(0);
          keys.set(sa.name, key);
        }
        const bytes = fromHex(record.hex);
        if (bytes === null || !verifyIcv(bytes, { alg: sa.alg, key }))
          return {
            ok: false,
            judged,
            step: step.index,
            reason: `Alice sent a ${what} to ${to} whose AH ICV does not verify under ${sa.name} (SPI ${info.spi}; ${where}; ${basis})`,
          };
      }
    }
  }
  return { ok: true, judged, step: -1, reason: '' };
}
