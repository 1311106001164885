// `hmip6 explore`: bounded exhaustive search of the world at small scope (DESIGN.md "Proof
// that the properties bite"). Breadth first from the setup: every move of the scope from every
// state, states deduplicated by their canonical key (key.ts), every property judged on every
// transition. The first failure found is at the smallest depth there is, in moves, within the
// scope and the key's abstraction: unlike a shrunk random counterexample it is minimal. It is
// then trimmed of single actions it does not need (as the runner's last shrinking pass does)
// and written in the counterexample format, so `hmip6 replay` reads it.
//
// The world cannot be copied (Alice may be any implementation), so a state is kept as the
// moves that reach it and rebuilt by replaying them from the setup. A transition's work
// (replay, judgement, key) does not depend on what the search has seen, so worker threads may
// share it: results are read back in order, and the figures are the same for any number of
// workers. Memory is bounded by a cap on distinct states (keys are kept as 20-byte digests).

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { buildCounterexample, type CounterexampleFile } from '../counterexample.js';
import type { PropertyId } from '../invariants/types.js';
import { lockstep } from '../lockstep.js';
import { referenceAlice } from '../world/alice.js';
import type { Action, AliceFactory, Trace } from '../world/types.js';
import { runSchedule } from '../world/world.js';
import type { AliceSource } from './alice-source.js';
import { Evaluator, judge, selectProperties, type Judgement, type TransitionResult } from './evaluate.js';
import { DEFAULT_SCOPE, movesToActions, type ExploreScope } from './scope.js';
import type { FromWorker, ToWorker, WorkerSetup } from './worker.js';

/** Distinct states kept at most: beyond it the search stops and says so. */
export const STATES_MAX_DEFAULT = 500_000;
/** The depth `hmip6 explore` searches by default. */
export const DEPTH_DEFAULT = 6;
/** Transitions a worker evaluates per message (small enough that stopping at a failure wastes little). */
const BATCH_TRANSITIONS = 32;

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

/** Evaluates transitions, in this thread or in workers; results come back in the order asked. */
interface Pool {
  evaluate(paths: number[][]): Promise<TransitionResult[]>;
  close(): Promise<void>;
}

function localPool(evaluator: Evaluator): Pool {
  return {
    evaluate: (paths) => Promise.resolve(paths.map((p) => evaluator.evaluate(p))),
    close: () => Promise.resolve(),
  };
}

async function workerPool(count: number, setup: WorkerSetup): Promise<Pool> {
  const workers: Worker[] = [];
  const pending = new Map<number, { resolve: (r: TransitionResult[]) => void; reject: (e: Error) => void }>();
  let failure: Error | null = null;
  let nextId = 0;
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
            failure = new Error(`explore worker: ${m.message}`);
            reject(failure);
            for (const p of pending.values()) p.reject(failure);
            pending.clear();
          }
        });
        worker.on('error', (e) => {
          failure = e;
          reject(e);
          for (const p of pending.values()) p.reject(e);
          pending.clear();
        });
      }),
    );
  }
  await Promise.all(ready);
  let turn = 0;
  const send = (paths: number[][]): Promise<TransitionResult[]> =>
    new Promise((resolve, reject) => {
      if (failure !== null) {
        reject(failure);
        return;
      }
      const id = nextId++;
      pending.set(id, { resolve, reject });
      const worker = workers[turn++ % workers.length];
      worker.postMessage({ op: 'batch', id, paths } satisfies ToWorker);
    });
  return {
    async evaluate(paths) {
      const batches: Promise<TransitionResult[]>[] = [];
      for (let i = 0; i < paths.length; i += BATCH_TRANSITIONS)
        batches.push(send(paths.slice(i, i + BATCH_TRANSITIONS)));
      return (await Promise.all(batches)).flat();
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
  let current = failsAs(actions);
  if (current === null) return null;
  let kept = actions;
  for (let i = kept.length - 1; i >= 0; i--) {
    const candidate = kept.filter((_, k) => k !== i);
    const attempt = failsAs(candidate);
    if (attempt !== null) {
      kept = candidate;
      current = attempt;
    }
  }
  return { actions: kept, ...current };
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
    // Depth 0: the setup.
    const [root] = await pool.evaluate([[]]);
    visited.add(root.key);
    report.states = 1;
    for (const j of root.judgements) fail([], j);
    /** A state is the indices (into the scope's moves) of the moves that reach it. */
    let frontier: number[][] = root.judgements.length === 0 ? [[]] : [];
    const chunk = BATCH_TRANSITIONS * workers * 2;

    for (let depth = 1; depth <= options.depth && frontier.length > 0 && report.stopped === null; depth++) {
      const layerStart = now();
      const layer: LayerFigures = { depth, states: 0, transitions: 0, duplicates: 0, ms: 0 };
      const next: number[][] = [];
      const total = frontier.length * moves.length;
      let complete = true;
      scan: for (let first = 0; first < total; first += chunk) {
        if (options.timeLimitMs !== undefined && now() - started > options.timeLimitMs) {
          report.stopped = 'time-limit';
          complete = false;
          break;
        }
        const paths: number[][] = [];
        for (let t = first; t < Math.min(total, first + chunk); t++)
          paths.push([...frontier[Math.floor(t / moves.length)], t % moves.length]);
        const results = await pool.evaluate(paths);
        for (let k = 0; k < results.length; k++) {
          const path = paths[k];
          const { key, judgements } = results[k];
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
          if (judgements.length === 0) next.push(path);
        }
      }
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
