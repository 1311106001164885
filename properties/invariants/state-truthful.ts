// INV-STATE-TRUTHFUL (DESIGN.md "Evidence and verdicts": the IUT's word is never evidence in its
// own favour, and the `state` report itself is judged): every `state` answer agrees with what
// the world can prove (ground-truth.ts). After every call, and before the first:
// - `local` is exactly Alice's addresses: the world's owners at the start, changed by the
//   `addLocalAddress` and `removeLocalAddress` calls she accepted (§2.1.3, HOST.md rule 24);
// - each SA she accepted (`addSA` answered ok) has its entry, found by inbound SPI (rule 1);
// - per entry, MUST-ACTIVE ⊆ reported active ⊆ MAY-ACTIVE: an entry with an SA is the SA's
//   ground-truth entry (an SA the world never gave her, or whose `addSA` she refused, may have
//   nothing active); an entry without one is the one a `send` made for one of its addresses
//   (rule 17), and each address proven active in such an entry is active in one without an SA;
// - a proven address whose lifetime every correct host agrees on shows it: activity-related
//   for a first address no BU has named yet (§2.1.1 R2.1.1-7, rule 17), absolute and ending
//   no later than L seconds after a BU every correct host accepts named it with lifetime L
//   (§2.1.4 R2.1.4-4, rule 6);
// - an address she sent UDP data to in a `send` is active, after it, in the entry the data is
//   for (rule 21: the entry holding `to` active, else deprecated);
// - an address she sent a Challenge to is, after that call, in the entry of the SA protecting
//   it, tentative or with `challengeOutstanding` (rules 9, 13, 19).
// The ground truth is conservative where it obliges and generous where it forbids, so a report
// a correct host may give under HOST.md's open choices never fails (docs/properties.md).

import type { EntryState, HostState } from '../../impl/host/types.js';
import type { Address } from '../../impl/wire/types.js';
import type { AliceEvent, Trace } from '../world/types.js';
import { groundTruthOf, sendKey, type LifetimeFact, type TruthView } from './ground-truth.js';
import { addressIn, aliceCalls, callText, entryForSa, isChallenge, packet, SaIndex } from './trace-view.js';
import { fail, pass, type Property, type Verdict } from './types.js';

const ID = 'INV-STATE-TRUTHFUL';

function list(addresses: Iterable<Address>): string {
  const all = [...addresses];
  return all.length === 0 ? 'none' : all.join(', ');
}

function activeOf(entry: EntryState): Address[] {
  return entry.addresses.filter((a) => a.status === 'active').map((a) => a.address);
}

/** Rule 21: the entry holding `to` as active, else as deprecated. */
function entryForSend(state: HostState, to: Address): EntryState | undefined {
  return (
    state.entries.find((e) => e.addresses.some((a) => a.address === to && a.status === 'active')) ??
    state.entries.find((e) => e.addresses.some((a) => a.address === to && a.status === 'deprecated'))
  );
}

/** A proven address's reported lifetime that every correct host would not report, as a reason, or null. */
function wrongLifetime(
  entry: EntryState,
  address: Address,
  fact: LifetimeFact,
  where: string,
  what: string,
): string | null {
  const reported = entry.addresses.find((a) => a.address === address && a.status === 'active')?.lifetime;
  if (reported === undefined) return null;
  if (fact.kind === 'activity' && reported.kind !== 'activity') {
    return `Alice reports ${address} in entry ${entry.id} (${what}) with an ${reported.kind} lifetime ${where}, but it is the entry's first address and no BU has named it yet: its lifetime is activity-related (§2.1.1, rule 17, docs/rules.md)`;
  }
  if (fact.kind === 'absolute' && (reported.kind !== 'absolute' || reported.expiresAt > fact.expiresAtMax)) {
    const shown =
      reported.kind === 'absolute'
        ? `an absolute lifetime ending at ${reported.expiresAt}`
        : `an ${reported.kind} lifetime`;
    return `Alice reports ${address} in entry ${entry.id} (${what}) with ${shown} ${where}, but a BU every correct host accepts named it, which makes its lifetime absolute, ending at ${fact.expiresAtMax} at the latest (§2.1.4, rule 6, docs/rules.md)`;
  }
  return null;
}

