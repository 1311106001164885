// The mutant report as a command (`npm run mutants`, scripts/mutants.ts; a future `hmip6
// mutants` is the same function): runs every mutant of a bank, and the reference host, against
// every property, in worker processes, prints the ETNA table and writes a JSON report.
// Exit codes: 0 every mutant caught and the reference host clean, 1 otherwise, 2 the harness
// failed, 3 usage error (as `hmip6 check`).
//
// The bank comes in as an argument (bank/ beside this file; scripts/mutants.ts passes it),
// with the path of a script that calls this function with the same bank: workers are forks of
// that script, started with `--worker`.

import { randomInt } from 'node:crypto';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_STEPS_MAX } from '../arbitraries/schedule.js';
import { serializeCounterexample } from '../counterexample.js';
import { isPropertyId, PROPERTY_IDS, type PropertyId } from '../invariants/index.js';
import { referenceAlice } from '../world/alice.js';
import {
  buildReport,
  formatReport,
  MUTANT_RUNS_DEFAULT,
  reportPasses,
  runAgainstProperties,
  runMutant,
  type MutantReport,
  type MutantRun,
  type MutantRunOptions,
} from './report.js';
import type { AnyMutant, KnownGap, Mutant } from './types.js';

/** fast-check seeds are 32-bit integers. */
const SEED_MAX = 0x7fffffff;
/** The reference host's label in tasks. */
export const REFERENCE_NAME = 'reference';

const EXIT = { pass: 0, fail: 1, error: 2, usage: 3 } as const;
/**
 * The seed test/mutants/mutants.test.ts pins and the published full run (docs/mutants.md) used. The command
 * itself draws a random seed unless given one, as `hmip6 check` does.
 */
export const MUTANT_SEED_DEFAULT = 20_261_127;
/** A bound on --trials (each trial is a full run of the bank). */
const TRIALS_MAX = 1000;

function help(bank: readonly Mutant[], gaps: readonly KnownGap[]): string {
  return `usage: npm run mutants -- [options]

Runs every mutant of the bank (properties/mutants/bank/, ${bank.length} broken hosts) and the reference host
against every property, at the settings of 'hmip6 check' (${MUTANT_RUNS_DEFAULT} runs, at most ${DEFAULT_STEPS_MAX} actions,
the runner's shrink budget). A task is a mutant–property pair: caught or not, after how many
runs, in how long, and how long the shrunk counterexample is.

options:
  --mutant NAME     run only this mutant; repeat for more
  --property ID     judge only this property; repeat for more
  --seed S          fast-check seed (default: random, as 'hmip6 check'; always printed)
  --runs N          schedules per mutant and trial (default ${MUTANT_RUNS_DEFAULT})
  --steps-max K     largest number of actions per schedule (default ${DEFAULT_STEPS_MAX})
  --trials K        repeat with K seeds: S, S+1, ..., S+K-1 (default 1)
  --jobs N          worker processes (default: the number of CPUs)
  --no-reference    do not run the reference host
  --gaps            also run the known gaps (${gaps.length}: bugs no property is meant to catch), reported apart
  --json FILE       write the report as JSON
  --out DIR         write every shrunk counterexample (hmip6-counterexample/1) there
  -h, --help        this text

mutants:
${bank.map((m) => `  ${m.name.padEnd(44)} ${m.expected}`).join('\n')}
${gaps.length === 0 ? '' : `\nknown gaps (--gaps):\n${gaps.map((m) => `  ${m.name}`).join('\n')}\n`}
exit codes: 0 every mutant caught by at least one property and the reference host passed
everything, 1 otherwise, 2 the harness failed, 3 usage error.
`;
}

export interface MutantsOptions {
  mutants: readonly Mutant[];
  /** Known gaps to run as well (reported apart, not counted). */
  gaps?: readonly KnownGap[];
  properties: PropertyId[];
  seed: number;
  runs: number;
  stepsMax: number;
  trials: number;
  jobs: number;
  reference: boolean;
  json: string | undefined;
  out: string | undefined;
}

function positiveInteger(text: string, name: string, min = 1): number | string {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min)
    return `${name} must be ${min === 1 ? 'a positive integer' : `an integer of ${min} or more`}, got ${JSON.stringify(text)}`;
  return n;
}

