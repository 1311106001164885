// The property runner: runs every property of DESIGN.md's table over adversarial schedules
// with fast-check, and reports per property its runs, verdict, time and shrunk counterexample.
//
// One pass of fast-check generates the schedules (seed, numRuns); each run plays its schedule
// once and every property judges the same trace. A property that fails is then shrunk on its
// own: fast-check replays the failing run by its path and shrinks it against that property
// alone, then a last pass tries to drop single actions. The counterexample file records the
// seed, the first failing path and the shrunk one (replayPath).
//
// Alice comes from an AliceFactory, so a mutant or an external implementation is just another
// factory. With `shard: {index, count}`, run r (counted from 0 over the whole run) belongs to
// shard r mod count: n jobs with the same seed and numRuns together cover one run.
//
// With `regression`, the regression scenarios (properties/regression/: one fixed world scenario
// per transition of the model's machines) are played first and judged like runs. REFINES-MODEL's
// lockstep feeds one coverage tracker for the whole check: the report's `modelCoverage`.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CoverageTracker, coverageSummary, type CoverageSummary } from '../model/coverage.js';
import { DEFAULT_STEPS_MAX, scheduleArbitrary, type ScheduleOptions } from './arbitraries/schedule.js';
import { buildCounterexample, serializeCounterexample, type CounterexampleFile } from './counterexample.js';
import { PROPERTIES } from './invariants/index.js';
import { judgedMinimum, type Property, type PropertyId, type Verdict } from './invariants/types.js';
import { lockstep } from './lockstep.js';
import { regressionPlan, type RegressionScenario } from './regression/concretize.js';
import { runScenario } from './regression/stage.js';
import { SituationCounter, type SituationCoverage } from './situations/index.js';
import { addRun, deepStates, emptyStats, type DeepStateStats } from './stats.js';
import { referenceAlice } from './world/alice.js';
import type { Action, AliceFactory, Schedule, Trace } from './world/types.js';
import { runSchedule, type RunResult } from './world/world.js';

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
  /** Called after each run of this shard. */
  onProgress?: (progress: { done: number; total: number; failed: number }) => void;
  /**
   * First play the regression scenarios (properties/regression/: one fixed world scenario per
   * transition of the model's machines), judged by every property like a run; in every shard.
   * Off by default; `hmip6 check` turns it on.
   */
  regression?: boolean;
  /** Track the model's coverage in REFINES-MODEL's lockstep (default true): the report's `modelCoverage`. */
  coverage?: boolean;
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
  if (property.needs === 'state' && !alice.features.includes('state')) return 'needs the state feature (black-box mode)';
  return null;
}

