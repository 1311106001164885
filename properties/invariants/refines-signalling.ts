// REFINES-SIGNALLING (HOST.md rule 9, with rules 13, 16 and 17; §2.4's AH in signalling-ah.ts):
// how Alice transmits her Challenges, judged from the world's ground truth alone (what reached Alice, what she sent,
// which addresses she held), never from her `state`; and what her other BUs and BAs are: part (d)
// (periodic-bu.ts, rule 16), (e) (signalling-ah.ts, §2.4), (f) (packet-checks.ts: the oracle's
// INITIAL-BU, SENT-WELL-FORMED and FRESH-VALUES), (g) (plain-ba.ts, rule 10) and (h)
// (standard-peer-bu.ts, §3.2.3 with rules 14-16) and (i) (deleting-bu.ts, rules 1, 6 and 20:
// her deleting BUs delete at an honest peer). Like REFINES-MODEL it is held to the
// host rules: a departure is a warning for an implementation under test (a failure with
// `--strict`) and a failure in `hmip6 check`.
//
// Rule 9: "One BA per tentative address, to that address, from the destination address of the
// packet that carried the BU (or, if Alice no longer has it, any of her addresses) ...
// Retransmitted when `now >= last transmission + challengeRetransmitMs`, at most once per
// `tick`, at most `challengeAttemptsMax` transmissions, identical but for the AH sequence
// number." Rule 16: retransmissions happen only in `tick`. So, per Challenge value (an SA and a
// value; INV-CHALLENGE-TARGET already ties a value to one address):
//
//   (a) At once. Its first transmission is in the very call that could have started it: a
//       `receive` of a packet naming its address (in a BU, as source or HAO: a claim, a
//       conflicting claim or Response that starts a holder's re-check, rule 13, or Appendix B's
//       source, rule 20a), or an `addSA` or `send` naming it (rule 17 through rule 13). Whether
//       a claim was accepted at all cannot be proven black-box (rule 8's bounds refuse claims),
//       so a claim with no Challenge is not judged; but a Challenge first seen in a `tick` (or
//       in a call that names nothing of it) was sent late. Exempt: a Challenge that may have
//       started while Alice held no address at all (it waits for one, rule 9).
//   (b) In time, and only in time. Every later copy is sent in a `tick`, at most one per call,
//       no earlier than the last transmission + challengeRetransmitMs, at most
//       challengeAttemptsMax copies in all. And where the world can prove that the Challenge is
//       still owed (below), the first `tick` at or after the last transmission +
//       challengeRetransmitMs carries the next copy.
//   (c) From the right address. A first transmission in a `receive` comes from that packet's
//       (final) destination while Alice holds it; every later copy is the previous one but for
//       the AH sequence number (same source while Alice still holds it, else any of hers, which
//       INV-SOURCE-OWNED judges).
//
// When a retransmission is provably owed (b): the Challenge was first sent in the call a BU of
// its own SA that is no Response, with a lifetime > 0 and naming its address, reached Alice (so
// it checks a tentative address, rule 6, whose life is the Challenge's own), and since then
// nothing that could end it early reached Alice or happened to her: a correct Response to it
// (the world's verdict), an AH-valid BU under its SA naming the address with lifetime 0 (rule
// 6), a correct Response for an address that Alice challenged under another SA too (a conflict
// may settle by flushing both entries, rule 13), another Challenge for the same address under
// that SA, an ICMPv6 Parameter Problem that may make the peer legacy (rule 15; Alice then sends
// it no Mobile IPv6 option), Alice losing an address (rule 9's source may be gone) or gaining
// the address itself (rule 5), and a clock jump. And the due `tick` comes before the
// Challenge's end, challengeLifetimeMs after its first transmission.

