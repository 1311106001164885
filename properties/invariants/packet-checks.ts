// REFINES-SIGNALLING part (f): the oracle's packet checks INITIAL-BU, SENT-WELL-FORMED and
// FRESH-VALUES (properties/adapter/checks.ts, `OracleChecks`), judged on in-process Alices too:
// the reference host and the mutant bank in `hmip6 check`, which the oracle's checks never
// watch (check-worker.ts attaches them to an adapter IUT only).
//
// One implementation of each check: the run's trace is replayed through `OracleChecks`, call by
// call, as the adapter would have shown it (each accepted request with its fields and the bytes
// Alice sent), and the first finding fails the part, whatever its level: in `hmip6 check` a
// departure from a host rule fails, as every REFINES-SIGNALLING departure does. SIGNALLING-AH
// is left out: part (e) judges the same AH, by the ground truth's own ICV.
//
// For an implementation under test (`trace.alice.oracleChecks`) the part judges nothing: the
// oracle's checks watched its exchanges and report their findings themselves (a MUST-level one
// fails the oracle, the rest warn), so that no departure is reported twice. Part (e) leaves such
// an Alice to SIGNALLING-AH the same way.

import { OracleChecks } from '../adapter/checks.js';
import { fromHex } from '../../impl/wire/index.js';
import type { Address } from '../../impl/wire/types.js';
import type { AliceEvent, Trace } from '../world/types.js';
import { callText } from './trace-view.js';

export type PacketChecksVerdict = { ok: true; judged: number } | { ok: false; step: number; reason: string };

/** The request as the adapter protocol carries it (properties/adapter/alice.ts), for the checks. */
function requestOf(trace: Trace, event: AliceEvent): Record<string, unknown> {
  const now = { now: event.at };
  const r = event.request ?? {};
  switch (event.op) {
    case 'addSA':
      return { ...now, sa: r };
    case 'receive':
      return { ...now, packet: event.input === undefined ? undefined : trace.packets[event.input]?.hex };
    default:
      return { ...now, ...r };
  }
}

/** Part (f): counts the Initial BUs judged; the first finding of any of the checks fails. */
export function judgePacketChecks(trace: Trace): PacketChecksVerdict {
  if (trace.alice.oracleChecks === true) return { ok: true, judged: 0 };
  const checks = new OracleChecks({ signallingAh: false });
  const initial = Object.entries(trace.owners).flatMap(([a, node]): Address[] => (node === 'alice' ? [a] : []));
  checks.beginRun(0, trace.config.seed, initial, trace.config.params);
  for (const step of trace.steps) {
    for (const event of step.events) {
      // The adapter shows the checks only the requests answered `ok` (alice.ts `answer`).
      if (event.kind !== 'alice' || !event.ok) continue;
      const sent = event.sent.map((id) => fromHex(trace.packets[id].hex) ?? new Uint8Array(0));
      checks.call(event.op, requestOf(trace, event), sent);
      const finding = checks.findings[0];
      if (finding === undefined) continue;
      const id = finding.packet === undefined ? undefined : event.sent[finding.packet];
      const what = id === undefined ? '' : `packet #${id}: ${trace.packets[id].summary}; `;
      return {
        ok: false,
        step: step.index,
        reason: `${finding.check} (${finding.basis.join(', ')}): ${finding.message} (${what}${callText(event)})`,
      };
    }
  }
  return { ok: true, judged: checks.initialBus };
}
