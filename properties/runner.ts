// The property runner: runs every property of DESIGN.md's table over adversarial schedules
// with fast-check, and reports per property its runs, verdict, time and shrunk counterexample.
//
// One pass of fast-check generates the schedules (seed, numRuns); each run plays its schedule
// once and every property judges the same trace. A property that fails is then shrunk on its
// own: fast-check replays the failing run by its path and shrinks it against that property
// alone, then a last pass tries to drop single actions (shrink.ts). The counterexample file
// records the seed, the first failing path and the shrunk one (replayPath).
//
// runCheck is its stages, in order: setup (resolveCheck, startWorkers), the regression stage,
// the random runs, shrinking, the counterexample files, the report. Every stage turns a trace
// into a verdict the same way: judge.ts.
//
// Alice comes from an AliceFactory, so a mutant or an external implementation is just another
// factory. With `shard: {index, count}`, run r (counted from 0 over the whole run) belongs to
// shard r mod count: n jobs with the same seed and numRuns together cover one run.
//
// Each run gives a RunRecord (RunPlayer.play), folded in run order into the report
// (RunFold): one thread plays and folds at once; with `workers`, worker processes (or threads)
// play shares of the runs and this thread folds their records (workers.ts), so the report is
// the same.
// With `firstFailureEnds` the check ends at the lowest run in which a property fails.
//
// With `regression`, the regression scenarios (properties/regression/: one fixed world scenario
// per transition of the model's machines) are played first and judged like runs. REFINES-MODEL's
// lockstep feeds one coverage tracker for the whole check: the report's `modelCoverage`.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { MS_PER_SECOND } from '../impl/units.js';
import { CoverageTracker, coverageSummary, type CoverageSummary } from '../model/coverage.js';
import { DEFAULT_STEPS_MAX, scheduleArbitrary, type ScheduleOptions } from './arbitraries/schedule.js';
import { buildCounterexample, serializeCounterexample, type CounterexampleFile } from './counterexample.js';
import { PROPERTIES } from './invariants/index.js';
import { judgedMinimum, type Property, type PropertyId, type Verdict } from './invariants/types.js';
import { judge, type JudgedRun } from './judge.js';
import { lockstep } from './lockstep.js';
import { regressionPlan, type RegressionScenario } from './regression/concretize.js';
import { runScenario } from './regression/stage.js';
import { cutAtFailure, NotReproduced, shrink, shrinkFixed, type ShrinkBudget, type Shrunk } from './shrink.js';
import { SITUATIONS, situationsReached, type SituationCoverage } from './situations/index.js';
import { addRun, deepStates, emptyStats, type DeepState, type DeepStateStats } from './stats.js';
import { referenceWorkerAlice, type WorkerAlice, type WorkerClosed } from './worker-alice.js';
import { startPool, type HandOut, type StartedPool, type WorkerMode } from './workers.js';
import { referenceAlice } from './world/alice.js';
import type { Action, AliceFactory, Schedule, Trace } from './world/types.js';
import { runSchedule, type RunResult } from './world/world.js';

export { shrink, shrinkFixed, type ShrinkBudget } from './shrink.js';
export type { JudgedRun } from './judge.js';

export interface CheckOptions {
  seed: number;
  numRuns: number;
  /** Largest number of actions per schedule. */
  stepsMax?: number;
  /** Properties to run (all by default). */
  properties?: readonly PropertyId[];
  /** Stop generating new runs after this long (the runs done so far count). */
  timeLimitMs?: number;
  shard?: { index: number; count: number };
  /** Where counterexample files go; none are written without it. */
  outDir?: string;
  alice?: AliceFactory;
  schedule?: ScheduleOptions;
  /** What shrinking one failure may cost (fast-check's shrink, then single-action removal). */
  shrinkBudget?: Partial<ShrinkBudget>;
  /**
   * Called after each run of this shard. With workers, `byWorker[w]` counts the runs worker w
   * has played so far (worker 0 is this thread).
   */
  onProgress?: (progress: { done: number; total: number; failed: number; byWorker?: number[] }) => void;
  /**
   * First play the regression scenarios (properties/regression/: one fixed world scenario per
   * transition of the model's machines), judged by every property like a run; in every shard.
   * Off by default; `hmip6 check` turns it on.
   */
  regression?: boolean;
  /** Track the model's coverage in REFINES-MODEL's lockstep (default true): the report's `modelCoverage`. */
  coverage?: boolean;
  /**
   * Workers that play the runs (default 1: this thread plays them). The runs are handed out in
   * chunks as the workers ask (`handOut`); the report is the one thread's (DESIGN.md
   * "Workers"): records are folded in run order, and a failure is shrunk in the worker that
   * found it. More than one needs `workerAlice` unless Alice is the reference host.
   */
  workers?: number;
  /**
   * 'chunks' (the default): guided chunks to whichever worker asks (workers.ts); 'turns': run
   * k of the runs to play goes to worker k mod N, so which worker plays a run is fixed (tests
   * that need a failure found by another worker than this thread's).
   */
  handOut?: HandOut;
  /** Child processes (the default; HMIP6_WORKER_MODE=thread) or worker threads (workers.ts). */
  workerMode?: WorkerMode;
  /**
   * Where each worker gets its Alice (a factory holds functions, which cannot cross processes).
   * Worker 0 is this thread, with `alice`: N workers start N − 1 others.
   */
  workerAlice?: WorkerAlice;
  /** With workers, called before each run this thread plays, with its index (the oracle numbers its IUT's runs by it). */
  beforeRun?: (run: number) => void;
  /**
   * Told what each worker's Alice said when it was closed (the oracle's IUTs: findings,
   * exchanges), with the highest run index the report counts (-1: none): workers 1 to N − 1,
   * since worker 0's Alice is `alice`.
   */
  onWorkersClosed?: (closed: WorkerClosed[], lastRun: number) => void;
  /** Called once the runs are played, before any failure is shrunk. */
  onRunsDone?: () => void;
  /**
   * End the check at the lowest run in which a property fails (DESIGN.md "Workers"): every run
   * below it is judged, none above it is played. `hmip6 check` and `hmip6 oracle` set it; off,
   * the properties that still hold are judged over every run.
   */
  firstFailureEnds?: boolean;
  /** Properties whose failures do not end the check with firstFailureEnds (the oracle's warnings). */
  failuresGoOn?: readonly PropertyId[];
}

