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
//
// The same pass judges, for REFINES-SIGNALLING (`judgeBaFields`: host rules, so a warning for an
// implementation under test and a failure in `hmip6 check`), the fields of every BA Alice sends,
// from the same record of what reached her, and only where a rule settles them:
//   - a Challenge BA has status 0, and its retransmissions carry the first copy's fields (rule 9);
//   - one owed to a claim carries that BU's sequence number and, as lifetime and refresh, the
//     granted lifetime min(L, `bindingLifetimeSecondsMax`) (rule 9);
//   - one owed to a re-check of a holder (rule 13) carries a number of a BU that reached Alice
//     under the holder's SA (any, before one surely got accepted: a BU that is no Response, in
//     a packet with neither HAO nor routing header; rule 13 leaves that case open) and the address's
//     remaining lifetime in whole seconds, rounded either way, at least 1: between the earliest
//     and the latest expiry any BU or Response naming it under that SA could have set (min(L,
//     `bindingLifetimeSecondsMax`) from its arrival, rules 6 and 12), and, for the SA's first
//     address (rule 17), anywhere up to `defaultLifetimeSeconds` (an activity lifetime);
//   - with Appendix B on, a Challenge owed to a packet's source (rule 20a) is not judged further;
//   - a plain BA (rule 10) has status 0 or 131 and, when sent for an AH-valid packet under its
//     SA, the sequence number of a BU of that packet that asked for it (the A bit).
// A Challenge BA passes when one of the claims or re-checks behind it explains its fields.
//
// With `state`, also for REFINES-SIGNALLING, a claim that Alice accepted (she sent its Challenge in the call the claim
// arrived in) on an address another entry reports active must come with that holder's re-check
// (rule 13): the holder's entry has an SA and takes Mobile IPv6 options (not `legacy`), so it
// can be re-checked, and unless Alice sent it a Challenge for the address within
// 2 × challengeLifetimeMs before (a re-check already under way or just answered, which rule 13
// leaves open), it must show `challengeOutstanding` after the call. A holder at its challenge
// bound makes the claim refused instead (rules 8, 13); a claim accepted without the re-check
// would let the claimant take an address whose holder was never asked.

import { MS_PER_SECOND } from '../../impl/units.js';
import type { Address } from '../../impl/wire/types.js';
import type { HostState } from '../../impl/host/types.js';
import type { BaInfo, SaRecord, Trace } from '../world/types.js';
import { addressIn, aliceCalls, entryForSa, packet, SaIndex } from './trace-view.js';
import { fail, pass, type Property, type PropertyId, type Verdict } from './types.js';

const ID = 'INV-CHALLENGE-TARGET';

/**
 * Why an address was put under check under an SA, and what the Challenge BA then carries:
 * a claim's BU (rule 9), a re-check of a holder (rule 13), or Appendix B's source (rule 20a,
 * not judged further).
 */
type Trigger = { at: number } & (
  { kind: 'claim'; sequence: number; grantedSeconds: number } | { kind: 'recheck' } | { kind: 'appendix-b' }
);

/** When each address was put under check for each SA, from the world's record of what reached Alice. */
class Claims {
  /** "sa name|address" → the claims and re-check triggers for it that reached Alice. */
  private readonly triggers = new Map<string, Trigger[]>();
  /** Per SA name: every address its entry may hold (its peer, and every address named under it). */
  private readonly related = new Map<string, Set<Address>>();
  /** Per SA name: the sequence number of every AH-valid BU under it that reached Alice (a Response included). */
  readonly sequences = new Map<string, Set<number>>();
  /**
   * SAs under which a BU surely got accepted: one that is no Response, in a packet with neither
   * HAO nor routing header (rules 1, 22 drop no such packet), so at least the first was (rule 7).
   */
  readonly accepted = new Set<string>();
  /** "sa name|address" → every expiry a BU or Response naming it under that SA could have set (rules 6, 12). */
  readonly expiries = new Map<string, number[]>();

