// REFINES-SIGNALLING part (g): the plain BA of HOST.md rule 10, judged from the world's ground
// truth (ground-truth.ts: what reached Alice with the world's verdict, the SAs it gave her),
// never from her state. Rule 10: "If the BU asked for one (A bit) and named no new address, a
// BA goes to the packet's source when that address is active or deprecated in the entry, else
// to the HAO, else nowhere (never to an unverified address ...). Status 0, or 131 when a named
// address was refused by a bound."
//
//   Owed. A BU that every correct host accepts (`GroundTruth.surelyAccepted`: AH-valid under an
//   SA Alice accepted, in a packet every correct host processes, so its HAO, if any, is proven
//   active in the SA's entry; no Response; in order and newer than every number the entry's last
//   accepted BU may have, rule 7), with the A bit, that names no new address: lifetime 0 (rule 6
//   removes what it names), or every address it names (rule 5: global and not Alice's) proven
//   active in the entry before the call (MUST-ACTIVE; rule 6 refreshes an active address and
//   challenges nothing, and a proof ends when another SA touches the address, rule 13) and not
//   removed by an earlier BU of the packet. A BA is then owed somewhere when the packet's source
//   is proven active in the entry before and after the call, or the packet has an HAO; it must
//   come in that same call, under the SA, with the BU's sequence number or, §3.2.2 (R3.2.2-5),
//   that of a later BU of the packet. Not owed (not judged): toward a peer that may be `legacy`
//   (an ICMPv6 Parameter Problem reached Alice, rule 15, and the packet carries no Homeless
//   Support that would make it homeless again), and with Appendix B on when the source is not
//   proven (rule 20a's Challenge may be the BA it sends).
//   Where. Every plain BA Alice sends in a `receive` under the SA that authenticated the packet
//   goes to the packet's source or its HAO, and only to one that may be active or deprecated in
//   the entry (MAY-HOLD, before or after the call): never to an unverified address. When the
//   source is proven active before and after the call, to the source.
//   Not owed. Every plain BA Alice sends under the SA in that call answers, by its sequence
//   number (or, R3.2.2-5, a later BU's of the packet), a BU of the packet with the A bit that
//   did not draw a Challenge: a Challenge BA under the SA with the BU's number, to an address
//   the BU names, in that call proves it named a new address (rule 9), and no plain BA is sent
//   for it (rule 10). (Rule 20a's Challenge to the packet's new source, with Appendix B on, may
//   carry the BU's number too: it proves nothing of what the BU named.)
//   Status. The BA owed for a BU that named nothing new has status 0 (no bound refused anything).
// Status (0 or 131) and the sequence number of every plain BA Alice sends are judged by
// `judgeBaFields` (challenge-target.ts). Open, never judged (HOST.md line 8): the BA's source
// address, the order of packets in the call's `sent`. A Response with the A bit (rule 12) is
// judged for where its BA goes; whether one is owed only with Alice's state: black-box the world
// cannot prove a Response accepted (its Challenge may have been replaced, or a rival's re-check
// keep it waiting), her state proves it when the named address turns active in that call.

import { isGlobalAddress } from '../../impl/wire/index.js';
import type { Address } from '../../impl/wire/types.js';
import type { Trace } from '../world/types.js';
import { groundTruthOf, saKey } from './ground-truth.js';
import { addressIn, aliceCalls, callText, entryForSa, packet, SaIndex } from './trace-view.js';

export type PlainBaVerdict = { ok: true; judged: number } | { ok: false; step: number; reason: string };

