// The ETNA-style mutant report (DESIGN.md "Proof that the properties bite"): every mutant is run
// against every property at `hmip6 check`'s settings, and each task (a mutant–property pair)
// says whether the property caught the mutant, after how many runs, in how long, and how long
// the shrunk counterexample is.
//
// One mutant is one `runCheck` over all the selected properties (one world run per schedule,
// judged by every property, as `hmip6 check` does), with the runner's own shrinking reduced to
// a replay; each failure is then shrunk here with the runner's `shrink` and its default budget
// (SHRINK_BUDGET), so that shrinking is timed per task. The counterexample is the one `hmip6
// check` would write for that property: same schedule arbitrary, seed, path and budget.

import { DEFAULT_STEPS_MAX, scheduleArbitrary } from '../arbitraries/schedule.js';
import { buildCounterexample, type CounterexampleFile } from '../counterexample.js';
import { PROPERTIES, type PropertyId } from '../invariants/index.js';
import { lockstep } from '../lockstep.js';
import { runCheck, shrink, SHRINK_BUDGET, type ShrinkBudget } from '../runner.js';
import type { AliceFactory } from '../world/types.js';
import type { AnyMutant, KnownGap, Mutant } from './types.js';

/** `hmip6 check`'s default number of runs (cli/commands/check.ts DEFAULT_RUNS). */
export const MUTANT_RUNS_DEFAULT = 600;

export interface MutantRunOptions {
  seed: number;
  numRuns: number;
  stepsMax?: number;
  /** Properties to judge (all by default). */
  properties?: readonly PropertyId[];
  shrinkBudget?: Partial<ShrinkBudget>;
  /** Keep each shrunk counterexample in the result (for writing files). */
  keepCounterexamples?: boolean;
  onProgress?: (progress: { done: number; total: number; failed: number }) => void;
}

/** One ETNA task: one mutant against one property, in one trial. */
export interface MutantTask {
  mutant: string;
  property: PropertyId;
  trial: number;
  seed: number;
  caught: boolean;
  /** Runs judged up to and including the first failing one (null when not caught). */
  runsToFailure: number | null;
  /** Wall time until that run was judged plus the time shrinking its failure took. */
  ms: number | null;
  /** Time spent shrinking alone. */
  shrinkMs: number | null;
  /** Actions in the shrunk counterexample. */
  shrunkLength: number | null;
  /** Actions in the first failing schedule, before shrinking. */
  originalLength: number | null;
  failingStep: number | null;
  reason: string | null;
  /** fast-check path of the first failing run and of the shrunk one. */
  path: string | null;
  replayPath: string | null;
}

export interface MutantRun {
  mutant: string;
  trial: number;
  seed: number;
  tasks: MutantTask[];
  /** Alice threw: no property judged the rest of the run (a mutant must never crash). */
  crash: string | null;
  runs: number;
  totalMs: number;
  counterexamples?: Partial<Record<PropertyId, CounterexampleFile>>;
}

function now(): number {
  return performance.now();
}

/**
 * Runs `alice` against the selected properties at `hmip6 check`'s settings and returns one
 * task per property. `name` labels the tasks (a mutant's name, or `reference`).
 */
