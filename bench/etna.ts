// Bug-finding power, ETNA style (DESIGN.md "Proof that the properties bite"): every mutant of
// properties/mutants/bank/ against every property, K trials with different seeds, at `hmip6 check`'s
// settings. The runs themselves are the mutant report's (properties/mutants/, `npm run
// mutants`); this file turns its per-trial tasks into per-task figures.
//
// A task is a mutant–property pair in which that mutant breaks that property: the property
// caught it in at least one trial, or it is the property the mutant was written against
// (its `expected`). The reference host runs in the same trials: where it fails a property
// itself (a seed on which the property or the reference is wrong), that trial says nothing
// about a mutant and that property either way, so it is void for every task of the property:
// left out of the task's trials, solved or not (`voidTrials`; the reference's failures are in
// `referenceFailures`). Per task: in how many trials it was solved (caught), and over the trials
// that solved it the median runs to the first failure, the median milliseconds to that
// failure (generation and judging, shrinking excluded; the shrinking time is given apart), and
// the median length of the shrunk counterexample in actions, beside the minimal length that
// `hmip6 explore` found for the same pair, when it found one.

import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { DEFAULT_STEPS_MAX } from '../properties/arbitraries/schedule.js';
import { PROPERTY_IDS, type PropertyId } from '../properties/invariants/types.js';
import { MUTANT_SEED_DEFAULT, runMutantReport } from '../properties/mutants/command.js';
import { MUTANT_RUNS_DEFAULT, runAgainstProperties, runMutant, type MutantTask } from '../properties/mutants/report.js';
import { referenceAlice } from '../properties/world/alice.js';
import type { Mutant } from '../properties/mutants/types.js';
import type { MinimalSearch } from './minimal.js';
import { MUTANTS } from '../properties/mutants/bank/index.js';
import { median, now, round } from './lib/stats.js';

/** The script the mutant report forks its workers from (with `--worker`). */
const MUTANTS_SCRIPT = fileURLToPath(new URL('../scripts/mutants.ts', import.meta.url));
/** The target: a shrunk counterexample at most this many times the minimal length. */
export const SHRUNK_OVER_MINIMAL_TARGET = 1.5;

export interface EtnaOptions {
  seed: number;
  trials: number;
  runs: number;
  stepsMax: number;
  /**
   * 'all-properties': every mutant against every property (the full benchmark);
   * 'expected-only': each mutant against the property it was written against only (--quick:
   * one run stops at the first failure instead of playing every schedule for the others).
   */
  mode: 'all-properties' | 'expected-only';
  /** Worker processes for 'all-properties'. */
  jobs: number;
}

export const ETNA_FULL: Readonly<EtnaOptions> = {
  seed: MUTANT_SEED_DEFAULT,
  trials: 10,
  runs: MUTANT_RUNS_DEFAULT,
  stepsMax: DEFAULT_STEPS_MAX,
  mode: 'all-properties',
  jobs: availableParallelism(),
};
export const ETNA_QUICK: Readonly<EtnaOptions> = { ...ETNA_FULL, trials: 1, mode: 'expected-only', jobs: 1 };

export interface EtnaTask {
  mutant: string;
  property: PropertyId;
  /** The property the mutant was written against. */
  expected: boolean;
  /** Trials that count: every trial but the void ones. */
  trials: number;
  /** Trials in which the property caught the mutant. */
  solved: number;
  /** Seeds of the trials that count and did not solve it. */
  unsolvedSeeds: number[];
  /** Trials left out because the reference host failed the property in them too. */
  voidTrials: number;
  runsToFailureMedian: number | null;
  msToFailureMedian: number | null;
  shrinkMsMedian: number | null;
  shrunkLengthMedian: number | null;
  /** `hmip6 explore`'s minimal failing trace for this pair, in actions (null: it has none). */
  minimalLength: number | null;
  shrunkOverMinimal: number | null;
  /** Every trial that solved it: its seed, runs to the failure and shrunk length. */
  catches: { seed: number; runs: number | null; shrunk: number | null }[];
}

