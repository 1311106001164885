// INV-NO-DIVERSION (§3.4, §4.2, Appendix C: the attack the whole check exists for): data that
// Alice's application sends to an honest peer (a `send` whose `to` the peer owned at that
// moment) is never delivered by the network to Mallory.
//
// Not Alice's doing: a packet sent to an address the peer owned at the moment of sending,
// which changed hands while the packet was in flight (the network delivers to the owner at
// arrival).
//
// Known limit (§5.3, "Address Confusion"): an address the peer lost may be taken over by
// Mallory while Alice's binding for it has not expired; data sent there then reaches Mallory
// without any fault of Alice's. The exception covers a send to such an address D until the
// binding must have expired: the later of the loss and the last packet from the peer that
// reached Alice naming D or sent from D, plus the longest lifetime D can have been given
// (max(bindingLifetimeSecondsMax, defaultLifetimeSeconds)). After that, it is a violation.

import { MS_PER_SECOND } from '../../impl/units.js';
import type { Address } from '../../impl/wire/types.js';
import type { NodeName, Trace } from '../world/types.js';
import { aliceCalls, deliveries, isData, Ownership, packet } from './trace-view.js';
import { fail, pass, type Property, type Verdict } from './types.js';

const ID = 'INV-NO-DIVERSION';
const HONEST: ReadonlySet<NodeName> = new Set(['bob', 'carol', 'sam', 'lee']);

function check(trace: Trace): Verdict {
  const p = trace.config.params;
  const keepMs = Math.max(p.bindingLifetimeSecondsMax, p.defaultLifetimeSeconds) * MS_PER_SECOND;
  const delivered = deliveries(trace);
  const owners = new Ownership(trace);
  /** Per peer and address: arrival times at Alice of the peer's packets naming it or sent from it. */
  const mentions = new Map<string, number[]>();
  for (const call of aliceCalls(trace)) {
    if (call.event.op !== 'receive' || call.event.input === undefined) continue;
    const r = packet(trace, call.event.input);
    if (!HONEST.has(r.from)) continue;
    const named = new Set<Address>([
      ...(r.info.source !== undefined ? [r.info.source] : []),
      ...(r.info.hao !== undefined ? [r.info.hao] : []),
      ...r.info.bus.flatMap((b) => b.named),
    ]);
    for (const a of named) {
      const key = `${r.from}|${a}`;
      mentions.set(key, [...(mentions.get(key) ?? []), call.event.at]);
    }
  }
  let judged = 0;
  for (const call of aliceCalls(trace)) {
    const { event } = call;
    if (event.op !== 'send' || event.intent === undefined || event.intent === null || !HONEST.has(event.intent))
      continue;
    const peer = event.intent;
    for (const id of event.sent) {
      const r = packet(trace, id);
      if (!isData(r)) continue;
      judged += 1;
      for (const d of delivered.get(id) ?? []) {
        if (d.to !== 'mallory') continue;
        // Addressed to the peer when sent; the address changed hands while it was in flight.
        if (owners.ownerAt(d.address, event.at) === peer) continue;
        const lostAt = owners.lostAt(d.address, peer);
        if (lostAt !== null && lostAt <= event.at) {
          const last = Math.max(lostAt, ...(mentions.get(`${peer}|${d.address}`) ?? []).filter((t) => t <= event.at));
          if (event.at < last + keepMs) continue; // §5.3: the binding may not have expired yet
          return fail(
            ID,
            call.step,
            `data for ${peer} (packet #${id}) reached Mallory at ${d.address}, which ${peer} lost at ${lostAt}; its binding must have expired by ${last + keepMs}, before the send at ${event.at}`,
          );
        }
        return fail(
          ID,
          call.step,
          `data for ${peer} (packet #${id}, ${r.summary}) reached Mallory at ${d.address}, an address ${peer} ${owners.everOwnedBy(d.address, peer) ? 'did not own when it was sent' : 'never owned'}`,
        );
      }
    }
  }
  return pass(judged);
}

export const noDiversion: Property = {
  id: ID,
  needs: 'black-box',
  summary: 'data meant for an honest peer never reaches Mallory (except §5.3, a known limit)',
  situation: 'data packet for an honest peer',
  judgedPerRun: 0.25,
  check,
};
