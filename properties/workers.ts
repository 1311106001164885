// Workers for `runCheck` (runner.ts, option `workers`): each plays a share of the same seed's
// runs and sends back one record per run; the check folds the records in run order (RunFold),
// so the report is the one a single worker makes (DESIGN.md "Workers"):
//
//   - a worker is a child process (the default) or a worker thread (`workerMode`). Both run
//     check-worker.ts and speak the same messages (ToWorker, FromWorker); a child process has
//     a heap, a garbage collector and an allocator of its own, which threads share
//     (docs/benchmarks.md "Workers" has the figures that chose processes);
//   - the runs to play (a shard's, with `--shard`) are handed out as they are asked for, in
//     chunks of consecutive runs that shrink as the runs left do (guided scheduling: a
//     worker asks for its next chunk when it has played the last; the check's own thread
//     takes its chunks directly). A worker that is slower (a child process starting cold, its
//     engine not yet warm, or given less than a core) simply plays fewer runs. Every worker
//     draws every schedule from the same seed (fast-check's generation is cheap beside a run:
//     0.7 s of CPU for seed 1's 1,000 schedules), so run r is the same schedule in every
//     worker, whichever plays it;
//   - a record that ends the check wherever it lands (a crash; with firstFailureEnds, a
//     failure) lowers the bound at once: every worker is told (`bound`) and skips the runs
//     above it from its next run on, while the runs below it are all played and folded, so
//     the lowest failing run wins;
//   - a failure is shrunk in the worker that played its run (it keeps what cutting a storm
//     needs), by the same budget and path as one worker would: the same counterexample;
//   - the workers start (load their Alice and the properties) while the check plays the
//     regression stage, and wait for what it settled before playing;
//   - the Alice of each worker comes from a WorkerAlice (worker-alice.ts): for an
//     implementation under test, one IUT process per worker.

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ScheduleOptions } from './arbitraries/schedule.js';
import type { PropertyId, Verdict } from './invariants/types.js';
import type { RunFold, RunPlayer, RunRecord, ShrinkBudget, ShrunkFile } from './runner.js';
import type { WorkerAlice, WorkerClosed } from './worker-alice.js';

/** Child processes (each its own heap and collector) or worker threads of this process. */
export type WorkerMode = 'process' | 'thread';

/** The default mode; HMIP6_WORKER_MODE=thread picks threads (to compare the two). */
export function defaultWorkerMode(): WorkerMode {
  return process.env.HMIP6_WORKER_MODE === 'thread' ? 'thread' : 'process';
}

/** How the runs are shared out (runner.ts CheckOptions.handOut). */
export type HandOut = 'chunks' | 'turns';

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
  handOut: HandOut;
}

export interface WorkerData extends PoolSetup {
  worker: number;
  workers: number;
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
  /** Skip every run above `run` (a run that ends the check was found). */
  | { op: 'bound'; run: number }
  /** The answer to `claim`: play the runs at positions `from` to `to` − 1 (none left when equal). */
  | { op: 'chunk'; from: number; to: number }
  | { op: 'close' };

export type FromWorker =
  | { op: 'record'; record: RunRecord }
  /** Its chunk played: the worker asks for the next. */
  | { op: 'claim' }
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
  /** Closes every worker but this thread (and its Alice) and says what each Alice said (workers 1 to N − 1). */
  close(): Promise<WorkerClosed[]>;
}

/** The entry point of a worker (check-worker.mjs loads check-worker.ts or its compiled .js). */
function workerUrl(): URL {
  return new URL('./check-worker.mjs', import.meta.url);
}

/** The end of a worker the check holds: a child process's or a thread's. */
interface WorkerLink {
  post(m: ToWorker): void;
  /** Stops the worker at once (a failure, an abort). */
  kill(): Promise<void>;
  /** Lets a worker that has said its last word (`closed`) go, and waits for its end. */
  release(): Promise<void>;
}

interface WorkerEvents {
  message(m: FromWorker): void;
  error(e: Error): void;
  /** The worker ended before the check let it go. */
  exit(status: string): void;
}

/** A child process's flags: the parent's, less a TypeScript loader (check-worker.mjs registers its own). */
function childExecArgv(): string[] {
  const out: string[] = [];
  const args = process.execArgv;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (/^--(import|require|loader|experimental-loader)$/.test(a) || a === '-r') i += 1;
    else if (!/^--(import|require|loader|experimental-loader)=/.test(a)) out.push(a);
  }
  return out;
}

/**
 * A chunk is the runs left divided by this times the number of workers (at least one run):
 * large chunks while many runs are left (fewer messages), single runs at the end (so the
 * workers finish together).
 */
export const CHUNK_DIVISOR = 4;

/** A chunk of run positions, `from` to `to` − 1; empty (`from` = `to`) when none are left. */
export interface Chunk {
  from: number;
  to: number;
}

/**
 * Hands out positions 0 to `total` − 1 in guided chunks, in increasing order; none once
 * `stopAt` (the position of the first run above the bound) is reached.
 */