/**
 * `pass`: held and judged at least its minimum; `fail`: broken (counterexample written);
 * `inconclusive`: held but judged fewer situations than its minimum (DESIGN.md "Evidence and
 * verdicts": a pass that judged nothing is not a pass); `skip`: needs a feature the IUT lacks;
 * `not-run`: the check was cut short by an error before it could be judged to the end.
 */
export type PropertyVerdict = 'pass' | 'fail' | 'inconclusive' | 'skip' | 'not-run';

export interface PropertyReport {
  id: PropertyId;
  verdict: PropertyVerdict;
  /** Runs in which the property was judged (up to and including its first failure). */
  runs: number;
  /** Regression scenarios in which it was judged (CheckOptions.regression; they are not in `runs`). */
  regressionRuns?: number;
  /** Time spent judging it (and shrinking its failure). */
  ms: number;
  /** Situations it had something to say about (Property.situation), over every run and scenario. */
  judged: number;
  /** The least `judged` that makes its verdict conclusive: floor(judgedPerRun × runs). */
  judgedMinimum: number;
  /**
   * Every failing run (Property.reportsEveryFailure), first first, with its reason; at most
   * FAILING_RUNS_KEPT are kept, `failingRunCount` counts them all.
   */
  failingRuns?: { run: number; reason: string }[];
  failingRunCount?: number;
  skipReason?: string;
  reason?: string;
  /** Run index (fast-check path) of the first failure. */
  failingRun?: number;
  /** The first failure was in the regression stage: what the scenario covers (then no `failingRun`). */
  regressionScenario?: string;
  counterexample?: CounterexampleFile;
  /** Where the counterexample file was written. */
  file?: string;
}

/** The whole check's verdict; exit codes 0, 1, 2 and 4 (cli/lib/reports.ts `exitCode`). */
export type CheckVerdict = 'pass' | 'fail' | 'error' | 'inconclusive';

export interface CheckReport {
  verdict: CheckVerdict;
  seed: number;
  numRuns: number;
  /** Runs this shard played. */
  runs: number;
  stepsMax: number;
  alice: string;
  shard: { index: number; count: number } | null;
  /** The check stopped before its last run: a time limit, or a packet storm (`stormRun`). */
  interrupted: boolean;
  /** firstFailureEnds: the run whose failure ended the check (no later run was played). */
  endedAtRun?: number;
  /**
   * The run whose packet storm failed INV-AMPLIFICATION and stopped the check (DESIGN.md
   * "Storms"): every run after it could cost as much, so none is started. Absent: no storm.
   */
  stormRun?: number;
  properties: PropertyReport[];
  stats: DeepStateStats;
  /**
   * The situation catalogue (properties/situations/): per situation, the runs that reached it,
   * their share of the runs played, and the share required at check's defaults
   * (informational here: only the reference-host test enforces it).
   */
  situations: SituationCoverage[];
  /** Alice threw: the IUT failed (exit 2). */
  error: { run: number; message: string; file?: string } | null;
  timing: { totalMs: number; worldMs: number; steps: number; stepsPerSecond: number };
  /**
   * States, transitions and guard outcomes of the model's machines visited by the runs
   * REFINES-MODEL judged, regression stage included (null: REFINES-MODEL not run, or `coverage: false`).
   */
  modelCoverage?: CoverageSummary | null;
  /** The regression stage (null: not run). */
  regression?: RegressionReport | null;
}

export interface RegressionReport {
  /** Scenarios played: one per transition the world's actions can take, then one per guard outcome those leave out. */
  scenarios: number;
  /** Transitions of both machines. */
  transitions: number;
  /** Transition scenarios that took their transition (null: unknown, Alice has no `state` feature). */
  took: number | null;
  /** Guard-outcome scenarios, and how many evaluated their outcome (null: unknown). */
  guards: { scenarios: number; took: number | null };
  /** Scenarios that did not take their transition or guard outcome. */
  missed: string[];
  /** Transitions without a scenario, and why. */
  unreachable: { transition: string; why: string }[];
  ms: number;
}

/** Failing runs a property that reports every failure keeps in its report (the count is exact). */
export const FAILING_RUNS_KEPT = 50;