  constructor(
    trace: Trace,
    private readonly bindingLifetimeSecondsMax: number,
  ) {
    for (const sa of trace.sas) this.related.set(sa.name, new Set([sa.peerAddress]));
  }

  private add(sa: string, address: Address, trigger: Trigger): void {
    const key = `${sa}|${address}`;
    this.triggers.set(key, [...(this.triggers.get(key) ?? []), trigger]);
  }

  /** A re-check of `address` in every other SA's entry that may hold it (rule 13). */
  private conflict(except: string | null, address: Address, at: number): void {
    for (const [name, held] of this.related)
      if (name !== except && held.has(address)) this.add(name, address, { at, kind: 'recheck' });
  }

  /** Rule 13 also applies when an address becomes active through rule 17 while tentative elsewhere: both entries may check it. */
  observeAddSa(peer: Address, saName: string | undefined, at: number): void {
    if (saName !== undefined) this.add(saName, peer, { at, kind: 'recheck' });
    this.conflict(saName ?? null, peer, at);
  }

  observeAuthenticated(trace: Trace, saName: string, input: number, at: number, buOptimization: boolean): void {
    const p = packet(trace, input).info;
    const mine = this.related.get(saName);
    const sequences = this.sequences.get(saName) ?? new Set<number>();
    this.sequences.set(saName, sequences);
    for (const bu of p.bus) {
      sequences.add(bu.sequence);
      if (bu.security === undefined && p.hao === undefined && p.routing === undefined) this.accepted.add(saName);
      const grantedSeconds = Math.min(bu.lifetimeSeconds, this.bindingLifetimeSecondsMax);
      for (const a of bu.named) {
        if (bu.security === undefined && bu.lifetimeSeconds > 0)
          this.add(saName, a, { at, kind: 'claim', sequence: bu.sequence, grantedSeconds });
        if (bu.lifetimeSeconds > 0) {
          const key = `${saName}|${a}`;
          this.expiries.set(key, [...(this.expiries.get(key) ?? []), at + grantedSeconds * MS_PER_SECOND]);
        }
        this.conflict(saName, a, at);
      }
    }
    if (buOptimization && p.source !== undefined) this.add(saName, p.source, { at, kind: 'appendix-b' });
    for (const bu of p.bus) for (const a of bu.named) mine?.add(a);
  }

  /** The claims and re-check triggers for `address` under `sa` that reached Alice in [from, to]. */
  triggersIn(sa: string, address: Address, from: number, to: number): Trigger[] {
    return (this.triggers.get(`${sa}|${address}`) ?? []).filter((t) => t.at >= from && t.at <= to);
  }

  /** Whether a claim on `address` under `sa` reached Alice in [from, to]. */
  claimed(sa: string, address: Address, from: number, to: number): boolean {
    return this.triggersIn(sa, address, from, to).length > 0;
  }
}

/**
 * Rule 13: the remaining lifetime a re-check BA for `address` under `sa` may carry at `at`, in
 * whole seconds (rounded either way, at least 1), or null when the world cannot bound it.
 */
function recheckLifetimeRange(
  claims: Claims,
  sa: SaRecord,
  address: Address,
  at: number,
  defaultLifetimeSeconds: number,
): { low: number; high: number } | null {
  // Every BU or Response recorded so far reached Alice at or before `at`.
  const expiries = claims.expiries.get(`${sa.name}|${address}`) ?? [];
  // The SA's first address may still have an activity lifetime (rule 17): anything up to
  // defaultLifetimeSeconds from the last activity.
  const first = address === sa.peerAddress;
  if (expiries.length === 0 && !first) return null;
  const latest = Math.max(
    ...expiries.map((x) => x - at),
    first ? defaultLifetimeSeconds * MS_PER_SECOND : Number.NEGATIVE_INFINITY,
  );
  const earliest = first ? 0 : Math.min(...expiries.map((x) => x - at));
  return {
    low: Math.max(1, Math.floor(earliest / MS_PER_SECOND)),
    high: Math.max(1, Math.ceil(latest / MS_PER_SECOND)),
  };
}