export class RunDispenser {
  private handed = 0;
  /** Positions from here on are above the bound: handed to nobody. */
  stopAt: number;

  constructor(
    private readonly total: number,
    private readonly workers: number,
  ) {
    this.stopAt = total;
  }

  claim(): Chunk {
    const end = Math.min(this.total, this.stopAt);
    const from = Math.min(this.handed, end);
    const size = Math.max(1, Math.floor((end - from) / (CHUNK_DIVISOR * this.workers)));
    const to = Math.min(end, from + size);
    this.handed = Math.max(this.handed, to);
    return { from, to };
  }
}

/**
 * Whether position `position` (a worker sees every position, in order) is worker `worker`'s
 * to play: by turns, when position mod `workers` is `worker`; by chunks, when it lies in the
 * chunk `held`, asking for the next with `claim` once past it (`done` once none are left).
 */
export async function claimFor(
  position: number,
  held: { chunk: Chunk; done: boolean },
  claim: () => Chunk | Promise<Chunk>,
  turns: { handOut: HandOut; worker: number; workers: number },
): Promise<boolean> {
  if (turns.handOut === 'turns') return position % turns.workers === turns.worker;
  while (!held.done && position >= held.chunk.to) {
    held.chunk = await claim();
    if (held.chunk.from >= held.chunk.to) held.done = true;
  }
  return !held.done && position >= held.chunk.from;
}

/** How long a released child process gets to exit before it is killed. */
const RELEASE_GRACE_MS = 5000;