/** Default shrink budget per failure: runs of the world (a few seconds), and a safety time limit. */
export const SHRINK_BUDGET: Readonly<ShrinkBudget> = { runs: 400, timeLimitMs: 60_000 };
/** Shrinking gets at least this long, even past a time limit. */
const SHRINK_TIME_MIN_MS = 2000;

function now(): number {
  return performance.now();
}

function skipReason(property: Property, alice: AliceFactory): string | null {
  if (property.needs === 'state' && !alice.features.includes('state'))
    return 'needs the state feature (black-box mode)';
  return null;
}

/** Runs the properties over `numRuns` schedules from `seed`. */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const check = resolveCheck(options);
  const poolStart = startWorkers(check);
  const regression = options.regression === true ? playRegressionStage(check, poolStart) : null;
  const runs = await playRuns(check, poolStart, regression?.error ?? null);
  const crashFile = runs.fold.crashFile ?? regression?.crashFile ?? null;
  options.onRunsDone?.();
  await shrinkFailures(check, runs);
  writeCounterexamples(check, runs.fold.error, crashFile);
  return assembleReport(check, runs, regression?.report ?? null);
}

/** A check once its options are resolved: what every stage reads, and the reports and failures they fill in. */
interface Check {
  options: CheckOptions;
  started: number;
  alice: AliceFactory;
  stepsMax: number;
  shard: { index: number; count: number } | null;
  /** The properties asked for, in the suite's order; `active`: those not skipped. */
  selected: readonly Property[];
  active: readonly Property[];
  reports: Map<PropertyId, PropertyReport>;
  /** Each property's first failure, in the order they were found. */
  failures: Map<PropertyId, Failure>;
  /** Runs of this shard. */
  total: number;
  /** One tracker for the whole check: the lockstep tells it every machine step (REFINES-MODEL). */
  tracker: CoverageTracker | null;
  workers: number;
}

/** Setup: the defaults, the properties and their empty reports, the coverage tracker, the number of workers. */
function resolveCheck(options: CheckOptions): Check {
  const started = now();
  const alice = options.alice ?? referenceAlice;
  const shard = options.shard ?? null;
  const selected = PROPERTIES.filter((p) => options.properties === undefined || options.properties.includes(p.id));
  const reports = new Map<PropertyId, PropertyReport>();
  for (const p of selected) {
    const skip = skipReason(p, alice);
    const r: PropertyReport = {
      id: p.id,
      verdict: skip === null ? 'pass' : 'skip',
      runs: 0,
      ms: 0,
      judged: 0,
      judgedMinimum: 0,
    };
    if (skip !== null) r.skipReason = skip;
    reports.set(p.id, r);
  }
  const active = selected.filter((p) => reports.get(p.id)?.verdict !== 'skip');
  const total = shard === null ? options.numRuns : Math.ceil((options.numRuns - shard.index) / shard.count);
  return {
    options,
    started,
    alice,
    stepsMax: options.stepsMax ?? DEFAULT_STEPS_MAX,
    shard,
    selected,
    active,
    reports,
    failures: new Map(),
    total,
    tracker: options.coverage !== false && active.some((p) => p.id === 'REFINES-MODEL') ? new CoverageTracker() : null,
    workers: Math.max(1, Math.min(options.workers ?? 1, total)),
  };
}

/** A player of runs for this thread, with the check's Alice. */
function newPlayer(check: Check): RunPlayer {
  const { options } = check;
  return new RunPlayer({
    alice: check.alice,
    active: check.active,
    seed: options.seed,
    arb: scheduleArbitrary({ ...(options.schedule ?? {}), stepsMax: check.stepsMax }),
    coverage: check.tracker !== null,
  });
}

/** With more than one worker, starts them: they load Alice and the properties while the regression stage plays. */
function startWorkers(check: Check): StartedPool | null {
  if (check.workers <= 1) return null;
  const { options, alice } = check;
  const source = options.workerAlice ?? (alice === referenceAlice ? referenceWorkerAlice(false) : null);
  if (source === null)
    throw new Error('runCheck: more than one worker needs workerAlice (where each worker loads Alice)');
  return startPool(
    {
      seed: options.seed,
      numRuns: options.numRuns,
      stepsMax: check.stepsMax,
      schedule: options.schedule ?? {},
      timeLimitMs: options.timeLimitMs ?? null,
      shard: check.shard,
      properties: check.active.map((p) => p.id),
      coverage: check.tracker !== null,
      alice: source,
      firstFailureEnds: options.firstFailureEnds === true,
      failuresGoOn: [...(options.failuresGoOn ?? [])],
      handOut: options.handOut ?? 'chunks',
    },
    check.workers,
    { player: newPlayer(check), ...(options.beforeRun !== undefined ? { beforeRun: options.beforeRun } : {}) },
    options.workerMode,
  );
}

/** The regression stage's outcome: its report, and the scenario in which Alice threw, if any. */
interface RegressionOutcome {
  report: RegressionReport;
  error: CheckReport['error'];
  crashFile: CounterexampleFile | null;
}

/**
 * The regression stage: every scenario of the regression plan, judged by every property still
 * unsettled like a run; a scenario in which Alice throws ends the stage (and the check).
 */