export async function runAgainstProperties(
  name: string,
  alice: AliceFactory,
  trial: number,
  options: MutantRunOptions,
): Promise<MutantRun> {
  const started = now();
  const stepsMax = options.stepsMax ?? DEFAULT_STEPS_MAX;
  /** doneAt[k]: ms from the start until the k-th run was judged. */
  const doneAt: number[] = [0];
  const check = await runCheck({
    seed: options.seed,
    numRuns: options.numRuns,
    stepsMax,
    ...(options.properties !== undefined ? { properties: options.properties } : {}),
    alice,
    // The runner only replays each failure; it is shrunk below, with the default budget, and timed.
    shrinkBudget: { runs: 0 },
    onProgress: (p) => {
      doneAt[p.done] = now() - started;
      options.onProgress?.(p);
    },
  });
  const arb = scheduleArbitrary({ stepsMax });
  const budget: ShrinkBudget = { ...SHRINK_BUDGET, ...(options.shrinkBudget ?? {}) };
  const tasks: MutantTask[] = [];
  const counterexamples: Partial<Record<PropertyId, CounterexampleFile>> = {};
  for (const report of check.properties) {
    const task: MutantTask = {
      mutant: name,
      property: report.id,
      trial,
      seed: options.seed,
      caught: report.verdict === 'fail',
      runsToFailure: null,
      ms: null,
      shrinkMs: null,
      shrunkLength: null,
      originalLength: null,
      failingStep: null,
      reason: null,
      path: null,
      replayPath: null,
    };
    tasks.push(task);
    if (report.verdict !== 'fail' || report.failingRun === undefined) continue;
    const property = PROPERTIES.find((p) => p.id === report.id);
    if (property === undefined) continue;
    const t0 = now();
    const shrunk = shrink(property, alice, arb, options.seed, report.failingRun, budget);
    const shrinkMs = now() - t0;
    task.runsToFailure = report.runs;
    task.shrinkMs = Math.round(shrinkMs);
    task.ms = Math.round((doneAt[report.runs] ?? 0) + shrinkMs);
    task.shrunkLength = shrunk.actions.length;
    task.originalLength = report.counterexample?.actions.length ?? null;
    task.failingStep = shrunk.verdict.step;
    task.reason = shrunk.verdict.reason;
    task.path = String(report.failingRun);
    task.replayPath = shrunk.replayPath;
    if (options.keepCounterexamples === true) {
      counterexamples[report.id] = buildCounterexample(shrunk.trace, shrunk.actions, {
        property: report.id,
        reason: shrunk.verdict.reason,
        failingStep: shrunk.verdict.step,
        seed: options.seed,
        path: String(report.failingRun),
        replayPath: shrunk.replayPath,
        ...(report.id === 'REFINES-MODEL' ? { modelStates: lockstep(shrunk.trace).modelStates } : {}),
      });
    }
  }
  const run: MutantRun = {
    mutant: name,
    trial,
    seed: options.seed,
    tasks,
    crash: check.error === null ? null : check.error.message,
    runs: check.runs,
    totalMs: Math.round(now() - started),
  };
  if (options.keepCounterexamples === true) run.counterexamples = counterexamples;
  return run;
}

/** Runs one mutant (see `runAgainstProperties`). */
export function runMutant(mutant: AnyMutant, trial: number, options: MutantRunOptions): Promise<MutantRun> {
  return runAgainstProperties(mutant.name, mutant.factory, trial, options);
}

// ---------------------------------------------------------------------------------------
// Summaries.

/** A property's place in the table (PROPERTIES' order). */
const propertyOrder = (id: PropertyId): number => PROPERTIES.findIndex((p) => p.id === id);

const numbers = (values: readonly (number | null | undefined)[]): number[] =>
  values.filter((v): v is number => typeof v === 'number');

