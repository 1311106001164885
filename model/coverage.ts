// Model coverage: which states, transitions and guard outcomes of the machines a run has
// exercised, against everything the machine definitions allow. A lockstep run passes a
// `CoverageTracker` as the cache's observer (`step(model, event, {observer})`); the
// `coverageReport` line reads "states 13/13, transitions 36/36, guards 18/18".
//
// `scenarioPerTransition` derives, for every transition, the shortest sequence of machine
// events from the initial state that takes it: fixed regression scenarios (XState's habit of
// deriving tests from the graph; docs/model.md maps each machine event to world events).

import { getShortestPaths } from 'xstate/graph';
import type { AnyStateMachine } from 'xstate';
import { addressMachine, type AddressContext, type AddressEvent, type AddressValue } from './address.js';
import type { MachineObserver } from './cache.js';
import { compatMachine, type CompatContext, type CompatEvent, type CompatValue } from './compat.js';
import { MS_PER_SECOND } from '../impl/units.js';
import { DEFAULT_PARAMS } from '../impl/host/types.js';
import type { MachineName } from './graph.js';
import {
  deriveTable,
  fromStateValue,
  initialState,
  xstateStepper,
  type MachineState,
  type StepOutcome,
  type TransitionTable,
} from './table.js';

export interface CoverageUniverse {
  /** `machine:leaf`, e.g. `address:tentative.challenged`. */
  readonly states: readonly string[];
  /** `machine:<transition id>`, e.g. `address:absent --named--> tentative`. */
  readonly transitions: readonly string[];
  /** `machine:guard=true|false`. */
  readonly guards: readonly string[];
}

const TABLES: Readonly<Record<MachineName, TransitionTable>> = {
  compat: deriveTable(compatMachine),
  address: deriveTable(addressMachine),
};

/** Everything the machine definitions allow: every leaf state, transition, and both outcomes of every guard. */
export function coverageUniverse(): CoverageUniverse {
  const states: string[] = [];
  const transitions: string[] = [];
  const guards: string[] = [];
  for (const name of Object.keys(TABLES) as MachineName[]) {
    const t = TABLES[name];
    for (const leaf of t.leaves) states.push(`${name}:${leaf}`);
    for (const def of t.transitions) transitions.push(`${name}:${def.id}`);
    for (const g of t.guardNames) guards.push(`${name}:${g}=true`, `${name}:${g}=false`);
  }
  return { states, transitions, guards };
}

/** Records what the machines do while the cache steps them. */
export class CoverageTracker implements MachineObserver {
  readonly states = new Set<string>();
  readonly transitions = new Set<string>();
  readonly guards = new Set<string>();

  onStep(machine: MachineName, from: string, outcome: StepOutcome<string, unknown>, event: { type: string }): void {
    void event;
    this.states.add(`${machine}:${from}`);
    for (const g of outcome.guards) this.guards.add(`${machine}:${g.guard}=${g.value}`);
    if (outcome.taken === null) return;
    this.transitions.add(`${machine}:${outcome.taken.id}`);
    this.states.add(`${machine}:${outcome.state.value}`);
  }

  /** Adds another tracker's records (e.g. from another worker). */
  merge(other: { states: Iterable<string>; transitions: Iterable<string>; guards: Iterable<string> }): void {
    for (const s of other.states) this.states.add(s);
    for (const t of other.transitions) this.transitions.add(t);
    for (const g of other.guards) this.guards.add(g);
  }

  toJSON(): { states: string[]; transitions: string[]; guards: string[] } {
    return {
      states: [...this.states].sort(),
      transitions: [...this.transitions].sort(),
      guards: [...this.guards].sort(),
    };
  }

  /** What the universe has and this run did not reach. */
  missing(): CoverageUniverse {
    const u = coverageUniverse();
    return {
      states: u.states.filter((s) => !this.states.has(s)),
      transitions: u.transitions.filter((t) => !this.transitions.has(t)),
      guards: u.guards.filter((g) => !this.guards.has(g)),
    };
  }
}

/** "states 13/13, transitions 36/36, guards 18/18", then one line per thing missing. */
export function coverageReport(tracker: CoverageTracker): string {
  const u = coverageUniverse();
  const m = tracker.missing();
  const count = (all: readonly string[], missing: readonly string[]): string =>
    `${all.length - missing.length}/${all.length}`;
  const lines = [
    `states ${count(u.states, m.states)}, transitions ${count(u.transitions, m.transitions)}, guards ${count(u.guards, m.guards)}`,
  ];
  for (const s of m.states) lines.push(`  missing state ${s}`);
  for (const t of m.transitions) lines.push(`  missing transition ${t}`);
  for (const g of m.guards) lines.push(`  missing guard outcome ${g}`);
  return lines.join('\n');
}