function playRegressionStage(check: Check, poolStart: StartedPool | null): RegressionOutcome {
  const { active, reports, failures, tracker, alice, options } = check;
  const t0 = now();
  // Nothing may leave the workers running if the stage throws.
  const stage = (f: () => ReturnType<typeof runScenario>): ReturnType<typeof runScenario> => {
    try {
      return f();
    } catch (e) {
      void poolStart?.abort();
      throw e;
    }
  };
  const plan = regressionPlan();
  const took: Record<RegressionScenario['kind'], number | null> = { transition: 0, guard: 0 };
  const missed: string[] = [];
  let error: CheckReport['error'] = null;
  let crashFile: CounterexampleFile | null = null;
  for (const scenario of plan.scenarios) {
    const r = stage(() => runScenario(scenario, alice));
    if (r.run.crash !== undefined) {
      const where = `regression:${scenario.covers}`;
      error = { run: -1, message: `regression scenario ${scenario.covers}: ${r.run.crash.message}` };
      crashFile = crashCounterexample(r.run.trace, r.run.crash, scenario.schedule.actions, options.seed, where);
      break;
    }
    const count = took[scenario.kind];
    if (r.took === null) took[scenario.kind] = null;
    else if (r.took && count !== null) took[scenario.kind] = count + 1;
    else if (!r.took) missed.push(scenario.covers);
    if (!failures.has('REFINES-MODEL')) tracker?.merge(r.coverage);
    for (const p of active) {
      const report = reports.get(p.id);
      if (failures.has(p.id) || report === undefined) continue;
      // The scenario's lockstep already judged REFINES-MODEL (and fed its coverage).
      const judged = judge(p, r.run.trace, { stepped: r.lockstep });
      report.ms += judged.ms;
      report.regressionRuns = (report.regressionRuns ?? 0) + 1;
      if (judged.verdict.ok) report.judged += judged.verdict.judged ?? 0;
      else
        failures.set(p.id, {
          run: -1,
          schedule: scenario.schedule,
          verdict: judged.verdict,
          regression: scenario.covers,
          storm: false,
          trace: r.run.trace,
        });
    }
  }
  return {
    report: {
      scenarios: plan.scenarios.length,
      transitions: plan.transitions,
      took: took.transition,
      guards: { scenarios: plan.scenarios.filter((x) => x.kind === 'guard').length, took: took.guard },
      missed,
      unreachable: plan.unreachable.map((u) => ({ transition: u.transition, why: u.why })),
      ms: now() - t0,
    },
    error,
    crashFile,
  };
}

/** The random runs once played: their fold, and how each failure they found is shrunk. */
interface PlayedRuns {
  fold: RunFold;
  interrupted: boolean;
  /** Shrinks the failure of a run (not a regression scenario): here, or in the worker that played the run. */
  shrinkRun: (property: Property, f: Failure, budget: ShrinkBudget) => Promise<ShrunkFile>;
  /** Closes the workers (once their shrinks are done). */
  close: () => Promise<void>;
}

/**
 * The random runs: fast-check draws the seed's schedules; this thread, or the workers, play and
 * judge those of this shard, and their records are folded in run order. None is played after a
 * crash in the regression stage (`error`).
 */
async function playRuns(check: Check, poolStart: StartedPool | null, error: CheckReport['error']): Promise<PlayedRuns> {
  const { options, total } = check;
  const fold = new RunFold({
    active: check.active,
    reports: check.reports,
    failures: check.failures,
    tracker: check.tracker,
    error,
    firstFailureEnds: options.firstFailureEnds === true,
    failuresGoOn: new Set(options.failuresGoOn ?? []),
    // With workers, progress counts the records received, whatever their order (below).
    onProgress:
      options.onProgress === undefined || check.workers > 1
        ? undefined
        : (done, failed) => options.onProgress?.({ done, total, failed }),
  });
  const none = async (): Promise<void> => {};
  if (fold.ended()) {
    // A crash in the regression stage: no run is played.
    await poolStart?.abort();
    return { fold, interrupted: false, shrinkRun: () => Promise.reject(new Error('no run was played')), close: none };
  }
  if (poolStart === null) {
    const player = newPlayer(check);
    const interrupted = player.drawRuns(
      { numRuns: options.numRuns, timeLimitMs: options.timeLimitMs ?? null, shard: check.shard },
      (schedule, run) => {
        // After a crash, a storm, every property failed, or (firstFailureEnds) a failing run,
        // nothing is left to learn; fast-check still draws the remaining schedules.
        if (fold.ended()) return;
        fold.absorb(player.play(schedule, run, (p) => fold.settled(p)));
      },
    );
    return {
      fold,
      interrupted,
      shrinkRun: (property, f, budget) =>
        Promise.resolve(player.shrinkFailure(property, f.run, f.verdict, f.storm, budget)),
      close: none,
    };
  }
  const pool = await poolStart.run(
    check.active.filter((p) => fold.settled(p)).map((p) => p.id),
    fold,
    options.onProgress === undefined
      ? undefined
      : (received, byWorker) =>
          options.onProgress?.({ done: received, total, failed: fold.failures.size, byWorker: [...byWorker] }),
  );
  return {
    fold,
    interrupted: pool.interrupted,
    shrinkRun: (property, f, budget) => pool.shrink(property.id, f.run, f.verdict, f.storm, budget),
    close: async () => {
      const closed = await pool.close();
      options.onWorkersClosed?.(closed, fold.lastRun);
    },
  };
}

