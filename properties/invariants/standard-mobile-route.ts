// LIVE-COMPAT part (f): where Alice's data to a standard mobile peer goes (§2.2.2, R2.2.2-1
// MUST: "the sending host MUST include a Routing header as specified in MIPv6 Sec 8.9", with
// docs/rules.md rule 15a: to the home address, through a routing header only via a care-of
// address that has been verified). Judged with `state` only, from Alice's own account of the
// entry the data is for, and only where the world's ground truth agrees:
//
//   - the call is a `send` Alice accepted; the entry is the one her state after the call holds
//     the request's `to` in as active, else as deprecated (rule 21), and it shows the peer
//     `standard-mobile` with a `homeAddress` H active there (rules 15 and 19), which the world
//     may hold active in that SA's entry (MAY-ACTIVE: a first address or a verified one);
//   - when its `careOfAddress` C is another address, active there, and the world may hold it
//     active (a correct Response for it reached her under that SA: rule 12), every data packet
//     of the call goes to C with a routing header naming H alone: the peer is away from home
//     and its care-of address verified, so the MUST applies (R2.2.2-1; rule 15a only delays it
//     until the verification);
//   - otherwise (no care-of address, or one equal to H, tentative, deprecated or absent), every
//     data packet goes to H itself, without a routing header (rule 15a: "Alice sends to the
//     node's home address"; a routing header through an unverified care-of address is the
//     attack of Appendix C).
// A care-of address the state shows active but the world cannot (no correct Response) is
// INV-ACTIVE-VERIFIED's business: not judged here. Echo replies are no `send`'s (rule 23).

import type { EntryState, HostState } from '../../impl/host/types.js';
import type { Address } from '../../impl/wire/types.js';
import type { Trace } from '../world/types.js';
import { groundTruthOf, saKey } from './ground-truth.js';
import { addressIn, aliceCalls, callText, isData, packet } from './trace-view.js';

export type StandardMobileRouteVerdict = { ok: true; judged: number } | { ok: false; step: number; reason: string };

/** Rule 21: the entry holding `to` as active, else as deprecated. */
function entryFor(state: HostState, to: Address): EntryState | undefined {
  return (
    state.entries.find((e) => e.addresses.some((a) => a.address === to && a.status === 'active')) ??
    state.entries.find((e) => e.addresses.some((a) => a.address === to && a.status === 'deprecated'))
  );
}

export function judgeStandardMobileRoutes(trace: Trace): StandardMobileRouteVerdict {
  let judged = 0;
  for (const call of aliceCalls(trace)) {
    const { event } = call;
    const after = event.state;
    if (event.op !== 'send' || !event.ok || after === undefined || typeof event.request.to !== 'string') continue;
    const entry = entryFor(after, event.request.to);
    if (entry === undefined || entry.peerKind !== 'standard-mobile' || entry.sa === null) continue;
    const home = entry.homeAddress;
    if (home === null || addressIn(entry, home)?.status !== 'active') continue;
    const inbound = entry.sa.inboundSpi;
    const sa = trace.sas.find((s) => s.aliceInboundSpi === inbound);
    if (sa === undefined) continue;
    const world = groundTruthOf(trace).afterCall(event.call).mayActive(saKey(sa));
    if (!world.has(home)) continue;
    const coa = entry.careOfAddress;
    const coaActive = coa !== null && coa !== home && addressIn(entry, coa)?.status === 'active';
    // Active by Alice's account but not by the world's: INV-ACTIVE-VERIFIED's, not judged here.
    if (coaActive && !world.has(coa)) continue;
    for (const id of event.sent) {
      const p = packet(trace, id);
      if (!isData(p) || p.info.upper === 'echo-reply') continue;
      judged += 1;
      const routing = p.info.routing ?? [];
      const where = `Alice sent data (packet #${id}: ${p.summary}) for ${event.request.to} in the ${callText(event)}, whose entry ${entry.id} she shows standard-mobile with home address ${home} active`;
      if (coaActive) {
        if (p.info.destination !== coa || routing.length !== 1 || routing[0] !== home)
          return {
            ok: false,
            step: call.step,
            reason: `${where} and care-of address ${coa} active (verified), but not to ${coa} with a routing header naming ${home}: §2.2.2 R2.2.2-1 (MUST) routes data to a standard mobile host away from home through its care-of address, which rule 15a allows once verified`,
          };
      } else if (p.info.destination !== home || routing.length > 0) {
        return {
          ok: false,
          step: call.step,
          reason: `${where} and no verified care-of address (${coa === null ? 'none' : `${coa} is ${coa === home ? 'the home address' : (addressIn(entry, coa)?.status ?? 'not in the entry')}`}), but not straight to ${home}: rule 15a sends to the home address, through a routing header only via a verified care-of address`,
        };
      }
    }
  }
  return { ok: true, judged };
}