export function parseMutantsArgs(
  argv: string[],
  bank: readonly Mutant[],
  gapBank: readonly KnownGap[] = [],
): MutantsOptions | { help: true } | string {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        mutant: { type: 'string', multiple: true },
        property: { type: 'string', multiple: true },
        seed: { type: 'string' },
        runs: { type: 'string' },
        'steps-max': { type: 'string' },
        trials: { type: 'string' },
        jobs: { type: 'string' },
        'no-reference': { type: 'boolean' },
        gaps: { type: 'boolean' },
        json: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    return (e as Error).message;
  }
  if (values.help === true) return { help: true };
  let mutants: readonly Mutant[] = bank;
  let gaps: readonly KnownGap[] = values.gaps === true ? gapBank : [];
  if (values.mutant !== undefined) {
    const names = values.mutant as string[];
    const known = [...bank, ...gapBank];
    for (const n of names)
      if (!known.some((m) => m.name === n))
        return `unknown mutant ${JSON.stringify(n)} (known: ${known.map((m) => m.name).join(', ')})`;
    mutants = bank.filter((m) => names.includes(m.name));
    gaps = gapBank.filter((m) => names.includes(m.name));
  }
  let properties: PropertyId[] = [...PROPERTY_IDS];
  if (values.property !== undefined) {
    properties = [];
    for (const id of values.property as string[]) {
      if (!isPropertyId(id)) return `unknown property ${JSON.stringify(id)} (known: ${PROPERTY_IDS.join(', ')})`;
      if (!properties.includes(id)) properties.push(id);
    }
  }
  let seed: number;
  if (values.seed === undefined || values.seed === 'random') {
    // Leave room for --trials consecutive seeds.
    seed = randomInt(SEED_MAX - TRIALS_MAX);
  } else {
    const s = positiveInteger(values.seed as string, '--seed', 0);
    if (typeof s === 'string') return s;
    if (s > SEED_MAX) return `--seed must be at most ${SEED_MAX}`;
    seed = s;
  }
  const number = (key: string, fallback: number, name: string): number | string =>
    values[key] === undefined ? fallback : positiveInteger(values[key] as string, name);
  const runs = number('runs', MUTANT_RUNS_DEFAULT, '--runs');
  if (typeof runs === 'string') return runs;
  const stepsMax = number('steps-max', DEFAULT_STEPS_MAX, '--steps-max');
  if (typeof stepsMax === 'string') return stepsMax;
  const trials = number('trials', 1, '--trials');
  if (typeof trials === 'string') return trials;
  if (trials > TRIALS_MAX) return `--trials must be at most ${TRIALS_MAX}`;
  if (seed + trials - 1 > SEED_MAX) return `--seed plus --trials must stay at most ${SEED_MAX}`;
  const jobs = number('jobs', availableParallelism(), '--jobs');
  if (typeof jobs === 'string') return jobs;
  return {
    mutants,
    gaps,
    properties,
    seed,
    runs,
    stepsMax,
    trials,
    jobs,
    reference: values['no-reference'] !== true,
    json: values.json as string | undefined,
    out: values.out as string | undefined,
  };
}

/** One unit of work: the reference host or one mutant, in one trial. */
interface Job {
  name: string;
  trial: number;
  options: Omit<MutantRunOptions, 'onProgress'>;
}

function runJob(job: Job, bank: readonly AnyMutant[]): Promise<MutantRun> {
  if (job.name === REFERENCE_NAME) return runAgainstProperties(REFERENCE_NAME, referenceAlice, job.trial, job.options);
  const mutant = bank.find((m) => m.name === job.name);
  if (mutant === undefined) throw new Error(`no mutant ${job.name}`);
  return runMutant(mutant, job.trial, job.options);
}

type WorkerMessage = { kind: 'result'; run: MutantRun } | { kind: 'error'; message: string };