/** The shrink budget of one failure: under a time limit, what is left of it (but always a little). */
function shrinkBudget(check: Check): ShrinkBudget {
  const { options } = check;
  const budget: ShrinkBudget = { ...SHRINK_BUDGET, ...(options.shrinkBudget ?? {}) };
  if (options.timeLimitMs !== undefined)
    budget.timeLimitMs = Math.min(
      budget.timeLimitMs,
      Math.max(SHRINK_TIME_MIN_MS, options.timeLimitMs - (now() - check.started)),
    );
  return budget;
}

/** Shrinking: every property's first failure, at once, into its counterexample; then the workers close. */
async function shrinkFailures(check: Check, runs: PlayedRuns): Promise<void> {
  try {
    await Promise.all(
      [...check.failures].map(async ([id, f]) => {
        const report = check.reports.get(id);
        const property = check.selected.find((p) => p.id === id);
        if (report === undefined || property === undefined) return;
        const t0 = now();
        const budget = shrinkBudget(check);
        const shrunk: ShrunkFile =
          f.regression !== undefined
            ? regressionFile(property, check.alice, f, budget, check.options.seed)
            : await runs.shrinkRun(property, f, budget);
        report.ms += now() - t0;
        report.verdict = 'fail';
        report.reason = shrunk.reason;
        if (f.regression !== undefined) report.regressionScenario = f.regression;
        else report.failingRun = f.run;
        report.counterexample = shrunk.file;
      }),
    );
  } finally {
    await runs.close();
  }
}

/** Writes the counterexample files (with `outDir`), in the suite's order whatever order the shrinks ended in. */
function writeCounterexamples(check: Check, error: CheckReport['error'], crashFile: CounterexampleFile | null): void {
  const { outDir, seed } = check.options;
  if (outDir === undefined) return;
  for (const [id, f] of check.failures) {
    const report = check.reports.get(id);
    if (report?.counterexample === undefined) continue;
    const name =
      f.regression !== undefined ? `${id}-regression-${fileSlug(f.regression)}` : `${id}-seed${seed}-run${f.run}`;
    report.file = writeCounterexample(outDir, report.counterexample, name);
  }
  if (error !== null && crashFile !== null) {
    const name =
      error.run < 0
        ? `CRASH-regression-${fileSlug(crashFile.path.replace(/^regression:/, ''))}`
        : `CRASH-seed${seed}-run${error.run}`;
    error.file = writeCounterexample(outDir, crashFile, name);
  }
}

/** The report: each property's verdict settled, the check's verdict, the fold's counts and coverage. */
function assembleReport(check: Check, runs: PlayedRuns, regression: RegressionReport | null): CheckReport {
  const { fold, interrupted } = runs;
  const { options, tracker } = check;
  const properties = check.selected
    .map((p) => check.reports.get(p.id))
    .filter((r): r is PropertyReport => r !== undefined);
  settleVerdicts(check.selected, properties, fold.error);
  const totalMs = now() - check.started;
  return {
    verdict: checkVerdict(properties, fold.error !== null),
    seed: options.seed,
    numRuns: options.numRuns,
    runs: fold.done,
    stepsMax: check.stepsMax,
    alice: check.alice.name,
    shard: check.shard,
    interrupted: interrupted || fold.stormRun !== null,
    ...(fold.stormRun !== null ? { stormRun: fold.stormRun } : {}),
    ...(fold.endedAtRun !== null ? { endedAtRun: fold.endedAtRun } : {}),
    properties,
    stats: fold.stats,
    situations: fold.situationCoverage(),
    error: fold.error,
    timing: {
      totalMs,
      worldMs: fold.worldMs,
      steps: fold.steps,
      stepsPerSecond: fold.worldMs > 0 ? (fold.steps * MS_PER_SECOND) / fold.worldMs : 0,
    },
    modelCoverage: tracker === null ? null : coverageSummary(tracker),
    regression,
  };
}

/** A property's first failure: in run `run`, or (run -1) in the regression scenario `regression`. */
interface Failure {
  run: number;
  verdict: Extract<Verdict, { ok: false }>;
  /** The failing run ended in a packet storm: it is cut, not shrunk (cutAtFailure). */
  storm: boolean;
  regression?: string;
  /** A regression scenario's schedule (no fast-check path reproduces it). */
  schedule?: Schedule;
  /** A regression scenario's trace as it first failed: its counterexample if replaying it no longer fails. */
  trace?: Trace;
}

/** A shrunk failure as the report holds it. */
export interface ShrunkFile {
  reason: string;
  file: CounterexampleFile;
}

/** Shrinks a regression scenario's failure (no fast-check path reproduces it) into its counterexample. */
function regressionFile(
  property: Property,
  alice: AliceFactory,
  f: Failure,
  budget: ShrinkBudget,
  seed: number,
): ShrunkFile {
  const where = `regression:${f.regression ?? ''}`;
  if (f.schedule === undefined) throw new Error(`shrink: the regression failure of ${property.id} has no schedule`);
  try {
    return shrunkFile(property, shrinkFixed(property, alice, f.schedule, budget), seed, where, where);
  } catch (e) {
    // As for a run (RunPlayer.shrinkFailure): the scenario as it first failed, whole.
    if (!(e instanceof NotReproduced) || f.trace === undefined) throw e;
    const whole: Shrunk = { actions: [...f.schedule.actions], trace: f.trace, verdict: f.verdict, replayPath: '' };
    const file = shrunkFile(property, whole, seed, where, where);
    return { ...file, reason: `${f.verdict.reason} ${notShrunkNote(`the regression scenario ${f.regression ?? ''}`)}` };
  }
}