import type { Address } from '../../impl/wire/types.js';
import type { AliceEvent, PacketInfo, PacketRecord, ReceiveEvent, SaRecord, Trace } from '../world/types.js';
import { callText, clockText, Holdings, packet, SaIndex } from './trace-view.js';
import { fail, pass, type Property, type Verdict } from './types.js';
import { judgeResponsesOwed } from './responses-owed.js';
import { judgeBaFields } from './challenge-target.js';
import { judgePeriodicBus } from './periodic-bu.js';
import { judgeSignallingAh } from './signalling-ah.js';
import { judgePacketChecks } from './packet-checks.js';
import { judgePlainBas } from './plain-ba.js';
import { judgeStandardPeerBus } from './standard-peer-bu.js';
import { judgeDeletingBus } from './deleting-bu.js';

const ID = 'REFINES-SIGNALLING';

/** One Challenge value Alice sent under one SA, and where its transmissions stand. */
interface Sent {
  sa: SaRecord;
  value: string;
  to: Address;
  firstAt: number;
  /** Copies sent so far (the first included). */
  count: number;
  lastAt: number;
  /** The latest copy, which the next must repeat but for its AH sequence number (rule 9). */
  last: PacketRecord;
  /** Whether the world can prove, for now, that its next transmission is owed (b). */
  owed: boolean;
}

/**
 * Everything of a decoded packet but its source and AH sequence number (rule 9: "identical but
 * for the AH sequence number"); and but its HAO too when `moved` (a new source may bring one).
 */
function sameBut(info: PacketInfo, moved: boolean): string {
  const { source: _source, ahSequence: _sequence, hao, ...rest } = info;
  return JSON.stringify(moved ? rest : { ...rest, hao });
}

/** The addresses a received packet names: in its BUs (rule 5), as source or as HAO. */
function namedBy(info: PacketInfo): Set<Address> {
  const out = new Set<Address>();
  for (const bu of info.bus) for (const a of bu.named) out.add(a);
  if (info.source !== undefined) out.add(info.source);
  if (info.hao !== undefined) out.add(info.hao);
  return out;
}

/** Whether the call could start a Challenge for `address` (a): it received or was asked about it. */
function couldStart(trace: Trace, event: AliceEvent, address: Address): boolean {
  if (event.op === 'receive') return event.input !== undefined && namedBy(packet(trace, event.input).info).has(address);
  if (event.op === 'addSA') return event.request.peer === address;
  if (event.op === 'send') return event.request.to === address;
  return false;
}