/** Runs the properties over `numRuns` schedules from `seed`. */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const started = now();
  const alice = options.alice ?? referenceAlice;
  const stepsMax = options.stepsMax ?? DEFAULT_STEPS_MAX;
  const shard = options.shard ?? null;
  const selected = PROPERTIES.filter((p) => options.properties === undefined || options.properties.includes(p.id));
  const arb = scheduleArbitrary({ ...(options.schedule ?? {}), stepsMax });
  const reports = new Map<PropertyId, PropertyReport>();
  for (const p of selected) {
    const skip = skipReason(p, alice);
    const r: PropertyReport = { id: p.id, verdict: skip === null ? 'pass' : 'skip', runs: 0, ms: 0, judged: 0, judgedMinimum: 0 };
    if (skip !== null) r.skipReason = skip;
    reports.set(p.id, r);
  }
  const active = selected.filter((p) => reports.get(p.id)?.verdict !== 'skip');
  /** `storm`: the failing run's trace, when that run ended in a packet storm (not shrunk: see below). */
  const failures = new Map<PropertyId, { run: number; schedule: Schedule; verdict: Extract<Verdict, { ok: false }>; regression?: string; storm?: Trace }>();
  let stormRun: number | null = null;
  const stats = emptyStats();
  const situations = new SituationCounter();
  let error: CheckReport['error'] = null;
  let worldMs = 0;
  let steps = 0;
  let runIndex = -1;
  let done = 0;
  const total = shard === null ? options.numRuns : Math.ceil((options.numRuns - shard.index) / shard.count);
  const crashSchedules: { run: number; schedule: Schedule; result: RunResult; regression?: string }[] = [];
  // One tracker for the whole check: the lockstep tells it every machine step (REFINES-MODEL).
  const tracker = options.coverage !== false && active.some((p) => p.id === 'REFINES-MODEL') ? new CoverageTracker() : null;
  /** A property's verdict on a trace; REFINES-MODEL's lockstep also feeds the tracker. */
  const judge = (p: Property, trace: Trace): Verdict => (tracker !== null && p.id === 'REFINES-MODEL' ? lockstep(trace, { observer: tracker }).verdict : p.check(trace));

  let regression: RegressionReport | null = null;
  if (options.regression === true) {
    const t0 = now();
    const plan = regressionPlan();
    const took: Record<RegressionScenario['kind'], number | null> = { transition: 0, guard: 0 };
    const missed: string[] = [];
    for (const scenario of plan.scenarios) {
      const r = runScenario(scenario, alice);
      if (r.run.crash !== undefined) {
        error = { run: -1, message: `regression scenario ${scenario.covers}: ${r.run.crash.message}` };
        crashSchedules.push({ run: -1, schedule: scenario.schedule, result: r.run, regression: scenario.covers });
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
        const t1 = now();
        // The scenario's lockstep already judged REFINES-MODEL (and fed its coverage).
        const verdict = p.id === 'REFINES-MODEL' && r.lockstep !== null ? r.lockstep.verdict : p.check(r.run.trace);
        report.ms += now() - t1;
        report.regressionRuns = (report.regressionRuns ?? 0) + 1;
        if (verdict.ok) report.judged += verdict.judged ?? 0;
        else failures.set(p.id, { run: -1, schedule: scenario.schedule, verdict, regression: scenario.covers });
      }
    }
    regression = {
      scenarios: plan.scenarios.length,
      transitions: plan.transitions,
      took: took.transition,
      guards: { scenarios: plan.scenarios.filter((x) => x.kind === 'guard').length, took: took.guard },
      missed,
      unreachable: plan.unreachable.map((u) => ({ transition: u.transition, why: u.why })),
      ms: now() - t0,
    };
  }

  const result = fc.check(
    fc.property(arb, (schedule) => {
      runIndex += 1;
      if (shard !== null && runIndex % shard.count !== shard.index) return true;
      // After a crash, or once every property has failed, there is nothing left to learn; after
      // a storm, every further run could cost as much as the world allows (DESIGN.md "Storms").
      if (error !== null || stormRun !== null || (active.length > 0 && failures.size === active.length && !active.some((p) => p.reportsEveryFailure === true))) return true;
      const t0 = now();
      const run = runSchedule(schedule, alice);
      worldMs += now() - t0;
      steps += schedule.actions.length;
      if (run.crash !== undefined) {
        error = { run: runIndex, message: run.crash.message };
        crashSchedules.push({ run: runIndex, schedule, result: run });
        return true;
      }
      addRun(stats, deepStates(run.trace));
      situations.add(run.trace);
      for (const p of active) {
        const again = failures.has(p.id);
        if (again && p.reportsEveryFailure !== true) continue;
        const report = reports.get(p.id);
        if (report === undefined) continue;
        const t1 = now();
        const verdict = judge(p, run.trace);
        report.ms += now() - t1;
        report.runs += 1;
        if (verdict.ok) {
          report.judged += verdict.judged;
          continue;
        }
        if (p.reportsEveryFailure === true) {
          report.failingRunCount = (report.failingRunCount ?? 0) + 1;
          if ((report.failingRuns ??= []).length < FAILING_RUNS_KEPT) report.failingRuns.push({ run: runIndex, reason: verdict.reason });
        }
        if (!again) failures.set(p.id, { run: runIndex, schedule, verdict, ...(run.trace.steps.at(-1)?.storm !== undefined ? { storm: run.trace } : {}) });
      }
      const amplification = failures.get('INV-AMPLIFICATION');
      if (amplification?.run === runIndex && amplification.storm !== undefined) stormRun ??= runIndex;
      done += 1;
      options.onProgress?.({ done, total, failed: failures.size });
      // Yielding to the event loop here would let a progress bar repaint, but fast-check's
      // predicate is synchronous: the callback draws directly.
      return true;
    }),
    { seed: options.seed, numRuns: options.numRuns, ...(options.timeLimitMs !== undefined ? { interruptAfterTimeLimit: options.timeLimitMs } : {}) },
  );

  for (const [id, f] of failures) {
    const report = reports.get(id);
    const property = selected.find((p) => p.id === id);
    if (report === undefined || property === undefined) continue;
    const t0 = now();
    const budget: ShrinkBudget = { ...SHRINK_BUDGET, ...(options.shrinkBudget ?? {}) };
    // Under a time limit, shrinking gets what is left of it (but always a little).
    if (options.timeLimitMs !== undefined) budget.timeLimitMs = Math.min(budget.timeLimitMs, Math.max(SHRINK_TIME_MIN_MS, options.timeLimitMs - (now() - started)));
    const shrunk =
      f.storm !== undefined
        ? cutAtFailure(property, alice, f.schedule, f.run, f.verdict, f.storm)
        : f.regression !== undefined
          ? shrinkFixed(property, alice, f.schedule, budget)
          : shrink(property, alice, arb, options.seed, f.run, budget);
    report.ms += now() - t0;
    report.verdict = 'fail';
    report.reason = shrunk.verdict.reason;
    if (f.regression !== undefined) report.regressionScenario = f.regression;
    else report.failingRun = f.run;
    const where = f.regression !== undefined ? `regression:${f.regression}` : String(f.run);
    const file = buildCounterexample(shrunk.trace, shrunk.actions, {
      property: id,
      reason: shrunk.verdict.reason,
      failingStep: shrunk.verdict.step,
      seed: options.seed,
      path: where,
      replayPath: f.regression !== undefined ? where : shrunk.replayPath,
      ...(id === 'REFINES-MODEL' ? { modelStates: lockstep(shrunk.trace).modelStates } : {}),
    });
    report.counterexample = file;
    const name = f.regression !== undefined ? `${id}-regression-${fileSlug(f.regression)}` : `${id}-seed${options.seed}-run${f.run}`;
    if (options.outDir !== undefined) report.file = writeCounterexample(options.outDir, file, name);
  }
  if (error !== null && crashSchedules.length > 0 && options.outDir !== undefined) {
    const crash = crashSchedules[0];
    const file = buildCounterexample(crash.result.trace, crash.schedule.actions, {
      property: null,
      reason: crash.result.crash?.message ?? 'Alice threw',
      failingStep: crash.result.crash?.step ?? 0,
      seed: options.seed,
      path: crash.regression !== undefined ? `regression:${crash.regression}` : String(crash.run),
      replayPath: crash.regression !== undefined ? `regression:${crash.regression}` : String(crash.run),
    });
    const name = crash.regression !== undefined ? `CRASH-regression-${fileSlug(crash.regression)}` : `CRASH-seed${options.seed}-run${crash.run}`;
    (error as { file?: string }).file = writeCounterexample(options.outDir, file, name);
  }

  const properties = selected.map((p) => reports.get(p.id)).filter((r): r is PropertyReport => r !== undefined);
  settleVerdicts(selected, properties, error);
  const totalMs = now() - started;
  return {
    verdict: checkVerdict(properties, error !== null),
    seed: options.seed,
    numRuns: options.numRuns,
    runs: done,
    stepsMax,
    alice: alice.name,
    shard,
    interrupted: result.interrupted || stormRun !== null,
    ...(stormRun !== null ? { stormRun } : {}),
    properties,
    stats,
    situations: situations.coverage(),
    error,
    timing: { totalMs, worldMs, steps, stepsPerSecond: worldMs > 0 ? (steps * 1000) / worldMs : 0 },
    modelCoverage: tracker === null ? null : coverageSummary(tracker),
    regression,
  };
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
export function checkVerdict(properties: readonly { verdict: PropertyVerdict | 'warn' }[], error: boolean): CheckVerdict {
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

interface Shrunk {
  actions: Action[];
  trace: Trace;
  verdict: Extract<Verdict, { ok: false }>;
  replayPath: string;
}

function failing(property: Property, alice: AliceFactory, schedule: Schedule): { trace: Trace; verdict: Verdict } {
  const run = runSchedule(schedule, alice);
  const verdict: Verdict = run.crash !== undefined ? { ok: true, judged: 0 } : property.check(run.trace);
  return { trace: run.trace, verdict };
}

/**
 * A failure in a run that ended in a packet storm is not shrunk: fast-check's candidates would
 * storm too, each at the most a run may cost (DESIGN.md "Storms"). Its counterexample is the
 * run cut after the failing step, when that prefix still fails, else the run up to its storm
 * (the world played nothing after it).
 */
function cutAtFailure(property: Property, alice: AliceFactory, schedule: Schedule, run: number, verdict: Extract<Verdict, { ok: false }>, stormed: Trace): Shrunk {
  const stormStep = stormed.steps.length - 1;
  const whole: Shrunk = { actions: schedule.actions.slice(0, stormStep), trace: stormed, verdict, replayPath: String(run) };
  if (verdict.step >= stormStep) return whole;
  const actions = schedule.actions.slice(0, verdict.step);
  const prefix = failing(property, alice, { config: schedule.config, actions });
  return prefix.verdict.ok ? whole : { actions, trace: prefix.trace, verdict: prefix.verdict, replayPath: String(run) };
}

/**
 * Shrinks a failing fixed schedule (a regression scenario, which no fast-check path
 * reproduces): single actions are dropped, last to first, while the property still fails.
 */
export function shrinkFixed(property: Property, alice: AliceFactory, schedule: Schedule, budget: ShrinkBudget): Shrunk {
  const deadline = now() + budget.timeLimitMs;
  let evaluations = 0;
  let actions = [...schedule.actions];
  let current = failing(property, alice, schedule);
  for (let i = actions.length - 1; i >= 0 && evaluations < budget.runs && now() <= deadline; i--) {
    const candidate = actions.filter((_, j) => j !== i);
    evaluations += 1;
    const attempt = failing(property, alice, { config: schedule.config, actions: candidate });
    if (!attempt.verdict.ok) {
      actions = candidate;
      current = attempt;
    }
  }
  if (current.verdict.ok) throw new Error(`shrink: the regression scenario no longer fails ${property.id}`);
  // No fast-check path reproduces it: the counterexample's actions do.
  return { actions, trace: current.trace, verdict: current.verdict, replayPath: '' };
}

/**
 * How much shrinking one failure may cost: a number of schedule runs (which keeps reports
 * deterministic: the same seed shrinks to the same counterexample) and a time limit as a
 * safety net on slow implementations.
 */
export interface ShrinkBudget {
  runs: number;
  timeLimitMs: number;
}

/**
 * Shrinks the failure of `property` found at run `run`: fast-check replays that run (by its
 * path) and shrinks it against this property alone; once the budget is spent every new
 * candidate counts as passing, which ends the shrink with the smallest failure so far. Then
 * single actions are dropped, last to first, while the property still fails.
 */
export function shrink(property: Property, alice: AliceFactory, arb: fc.Arbitrary<Schedule>, seed: number, run: number, budget: ShrinkBudget): Shrunk {
  const deadline = now() + budget.timeLimitMs;
  let evaluations = 0;
  const spent = (): boolean => evaluations >= budget.runs || now() > deadline;
  let best: Schedule | null = null;
  const result = fc.check(
    fc.property(arb, (schedule) => {
      // Once the budget is spent every new candidate counts as passing, which ends the shrink.
      if (best !== null && spent()) return true;
      evaluations += 1;
      const ok = failing(property, alice, schedule).verdict.ok;
      if (!ok) best = schedule;
      return ok;
    }),
    { seed, path: String(run), numRuns: budget.runs + 1, endOnFailure: false },
  );
  const shrunk: Schedule | null = result.counterexample !== null ? result.counterexample[0] : best;
  if (shrunk === null) throw new Error(`shrink: run ${run} of seed ${seed} no longer fails ${property.id}`);
  let actions = [...shrunk.actions];
  let current = failing(property, alice, { config: shrunk.config, actions });
  for (let i = actions.length - 1; i >= 0 && !spent(); i--) {
    const candidate = actions.filter((_, j) => j !== i);
    evaluations += 1;
    const attempt = failing(property, alice, { config: shrunk.config, actions: candidate });
    if (!attempt.verdict.ok) {
      actions = candidate;
      current = attempt;
    }
  }
  if (current.verdict.ok) throw new Error(`shrink: the shrunk schedule no longer fails ${property.id}`);
  return { actions, trace: current.trace, verdict: current.verdict, replayPath: result.counterexamplePath ?? String(run) };
}
