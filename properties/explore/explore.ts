// `hmip6 explore`: bounded exhaustive search of the world at small scope (DESIGN.md "Proof
// that the properties bite"). Breadth first from the setup: every move of the scope from every
// state, states deduplicated by their canonical key (key.ts), every property judged on every
// transition. The first failure found is at the smallest depth there is, in moves, within the
// scope and the key's abstraction: unlike a shrunk random counterexample it is minimal. It is
// then trimmed of single actions it does not need (as the runner's last shrinking pass does)
// and written in the counterexample format, so `hmip6 replay` reads it.
//
// A state of the frontier is its world, forked for each move (World.fork: the copy plays on
// to the trace a replay would give), so a transition costs one move, not the whole path (and a
// property that can go on from its parent's judging, Property.resume, judges only the move). An
// Alice that cannot be copied (an external implementation, a broken host of the bank) is
// replayed from the setup instead, as is a state whose world another thread holds. Worker
// threads each hold a part of every layer and expand it; a transition's work (play,
// judgement, key) does not depend on what the search has seen, results are read back in
// order, and the figures are the same for any number of workers. Memory: the distinct keys
// (20-byte digests) up to a cap, and the worlds of one layer's frontier.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { buildCounterexample, type CounterexampleFile } from '../counterexample.js';
import type { PropertyId } from '../invariants/types.js';
import { lockstep } from '../lockstep.js';
import { dropActions } from '../shrink.js';
import { referenceAlice } from '../world/alice.js';
import type { Action, AliceFactory, Trace } from '../world/types.js';
import { runSchedule } from '../world/world.js';
import type { AliceSource } from './alice-source.js';
import {
  Evaluator,
  Expander,
  judge,
  selectProperties,
  type ExpandItem,
  type Judgement,
  type TransitionResult,
} from './evaluate.js';
import { DEFAULT_SCOPE, movesToActions, type ExploreScope } from './scope.js';
import type { FromWorker, ToWorker, WorkerSetup } from './worker.js';

/** Distinct states kept at most: beyond it the search stops and says so. */
export const STATES_MAX_DEFAULT = 500_000;
/** The depth `hmip6 explore` searches by default. */
export const DEPTH_DEFAULT = 6;
/**
 * Transitions a thread evaluates per message, about: a message carries whole states (each
 * expanded by every move), as many as fit, at least one. Small enough that stopping at a
 * failure wastes little and that the children waiting to be kept stay few.
 */
const TRANSITIONS_PER_MESSAGE = 32;

export interface ExploreOptions {
  /** Largest number of moves in a trace. */
  depth: number;
  scope?: ExploreScope;
  alice?: AliceFactory;
  /**
   * Worker threads (default 1: the search runs in this thread). More than one needs
   * `aliceSource`, from which each worker loads Alice.
   */
  workers?: number;
  aliceSource?: AliceSource;
  /** Properties judged (all by default; state properties are skipped for an Alice without `state`). */
  properties?: readonly PropertyId[];
  statesMax?: number;
  /** Stop after this long (the layers done so far count). */
  timeLimitMs?: number;
  /**
   * Keep searching after the first failure, to the full depth, recording the shortest failure
   * of every property (failing states are not expanded); default: stop at the first failure.
   */
  keepGoing?: boolean;
  /** Called after each layer. */
  onLayer?: (layer: LayerFigures) => void;
}

export interface LayerFigures {
  depth: number;
  /** Distinct states first reached at this depth. */
  states: number;
  transitions: number;
  /** Transitions that led to a state already seen. */
  duplicates: number;
  ms: number;
}

export interface ExploreFailure {
  /** The property that failed; null when Alice crashed. */
  property: PropertyId | null;
  reason: string;
  /** Moves in the shortest failing trace. */
  depth: number;
  /** Their names. */
  moves: string[];
  /** The actions replayed, after single actions the failure does not need were dropped. */
  actions: Action[];
  counterexample: CounterexampleFile;
}

export interface ExploreReport {
  alice: string;
  scope: string;
  moves: number;
  depthMax: number;
  /** The deepest layer searched completely (a failure or a cap may stop the search inside the next one). */
  depthCompleted: number;
  /** Distinct states reached (the setup included). */
  states: number;
  transitions: number;
  duplicates: number;
  ms: number;
  workers: number;
  layers: LayerFigures[];
  /** Why the search stopped early, if it did. */
  stopped: 'failure' | 'states-max' | 'time-limit' | null;
  properties: PropertyId[];
  skipped: { id: PropertyId; reason: string }[];
  /** The shortest failure, when there is one. */
  failure: ExploreFailure | null;
  /** The shortest failure of each property that failed (with `keepGoing`; else at most one), in the order found. */
  failures: ExploreFailure[];
}

function now(): number {
  return performance.now();
}

/**
 * The threads that hold the search's states and expand them: this thread alone, or worker
 * threads each holding a part of every layer. Results come back in the order asked.
 */