function check(trace: Trace): Verdict {
  const sas = new SaIndex(trace);
  const params = trace.config.params;
  const lifetimeMs = params.challengeLifetimeMs;
  const retransmitMs = params.challengeRetransmitMs;
  const attemptsMax = params.challengeAttemptsMax;
  const holdings = new Holdings(trace);
  /** "sa name|value" → the Challenge. */
  const sent = new Map<string, Sent>();
  /** Addresses Alice challenged, with the SAs she challenged each under (rule 13's rivals). */
  const challengedUnder = new Map<Address, Set<string>>();
  /** The last instant Alice held no address at all (a Challenge started then waits, rule 9). */
  let lastEmptyAt = Number.NEGATIVE_INFINITY;
  let judged = 0;

  /** The Challenges whose next transmission is owed (b), so that a tick looks at these alone. */
  const owed = new Set<Sent>();
  const closeAll = (match: (c: Sent) => boolean): void => {
    for (const c of owed) {
      if (!match(c)) continue;
      c.owed = false;
      owed.delete(c);
    }
  };

  for (const step of trace.steps) {
    // A clock jump moves past every Challenge's life with no node running (docs/properties.md, "Clock").
    if (step.action?.kind === 'jump') closeAll(() => true);
    for (const event of step.events) {
      if (event.kind === 'own') {
        const hadNone = holdings.addressesOf('alice').length === 0;
        holdings.observe(event);
        const hasNone = holdings.addressesOf('alice').length === 0;
        if (hadNone || hasNone) lastEmptyAt = event.at;
        continue;
      }
      if (event.kind !== 'alice') continue;
      if (holdings.addressesOf('alice').length === 0) lastEmptyAt = event.at;
      const here = new Set<string>();

      for (const id of event.sent) {
        const p = packet(trace, id);
        const sa = sas.byOutbound(p.info.spi);
        // A Challenge without one of Alice's SAs is INV-CHALLENGE-TARGET's.
        if (sa === undefined || p.info.destination === undefined) continue;
        for (const ba of p.info.bas) {
          if (ba.security === undefined) continue;
          const key = `${sa.name}|${ba.security}`;
          const c = sent.get(key);
          const to = p.info.destination;
          judged += 1;
          if (here.has(key)) {
            return fail(
              ID,
              step.index,
              `Alice sent the Challenge to ${to} (SA ${sa.name}) twice in ${callText(event)} (packet #${id}); rule 9: at most one transmission per call`,
            );
          }
          here.add(key);
          if (c === undefined) {
            const waited = lastEmptyAt >= event.at - lifetimeMs;
            if (!couldStart(trace, event, to) && !waited) {
              return fail(
                ID,
                step.index,
                `Alice first sent a Challenge to ${to} (SA ${sa.name}, packet #${id}) in ${callText(event)}, a call that named nothing of ${to}: rule 9 sends it at once, in the call the claim (or the conflict of rule 13, or the first address of rule 17) arrived in`,
              );
            }
            if (event.op === 'receive' && event.input !== undefined) {
              const carrier = packet(trace, event.input).info;
              const arrivedAt = carrier.finalDestination ?? carrier.destination;
              if (arrivedAt !== undefined && holdings.holder(arrivedAt) === 'alice' && p.info.source !== arrivedAt) {
                return fail(
                  ID,
                  step.index,
                  `Alice sent the Challenge to ${to} (SA ${sa.name}, packet #${id}) from ${p.info.source ?? '?'}, where the packet that carried the claim (#${event.input}) arrived at ${arrivedAt}, which she still holds (rule 9: the Challenge comes from that address)`,
                );
              }
            }
            closeAll((other) => other.sa === sa && other.to === to);
            const rivals = challengedUnder.get(to) ?? new Set<string>();
            rivals.add(sa.name);
            challengedUnder.set(to, rivals);
            const started: Sent = {
              sa,
              value: ba.security,
              to,
              firstAt: event.at,
              count: 1,
              lastAt: event.at,
              last: p,
              owed: !waited && ownClaim(trace, event, sa, to),
            };
            sent.set(key, started);
            if (started.owed) owed.add(started);
            continue;
          }
          // A later copy: a retransmission (rules 9, 16).
          const where = `Alice sent the Challenge she first sent ${to} at ${clockText(c.firstAt)} (SA ${sa.name}) again in ${callText(event)} (packet #${id})`;
          if (event.op !== 'tick') return fail(ID, step.index, `${where}: rules 9 and 16 retransmit only in a tick`);
          if (c.count + 1 > attemptsMax)
            return fail(
              ID,
              step.index,
              `${where}, its transmission ${c.count + 1}, beyond challengeAttemptsMax = ${attemptsMax} (rule 9)`,
            );
          if (event.at < c.lastAt + retransmitMs) {
            return fail(
              ID,
              step.index,
              `${where}, ${event.at - c.lastAt} ms after the last transmission, before challengeRetransmitMs = ${retransmitMs} ms (rule 9)`,
            );
          }
          const lastSource = c.last.info.source;
          const kept = lastSource !== undefined && holdings.holder(lastSource) === 'alice';
          if (kept && p.info.source !== lastSource) {
            return fail(
              ID,
              step.index,
              `${where} from ${p.info.source ?? '?'}, where the last copy came from ${lastSource}, which she still holds (rule 9: identical but for the AH sequence number)`,
            );
          }
          if (sameBut(p.info, !kept) !== sameBut(c.last.info, !kept)) {
            return fail(
              ID,
              step.index,
              `${where}, which differs from the last copy (#${c.last.id}) in more than its source and AH sequence number: ${p.summary} after ${c.last.summary} (rule 9: identical but for the AH sequence number)`,
            );
          }
          c.count += 1;
          c.lastAt = event.at;
          c.last = p;
        }
      }

      // (b) The tick at or after the due instant must carry the next copy, while it is owed.
      if (event.op === 'tick') {
        for (const c of owed) {
          if (here.has(`${c.sa.name}|${c.value}`)) continue;
          if (event.at >= c.firstAt + lifetimeMs || c.count >= attemptsMax) {
            c.owed = false;
            owed.delete(c);
            continue;
          }
          if (event.at < c.lastAt + retransmitMs) continue;
          return fail(
            ID,
            step.index,
            `Alice did not retransmit the Challenge to ${c.to} (SA ${c.sa.name}, first sent at ${clockText(c.firstAt)}, ${c.count} of challengeAttemptsMax = ${attemptsMax} transmissions, the last at ${clockText(c.lastAt)}) in the ${callText(event)}, though challengeRetransmitMs = ${retransmitMs} ms had passed, no Response answered it and nothing ended it (rule 9)`,
          );
        }
      }

      // What the call did that may end a Challenge early (after what it sent: the copies above belong to before).
      if (event.op === 'removeLocalAddress' && event.ok) closeAll(() => true);
      if (event.op === 'addLocalAddress' && event.ok) closeAll((c) => c.to === event.request.address);
      if (event.op === 'receive' && event.input !== undefined) endedBy(trace, event, sas, challengedUnder, closeAll);
    }
  }
  return pass(judged);
}