/** What `coverageReport` prints, as data (JSON reports): [reached, total] per kind, and what is missing. */
export interface CoverageSummary {
  readonly states: readonly [number, number];
  readonly transitions: readonly [number, number];
  readonly guards: readonly [number, number];
  /** `state <id>`, `transition <id>`, `guard <id>`, in the universe's order. */
  readonly missing: readonly string[];
}

export function coverageSummary(tracker: CoverageTracker): CoverageSummary {
  const u = coverageUniverse();
  const m = tracker.missing();
  const pair = (all: readonly string[], missing: readonly string[]): [number, number] => [
    all.length - missing.length,
    all.length,
  ];
  return {
    states: pair(u.states, m.states),
    transitions: pair(u.transitions, m.transitions),
    guards: pair(u.guards, m.guards),
    missing: [
      ...m.states.map((s) => `state ${s}`),
      ...m.transitions.map((t) => `transition ${t}`),
      ...m.guards.map((g) => `guard ${g}`),
    ],
  };
}

// ---- Scenarios derived from the graph ----------------------------------------------------------

/** The parameters scenarios use: the defaults (WIRE.md). */
const SCENARIO_PARAMS = DEFAULT_PARAMS;
const LATER_MS = 1000;
/** An address claimed in scenarios (documentation prefix). */
export const SCENARIO_HOME = '2001:db8:b::1';
export const SCENARIO_CARE_OF = '2001:db8:c::1';
/** Breadth-first search depth; every transition is reached well within it. */
const SCENARIO_DEPTH_MAX = 8;

interface Node<V extends string, C> {
  readonly state: MachineState<V, C>;
  readonly now: number;
  readonly path: readonly { type: string }[];
}

/** Candidate events from a concrete state: every event type, with payloads that reach both outcomes of each guard. */
function addressAlphabet(s: MachineState<AddressValue, AddressContext>, now: number): AddressEvent[] {
  const c = s.context;
  const later = now + LATER_MS;
  const dues = [
    c.expiresAt,
    c.challengeEndsAt,
    c.expiresAt + c.params.maximumExpiredLifetimeSeconds * MS_PER_SECOND,
  ].filter((t) => t > now);
  const lifetimeSeconds = SCENARIO_PARAMS.defaultLifetimeSeconds;
  return [
    { type: 'named', now: later, lifetimeSeconds, epoch: c.challengeEpoch + 1 },
    { type: 'unnamed' },
    { type: 'established', now: later },
    { type: 'response', now: later, answers: c.challengeEpoch, lifetimeSeconds, contested: false },
    { type: 'response', now: later, answers: c.challengeEpoch, lifetimeSeconds, contested: true },
    { type: 'response', now: later, answers: 'forged', lifetimeSeconds, contested: false },
    { type: 'clock', now: now + 1 },
    ...[...new Set(dues)].sort((a, b) => a - b).map((t): AddressEvent => ({ type: 'clock', now: t })),
    { type: 'activity', now: later },
    { type: 'recheck', now: later, epoch: c.challengeEpoch + 1 },
    { type: 'won' },
    { type: 'displaced' },
    { type: 'flushed' },
  ];
}

function compatAlphabet(s: MachineState<CompatValue, CompatContext>, now: number): CompatEvent[] {
  const deadline = s.context.probeDeadlineMs;
  return [
    { type: 'initialBuSent', now: now + LATER_MS },
    { type: 'homelessSupport' },
    {
      type: 'mobileSignal',
      hao: SCENARIO_HOME,
      lastBu: { careOf: SCENARIO_CARE_OF, lifetimeSeconds: SCENARIO_PARAMS.defaultLifetimeSeconds },
    },
    { type: 'clock', now: now + 1 },
    ...(deadline !== null && deadline > now ? [{ type: 'clock' as const, now: deadline }] : []),
    { type: 'parameterProblem', code: 2, aboutMobilityOption: true, quotesAlice: true },
    { type: 'parameterProblem', code: 1, aboutMobilityOption: true, quotesAlice: true },
  ];
}

