// REFINES-SIGNALLING part (j): Alice answers the Challenges her peers send her (HOST.md rule
// 11, "every host does"; §3.4.2 step 2: the challenged host returns the Response). Judged from
// the world's ground truth and its own crypto (properties/truth), never from Alice's word.
//
//   Owed. A BA with status 0 that carries a Security Challenge/Response sub-option (a Challenge,
//   rule 9), in a packet AH-valid and fresh under an SA of Alice's (the world's verdict), that
//   every correct host processes: no Home Address option, no routing header, to an address Alice
//   holds before the call (ADDR, the BA's IPv6 destination as it arrived), no destination option
//   whose action bits make a host drop it (RFC 2460 §4.2). In that same call Alice sends, under
//   that SA, a BU whose Security sub-option holds HMAC(K, Challenge ‖ ADDR), the Response (WIRE.md),
//   in either of rule 11's forms (the receiver accepts both) and to any destination (rule 11 fixes
//   the BA's source; where it goes is not judged here).
//   Not owed (not judged): once an ICMPv6 Parameter Problem reached Alice (the peer may be
//   `legacy`, rule 15: no Mobile IPv6 option to it), and BAs with a non-zero status (rule 10:
//   ignored on receipt).

import { addressToBytes, fromHex, toHex } from '../../impl/wire/index.js';
import { responseValue } from '../truth/challenge.js';
import type { Trace } from '../world/types.js';
import { groundTruthOf, surelyProcessed } from './ground-truth.js';
import { callText, packet, SaIndex } from './trace-view.js';

export type ResponsesVerdict = { ok: true; judged: number } | { ok: false; step: number; reason: string };

/** BA status 0: accepted (rule 10 ignores every other on receipt). */
const BA_ACCEPTED = 0;

export function judgeResponsesOwed(trace: Trace): ResponsesVerdict {
  const sas = new SaIndex(trace);
  const ground = groundTruthOf(trace);
  let paramProblemSeen = false;
  let judged = 0;
  for (const step of trace.steps) {
    for (const event of step.events) {
      if (event.kind !== 'alice' || event.op !== 'receive' || event.input === undefined || !event.ok) continue;
      const input = packet(trace, event.input);
      const info = input.info;
      const mayBeLegacy = paramProblemSeen;
      if (info.upper === 'param-problem') paramProblemSeen = true;
      const truth = event.truth;
      if (mayBeLegacy || truth?.ah !== 'valid' || truth.sa === null) continue;
      const challenges = info.bas.filter((b) => b.status === BA_ACCEPTED && b.security !== undefined);
      if (challenges.length === 0) continue;
      const sa = trace.sas.find((s) => s.name === truth.sa);
      const addr = info.destination;
      // No HAO at all: whether one passes rule 1 is not asked here.
      const processed = surelyProcessed(input, ground.beforeCall(event.call).local, () => false);
      if (sa === undefined || addr === undefined || !processed) continue;
      const key = fromHex(sa.keyHex);
      if (key === null) continue;
      const sent = event.sent
        .map((id) => packet(trace, id))
        .filter((p) => p.info.spi !== undefined && sas.byOutbound(p.info.spi) === sa);
      const values = new Set(sent.flatMap((p) => p.info.bus.map((b) => b.security)).filter((v) => v !== undefined));
      for (const ba of challenges) {
        const challenge = fromHex(ba.security ?? '');
        if (challenge === null) continue;
        judged += 1;
        const response = toHex(responseValue(sa.alg, key, challenge, addressToBytes(addr)));
        if (values.has(response)) continue;
        return {
          ok: false,
          step: step.index,
          reason: `Alice sent no Response under SA ${sa.name} to the Challenge ${ba.security?.slice(0, 8) ?? ''}… in the ${callText(event)}, ${input.summary}: a BA with status 0 under valid AH, to her address ${addr}; rule 11 (docs/rules.md) has every host answer with a BU carrying HMAC(K, Challenge ‖ ${addr}) in that call`,
        };
      }
    }
  }
  return { ok: true, judged };
}