/** Worker side: runs each job the parent sends and answers with its result. */
function serveWorker(bank: readonly AnyMutant[]): Promise<number> {
  return new Promise((resolve) => {
    process.on('message', (message: { kind: 'job'; job: Job } | { kind: 'exit' }) => {
      if (message.kind === 'exit') {
        process.disconnect?.();
        resolve(EXIT.pass);
        return;
      }
      Promise.resolve(message.job)
        .then((job) => runJob(job, bank))
        .then(
          (run) => process.send?.({ kind: 'result', run } satisfies WorkerMessage),
          (e: unknown) =>
            process.send?.({
              kind: 'error',
              message: e instanceof Error ? (e.stack ?? e.message) : String(e),
            } satisfies WorkerMessage),
        );
    });
  });
}

function describeRun(run: MutantRun, expected: PropertyId | null): string {
  if (run.crash !== null) return `Alice CRASHED: ${run.crash}`;
  const caught = run.tasks.filter((t) => t.caught);
  if (run.mutant === REFERENCE_NAME)
    return caught.length === 0 ? 'every property held' : `FAILED ${caught.map((t) => t.property).join(', ')}`;
  if (caught.length === 0) return 'NOT CAUGHT';
  const parts = caught.map(
    (t) =>
      `${t.property}${t.property === expected ? ' (expected)' : ''} after ${t.runsToFailure} run${t.runsToFailure === 1 ? '' : 's'} (shrunk to ${t.shrunkLength})`,
  );
  return `caught by ${parts.join(', ')}`;
}

/** Runs the jobs on `jobs` forked workers (in this process when jobs = 1), in queue order. */
async function runJobs(
  jobs: Job[],
  workers: number,
  bank: readonly AnyMutant[],
  workerScript: string,
  onDone: (run: MutantRun) => void,
): Promise<MutantRun[]> {
  const results: MutantRun[] = [];
  if (workers <= 1 || jobs.length <= 1) {
    for (const job of jobs) {
      const run = await runJob(job, bank);
      results.push(run);
      onDone(run);
    }
    return results;
  }
  const queue = [...jobs];
  const children: ChildProcess[] = [];
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (error: Error): void => {
      if (failed) return;
      failed = true;
      for (const c of children) c.kill();
      reject(error);
    };
    const next = (child: ChildProcess): void => {
      const job = queue.shift();
      if (job !== undefined) child.send({ kind: 'job', job });
    };
    for (let i = 0; i < Math.min(workers, jobs.length); i++) {
      const child = fork(workerScript, ['--worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.push(child);
      child.on('message', (message: WorkerMessage) => {
        if (message.kind === 'error') {
          fail(new Error(`a worker failed: ${message.message}`));
          return;
        }
        results.push(message.run);
        onDone(message.run);
        if (results.length === jobs.length) {
          for (const c of children) c.send({ kind: 'exit' });
          resolve();
          return;
        }
        next(child);
      });
      child.on('exit', (code, signal) => {
        if (results.length < jobs.length) fail(new Error(`a worker exited early (code ${code}, signal ${signal})`));
      });
      next(child);
    }
  });
  return results;
}

