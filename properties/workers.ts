// Worker threads for `runCheck` (runner.ts, option `workers`): each plays a share of the same
// seed's runs and sends back one record per run; this thread folds the records in run order
// (RunFold), so the report is the one a single thread makes (DESIGN.md "Workers"):
//
//   - run k of the runs to play (a shard's, with `--shard`) goes to worker k mod N; every
//     worker draws every schedule from the same seed (fast-check's generation is cheap beside
//     a run), so run r is the same schedule in every thread;
//   - a record that ends the check wherever it lands (a crash; with firstFailureEnds, a
//     failure) lowers a shared bound at once: every worker skips the runs above it, while the
//     runs below it are all played and folded, so the lowest failing run wins;
//   - a failure is shrunk in the worker that played its run (it keeps what cutting a storm
//     needs), by the same budget and path as one thread would: the same counterexample;
//   - the workers start (load their Alice and the properties) while the main thread plays the
//     regression stage, and wait for what it settled before playing;
//   - the Alice of each worker comes from a WorkerAlice (worker-alice.ts): for an
//     implementation under test, one IUT process per worker.

import { Worker } from 'node:worker_threads';
import type { ScheduleOptions } from './arbitraries/schedule.js';
import type { PropertyId, Verdict } from './invariants/types.js';
import type { RunFold, RunRecord, ShrinkBudget, ShrunkFile } from './runner.js';
import type { WorkerAlice, WorkerClosed } from './worker-alice.js';

/** What every worker is told (plain data). */
export interface PoolSetup {
  seed: number;
  numRuns: number;
  stepsMax: number;
  schedule: ScheduleOptions;
  timeLimitMs: number | null;
  shard: { index: number; count: number } | null;
  /** The properties judged, in the suite's order (RunRecord.verdicts follows it). */
  properties: PropertyId[];
  coverage: boolean;
  alice: WorkerAlice;
  firstFailureEnds: boolean;
  failuresGoOn: PropertyId[];
}

export interface WorkerData extends PoolSetup {
  worker: number;
  workers: number;
  /** Int32 [0]: the highest run index still to be played (lowered by the first failing run). */
  bound: SharedArrayBuffer;
}

export type ToWorker =
  /** Play the runs; `settled`: properties the regression stage settled, which no run judges. */
  | { op: 'start'; settled: PropertyId[] }
  | {
      op: 'shrink';
      id: number;
      property: PropertyId;
      run: number;
      verdict: Extract<Verdict, { ok: false }>;
      storm: boolean;
      budget: ShrinkBudget;
    }
  | { op: 'close' };

export type FromWorker =
  | { op: 'record'; record: RunRecord }
  | { op: 'runs-done'; interrupted: boolean }
  | { op: 'shrunk'; id: number; result: ShrunkFile }
  | { op: 'closed'; closed: WorkerClosed }
  | { op: 'failed'; id: number | null; message: string };

export interface Pool {
  /** A worker's time limit cut its runs short (the fold stops at the first run missing). */
  interrupted: boolean;
  shrink(
    property: PropertyId,
    run: number,
    verdict: Extract<Verdict, { ok: false }>,
    storm: boolean,
    budget: ShrinkBudget,
  ): Promise<ShrunkFile>;
  /** Closes every worker (and its Alice) and says what each Alice said. */
  close(): Promise<WorkerClosed[]>;
}

/** No bound yet: every run may be played. */
const UNBOUNDED = 0x7fffffff;

function workerUrl(): URL {
  return new URL('./check-worker.mjs', import.meta.url);
}

/** Workers started and loading (their Alice, the properties) while the regression stage plays. */
export interface StartedPool {
  /**
   * Lets the workers play, folds their records into `fold` in run order and resolves once
   * every worker has played its runs (or skipped those above the bound). `onReceived`: records so far.
   */
  run(settled: PropertyId[], fold: RunFold, onReceived?: (received: number) => void): Promise<Pool>;
  /** Stops every worker without playing (the regression stage crashed). */
  abort(): Promise<void>;
}

