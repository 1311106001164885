// A fast path for the model's machines (DESIGN.md "Performance notes"): a transition table
// derived once from a machine's own definition (state × event type → candidate transitions
// in XState's priority order: the deepest state first, then its ancestors, each in document
// order), evaluated through the machine's own guard implementations. Context updates are
// plain functions shared by the machine (wrapped in `assign`) and the table, so both apply
// exactly the same code; the table only skips XState's interpreter. test/model/table.test.ts
// checks that it agrees with `transition()` on every state and event.
//
// Restrictions the derivation asserts (the model's machines keep them): no parallel or
// history states, no entry/exit actions, no eventless (`always`) or delayed transitions,
// guards and actions referenced by name.

import { initialTransition, transition, type AnyStateMachine, type StateValue } from 'xstate';

/** A machine's state as the model stores it: the leaf path ('tentative.challenged') and the context. */
export interface MachineState<V extends string, C> {
  readonly value: V;
  readonly context: C;
}

/** A context update: the same function runs inside `assign` and in the table. */
export type ContextUpdate<C, E> = (context: C, event: E) => Partial<C>;

/** One transition of a machine definition. */
export interface TransitionDef {
  /** `source --event [guard]--> target`, stable: coverage and scenarios key on it. */
  readonly id: string;
  /** The state node that defines it ('active'), as a dotted path. */
  readonly source: string;
  readonly event: string;
  readonly guard: string | null;
  /** The target node as written ('tentative'), or null for a targetless (internal) transition. */
  readonly target: string | null;
  /** The leaf the target resolves to through initial states, or null when targetless. */
  readonly targetLeaf: string | null;
  readonly actions: readonly string[];
}

export interface GuardOutcome {
  readonly guard: string;
  readonly value: boolean;
}

/** What one step did: the new state, the transition taken (null: none enabled), guards evaluated, effects. */
export interface StepOutcome<V extends string, C> {
  readonly state: MachineState<V, C>;
  readonly taken: TransitionDef | null;
  readonly guards: readonly GuardOutcome[];
  /** Names of the actions taken that are not context updates: what the host is to do (send a Challenge...). */
  readonly effects: readonly string[];
}

export interface Stepper<V extends string, C, E extends { type: string }> {
  readonly machine: AnyStateMachine;
  readonly table: TransitionTable;
  step(state: MachineState<V, C>, event: E): StepOutcome<V, C>;
}

/** A state node of the definition, for drawing (model/graph.ts). */
export interface StateNodeInfo {
  /** Dotted path ('tentative.challenged'). */
  readonly path: string;
  readonly key: string;
  readonly type: 'atomic' | 'compound' | 'final';
  /** For a compound node, its initial child's path. */
  readonly initial: string | null;
  /** Child paths, in document order. */
  readonly children: readonly string[];
}

export interface TransitionTable {
  readonly machineId: string;
  /** The machine's initial state node path. */
  readonly initial: string;
  /** Every state node, in document order (parents before children). */
  readonly nodes: readonly StateNodeInfo[];
  /** Leaf states (atomic and final), dotted paths, in document order. */
  readonly leaves: readonly string[];
  readonly finals: ReadonlySet<string>;
  /** Every transition definition, in document order. */
  readonly transitions: readonly TransitionDef[];
  /** Every guard name referenced. */
  readonly guardNames: readonly string[];
  /** Every event type that some transition handles. */
  readonly eventTypes: readonly string[];
  /** leaf → event type → candidates in priority order. */
  readonly candidates: ReadonlyMap<string, ReadonlyMap<string, readonly TransitionDef[]>>;
}

// The part of XState's serialisable definition the derivation reads.
/** A target as the definition holds it: the target state node (its `path`), or an id string. */
type DefTarget = { path: string[] } | string;
interface DefTransition {
  eventType: string;
  guard?: string | { type: string };
  target?: DefTarget[];
  actions: Array<string | { type: string }>;
}
interface DefNode {
  key: string;
  type: string;
  initial?: { target: DefTarget[] };
  states: Record<string, DefNode>;
  on: Record<string, DefTransition[]>;
  entry: unknown[];
  exit: unknown[];
  always?: unknown[];
  after?: unknown[];
}

type GuardFn = (args: { context: unknown; event: unknown }) => boolean;

function fail(message: string): never {
  throw new Error(`model table: ${message}`);
}

function nameOf(ref: string | { type: string }): string {
  return typeof ref === 'string' ? ref : ref.type;
}

/** A target node, or '#address.tentative.challenged', → 'tentative.challenged'. */
function pathOfTarget(machineId: string, target: DefTarget): string {
  if (typeof target !== 'string') return target.path.join('.');
  const prefix = `#${machineId}.`;
  if (!target.startsWith(prefix)) fail(`target ${target} is not a path of #${machineId}`);
  return target.slice(prefix.length);
}