/** What a failure's reason says when its run could not be shrunk (RunPlayer.shrinkFailure). */
export function notShrunkNote(what: number | string): string {
  const run = typeof what === 'number' ? `run ${what}` : what;
  return `[not shrunk: ${run} did not fail again when replayed, so the implementation is not deterministic or crashed while it was replayed; the counterexample is the run as it first failed]`;
}

/** A shrunk failure's counterexample file (REFINES-MODEL's also holds the model's states along the trace). */
function shrunkFile(property: Property, shrunk: Shrunk, seed: number, path: string, replayPath: string): ShrunkFile {
  const file = buildCounterexample(shrunk.trace, shrunk.actions, {
    property: property.id,
    reason: shrunk.verdict.reason,
    failingStep: shrunk.verdict.step,
    seed,
    path,
    replayPath,
    ...(property.id === 'REFINES-MODEL' ? { modelStates: lockstep(shrunk.trace).modelStates } : {}),
  });
  return { reason: shrunk.verdict.reason, file };
}

/** The counterexample of a run in which Alice threw (`crash`): no property failed, the IUT did. */
function crashCounterexample(
  trace: Trace,
  crash: NonNullable<RunResult['crash']>,
  actions: Action[],
  seed: number,
  where: string,
): CounterexampleFile {
  return buildCounterexample(trace, actions, {
    property: null,
    reason: crash.message,
    failingStep: crash.step,
    seed,
    path: where,
    replayPath: where,
  });
}

/** Model coverage a run added (CoverageTracker's sets, as lists). */
export interface CoverageDelta {
  states: string[];
  transitions: string[];
  guards: string[];
}

/**
 * What one run gave the check: the unit a worker thread sends back and the fold folds, in
 * run order, into the report (plain data: it crosses threads by structured clone).
 */
export interface RunRecord {
  run: number;
  steps: number;
  worldMs: number;
  /** Alice threw; `file`: the run's counterexample, built where the run was played. */
  crash?: { message: string; file: CounterexampleFile };
  deep: DeepState[];
  /** The situations of the catalogue the run reached. */
  reached: string[];
  /** Model coverage the run added to what the player's earlier runs had reached (null: not tracked). */
  coverage: CoverageDelta | null;
  /** Per active property, in the suite's order: its outcome, or null when it was not judged. */
  verdicts: (JudgedRun | null)[];
  /** The run ended in a packet storm: its failures are cut, not shrunk (cutAtFailure). */
  stormed: boolean;
}

/**
 * Plays runs and judges them: one per thread (the check's own, or each worker's). It keeps
 * what shrinking a failure of its runs needs, so a failure is shrunk where it was found.
 */
export class RunPlayer {
  readonly arb: fc.Arbitrary<Schedule>;
  private readonly alice: AliceFactory;
  readonly active: readonly Property[];
  private readonly seed: number;
  private readonly tracker: CoverageTracker | null;
  private index = -1;
  /** Runs that ended in a packet storm and failed a property: their failures are cut, not shrunk. */
  private readonly storms = new Map<number, { schedule: Schedule; trace: Trace }>();
  /**
   * Each property's first failing run played here (the lowest: a player's runs come in
   * order), kept whole: its counterexample when replaying it no longer fails (NotReproduced).
   */
  private readonly firstFailures = new Map<PropertyId, { run: number; schedule: Schedule; trace: Trace }>();

  constructor(setup: {
    alice: AliceFactory;
    active: readonly Property[];
    seed: number;
    arb: fc.Arbitrary<Schedule>;
    coverage: boolean;
  }) {
    this.alice = setup.alice;
    this.active = setup.active;
    this.seed = setup.seed;
    this.arb = setup.arb;
    this.tracker = setup.coverage ? new CoverageTracker() : null;
  }

  /**
   * Draws the seed's schedules with fast-check and hands `each` those of `shard` (all without
   * one), with their run index: every schedule drawn counts, whichever shard it belongs to.
   * Returns whether the time limit cut the draws short.
   */
  drawRuns(
    limits: { numRuns: number; timeLimitMs: number | null; shard: { index: number; count: number } | null },
    each: (schedule: Schedule, run: number) => void,
  ): boolean {
    const { shard } = limits;
    const result = fc.check(
      fc.property(this.arb, (schedule) => {
        this.index += 1;
        if (shard === null || this.index % shard.count === shard.index) each(schedule, this.index);
        return true;
      }),
      {
        seed: this.seed,
        numRuns: limits.numRuns,
        ...(limits.timeLimitMs !== null ? { interruptAfterTimeLimit: limits.timeLimitMs } : {}),
      },
    );
    return result.interrupted;
  }

  /**
   * drawRuns for a worker: the same schedules in the same order (fast-check's generation does
   * not depend on the property being asynchronous), with the event loop let through after
   * each one, so that the messages the worker gets meanwhile (a lowered bound) are seen
   * between two runs.
   */
  async drawRunsYielding(
    limits: { numRuns: number; timeLimitMs: number | null; shard: { index: number; count: number } | null },
    each: (schedule: Schedule, run: number) => void | Promise<void>,
  ): Promise<boolean> {
    const { shard } = limits;
    const result = await fc.check(
      fc.asyncProperty(this.arb, async (schedule) => {
        this.index += 1;
        if (shard === null || this.index % shard.count === shard.index) await each(schedule, this.index);
        await new Promise<void>((resolve) => setImmediate(resolve));
        return true;
      }),
      {
        seed: this.seed,
        numRuns: limits.numRuns,
        ...(limits.timeLimitMs !== null ? { interruptAfterTimeLimit: limits.timeLimitMs } : {}),
      },
    );
    return result.interrupted;
  }