/**
 * The call received an AH-valid BU under `sa`, no Response, with a lifetime > 0, naming `to`:
 * the Challenge then checks an address tentative in `sa`'s entry (rule 6), and only the events
 * the property follows end it before challengeLifetimeMs.
 */
function ownClaim(trace: Trace, event: AliceEvent, sa: SaRecord, to: Address): boolean {
  if (event.op !== 'receive' || event.input === undefined || event.truth?.ah !== 'valid' || event.truth.sa !== sa.name)
    return false;
  return packet(trace, event.input).info.bus.some(
    (bu) => bu.security === undefined && bu.lifetimeSeconds > 0 && bu.named.includes(to),
  );
}

/** What a received packet may end: rules 6 (lifetime 0), 12 (a correct Response), 13 (a flush), 15 (legacy). */
function endedBy(
  trace: Trace,
  event: ReceiveEvent,
  sas: SaIndex,
  challengedUnder: Map<Address, Set<string>>,
  closeAll: (match: (c: Sent) => boolean) => void,
): void {
  const info = packet(trace, event.input).info;
  if (info.upper === 'param-problem') {
    // Rule 15: a Parameter Problem quoting a packet Alice sent makes that peer legacy. The
    // quoted packet's SA says whose; an unknown or unprotected quote may be anyone's.
    const quoted = info.quoted;
    const original =
      quoted === undefined || quoted.length === 0
        ? undefined
        : trace.packets.find((q) => q.from === 'alice' && q.hex.startsWith(quoted));
    const owner = sas.byOutbound(original?.info.spi);
    closeAll((c) => owner === undefined || c.sa === owner);
  }
  const truth = event.truth;
  if (truth.ah !== 'valid' || truth.sa === null) return;
  const saName = truth.sa;
  for (const bu of info.bus)
    if (bu.lifetimeSeconds === 0) closeAll((c) => c.sa.name === saName && bu.named.includes(c.to));
  for (const r of truth.responses) {
    if (r.answers === null) continue;
    const answered = packet(trace, r.answers).info.bas.map((b) => b.security);
    closeAll((c) => c.sa.name === saName && answered.includes(c.value));
    // Rule 13: with rivals for the address, answers may flush both entries, every address of them.
    const rivals = challengedUnder.get(r.address);
    if (rivals !== undefined && (rivals.size > 1 || !rivals.has(saName)))
      closeAll((c) => c.sa.name === saName || rivals.has(c.sa.name));
  }
}