/** Why the fields of Challenge BA `ba` (SA `sa`, to `to`, first sent at `at`) fit none of the triggers behind it, else null. */
function challengeFieldsFault(
  claims: Claims,
  triggers: readonly Trigger[],
  ba: BaInfo,
  sa: SaRecord,
  to: Address,
  at: number,
  defaultLifetimeSeconds: number,
): string | null {
  if (ba.status !== 0) return `status ${ba.status}, where a Challenge BA carries 0 (rules 9, 13)`;
  const reasons: string[] = [];
  for (const t of triggers) {
    if (t.kind === 'appendix-b') return null;
    if (t.kind === 'claim') {
      if (
        ba.sequence === t.sequence &&
        ba.lifetimeSeconds === t.grantedSeconds &&
        ba.refreshSeconds === t.grantedSeconds
      )
        return null;
      reasons.push(
        `the claim's BU #${t.sequence} asks for sequence ${t.sequence}, lifetime and refresh ${t.grantedSeconds} s (rule 9)`,
      );
      continue;
    }
    // Rule 7: the last accepted number is one of those that reached Alice; before any was
    // surely accepted (a Response that does not verify uses up none), rule 13 leaves it open.
    const sequenceOk = !claims.accepted.has(sa.name) || (claims.sequences.get(sa.name)?.has(ba.sequence) ?? false);
    const range = recheckLifetimeRange(claims, sa, to, at, defaultLifetimeSeconds);
    const lifetimeOk = range === null || (ba.lifetimeSeconds >= range.low && ba.lifetimeSeconds <= range.high);
    if (sequenceOk && lifetimeOk) return null;
    const wanted =
      range === null
        ? ''
        : ` and, as lifetime, the address's remaining lifetime in whole seconds (${range.low === range.high ? `${range.low}` : `${range.low} to ${range.high}`} s)`;
    reasons.push(
      `a re-check of the holder carries the number of a BU that reached Alice under ${sa.name}${wanted} (rule 13)`,
    );
  }
  return `sequence ${ba.sequence}, lifetime ${ba.lifetimeSeconds} s, refresh ${ba.refreshSeconds} s, where ${reasons.join('; or ')}`;
}

/**
 * What one pass over Alice's Challenges judges: `target`, where each goes (INV-CHALLENGE-TARGET,
 * an invariant); `fields`, what the BAs she sends carry and whether a claim came with its
 * holder's re-check (rules 9, 10 and 13, which fix what the draft leaves silent: judged as part
 * of REFINES-SIGNALLING, a departure from the host rules, docs/oracle.md).
 */
type Judge = 'target' | 'fields';

function check(trace: Trace): Verdict {
  return judgeChallenges(trace, 'target', ID);
}

/** Rules 9, 10 and 13: the fields of every BA Alice sends, and a holder's re-check (REFINES-SIGNALLING calls it with its id). */
export function judgeBaFields(trace: Trace, id: PropertyId): Verdict {
  return judgeChallenges(trace, 'fields', id);
}