/** Derives the transition table of `machine` once. */
export function deriveTable(machine: AnyStateMachine): TransitionTable {
  const machineId = machine.id;
  const root = machine.root.definition as unknown as DefNode;
  const nodes = new Map<string, DefNode>();
  const walk = (node: DefNode, path: string): void => {
    if (node.type === 'parallel' || node.type === 'history') fail(`${path}: ${node.type} states are not supported`);
    if (node.entry.length > 0 || node.exit.length > 0) fail(`${path}: entry/exit actions are not supported`);
    if ((node.always?.length ?? 0) > 0 || (node.after?.length ?? 0) > 0)
      fail(`${path}: eventless or delayed transitions are not supported`);
    if (path !== '') nodes.set(path, node);
    for (const [key, child] of Object.entries(node.states)) walk(child, path === '' ? key : `${path}.${key}`);
  };
  walk(root, '');
  const resolveLeaf = (path: string): string => {
    let p = path;
    for (;;) {
      const node = nodes.get(p) ?? fail(`unknown state ${p}`);
      if (node.type !== 'compound') return p;
      const initial = node.initial?.target[0] ?? fail(`${p} has no initial state`);
      p = pathOfTarget(machineId, initial);
    }
  };
  const info: StateNodeInfo[] = [...nodes.entries()].map(([path, n]) => ({
    path,
    key: n.key,
    type: n.type === 'compound' ? 'compound' : n.type === 'final' ? 'final' : 'atomic',
    initial: n.type === 'compound' && n.initial !== undefined ? pathOfTarget(machineId, n.initial.target[0]) : null,
    children: Object.keys(n.states).map((k) => `${path}.${k}`),
  }));
  const rootInitial = root.initial?.target[0] ?? fail('the machine has no initial state');
  const leaves = [...nodes.entries()].filter(([, n]) => n.type === 'atomic' || n.type === 'final').map(([p]) => p);
  const finals = new Set([...nodes.entries()].filter(([, n]) => n.type === 'final').map(([p]) => p));
  const transitions: TransitionDef[] = [];
  const bySource = new Map<string, TransitionDef[]>();
  for (const [path, node] of nodes) {
    const defs: TransitionDef[] = [];
    for (const [eventType, list] of Object.entries(node.on)) {
      for (const t of list) {
        if ((t.target?.length ?? 0) > 1) fail(`${path} on ${eventType}: several targets`);
        const target = t.target === undefined || t.target.length === 0 ? null : pathOfTarget(machineId, t.target[0]);
        const guard = t.guard === undefined ? null : nameOf(t.guard);
        const def: TransitionDef = {
          id: `${path} --${eventType}${guard === null ? '' : ` [${guard}]`}--> ${target ?? path}`,
          source: path,
          event: eventType,
          guard,
          target,
          targetLeaf: target === null ? null : resolveLeaf(target),
          actions: t.actions.map(nameOf),
        };
        defs.push(def);
        transitions.push(def);
      }
    }
    bySource.set(path, defs);
  }
  const candidates = new Map<string, Map<string, TransitionDef[]>>();
  for (const leaf of leaves) {
    const byEvent = new Map<string, TransitionDef[]>();
    // Deepest first: 'active.held', then 'active' (XState's selection order).
    const parts = leaf.split('.');
    for (let n = parts.length; n >= 1; n--) {
      for (const def of bySource.get(parts.slice(0, n).join('.')) ?? []) {
        const list = byEvent.get(def.event) ?? [];
        list.push(def);
        byEvent.set(def.event, list);
      }
    }
    candidates.set(leaf, byEvent);
  }
  const guardNames = [...new Set(transitions.flatMap((t) => (t.guard === null ? [] : [t.guard])))];
  const eventTypes = [...new Set(transitions.map((t) => t.event))];
  return {
    machineId,
    initial: pathOfTarget(machineId, rootInitial),
    nodes: info,
    leaves,
    finals,
    transitions,
    guardNames,
    eventTypes,
    candidates,
  };
}

/** Which candidate is enabled, evaluating guards in priority order like XState. */
function select<C, E extends { type: string }>(
  table: TransitionTable,
  guards: Readonly<Record<string, GuardFn>>,
  state: MachineState<string, C>,
  event: E,
): { taken: TransitionDef | null; guards: GuardOutcome[] } {
  const outcomes: GuardOutcome[] = [];
  const list = table.candidates.get(state.value)?.get(event.type) ?? [];
  for (const def of list) {
    if (def.guard === null) return { taken: def, guards: outcomes };
    const fn = guards[def.guard] ?? fail(`guard ${def.guard} has no implementation`);
    const value = fn({ context: state.context, event });
    outcomes.push({ guard: def.guard, value });
    if (value) return { taken: def, guards: outcomes };
  }
  return { taken: null, guards: outcomes };
}