interface Pool {
  readonly threads: number;
  /** The root, expanded later by thread 0 which holds it. */
  root(): Promise<TransitionResult>;
  /** Thread `thread` expands `items` by every move. */
  expand(thread: number, items: ExpandItem[]): Promise<TransitionResult[]>;
  /** Thread `thread` keeps these children of its last expansion, under their next-layer index. */
  keep(thread: number, pairs: [number, number][]): void;
  /** Every thread begins the next layer. */
  advance(): void;
  close(): Promise<void>;
}

function localPool(evaluator: Evaluator): Pool {
  const expander = new Expander(evaluator);
  return {
    threads: 1,
    root: () => Promise.resolve(expander.root()),
    expand: (_thread, items) => Promise.resolve(expander.expand(items)),
    keep: (_thread, pairs) => expander.keep(pairs),
    advance: () => expander.advance(),
    close: () => Promise.resolve(),
  };
}

async function workerPool(count: number, setup: WorkerSetup): Promise<Pool> {
  const workers: Worker[] = [];
  const pending = new Map<number, { resolve: (r: TransitionResult[]) => void; reject: (e: Error) => void }>();
  let failure: Error | null = null;
  let nextId = 0;
  const failAll = (e: Error): void => {
    failure = e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  const ready: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const worker = new Worker(new URL('./worker.mjs', import.meta.url), { workerData: setup });
    workers.push(worker);
    ready.push(
      new Promise<void>((resolve, reject) => {
        worker.on('message', (m: FromWorker) => {
          if (m.op === 'ready') resolve();
          else if (m.op === 'results') {
            const p = pending.get(m.id);
            pending.delete(m.id);
            p?.resolve(m.results);
          } else {
            const e = new Error(`explore worker: ${m.message}`);
            reject(e);
            failAll(e);
          }
        });
        worker.on('error', (e) => {
          reject(e);
          failAll(e);
        });
      }),
    );
  }
  await Promise.all(ready);
  const ask = (thread: number, message: (id: number) => ToWorker): Promise<TransitionResult[]> =>
    new Promise((resolve, reject) => {
      if (failure !== null) {
        reject(failure);
        return;
      }
      const id = nextId++;
      pending.set(id, { resolve, reject });
      workers[thread].postMessage(message(id));
    });
  return {
    threads: count,
    root: async () => (await ask(0, (id) => ({ op: 'root', id })))[0],
    expand: (thread, items) => ask(thread, (id) => ({ op: 'expand', id, items })),
    // Messages to one worker arrive in order: a keep or an advance is handled before the next expansion.
    keep: (thread, pairs) => workers[thread].postMessage({ op: 'keep', pairs } satisfies ToWorker),
    advance: () => {
      for (const w of workers) w.postMessage({ op: 'advance' } satisfies ToWorker);
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** The number of workers to use for `--workers auto`: one per core. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Drops single actions, last to first, while `property` still fails the same way (crash or
 * property): the minimal number of moves stays, the settling a failure does not need goes.
 */
function trim(
  actions: Action[],
  evaluator: Evaluator,
  property: PropertyId | null,
  all: boolean,
): { actions: Action[]; trace: Trace; judgement: Judgement } | null {
  const failsAs = (candidate: Action[]): { trace: Trace; judgement: Judgement } | null => {
    const run = runSchedule({ config: evaluator.scope.config, actions: candidate }, evaluator.alice);
    const j = judge(run.trace, run.crash, evaluator.properties, all).find((x) => x.property === property);
    return j === undefined ? null : { trace: run.trace, judgement: j };
  };
  const first = failsAs(actions);
  if (first === null) return null;
  const dropped = dropActions(actions, first, failsAs);
  return { actions: dropped.actions, ...dropped.found };
}

/** Breadth-first search of the scope's world up to `depth` moves. */
export async function explore(options: ExploreOptions): Promise<ExploreReport> {
  const started = now();
  const scope = options.scope ?? DEFAULT_SCOPE;
  const alice = options.alice ?? referenceAlice;
  const statesMax = options.statesMax ?? STATES_MAX_DEFAULT;
  const keepGoing = options.keepGoing === true;
  const moves = scope.moves;
  const { properties, skipped } = selectProperties(options.properties, alice);
  const evaluator = new Evaluator(scope, alice, properties, keepGoing);
  const workers = options.aliceSource !== undefined ? Math.max(1, options.workers ?? 1) : 1;

  const report: ExploreReport = {
    alice: alice.name,
    scope: scope.name,
    moves: moves.length,
    depthMax: options.depth,
    depthCompleted: 0,
    states: 0,
    transitions: 0,
    duplicates: 0,
    ms: 0,
    workers,
    layers: [],
    stopped: null,
    properties: properties.map((p) => p.id),
    skipped,
    failure: null,
    failures: [],
  };

  const fail = (path: number[], j: Judgement): void => {
    if (report.failures.some((f) => f.property === j.property)) return;
    // The moves' actions, not the trace's: a run that crashed Alice has no step for the action
    // that crashed her, and the counterexample must hold it to reproduce the crash.
    const actions = movesToActions(path.map((i) => moves[i]));
    const trimmed = trim(actions, evaluator, j.property, keepGoing) ?? {
      actions,
      trace: evaluator.run(path).trace,
      judgement: j,
    };
    const counterexample = buildCounterexample(trimmed.trace, trimmed.actions, {
      property: trimmed.judgement.property,
      reason: trimmed.judgement.reason,
      failingStep: trimmed.judgement.step,
      // No fast-check run made it: seed 0 and empty paths say so; `config` and `actions` replay it.
      seed: 0,
      path: '',
      replayPath: '',
      ...(trimmed.judgement.property === 'REFINES-MODEL' ? { modelStates: lockstep(trimmed.trace).modelStates } : {}),
    });
    const failure: ExploreFailure = {
      property: j.property,
      reason: trimmed.judgement.reason,
      depth: path.length,
      moves: path.map((i) => moves[i].name),
      actions: trimmed.actions,
      counterexample,
    };
    report.failures.push(failure);
    report.failure ??= failure;
    if (!keepGoing) report.stopped = 'failure';
  };

  const pool =
    workers > 1 && options.aliceSource !== undefined
      ? await workerPool(workers, {
          scope,
          alice: options.aliceSource,
          properties: options.properties === undefined ? undefined : [...options.properties],
          all: keepGoing,
        })
      : localPool(evaluator);
  try {
    const visited = new Set<string>();
    // Depth 0: the setup, held by thread 0.
    const root = await pool.root();
    visited.add(root.key);
    report.states = 1;
    for (const j of root.judgements) fail([], j);
    /**
     * A state is the indices (into the scope's moves) of the moves that reach it, and the
     * thread that holds its world (the one that made it; another thread rebuilds it).
     */
    let frontier: { path: number[]; holder: number }[] = root.judgements.length === 0 ? [{ path: [], holder: 0 }] : [];

    for (let depth = 1; depth <= options.depth && frontier.length > 0 && report.stopped === null; depth++) {
      const layerStart = now();
      const layer: LayerFigures = { depth, states: 0, transitions: 0, duplicates: 0, ms: 0 };
      const next: { path: number[]; holder: number }[] = [];
      let complete = true;
      const perThread = Math.max(1, Math.floor(TRANSITIONS_PER_MESSAGE / moves.length));
      scan: for (let first = 0; first < frontier.length; first += perThread * pool.threads) {
        if (options.timeLimitMs !== undefined && now() - started > options.timeLimitMs) {
          report.stopped = 'time-limit';
          complete = false;
          break;
        }
        // The chunk's states in equal contiguous parts, one per thread: a thread expands the
        // children of the states it expanded before, but for the few at a part's edge.
        const chunk = frontier.slice(first, first + perThread * pool.threads);
        const share = Math.ceil(chunk.length / pool.threads);
        const parts: { thread: number; from: number; items: ExpandItem[] }[] = [];
        for (let t = 0; t < pool.threads && t * share < chunk.length; t++) {
          const items = chunk
            .slice(t * share, (t + 1) * share)
            .map((s, j) => ({ index: first + t * share + j, path: s.path, held: s.holder === t }));
          parts.push({ thread: t, from: t * share, items });
        }
        const results = await Promise.all(parts.map((p) => pool.expand(p.thread, p.items)));
        for (let pi = 0; pi < parts.length; pi++) {
          const part = parts[pi];
          const kept: [number, number][] = [];
          for (let k = 0; k < results[pi].length; k++) {
            const item = part.items[Math.floor(k / moves.length)];
            const move = k % moves.length;
            const path = [...item.path, move];
            const { key, judgements } = results[pi][k];
            layer.transitions += 1;
            // A property judges the whole run, not only its last state: a transition into a known
            // state can still fail (its history differs), so every transition is judged.
            for (const j of judgements) fail(path, j);
            if (judgements.length > 0 && !keepGoing) {
              complete = false;
              break scan;
            }
            if (visited.has(key)) {
              layer.duplicates += 1;
              continue;
            }
            if (visited.size >= statesMax) {
              report.stopped = 'states-max';
              complete = false;
              break scan;
            }
            visited.add(key);
            layer.states += 1;
            // A failing state is not expanded: every run through it fails the same property.
            if (judgements.length === 0) {
              kept.push([item.index * moves.length + move, next.length]);
              next.push({ path, holder: part.thread });
            }
          }
          pool.keep(part.thread, kept);
        }
      }
      pool.advance();
      layer.ms = now() - layerStart;
      report.layers.push(layer);
      report.transitions += layer.transitions;
      report.duplicates += layer.duplicates;
      report.states += layer.states;
      if (complete) report.depthCompleted = depth;
      options.onLayer?.(layer);
      frontier = next;
    }
  } finally {
    await pool.close();
  }
  report.ms = now() - started;
  return report;
}