function judgeChallenges(trace: Trace, judge: Judge, ID: PropertyId): Verdict {
  const target = judge === 'target';
  const sas = new SaIndex(trace);
  const params = trace.config.params;
  const lifetimeMs = params.challengeLifetimeMs;
  const claims = new Claims(trace, params.bindingLifetimeSecondsMax);
  /** "sa name|value" → where the value first went, when, and the BA that carried it. */
  const first = new Map<string, { to: Address; at: number; ba: BaInfo }>();
  /** "sa name|address" → the first transmission of the latest Challenge Alice sent there under that SA. */
  const sentTo = new Map<string, number>();
  let judged = 0;
  for (const call of aliceCalls(trace)) {
    const { event, before, after } = call;
    if (event.op === 'addSA' && event.ok && typeof event.request.peer === 'string') {
      claims.observeAddSa(
        event.request.peer,
        sas.byInbound(typeof event.request.inboundSpi === 'number' ? event.request.inboundSpi : undefined)?.name,
        event.at,
      );
    }
    const input = event.op === 'receive' ? event.input : undefined;
    const authentic =
      event.op === 'receive' && event.input !== undefined && event.truth?.ah === 'valid' && event.truth.sa !== null
        ? event.truth.sa
        : null;
    if (authentic !== null && input !== undefined)
      claims.observeAuthenticated(trace, authentic, input, event.at, params.buOptimization);
    for (const id of event.sent) {
      const p = packet(trace, id);
      for (const ba of p.info.bas) {
        if (ba.security === undefined) {
          if (target) continue;
          const fault = plainBaFault(trace, ba, sas.byOutbound(p.info.spi), authentic, input);
          if (fault !== null)
            return fail(ID, call.step, `Alice sent a BA (packet #${id}) to ${p.info.destination ?? '?'} with ${fault}`);
          continue;
        }
        judged += 1;
        const to = p.info.destination ?? '?';
        const sa = sas.byOutbound(p.info.spi);
        if (sa === undefined) {
          if (target)
            return fail(
              ID,
              call.step,
              `Alice sent a Challenge (packet #${id}) to ${to} without the AH of one of her SAs`,
            );
          continue;
        }
        if (p.info.routing !== undefined && target)
          return fail(
            ID,
            call.step,
            `Alice sent a Challenge (packet #${id}) with a routing header (to ${to}, then ${p.info.routing.join(', ')})`,
          );
        const key = `${sa.name}|${ba.security}`;
        const seen = first.get(key);
        if (seen !== undefined && seen.to !== to && target)
          return fail(
            ID,
            call.step,
            `Alice sent the same Challenge ${ba.security} (SA ${sa.name}) to ${seen.to} and then to ${to}`,
          );
        const since = seen?.at ?? event.at;
        if (seen === undefined) first.set(key, { to, at: event.at, ba });
        const triggers = claims.triggersIn(sa.name, to, since - lifetimeMs, since);
        if (triggers.length === 0) {
          if (!target) continue;
          return fail(
            ID,
            call.step,
            `Alice sent a Challenge (packet #${id}, SA ${sa.name}) to ${to}, which no claim under that SA (nor a conflicting claim on it) named in the ${lifetimeMs} ms before (rules 5, 9, 13)`,
          );
        }
        if (event.at >= since + lifetimeMs) {
          if (!target) continue;
          return fail(
            ID,
            call.step,
            `Alice sent the Challenge she first sent ${to} at ${since} again at ${event.at} (packet #${id}, SA ${sa.name}), after its lifetime of ${lifetimeMs} ms (rule 9)`,
          );
        }
        // The BA's fields and the holder's re-check: only for `fields` (REFINES-SIGNALLING).
        if (!target && seen !== undefined) {
          // Rule 9: every copy is identical but for its AH sequence number.
          const a = seen.ba;
          if (
            a.status !== ba.status ||
            a.sequence !== ba.sequence ||
            a.lifetimeSeconds !== ba.lifetimeSeconds ||
            a.refreshSeconds !== ba.refreshSeconds
          ) {
            return fail(
              ID,
              call.step,
              `Alice sent the Challenge to ${to} again (packet #${id}, SA ${sa.name}) with status ${ba.status}, sequence ${ba.sequence}, lifetime ${ba.lifetimeSeconds} s and refresh ${ba.refreshSeconds} s, where its first copy carried ${a.status}, ${a.sequence}, ${a.lifetimeSeconds} s and ${a.refreshSeconds} s (rule 9: identical but for the AH sequence number)`,
            );
          }
        } else if (!target) {
          const fault = challengeFieldsFault(claims, triggers, ba, sa, to, event.at, params.defaultLifetimeSeconds);
          if (fault !== null)
            return fail(ID, call.step, `Alice sent a Challenge (packet #${id}, SA ${sa.name}) to ${to} with ${fault}`);
          const holder = claimed(triggers, event.at)
            ? unrecheckedHolder(after, sas, sa, to, (name) => sentTo.get(`${name}|${to}`), event.at - 2 * lifetimeMs)
            : null;
          if (holder !== null) {
            return fail(
              ID,
              call.step,
              `Alice accepted a claim on ${to} under ${sa.name} (she sent its Challenge, packet #${id}) while entry ${holder} holds it active and she did not re-check that holder (rule 13: a claim starts a Challenge in both entries, or is refused when the holder is at its challenge bound)`,
            );
          }
        }
        sentTo.set(`${sa.name}|${to}`, since);
        // With `state`: the address must have a live Challenge in the SA's entry (rules 9, 13, 19).
        if (after === undefined || !target) continue;
        const live = [after, before].some((s) => addressIn(entryForSa(s, sa), to)?.challengeOutstanding === true);
        if (!live) {
          const status = addressIn(entryForSa(after, sa), to)?.status ?? 'absent';
          return fail(
            ID,
            call.step,
            `Alice sent a Challenge (packet #${id}, SA ${sa.name}) to ${to}, which has no live Challenge in that SA's entry (it is ${status} there)`,
          );
        }
      }
    }
  }
  return pass(judged);
}