export interface TransitionScenario<E extends { type: string }> {
  /** The transition's id (model/table.ts). */
  readonly transition: string;
  /** From the machine's initial state (default parameters), the events whose last takes the transition. */
  readonly events: readonly E[];
}

function explore<V extends string, C, E extends { type: string }>(
  machine: AnyStateMachine,
  alphabet: (s: MachineState<V, C>, now: number) => E[],
  key: (s: MachineState<V, C>) => string,
): TransitionScenario<E>[] {
  const stepper = xstateStepper<V, C, E>(machine);
  const found = new Map<string, readonly E[]>();
  const initial: Node<V, C> = { state: initialState<V, C>(machine, { params: SCENARIO_PARAMS }), now: 0, path: [] };
  const seen = new Set([key(initial.state)]);
  let frontier: Node<V, C>[] = [initial];
  for (let depth = 0; depth < SCENARIO_DEPTH_MAX && frontier.length > 0; depth++) {
    const next: Node<V, C>[] = [];
    for (const node of frontier) {
      for (const event of alphabet(node.state, node.now)) {
        const out = stepper.step(node.state, event);
        if (out.taken === null) continue;
        const path = [...(node.path as E[]), event];
        if (!found.has(out.taken.id)) found.set(out.taken.id, path);
        const k = key(out.state);
        if (seen.has(k)) continue;
        seen.add(k);
        const now = 'now' in event && typeof event.now === 'number' ? Math.max(node.now, event.now) : node.now;
        next.push({ state: out.state, now, path });
      }
    }
    frontier = next;
  }
  // In definition order, so that the list reads like the machine.
  return stepper.table.transitions.flatMap((t) => {
    const events = found.get(t.id);
    return events === undefined ? [] : [{ transition: t.id, events }];
  });
}

/** For each transition of the machine, the shortest event path reaching and taking it. */
export function scenarioPerTransition(machine: typeof addressMachine): TransitionScenario<AddressEvent>[];
export function scenarioPerTransition(machine: typeof compatMachine): TransitionScenario<CompatEvent>[];
export function scenarioPerTransition(
  machine: typeof addressMachine | typeof compatMachine,
): TransitionScenario<AddressEvent | CompatEvent>[] {
  if (machine.id === addressMachine.id) {
    return explore<AddressValue, AddressContext, AddressEvent>(
      addressMachine,
      addressAlphabet,
      (s) => `${s.value}|${s.context.lifetimeKind}|${s.context.challengeEpoch > 0}`,
    );
  }
  return explore<CompatValue, CompatContext, CompatEvent>(
    compatMachine,
    compatAlphabet,
    (s) => `${s.value}|${s.context.probeDeadlineMs !== null}`,
  );
}

/**
 * Leaf states reachable from the initial state by `xstate/graph`'s shortest paths over the
 * machine itself, with an alphabet of fixed events (times far apart so every guard can fire).
 */
export function reachableStates(name: MachineName): string[] {
  const far = 10 ** 12;
  const addressEvents: AddressEvent[] = [
    { type: 'named', now: 1, lifetimeSeconds: 600, epoch: 1 },
    { type: 'established', now: 1 },
    { type: 'response', now: 2, answers: 1, lifetimeSeconds: 600, contested: false },
    { type: 'response', now: 2, answers: 1, lifetimeSeconds: 600, contested: true },
    { type: 'recheck', now: 3, epoch: 1 },
    { type: 'clock', now: far },
    { type: 'won' },
  ];
  const compatEvents: CompatEvent[] = [
    { type: 'initialBuSent', now: 1 },
    { type: 'homelessSupport' },
    { type: 'mobileSignal', hao: null, lastBu: null },
    { type: 'clock', now: far },
    { type: 'parameterProblem', code: 2, aboutMobilityOption: true, quotesAlice: true },
  ];
  // The whole context (but the parameters) is the state: with fixed events it stays finite.
  const serializeState = (s: { value: unknown; context: object }): string =>
    JSON.stringify([s.value, { ...s.context, params: null }]);
  const paths =
    name === 'address'
      ? getShortestPaths(addressMachine, { events: addressEvents, input: { params: SCENARIO_PARAMS }, serializeState })
      : getShortestPaths(compatMachine, { events: compatEvents, input: { params: SCENARIO_PARAMS }, serializeState });
  return [...new Set(paths.map((p) => fromStateValue(p.state.value)))];
}
