// INV-CHALLENGE-TARGET (§3.4.2 step 1: "It is important that the challenge is actually sent to
// the Tentative Address and not to any other of the addresses"): every Challenge Alice sends
// is protected by an SA of hers, has no routing header, and goes to an address that a claim
// put under check in that SA's entry. One Challenge value always goes to one address.
//
// Black-box, from the world's ground truth (always judged): a Challenge under SA S to X is
// owed to a claim only when, within challengeLifetimeMs before that Challenge value was first
// sent (HOST.md rule 9: the Challenge goes at once and lives challengeLifetimeMs from its first
// transmission), one of these reached Alice:
//   - a BU under S with valid AH and a lifetime > 0 naming X (rules 5, 6: a claim);
//   - anything that starts a conflict re-check of X held under S (rule 13): a BU or Response
//     naming X under another SA, or an `addSA` whose peer is X; X must then be an address S's
//     entry may hold (its peer, or one named under S before);
//   - with Appendix B on, an AH-valid packet under S whose source is X (rule 20a);
// and no retransmission of it comes after its lifetime. A Challenge to any other address (the
// claimant's old address, its home address, the packet's source) has no claim behind it.
// With `state`, each Challenge must also go to an address with a live Challenge in that SA's
// entry after the call (or before it, if the same call ended the check): rules 9, 13 and 19's
// `challengeOutstanding`.

import type { Address } from '../../impl/wire/types.js';
import type { Trace } from '../world/types.js';
import { addressIn, aliceCalls, entryForSa, packet, SaIndex } from './trace-view.js';
import { fail, pass, type Property, type Verdict } from './types.js';

const ID = 'INV-CHALLENGE-TARGET';

/** When each address was put under check for each SA, from the world's record of what reached Alice. */
class Claims {
  /** "sa name|address" → times a claim or a re-check trigger for it reached Alice. */
  private readonly triggers = new Map<string, number[]>();
  /** Per SA name: every address its entry may hold (its peer, and every address named under it). */
  private readonly related = new Map<string, Set<Address>>();

  constructor(trace: Trace) {
    for (const sa of trace.sas) this.related.set(sa.name, new Set([sa.peerAddress]));
  }

  private add(sa: string, address: Address, at: number): void {
    const key = `${sa}|${address}`;
    this.triggers.set(key, [...(this.triggers.get(key) ?? []), at]);
  }

  /** A re-check of `address` in every other SA's entry that may hold it (rule 13). */
  private conflict(except: string | null, address: Address, at: number): void {
    for (const [name, held] of this.related) if (name !== except && held.has(address)) this.add(name, address, at);
  }

  /** Rule 13 also applies when an address becomes active through rule 17 while tentative elsewhere: both entries may check it. */
  observeAddSa(peer: Address, saName: string | undefined, at: number): void {
    if (saName !== undefined) this.add(saName, peer, at);
    this.conflict(saName ?? null, peer, at);
  }

  observeAuthenticated(trace: Trace, saName: string, input: number, at: number, buOptimization: boolean): void {
    const p = packet(trace, input).info;
    const mine = this.related.get(saName);
    for (const bu of p.bus) {
      for (const a of bu.named) {
        if (bu.security === undefined && bu.lifetimeSeconds > 0) this.add(saName, a, at);
        this.conflict(saName, a, at);
      }
    }
    if (buOptimization && p.source !== undefined) this.add(saName, p.source, at);
    for (const bu of p.bus) for (const a of bu.named) mine?.add(a);
  }

  /** Whether a claim on `address` under `sa` reached Alice in [from, to]. */
  claimed(sa: string, address: Address, from: number, to: number): boolean {
    return (this.triggers.get(`${sa}|${address}`) ?? []).some((t) => t >= from && t <= to);
  }
}

function check(trace: Trace): Verdict {
  const sas = new SaIndex(trace);
  const lifetimeMs = trace.config.params.challengeLifetimeMs;
  const claims = new Claims(trace);
  /** "sa name|value" → where the value first went, and when. */
  const first = new Map<string, { to: Address; at: number }>();
  let judged = 0;
  for (const call of aliceCalls(trace)) {
    const { event, before, after } = call;
    if (event.op === 'addSA' && event.ok && typeof event.request?.peer === 'string') {
      claims.observeAddSa(event.request.peer, sas.byInbound(typeof event.request.inboundSpi === 'number' ? event.request.inboundSpi : undefined)?.name, event.at);
    }
    if (event.op === 'receive' && event.input !== undefined && event.truth?.ah === 'valid' && event.truth.sa !== null) {
      claims.observeAuthenticated(trace, event.truth.sa, event.input, event.at, trace.config.params.buOptimization);
    }
    for (const id of event.sent) {
      const p = packet(trace, id);
      for (const ba of p.info.bas) {
        if (ba.security === undefined) continue;
        judged += 1;
        const to = p.info.destination ?? '?';
        const sa = sas.byOutbound(p.info.spi);
        if (sa === undefined) return fail(ID, call.step, `Alice sent a Challenge (packet #${id}) to ${to} without the AH of one of her SAs`);
        if (p.info.routing !== undefined) return fail(ID, call.step, `Alice sent a Challenge (packet #${id}) with a routing header (to ${to}, then ${p.info.routing.join(', ')})`);
        const key = `${sa.name}|${ba.security}`;
        const seen = first.get(key);
        if (seen !== undefined && seen.to !== to) return fail(ID, call.step, `Alice sent the same Challenge ${ba.security} (SA ${sa.name}) to ${seen.to} and then to ${to}`);
        const since = seen?.at ?? event.at;
        if (seen === undefined) first.set(key, { to, at: event.at });
        if (!claims.claimed(sa.name, to, since - lifetimeMs, since)) {
          return fail(ID, call.step, `Alice sent a Challenge (packet #${id}, SA ${sa.name}) to ${to}, which no claim under that SA (nor a conflicting claim on it) named in the ${lifetimeMs} ms before (rules 5, 9, 13)`);
        }
        if (event.at >= since + lifetimeMs) {
          return fail(ID, call.step, `Alice sent the Challenge she first sent ${to} at ${since} again at ${event.at} (packet #${id}, SA ${sa.name}), after its lifetime of ${lifetimeMs} ms (rule 9)`);
        }
        // With `state`: the address must have a live Challenge in the SA's entry (rules 9, 13, 19).
        if (after === undefined) continue;
        const live = [after, before].some((s) => addressIn(entryForSa(s, sa), to)?.challengeOutstanding === true);
        if (!live) {
          const status = addressIn(entryForSa(after, sa), to)?.status ?? 'absent';
          return fail(ID, call.step, `Alice sent a Challenge (packet #${id}, SA ${sa.name}) to ${to}, which has no live Challenge in that SA's entry (it is ${status} there)`);
        }
      }
    }
  }
  return pass(judged);
}

export const challengeTarget: Property = {
  id: ID,
  needs: 'black-box',
  summary: 'each Challenge goes to the address a claim put under check, and nowhere else',
  situation: 'Challenge sent',
  judgedPerRun: 1.5,
  check,
};