/** Among a run's caught tasks, the one that caught first: fewest runs, then the expected property, then the table's order. */
export function firstCatch(run: MutantRun, expected: PropertyId | null): MutantTask | null {
  const caught = run.tasks.filter((t) => t.caught && t.runsToFailure !== null);
  caught.sort(
    (a, b) =>
      (a.runsToFailure ?? 0) - (b.runsToFailure ?? 0) ||
      Number(b.property === expected) - Number(a.property === expected) ||
      propertyOrder(a.property) - propertyOrder(b.property),
  );
  return caught[0] ?? null;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface MutantSummary {
  name: string;
  method: string;
  section: string;
  requirements: readonly string[];
  breaks: string;
  expected: PropertyId | null;
  /** For a known gap: why no property catches it. */
  gap?: string;
  /** Caught by at least one property in every trial. */
  caught: boolean;
  /** Properties that caught it (in any trial), in the table's order. */
  caughtBy: PropertyId[];
  /** Whether the expected property caught it in every trial. */
  expectedCaught: boolean;
  /** The first catch (fewest runs): its property, runs and shrunk length (median over trials). */
  firstCaughtBy: PropertyId | null;
  runsToFailure: number | null;
  shrunkLength: number | null;
  ms: number | null;
  /** The same for the expected property (null when it did not catch the mutant). */
  expectedRunsToFailure: number | null;
  expectedShrunkLength: number | null;
  crash: string | null;
  trials: {
    seed: number;
    caughtBy: PropertyId[];
    firstCaughtBy: PropertyId | null;
    runsToFailure: number | null;
    shrunkLength: number | null;
    crash: string | null;
  }[];
}

export function summarizeMutant(mutant: AnyMutant, runs: readonly MutantRun[]): MutantSummary {
  const trials = runs.map((run) => {
    const first = firstCatch(run, mutant.expected);
    return {
      seed: run.seed,
      caughtBy: run.tasks.filter((t) => t.caught).map((t) => t.property),
      firstCaughtBy: first?.property ?? null,
      runsToFailure: first?.runsToFailure ?? null,
      shrunkLength: first?.shrunkLength ?? null,
      ms: first?.ms ?? null,
      crash: run.crash,
    };
  });
  const caughtBy = [...new Set(trials.flatMap((t) => t.caughtBy))].sort((a, b) => propertyOrder(a) - propertyOrder(b));
  const expectedTasks =
    mutant.expected === null ? [] : runs.map((r) => r.tasks.find((t) => t.property === mutant.expected));
  const firsts = trials.map((t) => t.firstCaughtBy).filter((p): p is PropertyId => p !== null);
  return {
    name: mutant.name,
    method: mutant.method,
    section: mutant.section,
    requirements: mutant.requirements,
    breaks: mutant.breaks,
    expected: mutant.expected,
    ...(mutant.expected === null ? { gap: mutant.gap } : {}),
    caught: trials.length > 0 && trials.every((t) => t.caughtBy.length > 0),
    caughtBy,
    expectedCaught: expectedTasks.length > 0 && expectedTasks.every((t) => t?.caught === true),
    // The property that caught first most often (ties: the table's order).
    firstCaughtBy:
      firsts.length === 0
        ? null
        : [...new Set(firsts)].sort(
            (a, b) =>
              firsts.filter((x) => x === b).length - firsts.filter((x) => x === a).length ||
              propertyOrder(a) - propertyOrder(b),
          )[0],
    runsToFailure: median(numbers(trials.map((t) => t.runsToFailure))),
    shrunkLength: median(numbers(trials.map((t) => t.shrunkLength))),
    ms: median(numbers(trials.map((t) => t.ms))),
    expectedRunsToFailure: median(numbers(expectedTasks.map((t) => t?.runsToFailure))),
    expectedShrunkLength: median(numbers(expectedTasks.map((t) => t?.shrunkLength))),
    crash: runs.find((r) => r.crash !== null)?.crash ?? null,
    trials: trials.map((t) => ({
      seed: t.seed,
      caughtBy: t.caughtBy,
      firstCaughtBy: t.firstCaughtBy,
      runsToFailure: t.runsToFailure,
      shrunkLength: t.shrunkLength,
      crash: t.crash,
    })),
  };
}

export interface ReferenceSummary {
  /** Every selected property held in every trial. */
  pass: boolean;
  failed: { property: PropertyId; seed: number; reason: string | null; shrunkLength: number | null }[];
  crash: string | null;
  ms: number;
}

export function summarizeReference(runs: readonly MutantRun[]): ReferenceSummary {
  const failed = runs.flatMap((r) =>
    r.tasks
      .filter((t) => t.caught)
      .map((t) => ({ property: t.property, seed: t.seed, reason: t.reason, shrunkLength: t.shrunkLength })),
  );
  const crash = runs.find((r) => r.crash !== null)?.crash ?? null;
  return { pass: failed.length === 0 && crash === null, failed, crash, ms: runs.reduce((s, r) => s + r.totalMs, 0) };
}

export interface MutantReport {
  format: 'hmip6-mutants/1';
  seed: number;
  seeds: number[];
  trials: number;
  numRuns: number;
  stepsMax: number;
  properties: PropertyId[];
  /** Mutants run, and how many were caught by at least one property (in every trial). */
  total: number;
  caught: number;
  reference: ReferenceSummary | null;
  mutants: MutantSummary[];
  /** Known gaps run with `--gaps`: reported, not counted in `total`, `caught` or the verdict. */
  gaps: MutantSummary[];
  /** Every task of the bank's mutants (gaps' tasks are in `gapTasks`). */
  tasks: MutantTask[];
  gapTasks: MutantTask[];
  summary: {
    tasks: number;
    tasksCaught: number;
    /** Over the mutants' first catches (median over trials per mutant, then over mutants). */
    medianRunsToFailure: number | null;
    medianShrunkLength: number | null;
    /** Over the tasks of the expected properties that caught their mutant. */
    expected: { caught: number; medianRunsToFailure: number | null; medianShrunkLength: number | null };
    /** Over every caught task. */
    allTasks: { medianRunsToFailure: number | null; medianShrunkLength: number | null };
  };
  wallMs: number;
}

export function buildReport(args: {
  seed: number;
  seeds: number[];
  numRuns: number;
  stepsMax: number;
  properties: PropertyId[];
  mutants: readonly Mutant[];
  runs: readonly MutantRun[];
  reference: readonly MutantRun[] | null;
  gaps?: readonly KnownGap[];
  wallMs: number;
}): MutantReport {
  const runsOf = (m: AnyMutant): MutantRun[] =>
    args.runs.filter((r) => r.mutant === m.name).sort((a, b) => a.trial - b.trial);
  const gaps = args.gaps ?? [];
  const summaries = args.mutants.map((m) => summarizeMutant(m, runsOf(m)));
  const tasks = args.runs.filter((r) => args.mutants.some((m) => m.name === r.mutant)).flatMap((r) => r.tasks);
  const gapTasks = args.runs.filter((r) => gaps.some((m) => m.name === r.mutant)).flatMap((r) => r.tasks);
  const caughtTasks = tasks.filter((t) => t.caught);
  const expectedTasks = caughtTasks.filter(
    (t) => args.mutants.find((m) => m.name === t.mutant)?.expected === t.property,
  );
  return {
    format: 'hmip6-mutants/1',
    seed: args.seed,
    seeds: args.seeds,
    trials: args.seeds.length,
    numRuns: args.numRuns,
    stepsMax: args.stepsMax,
    properties: args.properties,
    total: summaries.length,
    caught: summaries.filter((s) => s.caught).length,
    reference: args.reference === null ? null : summarizeReference(args.reference),
    mutants: summaries,
    gaps: gaps.map((m) => summarizeMutant(m, runsOf(m))),
    tasks,
    gapTasks,
    summary: {
      tasks: tasks.length,
      tasksCaught: caughtTasks.length,
      medianRunsToFailure: median(numbers(summaries.map((s) => s.runsToFailure))),
      medianShrunkLength: median(numbers(summaries.map((s) => s.shrunkLength))),
      expected: {
        caught: summaries.filter((s) => s.expectedCaught).length,
        medianRunsToFailure: median(numbers(expectedTasks.map((t) => t.runsToFailure))),
        medianShrunkLength: median(numbers(expectedTasks.map((t) => t.shrunkLength))),
      },
      allTasks: {
        medianRunsToFailure: median(numbers(caughtTasks.map((t) => t.runsToFailure))),
        medianShrunkLength: median(numbers(caughtTasks.map((t) => t.shrunkLength))),
      },
    },
    wallMs: Math.round(args.wallMs),
  };
}

/** Whether the report passes: every mutant caught and the reference host clean (when it ran). */
export function reportPasses(report: MutantReport): boolean {
  return report.caught === report.total && (report.reference === null || report.reference.pass);
}

// ---------------------------------------------------------------------------------------
// Text.

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function fmt(v: number | null): string {
  return v === null ? '-' : String(Math.round(v * 10) / 10);
}

function rowsFor(summaries: readonly MutantSummary[]): string[][] {
  return summaries.map((m) => {
    const by =
      m.caughtBy.length === 0
        ? m.crash !== null
          ? 'CRASH'
          : 'NOT CAUGHT'
        : m.caughtBy.map((id) => (id === m.firstCaughtBy ? `${id}*` : id)).join(', ');
    const expected = m.expected === null ? '(none: a gap)' : m.expected + (m.expectedCaught ? '' : ' (missed)');
    return [m.name, expected, by, fmt(m.runsToFailure), fmt(m.shrunkLength), fmt(m.ms)];
  });
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : pad(cell, widths[i]))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines;
}

