// INV-AMPLIFICATION (§4.1; HOST.md rules 9 and 10: "never to an unverified address"): Alice
// sends at most `challengeAttemptsMax` packets to an unverified address per claim. Reading:
// an address X is unverified after a call when it is neither active nor deprecated in any
// entry (a deprecated address was verified once, and rule 10 answers it) and is not Alice's.
// The packets Alice sends to an unverified X are counted against a budget of
// `challengeAttemptsMax` for each time X became tentative in an entry (a claim started a
// check), plus one for each packet Alice received with X as its source or HAO (answers to a
// sender are reflection, not amplification: an echo reply, a plain BA, HOST.md rules 10 and
// 23). Both reset when X is active in some entry and tentative in none (verified, with no
// claim pending).
//
// Storms (DESIGN.md "Storms"): a step in which the world had to stop delivering (more than
// STEP_DELIVERIES_MAX deliveries, or IN_FLIGHT_PACKETS_MAX packets in flight) fails too. That
// part reads only what the world recorded, never Alice's state, so it is judged in black-box
// mode as well; there every packet Alice sent is a situation (one a storm could have grown
// from), while with `state` the situations stay the packets to unverified addresses.

import { aliceCalls, addressIn, Ownership, packet } from './trace-view.js';
import { fail, pass, type Property, type Verdict } from './types.js';
import type { Trace, TraceStep } from '../world/types.js';

const ID = 'INV-AMPLIFICATION';

/** The budget part (needs Alice's state): the first failure, or the packets it judged. */
function budgetCheck(trace: Trace): Verdict {
  const attempts = trace.config.params.challengeAttemptsMax;
  const sent = new Map<string, number>();
  const budget = new Map<string, number>();
  let judged = 0;
  for (const call of aliceCalls(trace)) {
    const { event, before, after } = call;
    if (after === undefined) continue;
    const active = new Set<string>();
    for (const e of after.entries) for (const a of e.addresses) if (a.status === 'active') active.add(a.address);
    for (const e of after.entries) {
      const previous = before?.entries.find((x) => x.id === e.id);
      for (const a of e.addresses) {
        const was = addressIn(previous, a.address);
        if (a.status === 'tentative' && (was === undefined || was.status === 'deprecated'))
          budget.set(a.address, (budget.get(a.address) ?? 0) + attempts);
      }
    }
    if (event.op === 'receive' && event.input !== undefined) {
      // An answer to the packet's sender: its source, or its HAO (HOST.md rule 10).
      const info = packet(trace, event.input).info;
      for (const from of new Set([info.source, info.hao]))
        if (from !== undefined) budget.set(from, (budget.get(from) ?? 0) + 1);
    }
    const verifiedOnce = new Set<string>();
    for (const e of after.entries)
      for (const a of e.addresses) if (a.status === 'deprecated') verifiedOnce.add(a.address);
    for (const id of event.sent) {
      const to = packet(trace, id).info.destination;
      if (to === undefined || active.has(to) || verifiedOnce.has(to) || after.local.includes(to)) continue;
      judged += 1;
      const count = (sent.get(to) ?? 0) + 1;
      sent.set(to, count);
      if (count > (budget.get(to) ?? 0)) {
        return fail(
          ID,
          call.step,
          `Alice sent ${count} packets to the unverified address ${to} (the last: #${id} ${packet(trace, id).summary}) for a budget of ${budget.get(to) ?? 0} (challengeAttemptsMax ${attempts} per claim)`,
        );
      }
    }
    // A verified address with no claim pending on it starts afresh.
    const checking = new Set<string>();
    for (const e of after.entries) for (const a of e.addresses) if (a.status === 'tentative') checking.add(a.address);
    for (const a of active) {
      if (checking.has(a)) continue;
      sent.delete(a);
      budget.delete(a);
    }
  }
  return pass(judged);
}

/** Why the world stopped at `step`: the bound, and where Alice's packets in the step went. */
function stormReason(trace: Trace, step: TraceStep): string {
  const storm = step.storm;
  if (storm === undefined) return '';
  const bound =
    storm.bound === 'deliveries' ? `${storm.limit} deliveries in one step` : `${storm.limit} packets in flight at once`;
  const byDestination = new Map<string, { count: number; example: number }>();
  for (const e of step.events) {
    if (e.kind !== 'alice') continue;
    for (const id of e.sent) {
      const to = packet(trace, id).info.destination ?? '(undecodable)';
      const d = byDestination.get(to) ?? { count: 0, example: id };
      d.count += 1;
      byDestination.set(to, d);
    }
  }
  const top = [...byDestination.entries()].sort((a, b) => b[1].count - a[1].count)[0];
  let where = '';
  if (top !== undefined) {
    const [to, { count, example }] = top;
    const owner = new Ownership(trace).ownerAt(to, storm.at);
    const whose =
      owner === 'alice' ? ", Alice's own address" : owner === null ? ', which nobody owns' : `, ${owner}'s address`;
    where = `; ${count} of them to ${to}${whose} (such as #${example} ${packet(trace, example).summary})`;
  }
  return `a packet storm in step ${step.index} (${step.label}): the world stopped at ${storm.at} past ${bound} (${storm.deliveries} deliveries played, ${storm.inFlight} packets in flight); Alice sent ${storm.aliceSent} packets in the step${where}`;
}

function check(trace: Trace): Verdict {
  const budget = budgetCheck(trace);
  const stormStep = trace.steps.find((s) => s.storm !== undefined);
  // The earlier failure wins; at the same step the storm, which says more.
  if (stormStep !== undefined && (budget.ok || stormStep.index <= budget.step))
    return fail(ID, stormStep.index, stormReason(trace, stormStep));
  if (!budget.ok) return budget;
  if (trace.alice.features.includes('state')) return budget;
  let sent = 0;
  for (const call of aliceCalls(trace)) sent += call.event.sent.length;
  return pass(sent);
}

export const amplification: Property = {
  id: ID,
  needs: 'black-box',
  summary: 'at most challengeAttemptsMax packets to an unverified address per claim, and no packet storm',
  situation: 'packet to an unverified address (black box: packet sent)',
  judgedPerRun: 1,
  check,
};