  /** Plays run `run` and judges it by every active property but those `skip` names. */
  play(schedule: Schedule, run: number, skip: (p: Property) => boolean): RunRecord {
    const t0 = now();
    const played = runSchedule(schedule, this.alice);
    const worldMs = now() - t0;
    const record: RunRecord = {
      run,
      steps: schedule.actions.length,
      worldMs,
      deep: [],
      reached: [],
      coverage: null,
      verdicts: [],
      stormed: played.trace.steps.at(-1)?.storm !== undefined,
    };
    if (played.crash !== undefined) {
      record.crash = {
        message: played.crash.message,
        file: crashCounterexample(played.trace, played.crash, schedule.actions, this.seed, String(run)),
      };
      return record;
    }
    record.deep = [...deepStates(played.trace)];
    record.reached = [...situationsReached(played.trace)];
    const runTracker = this.tracker !== null ? new CoverageTracker() : null;
    record.verdicts = this.active.map((p) => (skip(p) ? null : judge(p, played.trace, { observer: runTracker })));
    if (record.stormed && record.verdicts.some((v) => v !== null && !v.verdict.ok))
      this.storms.set(run, { schedule, trace: played.trace });
    this.active.forEach((p, i) => {
      const v = record.verdicts[i];
      if (v !== null && v !== undefined && !v.verdict.ok && !this.firstFailures.has(p.id))
        this.firstFailures.set(p.id, { run, schedule, trace: played.trace });
    });
    if (runTracker !== null && this.tracker !== null) {
      const fresh = (mine: Set<string>, all: Set<string>): string[] => [...mine].filter((x) => !all.has(x));
      record.coverage = {
        states: fresh(runTracker.states, this.tracker.states),
        transitions: fresh(runTracker.transitions, this.tracker.transitions),
        guards: fresh(runTracker.guards, this.tracker.guards),
      };
      this.tracker.merge(runTracker);
    }
    return record;
  }

  /** Shrinks the failure of `property` in run `run` (a storm's is cut instead) into its counterexample. */
  shrinkFailure(
    property: Property,
    run: number,
    verdict: Extract<Verdict, { ok: false }>,
    storm: boolean,
    budget: ShrinkBudget,
  ): ShrunkFile {
    const stormed = storm ? this.storms.get(run) : undefined;
    if (stormed !== undefined) {
      const cut = cutAtFailure(property, this.alice, stormed.schedule, run, verdict, stormed.trace);
      return shrunkFile(property, cut, this.seed, String(run), cut.replayPath);
    }
    try {
      const shrunk = shrink(property, this.alice, this.arb, this.seed, run, budget);
      return shrunkFile(property, shrunk, this.seed, String(run), shrunk.replayPath);
    } catch (e) {
      // The run failed once and not when replayed: its first trace is the counterexample,
      // unshrunk, and the report says why (nothing found is lost).
      const kept = this.firstFailures.get(property.id);
      if (!(e instanceof NotReproduced) || kept === undefined || kept.run !== run) throw e;
      const whole: Shrunk = {
        actions: [...kept.schedule.actions],
        trace: kept.trace,
        verdict,
        replayPath: String(run),
      };
      const file = shrunkFile(property, whole, this.seed, String(run), String(run));
      return { ...file, reason: `${verdict.reason} ${notShrunkNote(run)}` };
    }
  }
}

/**
 * Folds run records, in run order, into the check's report: the one place that decides what
 * a run counts for, so one thread and several give the same report (DESIGN.md "Workers").
 */
export class RunFold {
  readonly active: readonly Property[];
  readonly failures: Map<PropertyId, Failure>;
  readonly stats = emptyStats();
  error: CheckReport['error'];
  crashFile: CounterexampleFile | null = null;
  stormRun: number | null = null;
  /** firstFailureEnds: the run whose failure ended the check. */
  endedAtRun: number | null = null;
  worldMs = 0;
  steps = 0;
  done = 0;
  /** The highest run index folded (a crashed run included); -1 before any. */
  lastRun = -1;
  private readonly reports: Map<PropertyId, PropertyReport>;
  private readonly tracker: CoverageTracker | null;
  private readonly firstFailureEnds: boolean;
  private readonly failuresGoOn: ReadonlySet<PropertyId>;
  private readonly onProgress: ((done: number, failed: number) => void) | undefined;
  private readonly reached = new Map<string, number>(SITUATIONS.map((s) => [s.id, 0]));

  constructor(setup: {
    active: readonly Property[];
    reports: Map<PropertyId, PropertyReport>;
    failures: Map<PropertyId, Failure>;
    tracker: CoverageTracker | null;
    error: CheckReport['error'];
    firstFailureEnds: boolean;
    failuresGoOn: ReadonlySet<PropertyId>;
    onProgress: ((done: number, failed: number) => void) | undefined;
  }) {
    this.active = setup.active;
    this.reports = setup.reports;
    this.failures = setup.failures;
    this.tracker = setup.tracker;
    this.error = setup.error;
    this.firstFailureEnds = setup.firstFailureEnds;
    this.failuresGoOn = setup.failuresGoOn;
    this.onProgress = setup.onProgress;
  }