/** A claim of the SA's own reached Alice in this very call (its Challenge goes at once, rule 9). */
function claimed(triggers: readonly Trigger[], at: number): boolean {
  return triggers.some((t) => t.kind === 'claim' && t.at === at);
}

/**
 * Rule 13, judged on Alice's own report (it may convict, never excuse): another entry she
 * reports holding `address` active after the call, with an SA and a peer that takes Mobile
 * IPv6 options, that shows no live Challenge for it and was sent none since `since`. Its id, or null.
 */
function unrecheckedHolder(
  after: HostState | undefined,
  sas: SaIndex,
  claimant: SaRecord,
  address: Address,
  lastSent: (saName: string) => number | undefined,
  since: number,
): string | null {
  if (after === undefined) return null;
  const mine = entryForSa(after, claimant);
  for (const e of after.entries) {
    if (e === mine || e.sa === null || e.peerKind === 'legacy') continue;
    const r = addressIn(e, address);
    if (r === undefined || r.status !== 'active' || r.challengeOutstanding) continue;
    const holderSa = sas.byInbound(e.sa.inboundSpi);
    const sent = holderSa === undefined ? undefined : lastSent(holderSa.name);
    if (sent !== undefined && sent >= since) continue;
    return e.id;
  }
  return null;
}

/** Status 131: a bound refused one of the named addresses (rule 10). */
const BA_STATUS_REFUSED = 131;

/**
 * Rule 10 (and rule 12 for a Response with the A bit): a plain BA has status 0 or 131, and one
 * sent for an AH-valid packet under its SA carries the number of a BU of that packet with the
 * A bit. Null when it does (or when the world cannot tell what it answers).
 */
function plainBaFault(
  trace: Trace,
  ba: BaInfo,
  sa: SaRecord | undefined,
  authentic: string | null,
  input: number | undefined,
): string | null {
  if (ba.status !== 0 && ba.status !== BA_STATUS_REFUSED)
    return `status ${ba.status}, where a plain BA carries 0 or ${BA_STATUS_REFUSED} (rule 10)`;
  if (sa === undefined || authentic !== sa.name || input === undefined) return null;
  const asked = packet(trace, input)
    .info.bus.filter((bu) => bu.ack)
    .map((bu) => bu.sequence);
  if (asked.length === 0 || asked.includes(ba.sequence)) return null;
  return `sequence ${ba.sequence}, where the BU that asked for it under ${sa.name} carried ${asked.join(' or ')} (rule 10)`;
}

export const challengeTarget: Property = {
  id: ID,
  needs: 'black-box',
  summary: 'each Challenge goes to the address a claim put under check, and nowhere else',
  situation: 'Challenge sent',
  judgedPerRun: 1.5,
  check,
};