/** The table: mutant, expected property, caught by (the first catch marked *), runs, shrunk length, ms. */
export function formatReport(report: MutantReport): string {
  const header = ['mutant', 'expected', 'caught by', 'runs', 'shrunk', 'ms'];
  const lines = table([header, ...rowsFor(report.mutants)]);
  const s = report.summary;
  const trials = `${report.trials} trial${report.trials === 1 ? '' : 's'}`;
  lines.push('');
  lines.push(
    `* the property that caught the mutant first; runs, shrunk and ms are that catch's (median over ${trials})`,
  );
  lines.push(
    `mutants: ${report.caught}/${report.total} caught; expected property caught ${s.expected.caught}/${report.total}; ` +
      `tasks caught ${s.tasksCaught}/${s.tasks}; median runs to failure ${fmt(s.medianRunsToFailure)}, median shrunk length ${fmt(s.medianShrunkLength)} (first catches)`,
  );
  if (report.gaps.length > 0) {
    lines.push(
      '',
      'known gaps (bugs no property is meant to catch; not counted):',
      ...table([header, ...rowsFor(report.gaps)]),
    );
    for (const g of report.gaps)
      if (g.caughtBy.length > 0) lines.push(`  ${g.name} is caught now: move it into the bank`);
  }
  if (report.reference !== null) {
    const r = report.reference;
    lines.push(
      r.pass
        ? `reference host: every property held (${report.numRuns} runs × ${trials})`
        : `reference host FAILED: ${r.crash ?? r.failed.map((f) => `${f.property} (seed ${f.seed}): ${f.reason}`).join('; ')}`,
    );
  }
  lines.push(
    `seeds ${report.seeds.join(', ')}; ${report.numRuns} runs, at most ${report.stepsMax} actions; wall time ${(report.wallMs / 1000).toFixed(1)} s`,
  );
  return lines.join('\n');
}