  /** A property no later run judges: it failed, and does not report every failure. */
  settled(p: Property): boolean {
    return this.failures.has(p.id) && p.reportsEveryFailure !== true;
  }

  /**
   * No run after this one counts: after a crash, or once every property has failed, there is
   * nothing left to learn; after a storm, every further run could cost as much as the world
   * allows (DESIGN.md "Storms"); with firstFailureEnds, a run failed a property.
   */
  ended(): boolean {
    if (this.error !== null || this.stormRun !== null || this.endedAtRun !== null) return true;
    return (
      this.active.length > 0 &&
      this.failures.size === this.active.length &&
      !this.active.some((p) => p.reportsEveryFailure === true)
    );
  }

  /**
   * Whether a record ends the check wherever it lands, known before the runs below it are
   * folded (a crash; with firstFailureEnds, a failure of a property still judged that does
   * not go on): workers skip every run above it.
   */
  ends(record: RunRecord): boolean {
    if (record.crash !== undefined) return true;
    if (!this.firstFailureEnds) return false;
    return record.verdicts.some((v, i) => v !== null && !v.verdict.ok && !this.failuresGoOn.has(this.active[i].id));
  }

  /** Folds the next run (records come in run order; none after `ended()`). */
  absorb(record: RunRecord): void {
    this.worldMs += record.worldMs;
    this.steps += record.steps;
    this.lastRun = record.run;
    if (record.crash !== undefined) {
      this.error = { run: record.run, message: record.crash.message };
      this.crashFile = record.crash.file;
      return;
    }
    addRun(this.stats, new Set(record.deep));
    for (const id of record.reached) this.reached.set(id, (this.reached.get(id) ?? 0) + 1);
    if (record.coverage !== null) this.tracker?.merge(record.coverage);
    let ends = false;
    this.active.forEach((p, i) => {
      const again = this.failures.has(p.id);
      if (again && p.reportsEveryFailure !== true) return;
      const report = this.reports.get(p.id);
      const judged = record.verdicts[i];
      if (report === undefined || judged === null || judged === undefined) return;
      report.ms += judged.ms;
      report.runs += 1;
      const verdict = judged.verdict;
      if (verdict.ok) {
        report.judged += verdict.judged;
        return;
      }
      if (p.reportsEveryFailure === true) {
        report.failingRunCount = (report.failingRunCount ?? 0) + 1;
        if ((report.failingRuns ??= []).length < FAILING_RUNS_KEPT)
          report.failingRuns.push({ run: record.run, reason: verdict.reason });
      }
      if (!this.failuresGoOn.has(p.id)) ends = true;
      if (again) return;
      this.failures.set(p.id, { run: record.run, verdict, storm: record.stormed });
      if (p.id === 'INV-AMPLIFICATION' && record.stormed) this.stormRun ??= record.run;
    });
    if (ends && this.firstFailureEnds) this.endedAtRun = record.run;
    this.done += 1;
    this.onProgress?.(this.done, this.failures.size);
  }

  situationCoverage(): SituationCoverage[] {
    const runs = this.stats.runs;
    return SITUATIONS.map((s) => {
      const n = this.reached.get(s.id) ?? 0;
      return { id: s.id, description: s.description, runs: n, share: runs === 0 ? 0 : n / runs, required: s.required };
    });
  }
}

/**
 * Settles each property that held: `not-run` when an error cut the check short (it was not
 * judged to the end, so it never counts as passed), else `inconclusive` when it judged fewer
 * situations than its minimum for the runs it was judged in.
 */
function settleVerdicts(selected: readonly Property[], reports: PropertyReport[], error: CheckReport['error']): void {
  for (const r of reports) {
    const property = selected.find((p) => p.id === r.id);
    if (property === undefined || r.verdict !== 'pass') continue;
    r.judgedMinimum = judgedMinimum(property, r.runs);
    if (error !== null) {
      r.verdict = 'not-run';
      r.skipReason = `the check was cut short by an error${error.run >= 0 ? ` in run ${error.run}` : ''}: ${error.message}`;
    } else if (r.judged < r.judgedMinimum) {
      r.verdict = 'inconclusive';
      r.reason = `judged ${r.judged} situation${r.judged === 1 ? '' : 's'} (${property.situation}) in ${r.runs} runs, fewer than its minimum ${r.judgedMinimum} (${property.judgedPerRun} per run)`;
    }
  }
}

/** The check's verdict: error > fail > inconclusive > pass (ADAPTER-PROTOCOL.md, exit codes). */
export function checkVerdict(
  properties: readonly { verdict: PropertyVerdict | 'warn' }[],
  error: boolean,
): CheckVerdict {
  if (error) return 'error';
  if (properties.some((p) => p.verdict === 'fail')) return 'fail';
  if (properties.some((p) => p.verdict === 'inconclusive')) return 'inconclusive';
  return 'pass';
}

/** A transition id as part of a file name: `address:absent --named--> tentative` → `address-absent-named-tentative`. */
function fileSlug(transition: string): string {
  return transition.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-|-$/g, '');
}

function writeCounterexample(dir: string, file: CounterexampleFile, name: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.json`);
  writeFileSync(path, serializeCounterexample(file));
  return path;
}
