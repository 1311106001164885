// REFINES-SIGNALLING part (h): the BUs Alice sends to a peer proven not to be homeless carry no
// Homeless Support sub-option. §3.2.3: BUs to a host known not to support Homeless Mobile IPv6
// "must be strictly formatted according to MIPv6"; HOST.md rule 14: Homeless Support stays in
// her BUs to a peer "until its first BA", and rule 15 moves an `unknown` peer on, rule 16 then
// sends it draft-13 BUs (docs/compatibility.md: no homeless sub-option).
//
// Judged from the world's ground truth alone, per SA, only while the world can prove the peer's
// kind is `standard`, `standard-mobile` or `legacy` (Alice sends the last no BU at all, rule 15,
// so a BU with Homeless Support is wrong toward it too), never `unknown` or `homeless`:
//   - no AH-valid BU or BR with Homeless Support under the SA has reached Alice, in an earlier
//     call or in this one (rule 15: it makes the peer homeless, from any kind, for good);
//   - and either an AH-valid packet under the SA with a BU without Homeless Support, no HAO and
//     no routing header (so no correct host drops it, rules 2, 22) reached her in an earlier call
//     (rule 15: an authenticated BU without it makes an `unknown` or `standard` peer
//     `standard-mobile`), or she sent a BU under the SA in its `addSA` (her Initial BU, rule 14)
//     and the call comes compatProbeTimeoutMs or more after it (rule 15: the peer fell back from
//     `unknown` to `standard` at the start of the call, rule 16).
//
// And the converse (rule 14, R3.1-2 SHOULD: Homeless Support "until the first Binding
// Acknowledgement is received"): every BU Alice sends under the SA, a Response excepted (rule 12
// allows it no such sub-option), carries Homeless Support while no AH-valid BA with status 0
// under the SA has reached her (earlier or in this call; rule 10 ignores any other status) and
// the world proves the peer `unknown` or `homeless` in her view: no Parameter Problem has reached
// her at all (rule 15 may make a peer legacy), and either an AH-valid BU or BR with Homeless
// Support under the SA reached her (homeless, rule 15, which nothing but a Parameter Problem
// changes), or her Initial BU under the SA went less than compatProbeTimeoutMs before the call
// and no AH-valid packet under the SA carrying a BU or an HAO has reached her (rule 15 moves an
// `unknown` peer only on those).

import type { Trace } from '../world/types.js';
import { callText, carriesHomelessSupport, clockText, packet, SaIndex } from './trace-view.js';

export type StandardPeerVerdict = { ok: true; judged: number } | { ok: false; step: number; reason: string };

interface Kind {
  /** An AH-valid BU or BR with Homeless Support under the SA reached Alice: maybe homeless. */
  homeless: boolean;
  /** An authenticated BU without Homeless Support proved the peer `standard-mobile`. */
  mobile: boolean;
  /** When Alice sent her Initial BU under the SA (its `addSA`), or null. */
  initialAt: number | null;
  /** An AH-valid BA with status 0 under the SA reached Alice (rule 14's "first BA"). */
  acknowledged: boolean;
  /** An AH-valid packet under the SA with a BU or an HAO reached Alice: maybe no longer `unknown`. */
  moved: boolean;
}

export function judgeStandardPeerBus(trace: Trace): StandardPeerVerdict {
  const sas = new SaIndex(trace);
  const probeMs = trace.config.params.compatProbeTimeoutMs;
  const kinds = new Map<string, Kind>();
  const kindOf = (name: string): Kind => {
    let k = kinds.get(name);
    if (k === undefined) {
      k = { homeless: false, mobile: false, initialAt: null, acknowledged: false, moved: false };
      kinds.set(name, k);
    }
    return k;
  };
  let judged = 0;
  let paramProblemSeen = false;
  for (const step of trace.steps) {
    for (const event of step.events) {
      if (event.kind !== 'alice' || !event.ok) continue;
      // What the received packet proves (its Homeless Support counts in this very call).
      let mobileNow: string | null = null;
      const truth = event.op === 'receive' ? event.truth : undefined;
      if (event.op === 'receive' && event.input !== undefined && truth?.ah === 'valid' && truth.sa !== null) {
        const received = packet(trace, event.input);
        const info = received.info;
        const k = kindOf(truth.sa);
        if (carriesHomelessSupport(received)) k.homeless = true;
        else if (info.bus.length > 0 && info.hao === undefined && info.routing === undefined) mobileNow = truth.sa;
        if (info.bas.some((b) => b.status === 0)) k.acknowledged = true;
        if (info.bus.length > 0 || info.hao !== undefined) k.moved = true;
      }
      if (
        event.op === 'receive' &&
        event.input !== undefined &&
        packet(trace, event.input).info.upper === 'param-problem'
      )
        paramProblemSeen = true;
      for (const id of event.sent) {
        const p = packet(trace, id);
        if (p.info.bus.length === 0) continue;
        const sa = sas.byOutbound(p.info.spi);
        if (sa === undefined) continue;
        const k = kindOf(sa.name);
        if (event.op === 'addSA' && event.request.inboundSpi === sa.aliceInboundSpi && k.initialAt === null) {
          k.initialAt = event.at;
          continue;
        }
        const fellBack = k.initialAt !== null && event.at >= k.initialAt + probeMs;
        const stillUnknown = k.initialAt !== null && !fellBack && !k.moved;
        if (!k.acknowledged && !paramProblemSeen && (k.homeless || stillUnknown)) {
          for (const bu of p.info.bus) {
            if (bu.security !== undefined) continue;
            judged += 1;
            if (bu.homelessSupport) continue;
            const why = k.homeless
              ? 'homeless, an authenticated BU or BR with Homeless Support having reached her'
              : `unknown, her Initial BU at ${k.initialAt === null ? '?' : clockText(k.initialAt)} less than compatProbeTimeoutMs = ${probeMs} ms before, and nothing authenticated from it since`;
            return {
              ok: false,
              step: step.index,
              reason: `Alice sent a BU without Homeless Support (BU #${bu.sequence}, packet #${id}: ${p.summary}) to ${p.info.destination ?? '?'} (SA ${sa.name}) in the ${callText(event)}, before any BA of the peer's reached her, while it is ${why}: rule 14 (R3.1-2) keeps Homeless Support in her BUs until the peer's first BA`,
            };
          }
          continue;
        }
        if (k.homeless || !(k.mobile || fellBack)) continue;
        judged += 1;
        const bu = p.info.bus.find((b) => b.homelessSupport);
        if (bu === undefined) continue;
        const why = k.mobile
          ? 'an authenticated BU without Homeless Support made it standard-mobile'
          : `no authenticated BU or BR with Homeless Support came in compatProbeTimeoutMs = ${probeMs} ms after her Initial BU at ${k.initialAt === null ? '?' : clockText(k.initialAt)}, so it fell back to standard`;
        return {
          ok: false,
          step: step.index,
          reason: `Alice sent a BU with Homeless Support (BU #${bu.sequence}, packet #${id}: ${p.summary}) to ${p.info.destination ?? '?'} (SA ${sa.name}) in the ${callText(event)}, a peer that is not homeless (${why}, rule 15): §3.2.3 formats BUs to it strictly as MIPv6, and rules 14 and 16 send it no Homeless Support`,
        };
      }
      if (mobileNow !== null) kindOf(mobileNow).mobile = true;
    }
  }
  return { ok: true, judged };
}
