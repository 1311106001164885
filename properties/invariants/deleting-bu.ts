// REFINES-SIGNALLING part (i): Alice's deleting BUs delete. §2.1.2 (R2.1.2-8 MUST): a host that
// loses an address "MUST send a deleting Binding Update to its peers", the BU that removes it
// from their Host Cache; rule 20 sends it "from one of her remaining addresses, with an
// Alternate CoA", and rule 6 has the receiver remove every address a BU with lifetime 0 names.
// Its Home Address option, which §3.2.1 puts in a BU toward a host not known to be homeless, is
// Alice's choice (rules.md leaves the deleting BU's form open), but rule 1 has a homeless
// receiver drop a BU whose HAO names no active or deprecated address of its entry: a choice
// that names one the peer has not verified (an address gained and lost again at once, or one
// never told) makes the deletion fail, and the peer keeps the address (tentative until its
// Challenge ends, or active).
//
// Judged from the peer's side, which is the world's ground truth: Bob and Carol are reference
// hosts, and the world records their entry for Alice (the entry of their SA with her) just
// before and just after each of her packets with a deleting BU they take (the trace's
// `peer-entry` events). A packet is judged when every correct receiver processes a BU in it
// that comes in Alice's reach:
//   - it carries AH under the SA of the peer that took it, and no routing header;
//   - it arrived in order: its AH sequence number above those of every packet of Alice's under
//     that SA the peer took before, and each of its BU numbers newer (modulo 2^16, rule 7) than
//     the newest BU number among them (a reordered or duplicated copy may be rightly ignored);
//   - it comes from the first address of the peer's entry for her (rule 19 lists addresses in
//     the order they were inserted: the address the peer's SA was established with, rule 17,
//     while it is there), active or deprecated there just before: from that source, a BU
//     without an HAO, or with one naming its source, is processed (rule 1).
// Then every address its BUs with lifetime 0 name (rule 5) is in no state in the peer's entry
// just after (rule 6). A host-rules matter like the rest of REFINES-SIGNALLING: the HAO's
// choice is rule 1's consequence, not a word of the draft.

import { isNewerSequence } from '../../impl/sequence.js';
import type { Address } from '../../impl/wire/types.js';
import type { NodeName, Trace } from '../world/types.js';
import { packet, SaIndex } from './trace-view.js';

export type DeletingBuVerdict = { ok: true; judged: number } | { ok: false; step: number; reason: string };

/** What a peer had taken of Alice's packets under its SA before one of them arrived. */
interface Taken {
  ahSequenceMax: number;
  /** The newest BU number (modulo 2^16, rule 7) among them, or null. */
  buNewest: number | null;
}

export function judgeDeletingBus(trace: Trace): DeletingBuVerdict {
  const sas = new SaIndex(trace);
  /** Per peer and SA name: what it took so far. */
  const taken = new Map<string, Taken>();
  /** Per packet id: what its peer had taken before it arrived. */
  const before = new Map<number, Taken>();
  let judged = 0;
  for (const step of trace.steps) {
    for (const event of step.events) {
      if (event.kind === 'deliver') {
        const p = packet(trace, event.packet);
        const sa = sas.byOutbound(p.info.spi);
        if (p.from !== 'alice' || sa === undefined || sa.peer !== event.to) continue;
        const key = `${event.to}|${sa.name}`;
        const so = taken.get(key) ?? { ahSequenceMax: 0, buNewest: null };
        if (!before.has(p.id)) before.set(p.id, so);
        let buNewest = so.buNewest;
        for (const b of p.info.bus)
          if (buNewest === null || isNewerSequence(b.sequence, buNewest)) buNewest = b.sequence;
        taken.set(key, { ahSequenceMax: Math.max(so.ahSequenceMax, p.info.ahSequence ?? 0), buNewest });
        continue;
      }
      if (event.kind !== 'peer-entry') continue;
      const p = packet(trace, event.packet);
      const sa = sas.byOutbound(p.info.spi);
      const prior = before.get(p.id);
      if (sa === undefined || sa.peer !== event.peer || prior === undefined || p.info.routing !== undefined) continue;
      if ((p.info.ahSequence ?? 0) <= prior.ahSequenceMax) continue;
      const newest = prior.buNewest;
      if (newest !== null && !p.info.bus.every((b) => isNewerSequence(b.sequence, newest))) continue;
      const first = event.before?.addresses[0];
      if (first === undefined || first.address !== p.info.source || first.status === 'tentative') continue;
      const deleted = p.info.bus
        .filter((b) => b.security === undefined && b.lifetimeSeconds === 0)
        .flatMap((b) => b.named);
      if (deleted.length === 0) continue;
      judged += 1;
      const kept: Address[] = deleted.filter((a) => event.after?.addresses.some((x) => x.address === a) === true);
      if (kept.length === 0) continue;
      const status = event.after?.addresses.find((x) => x.address === kept[0])?.status ?? '?';
      return {
        ok: false,
        step: step.index,
        reason: `Alice's deleting BU to ${peerTitle(event.peer)} (packet #${p.id}: ${p.summary}) did not delete: ${kept.join(', ')} is still ${status} in its entry for her, though the packet came in order from ${first.address}, ${first.status} there, the address its SA was established with (rule 6: a BU with lifetime 0 removes what it names; rule 1: a receiver drops a BU whose HAO names no active or deprecated address of its entry, so the HAO must name one the peer holds, as its source does)`,
      };
    }
  }
  return { ok: true, judged };
}

function peerTitle(node: NodeName): string {
  return node.charAt(0).toUpperCase() + node.slice(1);
}
