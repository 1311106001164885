// REFINES-SIGNALLING part (e): every BU and BA Alice sends is protected by AH under one of her
// SAs (§2.4 "All Binding Updates and Binding Acknowledgements MUST be protected with AH",
// R2.4-3; R2.4.2-1 REQUIRED), and its ICV verifies under that SA's key as the world drew it.
// Judged from the world's ground truth: the SAs it gave Alice (trace.sas: SPIs and keys) and
// the independent ICV of properties/truth, never impl/crypto's.
//
// The oracle's packet check SIGNALLING-AH judges the same for an external implementation (a
// failure there, from the adapter's view of each call); this part makes `hmip6 check` judge it
// for the reference and the mutant bank too, which the oracle's checks never see.

import { fromHex } from '../../impl/wire/index.js';
import { verifyIcv } from '../truth/index.js';
import type { Trace } from '../world/types.js';
import { callText, SaIndex } from './trace-view.js';

export interface AhJudgement {
  ok: boolean;
  /** BUs and BAs judged (packets that carry at least one). */
  judged: number;
  step: number;
  reason: string;
}

/** Part (e): the AH of every packet of Alice's that carries a BU or a BA. */
export function judgeSignallingAh(trace: Trace): AhJudgement {
  const sas = new SaIndex(trace);
  const keys = new Map<string, Uint8Array>();
  let judged = 0;
  for (const step of trace.steps) {
    for (const event of step.events) {
      if (event.kind !== 'alice' || !event.ok) continue;
      for (const id of event.sent) {
        const record = trace.packets[id];
        const info = record.info;
        if (!info.decodes || (info.bus.length === 0 && info.bas.length === 0)) continue;
        judged += 1;
        const what = [...info.bus.map(() => 'BU'), ...info.bas.map(() => 'BA')].join('+');
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
            reason: `Alice sent a ${what} to ${to} under SPI ${info.spi}, none of her outbound SPIs (${where}; R2.4-3 MUST)`,
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
            reason: `Alice sent a ${what} to ${to} whose AH ICV does not verify under ${sa.name} (SPI ${info.spi}; ${where}; R2.4-3 MUST)`,
          };
      }
    }
  }
  return { ok: true, judged, step: -1, reason: '' };
}