/**
 * The first disagreement between `state` and what the world proves, or null. `agreed`: the
 * state and the truth's sets are those of an earlier call that agreed (the world reuses an
 * unchanged state, the truth its unchanged sets), so only what this call sent is judged.
 */
function disagreement(
  trace: Trace,
  sas: SaIndex,
  truth: TruthView,
  state: HostState,
  event: AliceEvent | null,
  agreed = false,
): string | null {
  const where = event === null ? 'her initial state' : `after ${callText(event)}`;
  return (
    (agreed ? null : stateDisagreement(sas, truth, state, where)) ?? sentDisagreement(trace, sas, state, event, where)
  );
}

/** The first disagreement of `state` alone with the truth's sets, or null. */
function stateDisagreement(sas: SaIndex, truth: TruthView, state: HostState, where: string): string | null {
  const reported = new Set(state.local);
  if (reported.size !== truth.local.size || [...truth.local].some((a) => !reported.has(a))) {
    return `Alice reports local [${list(state.local)}] ${where}, but her addresses are [${list(truth.local)}]`;
  }
  for (const sa of truth.acceptedSas) {
    const entry = entryForSa(state, sa);
    if (entry === undefined)
      return `Alice reports no entry with SA ${sa.name} (inbound SPI ${sa.aliceInboundSpi}) ${where}, although she accepted its addSA`;
    const active = new Set(activeOf(entry));
    const missing = [...truth.mustActive(`sa:${sa.name}`)].filter((a) => !active.has(a));
    if (missing.length > 0)
      return `Alice reports ${list(missing)} not active in entry ${entry.id} (SA ${sa.name}) ${where}, but it is that entry's first address and nothing can have ended it yet (rule 17, docs/rules.md)`;
    for (const [address, fact] of truth.forSa(sa)?.lifetimes ?? []) {
      const reason = wrongLifetime(entry, address, fact, where, `SA ${sa.name}`);
      if (reason !== null) return reason;
    }
  }
  for (const [key, e] of truth.entries.map((x) => [x.key, x] as const)) {
    if (e.sa !== null || e.to === null || !e.mustActive.has(e.to)) continue;
    const holder = state.entries.find(
      (s) => s.sa === null && s.addresses.some((a) => a.address === e.to && a.status === 'active'),
    );
    const fact = e.lifetimes.get(e.to);
    const reason =
      holder === undefined || fact === undefined ? null : wrongLifetime(holder, e.to, fact, where, 'no SA');
    if (reason !== null) return reason;
    if (holder === undefined)
      return `Alice reports ${e.to} active in no entry without an SA ${where}, but her send to it made such an entry and nothing can have ended it yet (rules 17 and 21, docs/rules.md; ${key})`;
  }
  for (const entry of state.entries) {
    const active = activeOf(entry);
    if (active.length === 0) continue;
    if (entry.sa !== null) {
      const sa = sas.byInbound(entry.sa.inboundSpi);
      const may =
        sa === undefined || !truth.acceptedSas.includes(sa) ? new Set<Address>() : truth.mayActive(`sa:${sa.name}`);
      const unproven = active.filter((a) => !may.has(a));
      if (unproven.length > 0) {
        const what =
          sa === undefined
            ? `an SA the world never gave her (inbound SPI ${entry.sa.inboundSpi})`
            : truth.acceptedSas.includes(sa)
              ? `SA ${sa.name}`
              : `SA ${sa.name}, whose addSA she did not accept`;
        return `Alice reports ${list(unproven)} active in entry ${entry.id} (${what}) ${where}, but no rule can have made it active there: neither the entry's first address nor answered by a correct Response to a Challenge sent to it under that SA while the Challenge was live (rule 9, docs/rules.md), and not provably removed or expired since`;
      }
      continue;
    }
    // An entry without an SA is one a `send` made: its active addresses are that send's `to`.
    const explained = entry.addresses.some((k) => active.every((a) => truth.mayActive(sendKey(k.address)).has(a)));
    if (!explained)
      return `Alice reports ${list(active)} active in entry ${entry.id} (no SA) ${where}, but no send of hers can have made an entry holding ${active.length === 1 ? 'it' : 'them'} active (or it has provably expired)`;
  }
  return null;
}