export interface MinimalLengths {
  /** Where the lengths come from (a file, a search), for the report. */
  source: string;
  /** `${mutant}|${property}` → actions in the minimal failing trace. */
  lengths: ReadonlyMap<string, number>;
}

export interface EtnaFigures {
  seed: number;
  seeds: number[];
  trials: number;
  runs: number;
  stepsMax: number;
  mode: EtnaOptions['mode'];
  mutants: number;
  /** Tasks (mutant–property pairs the mutant breaks). */
  tasks: number;
  /** Tasks caught in every trial. */
  solvedInAllTrials: number;
  /** Median over the tasks that have a minimal length of (median shrunk length / minimal length). */
  shrunkOverMinimalMedian: number | null;
  shrunkOverMinimalMax: number | null;
  /** Tasks with a minimal length, and how many of them shrink (median over trials) to at most 1.5 × it. */
  tasksWithMinimal: number;
  tasksWithinTarget: number;
  /** The same per trial: catches of tasks with a minimal length, and how many shrank to at most 1.5 × it. */
  catchesWithMinimal: number;
  catchesWithinTarget: number;
  /** Where the minimal lengths come from, or why there are none. */
  minimal: string;
  /** The reference host's own failures in these trials (same seeds and settings). */
  referenceFailures: { property: PropertyId; seed: number; reason: string | null }[];
  wallMs: number;
  taskList: EtnaTask[];
  /** The explorer's search per mutant, when this run made it (bench/minimal.ts). */
  minimalSearch?: Pick<MinimalSearch, 'referenceFails' | 'perMutant'>;
}

/** The key of a mutant–property pair in `MinimalLengths.lengths`. */
export const pairKey = (mutant: string, property: string): string => `${mutant}|${property}`;

function numbers(xs: (number | null)[]): number[] {
  return xs.filter((x): x is number => x !== null);
}

/**
 * Per-task figures from the per-trial tasks of the mutant report. `referenceFailed` holds
 * `${property}|${seed}` for every property the reference host failed in a trial.
 */
export function summarizeTasks(
  all: readonly MutantTask[],
  bank: readonly Mutant[],
  seeds: readonly number[],
  minimal: MinimalLengths | null,
  referenceFailed: ReadonlySet<string>,
): EtnaTask[] {
  const byPair = new Map<string, MutantTask[]>();
  for (const t of all) {
    const k = pairKey(t.mutant, t.property);
    byPair.set(k, [...(byPair.get(k) ?? []), t]);
  }
  const out: EtnaTask[] = [];
  for (const m of bank) {
    for (const property of PROPERTY_IDS) {
      const valid = seeds.filter((seed) => !referenceFailed.has(`${property}|${seed}`));
      const list = (byPair.get(pairKey(m.name, property)) ?? []).filter((t) => valid.includes(t.seed));
      const caught = list.filter((t) => t.caught);
      const expected = m.expected === property;
      if (caught.length === 0 && !expected) continue;
      const shrunk = median(numbers(caught.map((t) => t.shrunkLength)));
      const min = minimal?.lengths.get(pairKey(m.name, property)) ?? null;
      out.push({
        mutant: m.name,
        property,
        expected,
        trials: valid.length,
        solved: caught.length,
        unsolvedSeeds: valid.filter((seed) => !caught.some((t) => t.seed === seed)),
        voidTrials: seeds.length - valid.length,
        runsToFailureMedian: nullable(median(numbers(caught.map((t) => t.runsToFailure)))),
        msToFailureMedian: nullable(
          median(numbers(caught.map((t) => (t.ms === null ? null : t.ms - (t.shrinkMs ?? 0))))),
        ),
        shrinkMsMedian: nullable(median(numbers(caught.map((t) => t.shrinkMs)))),
        shrunkLengthMedian: nullable(shrunk),
        minimalLength: min,
        shrunkOverMinimal: min !== null && min > 0 && Number.isFinite(shrunk) ? round(shrunk / min) : null,
        catches: caught
          .map((t) => ({ seed: t.seed, runs: t.runsToFailure, shrunk: t.shrunkLength }))
          .sort((a, b) => a.seed - b.seed),
      });
    }
  }
  return out;
}