function startProcess(data: WorkerData, on: WorkerEvents): WorkerLink {
  const child: ChildProcess = fork(fileURLToPath(workerUrl()), [], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: childExecArgv(),
  });
  let released = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      if (!released) on.exit(signal !== null ? `was killed by ${signal}` : `exited with status ${code}`);
      resolve();
    });
  });
  // A child process hears nothing before it listens (it loads first): what is sent waits for its `ready`.
  let queue: unknown[] | null = [{ op: 'setup', data }];
  const write = (m: unknown): void => {
    if (child.connected) child.send(m as object, (e) => (e !== null && !released ? on.error(e) : undefined));
  };
  const send = (m: unknown): void => {
    if (queue !== null) queue.push(m);
    else write(m);
  };
  child.on('message', (m: FromWorker | { op: 'ready' }) => {
    if (m.op !== 'ready') return on.message(m);
    const waiting = queue ?? [];
    queue = null;
    for (const q of waiting) write(q);
  });
  child.on('error', (e) => on.error(e));
  return {
    post: send,
    async kill() {
      released = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async release() {
      released = true;
      // Its channel closed, the worker exits (check-worker.ts); a worker stuck in a run is killed.
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), RELEASE_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

function startThread(data: WorkerData, on: WorkerEvents): WorkerLink {
  const worker = new Worker(workerUrl(), { workerData: data });
  let released = false;
  worker.on('message', (m: FromWorker) => on.message(m));
  worker.on('error', (e) => on.error(e instanceof Error ? e : new Error(String(e))));
  worker.on('exit', (code) => {
    if (code !== 0 && !released) on.exit(`exited with status ${code}`);
  });
  const stop = async (): Promise<void> => {
    released = true;
    await worker.terminate();
    // Nothing of a worker may keep the process alive once it is closed.
    worker.unref();
  };
  return { post: (m) => worker.postMessage(m), kill: stop, release: stop };
}

/**
 * Worker 0 is the check's own thread: it plays its share between the records it folds (the
 * event loop is let through after each run), with the check's Alice, so N workers start N − 1
 * processes (and, for an IUT, N − 1 more copies of it beside the one the check already runs).
 */
export interface LocalShare {
  player: RunPlayer;
  /** Called before each run this thread plays, with its index (an IUT's findings are numbered by it). */
  beforeRun?: (run: number) => void;
}

/** Workers started and loading (their Alice, the properties) while the regression stage plays. */
export interface StartedPool {
  /**
   * Lets the workers play, folds their records into `fold` in run order and resolves once
   * every worker has played its runs (or skipped those above the bound). `onReceived`: records so far.
   */
  run(
    settled: PropertyId[],
    fold: RunFold,
    onReceived?: (received: number, byWorker: readonly number[]) => void,
  ): Promise<Pool>;
  /** Stops every worker without playing (the regression stage crashed). */
  abort(): Promise<void>;
}

/**
 * Starts `count` − 1 workers (worker 0 is this thread's `local` share); they load what they
 * need and wait for `run`.
 */
export function startPool(
  setup: PoolSetup,
  count: number,
  local: LocalShare,
  mode: WorkerMode = defaultWorkerMode(),
): StartedPool {
  let fold: RunFold | null = null;
  let onReceived: ((received: number, byWorker: readonly number[]) => void) | undefined;
  /** Runs each worker has played (its records received). */
  const byWorker: number[] = new Array<number>(count).fill(0);
  const workers: WorkerLink[] = [];
  const shard = setup.shard;
  /** The k-th run this check plays (its shard's k-th). */
  const runAt = (k: number): number => (shard === null ? k : shard.index + k * shard.count);
  const positionOf = (run: number): number => (shard === null ? run : (run - shard.index) / shard.count);
  const total = shard === null ? setup.numRuns : Math.ceil((setup.numRuns - shard.index) / shard.count);
  const dispenser = new RunDispenser(total, count);
  /** Which worker played each run (its shrink goes there). */
  const playedBy = new Map<number, number>();
  /** The highest run index still to be played: every worker is told when it is lowered. */
  let bound = Number.MAX_SAFE_INTEGER;
  const lower = (run: number): void => {
    if (run >= bound) return;
    bound = run;
    dispenser.stopAt = Math.min(dispenser.stopAt, positionOf(run) + 1);
    for (const w of workers) w.post({ op: 'bound', run });
  };

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

  const shrinks = new Map<number, { resolve: (r: ShrunkFile) => void; reject: (e: Error) => void }>();
  const closes: Array<(c: WorkerClosed) => void> = [];
  /** Workers that said their last word (`closed`). */
  const said: boolean[] = [];
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

  const receive = (record: RunRecord, worker: number): void => {
    playedBy.set(record.run, worker);
    byWorker[worker] += 1;
    received += 1;
    onReceived?.(Math.min(received, total), byWorker);
    if (fold?.ends(record) === true) lower(record.run);
    pending.set(record.run, record);
    drain();
  };
  const played = (cut: boolean): void => {
    interrupted ||= cut;
    runsDone += 1;
    if (runsDone === count) allDone();
  };

  const start = mode === 'process' ? startProcess : startThread;
  // workers[w - 1] is worker w.
  for (let w = 1; w < count; w++) {
    const data: WorkerData = { ...setup, worker: w, workers: count };
    const events: WorkerEvents = {
      message(m) {
        switch (m.op) {
          case 'record':
            receive(m.record, w);
            return;
          case 'claim':
            workers[w - 1]?.post({ op: 'chunk', ...dispenser.claim() } satisfies ToWorker);
            return;
          case 'runs-done':
            played(m.interrupted);
            return;
          case 'shrunk': {
            const s = shrinks.get(m.id);
            shrinks.delete(m.id);
            s?.resolve(m.result);
            return;
          }
          case 'closed':
            said[w] = true;
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
      },
      error: (e) => fail(e),
      exit(status) {
        if (said[w] === true) return;
        fail(new Error(`check worker ${w} ${status}`));
        // A close waiting for this worker's last word gets none.
        closes[w]?.({ worker: w, adapter: null });
      },
    };
    workers.push(start(data, events));
  }

  const terminate = async (): Promise<void> => {
    await Promise.all(workers.map((w) => w.kill()));
  };
  return {
    abort: terminate,
    async run(settled, theFold, received) {
      fold = theFold;
      onReceived = received;
      for (const worker of workers) worker.post({ op: 'start', settled } satisfies ToWorker);
      await playLocal(new Set(settled));
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

  /** Worker 0's share, played here: the chunks this thread takes from the dispenser itself. */
  async function playLocal(settled: ReadonlySet<PropertyId>): Promise<void> {
    let position = -1;
    const held = { chunk: { from: 0, to: 0 }, done: false };
    try {
      const cut = await local.player.drawRunsYielding(
        { numRuns: setup.numRuns, timeLimitMs: setup.timeLimitMs, shard: setup.shard },
        async (schedule, run) => {
          position += 1;
          if (run > bound || failure !== null) return;
          const turns = { handOut: setup.handOut, worker: 0, workers: count };
          if (!(await claimFor(position, held, () => dispenser.claim(), turns))) return;
          local.beforeRun?.(run);
          receive(
            local.player.play(schedule, run, (p) => settled.has(p.id)),
            0,
          );
        },
      );
      played(cut);
    } catch (e) {
      fail(e instanceof Error ? e : new Error(String(e)));
    }
  }

  function pool(): Pool {
    let shrinkId = 0;
    return {
      interrupted,
      shrink(property, run, verdict, storm, budget) {
        if (failure !== null) return Promise.reject(failure);
        const w = playedBy.get(run) ?? 0;
        if (w === 0) {
          const p = local.player.active.find((x) => x.id === property);
          if (p === undefined) return Promise.reject(new Error(`no property ${property}`));
          return Promise.resolve(local.player.shrinkFailure(p, run, verdict, storm, budget));
        }
        const id = shrinkId++;
        const worker = workers[w - 1];
        return new Promise<ShrunkFile>((resolve, reject) => {
          shrinks.set(id, { resolve, reject });
          worker.post({ op: 'shrink', id, property, run, verdict, storm, budget } satisfies ToWorker);
        });
      },
      async close() {
        if (failure !== null) {
          await terminate();
          return [];
        }
        const closed = await Promise.all(
          workers.map(
            (worker, i) =>
              new Promise<WorkerClosed>((resolve) => {
                closes[i + 1] = resolve;
                worker.post({ op: 'close' } satisfies ToWorker);
              }),
          ),
        );
        await Promise.all(workers.map((w) => w.release()));
        return closed;
      },
    };
  }
}