/** 'tentative.challenged' → { tentative: 'challenged' }. */
export function toStateValue(path: string): StateValue {
  const parts = path.split('.');
  let value: StateValue = parts[parts.length - 1];
  for (let i = parts.length - 2; i >= 0; i--) value = { [parts[i]]: value };
  return value;
}

/** { tentative: 'challenged' } → 'tentative.challenged' (one active leaf: no parallel states). */
export function fromStateValue(value: StateValue): string {
  if (typeof value === 'string') return value;
  const keys = Object.keys(value);
  if (keys.length !== 1) fail(`state value ${JSON.stringify(value)} is not a single leaf`);
  const child = value[keys[0]];
  return child === undefined ? keys[0] : `${keys[0]}.${fromStateValue(child)}`;
}

function guardsOf(machine: AnyStateMachine): Readonly<Record<string, GuardFn>> {
  return machine.implementations.guards as unknown as Record<string, GuardFn>;
}

/** Distinct inputs whose initial state is remembered per machine (a few parameter profiles in practice). */
const INITIAL_STATES_REMEMBERED_MAX = 64;
const initialStates = new WeakMap<AnyStateMachine, Map<string, MachineState<string, unknown>>>();

/**
 * The machine's initial state for `input`, through XState itself. XState's
 * `initialTransition` costs about 0.2 ms (it builds an actor scope), and the lockstep creates
 * a model, so two initial states, for every run it checks: that was 3 % of a lockstep run
 * (docs/benchmarks.md). So it runs once per machine and input; `input` must be JSON data (it
 * is the key). The result is frozen, context included: model states are never mutated (the
 * steppers build new contexts), and a shared one must not be.
 */
export function initialState<V extends string, C>(machine: AnyStateMachine, input: unknown): MachineState<V, C> {
  const key = JSON.stringify(input) ?? 'undefined';
  let remembered = initialStates.get(machine);
  if (remembered === undefined) {
    remembered = new Map();
    initialStates.set(machine, remembered);
  }
  const hit = remembered.get(key);
  if (hit !== undefined) return hit as MachineState<V, C>;
  const [snapshot] = initialTransition(machine, input);
  const state: MachineState<V, C> = Object.freeze({
    value: fromStateValue(snapshot.value as StateValue) as V,
    context: Object.freeze(snapshot.context) as C,
  });
  if (remembered.size >= INITIAL_STATES_REMEMBERED_MAX) remembered.clear();
  remembered.set(key, state);
  return state;
}

/** The fast stepper: table lookup, the machine's guards, the shared context updates. */
export function tableStepper<V extends string, C, E extends { type: string }>(
  machine: AnyStateMachine,
  updates: Readonly<Record<string, ContextUpdate<C, E>>>,
): Stepper<V, C, E> {
  const table = deriveTable(machine);
  const guards = guardsOf(machine);
  for (const t of table.transitions)
    for (const a of t.actions)
      if (!(a in updates) && !(a in machine.implementations.actions)) fail(`action ${a} has no implementation`);
  return {
    machine,
    table,
    step(state, event) {
      const { taken, guards: outcomes } = select(table, guards, state, event);
      if (taken === null) return { state, taken, guards: outcomes, effects: [] };
      let context = state.context;
      const effects: string[] = [];
      for (const name of taken.actions) {
        const update = updates[name];
        if (update === undefined) effects.push(name);
        else context = { ...context, ...update(context, event) };
      }
      const value = (taken.targetLeaf ?? state.value) as V;
      return { state: { value, context }, taken, guards: outcomes, effects };
    },
  };
}

/**
 * The reference stepper: XState's own pure `transition()`. The transition taken and the
 * guard outcomes (for coverage) come from the table's selection, which the agreement test
 * proves equal to XState's.
 */
export function xstateStepper<V extends string, C, E extends { type: string }>(
  machine: AnyStateMachine,
): Stepper<V, C, E> {
  const table = deriveTable(machine);
  const guards = guardsOf(machine);
  return {
    machine,
    table,
    step(state, event) {
      const snapshot = machine.resolveState({
        value: toStateValue(state.value),
        context: state.context as Record<string, unknown>,
      });
      const [next, actions] = transition(machine, snapshot, event as never);
      const { taken, guards: outcomes } = select(table, guards, state, event);
      if (next === snapshot) return { state, taken, guards: outcomes, effects: [] };
      const value = fromStateValue(next.value as StateValue) as V;
      return {
        state: { value, context: next.context as C },
        taken,
        guards: outcomes,
        effects: actions.map((a) => a.type),
      };
    },
  };
}