function nullable(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

export async function measureEtna(
  options: EtnaOptions,
  minimal: MinimalLengths | null,
  minimalWhy: string,
  log: (line: string) => void = () => {},
): Promise<EtnaFigures> {
  const started = now();
  const seeds = Array.from({ length: options.trials }, (_, i) => options.seed + i);
  let tasks: MutantTask[];
  let referenceFailures: EtnaFigures['referenceFailures'];
  if (options.mode === 'all-properties') {
    const report = await runMutantReport(
      {
        mutants: MUTANTS,
        properties: [...PROPERTY_IDS],
        seed: options.seed,
        runs: options.runs,
        stepsMax: options.stepsMax,
        trials: options.trials,
        jobs: options.jobs,
        reference: true,
        json: undefined,
        out: undefined,
      },
      MUTANTS,
      MUTANTS_SCRIPT,
      (l) => log(`  ${l}`),
    );
    tasks = report.tasks;
    referenceFailures = (report.reference?.failed ?? []).map((f) => ({
      property: f.property,
      seed: f.seed,
      reason: f.reason,
    }));
  } else {
    tasks = [];
    referenceFailures = [];
    const expected = [...new Set(MUTANTS.map((m) => m.expected))];
    for (const [trial, seed] of seeds.entries()) {
      const reference = await runAgainstProperties('reference', referenceAlice, trial, {
        seed,
        numRuns: options.runs,
        stepsMax: options.stepsMax,
        properties: expected,
      });
      for (const t of reference.tasks)
        if (t.caught) referenceFailures.push({ property: t.property, seed, reason: t.reason });
      log(
        `  etna reference (seed ${seed}): ${
          reference.tasks.some((t) => t.caught)
            ? `FAILED ${reference.tasks
                .filter((t) => t.caught)
                .map((t) => t.property)
                .join(', ')}`
            : 'every expected property held'
        }`,
      );
      for (const m of MUTANTS) {
        const run = await runMutant(m, trial, {
          seed,
          numRuns: options.runs,
          stepsMax: options.stepsMax,
          properties: [m.expected],
        });
        tasks.push(...run.tasks);
        const t = run.tasks[0];
        log(
          `  etna ${m.name} × ${m.expected} (seed ${seed}): ${t?.caught === true ? `caught after ${t.runsToFailure} runs, shrunk to ${t.shrunkLength}` : 'NOT CAUGHT'}`,
        );
      }
    }
  }
  const taskList = summarizeTasks(
    tasks,
    MUTANTS,
    seeds,
    minimal,
    new Set(referenceFailures.map((f) => `${f.property}|${f.seed}`)),
  );
  const ratios = numbers(taskList.map((t) => t.shrunkOverMinimal));
  const perTrial = taskList.flatMap((t) =>
    t.minimalLength === null
      ? []
      : t.catches.flatMap((c) => (c.shrunk === null ? [] : [c.shrunk / (t.minimalLength as number)])),
  );
  return {
    seed: options.seed,
    seeds,
    trials: options.trials,
    runs: options.runs,
    stepsMax: options.stepsMax,
    mode: options.mode,
    mutants: MUTANTS.length,
    tasks: taskList.length,
    solvedInAllTrials: taskList.filter((t) => t.solved === t.trials).length,
    shrunkOverMinimalMedian: ratios.length === 0 ? null : round(median(ratios)),
    shrunkOverMinimalMax: ratios.length === 0 ? null : round(Math.max(...ratios)),
    tasksWithMinimal: ratios.length,
    tasksWithinTarget: ratios.filter((r) => r <= SHRUNK_OVER_MINIMAL_TARGET).length,
    catchesWithMinimal: perTrial.length,
    catchesWithinTarget: perTrial.filter((r) => r <= SHRUNK_OVER_MINIMAL_TARGET).length,
    minimal: minimal?.source ?? minimalWhy,
    referenceFailures,
    wallMs: Math.round(now() - started),
    taskList,
  };
}
