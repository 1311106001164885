// Deep-state statistics: which situations a run reached. A schedule generator that only
// reaches shallow states proves little, so the runner counts, per run, the situations below
// and prints how often each was reached (fast-check's `fc.statistics` habit, on the world's
// runs rather than on the generated values).

import type { Trace } from './world/types.js';
import { aliceCalls, Ownership, packet } from './invariants/trace-view.js';

export const DEEP_STATES = [
  'address verified',
  'verified then lost',
  'lost then claimed by Mallory',
  'conflict',
  'conflict both answered',
  'expired to deprecated',
  'deprecated then removed',
  'clock-TIME guess attempted',
  'replay delivered',
  'Mallory address verified',
  'standard-mobile peer',
  'legacy peer',
  'bound reached',
  'fair move judged',
] as const;

export type DeepState = (typeof DEEP_STATES)[number];

const HONEST_HOMELESS = new Set(['bob', 'carol']);

/** The deep situations `trace` reached. */
export function deepStates(trace: Trace): Set<DeepState> {
  const reached = new Set<DeepState>();
  const owners = new Ownership(trace);
  const params = trace.config.params;
  /** Verified addresses of honest homeless peers: address → (peer, when). */
  const verified = new Map<string, { peer: string; at: number }>();
  const verifiedLost = new Map<string, number>();
  /** Challenges answered correctly: "outbound SPI|value" → the node that answered. */
  const answered = new Map<string, string>();
  /**
   * Conflicts (rule 13): Challenges for one address under different SAs sent in the same call
   * (the claimant's and the holder's re-check), as "spi|value" pairs.
   */
  const conflicts: string[][] = [];
  const calls = aliceCalls(trace);
  for (const call of calls) {
    const { event, before, after } = call;
    if (event.op === 'receive' && event.input !== undefined && event.truth !== undefined) {
      const r = packet(trace, event.input);
      const t = event.truth;
      if (t.ah === 'replay') reached.add('replay delivered');
      if (r.tag === 'mallory-clock-guess') reached.add('clock-TIME guess attempted');
      if (r.from === 'lee' && r.info.upper === 'param-problem') reached.add('legacy peer');
      if (t.ah === 'valid') {
        for (const resp of t.responses) {
          if (resp.answers === null || t.sa === null) continue;
          if (HONEST_HOMELESS.has(r.from)) {
            reached.add('address verified');
            verified.set(resp.address, { peer: r.from, at: event.at });
          }
          if (r.from === 'mallory') reached.add('Mallory address verified');
          const challenge = trace.packets[resp.answers];
          for (const ba of challenge.info.bas)
            if (ba.security !== undefined) answered.set(`${challenge.info.spi}|${ba.security}`, r.from);
        }
      }
    }
    const challengesTo = new Map<string, string[]>();
    for (const id of event.sent) {
      const p = trace.packets[id];
      for (const ba of p.info.bas) {
        if (ba.security === undefined || p.info.destination === undefined) continue;
        challengesTo.set(p.info.destination, [
          ...(challengesTo.get(p.info.destination) ?? []),
          `${p.info.spi}|${ba.security}`,
        ]);
      }
    }
    for (const list of challengesTo.values())
      if (new Set(list.map((k) => k.split('|')[0])).size > 1) conflicts.push(list);
    if (after !== undefined) {
      const active = new Set<string>();
      const tentative = new Set<string>();
      for (const e of after.entries) {
        const previous = before?.entries.find((x) => x.id === e.id);
        if (e.peerKind === 'standard-mobile') reached.add('standard-mobile peer');
        if (
          e.addresses.length >= params.addressesPerEntryCountMax ||
          e.addresses.filter((a) => a.status === 'tentative' || a.challengeOutstanding).length >=
            params.tentativePerEntryCountMax
        ) {
          reached.add('bound reached');
        }
        for (const a of e.addresses) {
          if (a.status === 'active') active.add(a.address);
          if (a.status === 'tentative') tentative.add(a.address);
          const was = previous?.addresses.find((x) => x.address === a.address);
          if (a.status === 'deprecated' && was?.status === 'active') reached.add('expired to deprecated');
        }
        for (const was of previous?.addresses ?? []) {
          if (was.status === 'deprecated' && !e.addresses.some((a) => a.address === was.address))
            reached.add('deprecated then removed');
        }
      }
      if (after.entries.length >= params.foreignEntriesCountMax) reached.add('bound reached');
      for (const a of tentative) if (active.has(a)) reached.add('conflict');
    }
  }
  // Losses of verified addresses (ownership changes), in time order against verification.
  for (const [address, v] of verified) {
    const lostAt = owners.lostAt(address, v.peer as 'bob' | 'carol');
    if (lostAt !== null && lostAt >= v.at) {
      reached.add('verified then lost');
      verifiedLost.set(address, lostAt);
    }
  }
  // "Lost then claimed" needs the losses first: a second pass over Mallory's claims.
  if (verifiedLost.size > 0) {
    for (const call of calls) {
      const { event } = call;
      if (event.op !== 'receive' || event.input === undefined || event.truth?.ah !== 'valid') continue;
      const r = packet(trace, event.input);
      if (r.from !== 'mallory') continue;
      for (const bu of r.info.bus) {
        if (bu.security !== undefined || bu.lifetimeSeconds === 0) continue;
        if (bu.named.some((a) => (verifiedLost.get(a) ?? Number.POSITIVE_INFINITY) <= event.at))
          reached.add('lost then claimed by Mallory');
      }
    }
  }
  // Both claimants answered, and they are two different nodes (Mallory against a peer).
  if (
    conflicts.some((pair) => pair.every((k) => answered.has(k)) && new Set(pair.map((k) => answered.get(k))).size > 1)
  )
    reached.add('conflict both answered');
  for (const step of trace.steps)
    for (const e of step.events) if (e.kind === 'probe' && e.result.judged) reached.add('fair move judged');
  return reached;
}

export interface DeepStateStats {
  runs: number;
  /** Per situation: in how many runs it was reached. */
  reached: Record<DeepState, number>;
}

export function emptyStats(): DeepStateStats {
  const reached = {} as Record<DeepState, number>;
  for (const s of DEEP_STATES) reached[s] = 0;
  return { runs: 0, reached };
}

export function addRun(stats: DeepStateStats, states: Set<DeepState>): void {
  stats.runs += 1;
  for (const s of states) stats.reached[s] += 1;
}

/** A table: situation, runs that reached it, share. */
export function formatStats(stats: DeepStateStats): string {
  const width = Math.max(...DEEP_STATES.map((s) => s.length));
  const lines = [`deep states reached (of ${stats.runs} runs):`];
  for (const s of DEEP_STATES) {
    const n = stats.reached[s];
    const pct = stats.runs === 0 ? 0 : (100 * n) / stats.runs;
    lines.push(`  ${s.padEnd(width)}  ${String(n).padStart(5)}  ${pct.toFixed(1).padStart(5)}%`);
  }
  return lines.join('\n');
}