/** The first disagreement of what the call sent with the `state` reported after it, or null. */
function sentDisagreement(
  trace: Trace,
  sas: SaIndex,
  state: HostState,
  event: AliceEvent | null,
  where: string,
): string | null {
  if (event === null) return null;
  // What she just sent: data to an address goes only where it is active (rule 21).
  if (event.op === 'send' && typeof event.request.to === 'string') {
    const to = event.request.to;
    for (const id of event.sent) {
      const p = packet(trace, id);
      if (p.info.upper !== 'udp' || p.info.destination === undefined) continue;
      const entry = entryForSend(state, to);
      for (const a of [p.info.destination, ...(p.info.routing ?? [])]) {
        const s = addressIn(entry, a);
        if (s?.status === 'active') continue;
        return `Alice sent UDP data for ${to} (packet #${id}) to ${a} in ${where.replace('after ', '')}, but reports ${a} ${s === undefined ? 'absent from' : `${s.status} in`} ${entry === undefined ? `every entry (none holds ${to})` : `entry ${entry.id}, which holds ${to}`}`;
      }
    }
  }
  // A Challenge goes to an address with a live check in the SA's entry (rules 9, 13). A packet
  // with several BUs may end in the same call the check it started (a later deleting BU, a
  // flush): not judged then.
  const input = event.op === 'receive' && event.input !== undefined ? packet(trace, event.input) : undefined;
  if (input === undefined || input.info.bus.length <= 1) {
    for (const id of event.sent) {
      const p = packet(trace, id);
      if (!isChallenge(p) || p.info.destination === undefined) continue;
      const sa = sas.byOutbound(p.info.spi);
      if (sa === undefined) continue;
      const entry = entryForSa(state, sa);
      const s = addressIn(entry, p.info.destination);
      if (s !== undefined && (s.status === 'tentative' || s.challengeOutstanding)) continue;
      const shown = s === undefined ? 'absent' : `${s.status} without challengeOutstanding`;
      return `Alice sent a Challenge (packet #${id}, SA ${sa.name}) to ${p.info.destination} in ${where.replace('after ', '')}, but reports it ${shown} in ${entry === undefined ? 'no entry of that SA' : `entry ${entry.id}`}`;
    }
  }
  return null;
}

/** Two views with the very same sets, SAs and addresses (GroundTruth shares them while nothing changes). */
function sameSets(a: TruthView, b: TruthView): boolean {
  return a.entries === b.entries && a.acceptedSas === b.acceptedSas && a.local === b.local;
}

function check(trace: Trace): Verdict {
  const truth = groundTruthOf(trace);
  const sas = new SaIndex(trace);
  let judged = 0;
  if (trace.initialState !== undefined) {
    judged += 1;
    const reason = disagreement(trace, sas, truth.initial(), trace.initialState, null);
    if (reason !== null) return fail(ID, 0, reason);
  }
  let last: { state: HostState; truth: TruthView } | null = null;
  for (const call of aliceCalls(trace)) {
    const state = call.event.state;
    if (state === undefined) continue;
    judged += 1;
    const view = truth.afterCall(call.event.call);
    const agreed = last !== null && last.state === state && sameSets(last.truth, view);
    const reason = disagreement(trace, sas, view, state, call.event, agreed);
    if (reason !== null) return fail(ID, call.step, reason);
    last = { state, truth: view };
  }
  return pass(judged);
}

export const stateTruthful: Property = {
  id: ID,
  needs: 'state',
  summary:
    'every state answer agrees with what the world can prove: accepted SAs have entries, MUST-ACTIVE ⊆ active ⊆ MAY-ACTIVE, local is her addresses, data and Challenges went where the state allows',
  situation: 'state answer',
  // About a quarter of the reference's 184 per run (hmip6 check --seed 1: 184161 in 1000 runs):
  // one per call, so only a host that answers few calls, or none with a state, falls short.
  judgedPerRun: 46,
  check,
};