/**
 * Rule 9's transmissions, then the fields of every BA Alice sends and a claim's holder re-check
 * (rules 9, 10, 13; `judgeBaFields` in challenge-target.ts, which walks the same Challenges),
 * then her periodic BUs (rule 16; `judgePeriodicBus` in periodic-bu.ts), then the AH of every
 * packet she sends under AH and of every BU and BA (§2.4; `judgeSignallingAh` in
 * signalling-ah.ts; not counted in `judged`) and the oracle's packet checks (packet-checks.ts),
 * the BUs and BAs and the packet checks left to the oracle for an implementation under test, then the plain BA rule 10 owes (plain-ba.ts), the BUs toward a
 * peer proven not homeless (standard-peer-bu.ts), her deleting BUs as an honest peer took them (deleting-bu.ts)
 * and her Responses to her peers' Challenges (responses-owed.ts, rule 11).
 */
function checkSignalling(trace: Trace): Verdict {
  const transmissions = check(trace);
  if (!transmissions.ok) return transmissions;
  const fields = judgeBaFields(trace, ID);
  if (!fields.ok) return fields;
  const periodic = judgePeriodicBus(trace);
  if (!periodic.ok) return fail(ID, periodic.step, periodic.reason);
  // (e)'s BUs and BAs and (f) are the oracle's packet checks' business for an implementation
  // under test; (e) still judges its other packets under AH, which those checks do not.
  const ah = judgeSignallingAh(trace, trace.alice.oracleChecks !== true);
  if (!ah.ok) return fail(ID, ah.step, ah.reason);
  const packets = judgePacketChecks(trace);
  if (!packets.ok) return fail(ID, packets.step, packets.reason);
  const plain = judgePlainBas(trace);
  if (!plain.ok) return fail(ID, plain.step, plain.reason);
  const standard = judgeStandardPeerBus(trace);
  if (!standard.ok) return fail(ID, standard.step, standard.reason);
  const deleting = judgeDeletingBus(trace);
  if (!deleting.ok) return fail(ID, deleting.step, deleting.reason);
  const responses = judgeResponsesOwed(trace);
  if (!responses.ok) return fail(ID, responses.step, responses.reason);
  return pass(
    responses.judged +
      transmissions.judged +
      fields.judged +
      periodic.judged +
      plain.judged +
      standard.judged +
      packets.judged +
      deleting.judged,
  );
}

export const refinesSignalling: Property = {
  id: ID,
  needs: 'black-box',
  summary:
    'Alice sends each Challenge at once, retransmits it on time from the same address, and within challengeAttemptsMax, the BAs she sends carry the fields rules 9, 10 and 13 fix, she refreshes a homeless peer every bindingRefreshSeconds with a periodic BU that has no A bit and names all her global addresses, and her emulated bindings toward a standard peer in draft-13 form (rule 16), every BU and BA she sends is under AH and every AH she sends verifies (§2.4, RFC 2402), her packets pass the oracle packet checks (INITIAL-BU, SENT-WELL-FORMED, FRESH-VALUES), she sends the plain BA rule 10 owes where it goes, no Homeless Support to a peer proven not homeless (§3.2.3), her deleting BUs delete at an honest peer (rules 1, 6 and 20), and she answers each Challenge her peers send her (rule 11)',
  situation: 'Challenge transmission, BA or BU judged',
  // The reference judged about 9.7 Challenge transmissions per run at check's defaults (seed 1),
  // before parts (f) to (h) added about 20 more: a quarter of the first.
  judgedPerRun: 2.4,
  reportsEveryFailure: true,
  check: checkSignalling,
};