/** Starts `count` workers; they load what they need and wait for `run`. */
export function startPool(setup: PoolSetup, count: number): StartedPool {
  let fold: RunFold | null = null;
  let onReceived: ((received: number) => void) | undefined;
  const bound = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const ctl = new Int32Array(bound);
  Atomics.store(ctl, 0, UNBOUNDED);
  const lower = (run: number): void => {
    if (run < Atomics.load(ctl, 0)) Atomics.store(ctl, 0, run);
  };
  const shard = setup.shard;
  /** The k-th run this check plays (its shard's k-th). */
  const runAt = (k: number): number => (shard === null ? k : shard.index + k * shard.count);
  const positionOf = (run: number): number => (shard === null ? run : (run - shard.index) / shard.count);
  const total = shard === null ? setup.numRuns : Math.ceil((setup.numRuns - shard.index) / shard.count);

  const pending = new Map<number, RunRecord>();
  let next = 0;
  let received = 0;
  let interrupted = false;
  let failure: Error | null = null;
  const drain = (): void => {
    if (fold === null) return;
    while (next < total && !fold.ended()) {
      const record = pending.get(runAt(next));
      if (record === undefined) return;
      pending.delete(record.run);
      fold.absorb(record);
      next += 1;
      if (fold.ended()) lower(record.run);
    }
  };

  const workers: Worker[] = [];
  const shrinks = new Map<number, { resolve: (r: ShrunkFile) => void; reject: (e: Error) => void }>();
  const closes: Array<(c: WorkerClosed) => void> = [];
  let runsDone = 0;
  let allDone: () => void = () => {};
  let broken: (e: Error) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    allDone = resolve;
    broken = reject;
  });
  // A worker may fail while the regression stage plays, before anyone awaits `done`.
  done.catch(() => {});
  const fail = (e: Error): void => {
    failure ??= e;
    broken(failure);
    for (const s of shrinks.values()) s.reject(failure);
    shrinks.clear();
  };

  for (let w = 0; w < count; w++) {
    const data: WorkerData = { ...setup, worker: w, workers: count, bound };
    const worker = new Worker(workerUrl(), { workerData: data });
    workers.push(worker);
    worker.on('message', (m: FromWorker) => {
      switch (m.op) {
        case 'record':
          received += 1;
          onReceived?.(Math.min(received, total));
          if (fold?.ends(m.record) === true) lower(m.record.run);
          pending.set(m.record.run, m.record);
          drain();
          return;
        case 'runs-done':
          interrupted ||= m.interrupted;
          runsDone += 1;
          if (runsDone === count) allDone();
          return;
        case 'shrunk': {
          const s = shrinks.get(m.id);
          shrinks.delete(m.id);
          s?.resolve(m.result);
          return;
        }
        case 'closed':
          closes[w]?.(m.closed);
          return;
        case 'failed': {
          const error = new Error(`check worker ${w}: ${m.message}`);
          if (m.id !== null && shrinks.has(m.id)) {
            shrinks.get(m.id)?.reject(error);
            shrinks.delete(m.id);
          } else fail(error);
          return;
        }
      }
    });
    worker.on('error', (e) => fail(e instanceof Error ? e : new Error(String(e))));
    worker.on('exit', (code) => {
      if (code !== 0 && closes[w] === undefined) fail(new Error(`check worker ${w} exited with status ${code}`));
    });
  }

  const terminate = async (): Promise<void> => {
    await Promise.all(workers.map((w) => w.terminate()));
    // Nothing of a worker may keep the process alive once it is closed.
    for (const w of workers) w.unref();
  };
  return {
    abort: terminate,
    async run(settled, theFold, received) {
      fold = theFold;
      onReceived = received;
      for (const worker of workers) worker.postMessage({ op: 'start', settled } satisfies ToWorker);
      try {
        await done;
      } catch (e) {
        await terminate();
        throw e;
      }
      drain();
      // Runs left unfolded without an end: a time limit stopped a worker before them.
      if (!theFold.ended() && next < total) interrupted = true;
      return pool();
    },
  };

  function pool(): Pool {
    let shrinkId = 0;
    return {
      interrupted,
      shrink(property, run, verdict, storm, budget) {
        if (failure !== null) return Promise.reject(failure);
        const id = shrinkId++;
        const worker = workers[positionOf(run) % count];
        return new Promise<ShrunkFile>((resolve, reject) => {
          shrinks.set(id, { resolve, reject });
          worker.postMessage({ op: 'shrink', id, property, run, verdict, storm, budget } satisfies ToWorker);
        });
      },
      async close() {
        if (failure !== null) {
          await terminate();
          return [];
        }
        const closed = await Promise.all(
          workers.map(
            (worker, w) =>
              new Promise<WorkerClosed>((resolve) => {
                closes[w] = resolve;
                worker.postMessage({ op: 'close' } satisfies ToWorker);
              }),
          ),
        );
        await terminate();
        return closed;
      },
    };
  }
}