/** Runs the report for `options`; prints progress lines on stderr. */
export async function runMutantReport(
  options: MutantsOptions,
  bank: readonly AnyMutant[],
  workerScript: string,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<MutantReport> {
  const started = performance.now();
  const gaps = options.gaps ?? [];
  const seeds = Array.from({ length: options.trials }, (_, i) => options.seed + i);
  const base = {
    numRuns: options.runs,
    stepsMax: options.stepsMax,
    properties: options.properties,
    keepCounterexamples: options.out !== undefined,
  };
  const jobs: Job[] = [];
  // The reference runs first: it plays every run (nothing fails), so it is the longest job.
  if (options.reference)
    for (const [trial, seed] of seeds.entries()) jobs.push({ name: REFERENCE_NAME, trial, options: { ...base, seed } });
  for (const [trial, seed] of seeds.entries())
    for (const m of [...options.mutants, ...gaps]) jobs.push({ name: m.name, trial, options: { ...base, seed } });
  const gapsText = gaps.length === 0 ? '' : ` (and ${gaps.length} known gap${gaps.length === 1 ? '' : 's'})`;
  log(
    `mutants: ${options.mutants.length} mutant${options.mutants.length === 1 ? '' : 's'}${gapsText}${options.reference ? ' and the reference host' : ''} × ${options.properties.length} properties, seed${seeds.length === 1 ? '' : 's'} ${seeds.join(', ')}, ${options.runs} runs, ${Math.min(options.jobs, jobs.length)} worker${options.jobs === 1 ? '' : 's'}`,
  );
  let done = 0;
  const runs = await runJobs(jobs, options.jobs, bank, workerScript, (run) => {
    done += 1;
    const expected = [...options.mutants, ...gaps].find((m) => m.name === run.mutant)?.expected ?? null;
    log(
      `[${done}/${jobs.length}] ${run.mutant} (seed ${run.seed}): ${describeRun(run, expected)} (${(run.totalMs / 1000).toFixed(1)} s)`,
    );
  });
  const all: AnyMutant[] = [...options.mutants, ...gaps];
  const order = (run: MutantRun): number => all.findIndex((m) => m.name === run.mutant);
  runs.sort((a, b) => a.trial - b.trial || order(a) - order(b));
  if (options.out !== undefined) {
    mkdirSync(options.out, { recursive: true });
    for (const run of runs) {
      for (const [property, file] of Object.entries(run.counterexamples ?? {})) {
        if (file !== undefined)
          writeFileSync(
            join(options.out, `${run.mutant}--${property}-seed${run.seed}.json`),
            serializeCounterexample(file),
          );
      }
      delete run.counterexamples;
    }
  }
  return buildReport({
    seed: options.seed,
    seeds,
    numRuns: options.runs,
    stepsMax: options.stepsMax,
    properties: options.properties,
    mutants: options.mutants,
    gaps,
    runs: runs.filter((r) => r.mutant !== REFERENCE_NAME),
    reference: options.reference ? runs.filter((r) => r.mutant === REFERENCE_NAME) : null,
    wallMs: performance.now() - started,
  });
}

/**
 * The command: `argv` as after the script name, `bank` the mutants, `gaps` the known gaps,
 * `workerScript` the script that calls this with the same bank (forked with `--worker`).
 */
export async function mutantsCommand(
  argv: string[],
  bank: readonly Mutant[],
  workerScript: string,
  gaps: readonly KnownGap[] = [],
): Promise<number> {
  if (argv.includes('--worker')) return serveWorker([...bank, ...gaps]);
  const parsed = parseMutantsArgs(argv, bank, gaps);
  if (typeof parsed === 'string') {
    // One line of what is wrong, not the whole help under it.
    process.stderr.write(`mutants: ${parsed}\nsee 'npm run mutants -- --help'\n`);
    return EXIT.usage;
  }
  if ('help' in parsed) {
    process.stdout.write(help(bank, gaps));
    return EXIT.pass;
  }
  let report: MutantReport;
  try {
    report = await runMutantReport(parsed, [...bank, ...gaps], workerScript);
  } catch (e) {
    process.stderr.write(`mutants: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.error;
  }
  process.stdout.write(`${formatReport(report)}\n`);
  const parsedGaps = parsed.gaps ?? [];
  const again = [
    `--seed ${parsed.seed}`,
    ...(parsed.runs !== MUTANT_RUNS_DEFAULT ? [`--runs ${parsed.runs}`] : []),
    ...(parsed.stepsMax !== DEFAULT_STEPS_MAX ? [`--steps-max ${parsed.stepsMax}`] : []),
    ...(parsed.trials !== 1 ? [`--trials ${parsed.trials}`] : []),
    ...(parsed.mutants.length < bank.length || (parsedGaps.length > 0 && parsedGaps.length < gaps.length)
      ? [...parsed.mutants, ...parsedGaps].map((m) => `--mutant ${m.name}`)
      : []),
    ...(parsed.properties.length < PROPERTY_IDS.length ? parsed.properties.map((id) => `--property ${id}`) : []),
    ...(parsedGaps.length > 0 && parsedGaps.length === gaps.length ? ['--gaps'] : []),
    ...(parsed.reference ? [] : ['--no-reference']),
  ].join(' ');
  process.stdout.write(`reproduce: npm run mutants -- ${again}\n`);
  if (parsed.json !== undefined) {
    mkdirSync(dirname(parsed.json), { recursive: true });
    writeFileSync(parsed.json, `${JSON.stringify(report, null, 1)}\n`);
  }
  return reportPasses(report) ? EXIT.pass : EXIT.fail;
}