export function judgePlainBas(trace: Trace): PlainBaVerdict {
  const sas = new SaIndex(trace);
  const buOptimization = trace.config.params.buOptimization;
  let paramProblemSeen = false;
  let judged = 0;
  const calls = new Map(aliceCalls(trace).map((c) => [c.event, c]));
  for (const step of trace.steps) {
    for (const event of step.events) {
      if (event.kind !== 'alice' || event.op !== 'receive' || event.input === undefined || !event.ok) continue;
      const input = packet(trace, event.input);
      const info = input.info;
      const truth = event.truth;
      const sa = truth?.ah === 'valid' && truth.sa !== null ? trace.sas.find((s) => s.name === truth.sa) : undefined;
      const bas = event.sent
        .map((id) => packet(trace, id))
        .filter((p) => p.info.bas.some((b) => b.security === undefined));
      const mayBeLegacy = paramProblemSeen;
      if (info.upper === 'param-problem') paramProblemSeen = true;
      if (sa === undefined || (info.bus.length === 0 && bas.length === 0)) continue;
      // A plain BA without AH toward the packet's source or HAO counts as this BU's answer here:
      // its missing AH is SIGNALLING-AH's failure for an implementation under test (R2.4-3,
      // properties/adapter/checks.ts) and part (e)'s in `hmip6 check`, which a second report,
      // "no BA sent", would only repeat.
      const mine = bas.filter((p) =>
        p.info.spi === undefined
          ? p.info.destination === info.source || (info.hao !== undefined && p.info.destination === info.hao)
          : sas.byOutbound(p.info.spi) === sa,
      );
      const ground = groundTruthOf(trace);
      const key = saKey(sa);
      const before = ground.beforeCall(event.call);
      const after = ground.afterCall(event.call);
      const source = info.source;
      const sourceProven =
        source !== undefined && before.mustActive(key).has(source) && after.mustActive(key).has(source);
      const mayHold = (a: Address | undefined): boolean =>
        a !== undefined && (before.entry(key)?.mayHold.has(a) === true || after.entry(key)?.mayHold.has(a) === true);
      const where = `${callText(event)}, ${input.summary}`;

      // Where: never to an unverified address; to the source when it is proven active.
      for (const p of mine) {
        const to = p.info.destination;
        judged += 1;
        const allowed = (to === source || to === info.hao) && mayHold(to);
        if (!allowed)
          return {
            ok: false,
            step: step.index,
            reason: `Alice sent a plain BA (packet #${p.id}) to ${to ?? '?'} in the ${where}: rule 10 sends it to the packet's source (${source ?? '?'}) when that is active or deprecated in the entry of SA ${sa.name}, else to its HAO (${info.hao ?? 'none'}), never to an unverified address (INV-AMPLIFICATION)`,
          };
        if (sourceProven && to !== source)
          return {
            ok: false,
            step: step.index,
            reason: `Alice sent a plain BA (packet #${p.id}) to ${to ?? '?'} in the ${where}, where its source ${source ?? '?'} is active in the entry of SA ${sa.name} (proven before and after the call): rule 10 sends it to the source`,
          };
      }

      // Not owed: a plain BA under the SA answers a BU of the packet with the A bit (rule 10,
      // a Response's included, rule 12), by its sequence number or, R3.2.2-5, a later BU's; and
      // never a BU that drew a Challenge (rule 10: "names no new address"; rule 9: the Challenge
      // BA carries the BU's sequence number, goes to the address it names, and Alice sent it
      // under this SA in this call). A Challenge to an address the BU does not name (rule 20a,
      // Appendix B: the packet's new source) says nothing of what the BU named.
      const challenges = event.sent
        .map((id) => packet(trace, id))
        .filter((p) => p.info.spi !== undefined && sas.byOutbound(p.info.spi) === sa)
        .flatMap((p) =>
          p.info.bas
            .filter((b) => b.security !== undefined)
            .map((b) => ({ sequence: b.sequence, to: p.info.destination })),
        );
      const drewChallenge = (bu: (typeof info.bus)[number]): boolean =>
        challenges.some((c) => c.sequence === bu.sequence && c.to !== undefined && bu.named.includes(c.to));
      for (const p of mine) {
        if (p.info.spi === undefined) continue;
        for (const ba of p.info.bas) {
          if (ba.security !== undefined) continue;
          judged += 1;
          const answers = info.bus.some(
            (bu, index) =>
              bu.ack &&
              !(bu.security === undefined && drewChallenge(bu)) &&
              info.bus.slice(index).some((later) => later.sequence === ba.sequence),
          );
          if (answers) continue;
          const asked = info.bus.filter((b) => b.ack).map((b) => `#${b.sequence}`);
          return {
            ok: false,
            step: step.index,
            reason: `Alice sent a plain BA (packet #${p.id}, sequence ${ba.sequence}) under SA ${sa.name} in the ${where}, which none is owed for: rule 10 answers only a BU with the A bit that names no new address (${asked.length === 0 ? 'no BU of the packet has the A bit' : `the BUs with the A bit, ${asked.join(', ')}, each drew a Challenge to an address it names under the SA in that call, or the BA's number answers none of them`})`,
          };
        }
      }

      // Owed, with state: a Response with the A bit that verified (rule 12: "A Response with the
      // A bit gets a plain BA"). Black-box its acceptance is unprovable; Alice's state proves it
      // when the named address goes from tentative to active in the SA's entry in this call and
      // no other entry held it before (so no conflict's timer made it active, rule 13).
      const call = calls.get(event);
      if (call?.before !== undefined && call.after !== undefined && event.state !== undefined) {
        const entryBefore = entryForSa(call.before, sa);
        const entryAfter = entryForSa(call.after, sa);
        for (const bu of info.bus) {
          if (!bu.ack || bu.security === undefined || bu.lifetimeSeconds === 0) continue;
          const address = bu.careOf;
          const elsewhere = call.before.entries.some((e) => e !== entryBefore && addressIn(e, address) !== undefined);
          if (elsewhere || addressIn(entryBefore, address)?.status !== 'tentative') continue;
          if (addressIn(entryAfter, address)?.status !== 'active') continue;
          judged += 1;
          const answered = mine.some(
            (p) =>
              p.info.spi !== undefined &&
              p.info.bas.some((b) => b.security === undefined && b.sequence === bu.sequence),
          );
          if (!answered)
            return {
              ok: false,
              step: step.index,
              reason: `Alice sent no plain BA under SA ${sa.name} for the Response BU #${bu.sequence} in the ${where}: it verified (${address} went from tentative to active in the SA's entry) and asks for one (A bit), so rule 12 owes it a plain BA in that call`,
            };
        }
      }

      // Owed: a BU every correct host accepts, with the A bit, naming no new address.
      const accepted = new Set(ground.surelyAccepted(event.call));
      if (accepted.size === 0) continue;
      const homelessSupport = info.bus.some((b) => b.homelessSupport);
      if (mayBeLegacy && !homelessSupport) continue;
      if (buOptimization && !sourceProven) continue;
      if (!sourceProven && info.hao === undefined) continue;
      const proven = before.mustActive(key);
      const removed = new Set<Address>();
      for (const [index, bu] of info.bus.entries()) {
        const named = bu.named.filter((a) => isGlobalAddress(a) && !before.local.has(a));
        const nothingNew = bu.lifetimeSeconds === 0 || named.every((a) => proven.has(a) && !removed.has(a));
        if (bu.lifetimeSeconds === 0) for (const a of named) removed.add(a);
        if (!accepted.has(index) || !bu.ack || !nothingNew) continue;
        judged += 1;
        // R3.2.2-5: one BA may acknowledge every BU of the packet with the highest number.
        const numbers = new Set(info.bus.slice(index).map((b) => b.sequence));
        const answers = mine.filter((p) => p.info.bas.some((b) => b.security === undefined && numbers.has(b.sequence)));
        // Its own BA has status 0: it named nothing new, so no bound refused anything (rule 10's
        // 131 is for a named address a bound refused, rule 8; refreshing an active one or
        // removing one is never refused).
        const refusedStatus = answers
          .flatMap((p) => p.info.bas)
          .find((b) => b.security === undefined && b.sequence === bu.sequence && b.status !== 0);
        if (refusedStatus !== undefined)
          return {
            ok: false,
            step: step.index,
            reason: `Alice answered BU #${bu.sequence} in the ${where} with a plain BA of status ${refusedStatus.status}: the BU named no new address (${bu.lifetimeSeconds === 0 ? 'lifetime 0' : `only ${named.join(', ')}, active in the entry`}), so no bound refused one and rule 10's status is 0`,
          };
        if (answers.length > 0) continue;
        const to = sourceProven ? `its source ${source ?? '?'} (active in the entry)` : `its HAO ${info.hao ?? '?'}`;
        return {
          ok: false,
          step: step.index,
          reason: `Alice sent no plain BA under SA ${sa.name} for BU #${bu.sequence} in the ${where}: every correct host accepts it (rule 7), it asks for one (A bit) and names no new address (${bu.lifetimeSeconds === 0 ? 'lifetime 0' : `only ${named.join(', ')}, active in the entry`}), so rule 10 owes a BA to ${to} in that call`,
        };
      }
    }
  }
  return { ok: true, judged };
}
