// Rule 2's exception, proven from the world alone: the home addresses that Alice must, by
// rules 2, 4, 6, 13, 15 and 17, hold recorded for a `standard-mobile` peer at a given call, so
// that a packet without AH whose HAO names one of them is delivered (unauthenticated). Shared
// by INV-DELIVERY, which owes that delivery, and the situation that counts such packets.
//
// A home address H is proven for the SA X once an AH-valid packet under X (the world's verdict)
// that no rule drops carries an HAO naming H, where H is X's first address (the `peer` of its
// `addSA`, active with an activity lifetime, rule 17) and every way H could have left the
// entry by then, or the entry could be other than `unknown` or `standard`, is excluded:
// - H is still active or deprecated: the packet arrives before H's activity lifetime, counted
//   from the `addSA` and refreshed only as rule 4 allows (an AH-valid BU, BA or BR, or data
//   under a generic SA, from H while it is active), plus maximumExpiredLifetimeSeconds, ran out;
// - no AH-valid BU under any SA named H before (rule 6: a deletion, an absolute lifetime or a
//   return to tentative; rule 13: a conflict that may take it away), and no AH-valid packet
//   under another SA came from H or named it in an HAO (Appendix B, rule 20a);
// - no correct Response under X reached Alice before (rule 13: a holder that answers a
//   re-check may be flushed);
// - the entry is not `homeless` (no AH-valid BU or BR with Homeless Support under X) and not
//   `legacy` (no Parameter Problem quoting a packet Alice sent under X's SPI, or without AH to
//   an address X's packets ever named or came from, or to X's first address, reached Alice before).
// The entry then becomes `standard-mobile` with H as its home address (rule 15), and stays so:
// it is removed only without an SA (rule 18), and only Homeless Support (which ends the proof)
// moves a `standard-mobile` peer. The proof ends too at any later AH-valid packet under X whose
// HAO names another address (it may be recorded instead).

import { MS_PER_SECOND } from '../../impl/units.js';
import type { Address } from '../../impl/wire/types.js';
import { arrivalFacts } from '../truth/index.js';
import type { AliceEvent, PacketRecord, SaRecord, Trace } from '../world/types.js';
import { aliceAddressesAtReceives, carriesHomelessSupport, events, hexBytes, SaIndex } from './trace-view.js';

/** The home addresses proven recorded for standard-mobile peers just before each `receive`. */
export function provenStandardMobileHomes(trace: Trace): Map<AliceEvent, ReadonlySet<Address>> {
  const params = trace.config.params;
  const activeMs = params.defaultLifetimeSeconds * MS_PER_SECOND;
  const expiredMs = params.maximumExpiredLifetimeSeconds * MS_PER_SECOND;
  const sas = new SaIndex(trace);
  const mine = aliceAddressesAtReceives(trace);
  /** Per SA name: the last instant its first address's activity lifetime started (addSA, then rule 4). */
  const activity = new Map<string, number>();
  /** SAs whose first address can no longer be proven recorded. */
  const blocked = new Set<string>();
  /** Addresses each SA's AH-valid packets named in a BU, came from or named in an HAO. */
  const touched = new Map<string, Set<Address>>();
  const proven = new Map<string, Address>();
  const alicePackets: PacketRecord[] = [];
  const out = new Map<AliceEvent, ReadonlySet<Address>>();
  let current: ReadonlySet<Address> = new Set();

  const end = (name: string): void => {
    blocked.add(name);
    if (proven.delete(name)) current = new Set(proven.values());
  };
  const touchedByOthers = (x: SaRecord, address: Address): boolean => {
    for (const [name, set] of touched) if (name !== x.name && set.has(address)) return true;
    return false;
  };

  for (const { event } of events(trace)) {
    if (event.kind !== 'alice') continue;
    if (event.op === 'addSA' && event.ok) {
      // A malformed addSA Alice accepted counts too, its SPI read as a number.
      const sa = sas.byInbound(event.invalid === true ? Number(event.request.inboundSpi) : event.request.inboundSpi);
      if (sa !== undefined && event.request.peer === sa.peerAddress && !activity.has(sa.name))
        activity.set(sa.name, event.at);
    }
    if (event.op === 'receive' && event.input !== undefined && event.truth !== undefined) {
      out.set(event, current);
      const p = trace.packets[event.input];
      const info = p.info;
      if (info.upper === 'param-problem' && info.quoted !== undefined && info.quoted.length > 0) {
        // Rule 15: only a quote of a packet Alice sent can make its entry legacy: the SA's whose
        // AH it carries, or, without AH, any SA's whose packets ever named or came from its
        // destination. An entry already standard-mobile stays so (proven homes remain).
        const quoted = alicePackets.find((q) => q.hex.startsWith(info.quoted ?? ''));
        if (quoted !== undefined) {
          const owner = sas.byOutbound(quoted.info.spi);
          const to = quoted.info.destination;
          for (const sa of trace.sas)
            if (
              sa === owner ||
              (owner === undefined &&
                to !== undefined &&
                (sa.peerAddress === to || touched.get(sa.name)?.has(to) === true))
            )
              blocked.add(sa.name);
        }
      }
      const x = event.truth.ah === 'valid' ? sas.byInbound(info.spi) : undefined;
      if (x !== undefined && event.truth.sa === x.name) {
        const home = x.peerAddress;
        // Rule 4: the first address's activity, refreshed only while active, by signalling from it or generic data.
        const started = activity.get(x.name);
        const data = info.upper === 'udp' || info.upper === 'echo-request' || info.upper === 'echo-reply';
        const refreshes =
          info.source === home &&
          (info.bus.length > 0 || info.bas.length > 0 || info.br || (x.kind === 'generic' && data));
        if (started !== undefined && refreshes && event.at < started + activeMs) activity.set(x.name, event.at);
        // Homeless Support moves any peer to homeless (rule 15); a holder that answered may be flushed (rule 13).
        if (carriesHomelessSupport(p)) end(x.name);
        if (event.truth.responses.some((r) => r.answers !== null)) blocked.add(x.name);
        if (info.bus.some((b) => b.named.includes(home))) blocked.add(x.name);
        if (info.hao !== undefined && !blocked.has(x.name) && !proven.has(x.name)) {
          const facts = arrivalFacts(hexBytes(p.hex));
          const here = mine.get(event) ?? new Set<Address>();
          const processed =
            facts !== null &&
            facts.checksumValid !== false &&
            !facts.discardingUnknownOption &&
            here.has(facts.destination) &&
            facts.routing.every((a) => here.has(a));
          const start = activity.get(x.name);
          if (
            processed &&
            info.hao === home &&
            !touchedByOthers(x, home) &&
            start !== undefined &&
            event.at < start + activeMs + expiredMs
          ) {
            proven.set(x.name, home);
            current = new Set(proven.values());
          }
        }
        // Another address in an HAO may be recorded instead (rule 15).
        if (info.hao !== undefined && proven.has(x.name) && info.hao !== proven.get(x.name)) end(x.name);
        let set = touched.get(x.name);
        if (set === undefined) touched.set(x.name, (set = new Set()));
        for (const b of info.bus) for (const a of b.named) set.add(a);
        if (info.source !== undefined) set.add(info.source);
        if (info.hao !== undefined) set.add(info.hao);
      }
    }
    for (const id of event.sent) alicePackets.push(trace.packets[id]);
  }
  return out;
}
