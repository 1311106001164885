// `hmip6 check`: runs the property suite (DESIGN.md "Invariants") over adversarial schedules
// against Alice, prints a summary table, and writes counterexample files, a JSON report and a
// JUnit report on request. Exit codes as ADAPTER-PROTOCOL.md: 0 pass, 1 a property failed,
// 2 Alice or the harness failed, 3 usage error, 4 inconclusive.

import { availableParallelism } from 'node:os';
import { DEFAULT_STEPS_MAX } from '../../properties/arbitraries/schedule.js';
import { PROPERTY_IDS } from '../../properties/invariants/types.js';
import { runCheck, type CheckReport, type PropertyReport } from '../../properties/runner.js';
import { formatSituations } from '../../properties/situations/index.js';
import { formatStats } from '../../properties/stats.js';
import { referenceWorkerAlice } from '../../properties/worker-alice.js';
import { blackBox, referenceAlice } from '../../properties/world/alice.js';
import type { AliceFactory } from '../../properties/world/types.js';
import {
  DEFAULT_OUT_DIR,
  definedFields,
  parseCommandLine,
  readRunOptions,
  reproduceRuns,
  RUN_OPTIONS,
  shardRuns,
  type RunOptions,
} from '../lib/options.js';
import { progressReporter } from '../lib/progress.js';
import {
  checkOutputs,
  counterexampleFields,
  exitCode,
  junitError,
  junitPropertyCase,
  junitSuite,
  junitTestcase,
  runOutputs,
  timingJson,
  writeFailure,
  writeOutputs,
  writeReports,
} from '../lib/reports.js';
import { EXIT } from '../main.js';

export { DEFAULT_OUT_DIR };
/** Runs by default: the whole default check stays well under a minute on a 2-core machine (docs/properties.md). */
export const DEFAULT_RUNS = 1000;

const HELP = `usage: hmip6 check [options]

Runs every property of the suite (${PROPERTY_IDS.length} ids) over adversarial schedules: a simulated
world with honest peers, a standard MIPv6 peer, a legacy peer, an off-path attacker (Mallory),
network faults and clock jumps, all around Alice (the reference host). Failures are shrunk and
written as counterexample files (format hmip6-counterexample/1) that 'hmip6 replay' reads.

options:
  --runs N             schedules to run (default ${DEFAULT_RUNS})
  --seed S             fast-check seed (default: random; always printed)
  --steps-max K        largest number of actions per schedule (default ${DEFAULT_STEPS_MAX})
  --property ID        run only this property; repeat for more (ids below)
  --time-limit SECONDS stop starting new runs after this long (runs done so far count)
  --shard I/N          run only shard I of N (1 ≤ I ≤ N): run r (from 0) belongs to shard
                       (r mod N) + 1, so N jobs given the same --seed and --runs cover the
                       whole run between them; each job shrinks and reports its own failures.
                       Needs --seed: a seed drawn per job would make each shard a share of
                       a different run
  --black-box          judge Alice without her state (as an implementation without the
                       'state' feature): state-based properties are skipped
  --no-regression      skip the regression stage (one fixed world scenario per transition
                       of the model's machines, played before the random runs)
  --workers N          workers that share the runs: this process and N - 1 child processes
                       (default: one per core, at most the runs; here ${defaultWorkers()}). The report
                       is the one a single worker gives: the check ends at the lowest run in
                       which a property fails (every run below it is judged, none above it),
                       and a failure is shrunk in the worker that found it; only the timings
                       differ
  --impl COMMAND       judge an implementation under test instead of the reference host,
                       over the adapter protocol (the same as 'hmip6 oracle', whose
                       --timeout-ms, --startup-timeout-ms and --strict apply too)
  --out DIR            where counterexample files go (default ${DEFAULT_OUT_DIR}/)
  --json FILE          write the report as JSON
  --junit FILE         write the report as JUnit XML (one testcase per property)
  -h, --help           this text

properties:
${PROPERTY_IDS.map((id) => `  ${id}`).join('\n')}

exit codes: 0 every property held and judged at least its minimum of situations,
1 a property failed (counterexample written), 2 Alice or the harness failed (the properties
it cut short are 'not-run'), or an output (--json, --junit, --out) cannot be written (tried
before the run), 3 usage error, 4 inconclusive (a property held but judged fewer situations
than its minimum: a pass that judged nothing is not a pass).
`;

interface Parsed extends RunOptions<'workers'> {
  regression: boolean;
  workers: number;
}

/** `--workers` by default: one per core (the runs are the other bound, see `run`). */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

function parse(argv: string[]): Parsed | number {
  return parseCommandLine(
    'check',
    HELP,
    argv,
    { ...RUN_OPTIONS, 'no-regression': { type: 'boolean' }, workers: { type: 'string' } },
    (values) => {
      // 0: not given (one per core).
      const options = readRunOptions(values, { runs: DEFAULT_RUNS, wholeNumbers: { workers: 0 } });
      if (typeof options === 'string') return options;
      const workers = options.wholeNumbers.workers === 0 ? defaultWorkers() : options.wholeNumbers.workers;
      return {
        ...options,
        regression: values['no-regression'] !== true,
        workers: Math.min(workers, shardRuns(options.runs, options.shard)),
      };
    },
  );
}

/**
 * Where Alice comes from. The reference host by default; an external implementation over the
 * adapter protocol plugs in here as another AliceFactory (its `--impl` option belongs here).
 */
function aliceFor(options: Parsed): AliceFactory {
  return options.blackBox ? blackBox(referenceAlice) : referenceAlice;
}

function table(report: CheckReport): string {
  const rows = report.properties.map((p) => [
    p.id,
    String(p.runs),
    p.verdict.toUpperCase(),
    `${Math.round(p.ms)} ms`,
    propertyNote(p),
  ]);
  const header = ['property', 'runs', 'verdict', 'time', 'notes'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 1 || i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The table's note on a property: why it was skipped or not run, else what it judged against its minimum. */
export function propertyNote(
  p: Pick<PropertyReport, 'skipReason' | 'judged' | 'judgedMinimum'> & { verdict: PropertyReport['verdict'] | 'warn' },
): string {
  if (p.verdict === 'skip' || p.verdict === 'not-run') return p.skipReason ?? '';
  const judged = `judged ${p.judged} (min ${p.judgedMinimum})`;
  return p.verdict === 'inconclusive' ? `${judged}: too few situations` : judged;
}

/**
 * After the table: the regression stage (scenarios that took their transition) and the model's
 * coverage over every run REFINES-MODEL judged, with what was not reached.
 */
export function coverageLines(report: CheckReport): string[] {
  const lines: string[] = [];
  const r = report.regression ?? null;
  if (r !== null) {
    const unreachable =
      r.unreachable.length > 0 ? ` (${r.unreachable.length} unreachable through the world's actions)` : '';
    const guards = r.guards.scenarios > 0 ? `, ${r.guards.took ?? '?'}/${r.guards.scenarios} guard outcomes` : '';
    const took =
      r.took === null
        ? `${r.scenarios} played (what they took is unknown without Alice's state)`
        : `${r.took}/${r.transitions} transitions${unreachable}${guards}`;
    lines.push(`regression scenarios: ${took}`);
    for (const t of r.missed) lines.push(`  did not take ${t}`);
  }
  const c = report.modelCoverage ?? null;
  if (c !== null) {
    const n = (x: readonly [number, number]): string => `${x[0]}/${x[1]}`;
    lines.push(`model coverage: states ${n(c.states)}, transitions ${n(c.transitions)}, guards ${n(c.guards)}`);
    const why = new Map((r?.unreachable ?? []).map((u) => [`transition ${u.transition}`, u.why]));
    for (const m of c.missing) lines.push(`  missing ${m}${why.has(m) ? `: unreachable, ${why.get(m) ?? ''}` : ''}`);
  }
  return lines;
}

/** JUnit XML: one testsuite, one testcase per property, failure/skipped/error elements. */
export function junitXml(report: CheckReport): string {
  const failures = report.properties.filter((p) => p.verdict === 'fail' || p.verdict === 'inconclusive').length;
  const skipped = report.properties.filter((p) => p.verdict === 'skip' || p.verdict === 'not-run').length;
  const errors = report.error !== null ? 1 : 0;
  const testcases = report.properties.flatMap((p) =>
    junitPropertyCase(
      'hmip6.properties',
      p,
      p.regressionScenario !== undefined
        ? `regression scenario ${p.regressionScenario}`
        : `seed ${report.seed}, run ${p.failingRun ?? '?'}`,
    ),
  );
  if (report.error !== null) {
    const text = `run ${report.error.run}${report.error.file !== undefined ? `, schedule in ${report.error.file}` : ''}`;
    testcases.push(...junitTestcase('hmip6.alice', 'Alice did not crash', 0, [junitError(report.error.message, text)]));
  }
  const properties: Array<[string, string | number]> = [
    ['seed', report.seed],
    ['runs', report.runs],
    ['alice', report.alice],
  ];
  if (report.shard !== null) properties.push(['shard', `${report.shard.index + 1}/${report.shard.count}`]);
  return junitSuite(
    'hmip6 check',
    { tests: report.properties.length + errors, failures, errors, skipped, ms: report.timing.totalMs },
    properties,
    testcases,
  );
}

/** The JSON report: the runner's report without the counterexamples' bodies (their files hold them). */
export function jsonReport(report: CheckReport): unknown {
  return {
    verdict: report.verdict,
    seed: report.seed,
    numRuns: report.numRuns,
    runs: report.runs,
    stepsMax: report.stepsMax,
    alice: report.alice,
    shard: report.shard === null ? null : `${report.shard.index + 1}/${report.shard.count}`,
    interrupted: report.interrupted,
    ...definedFields(report, ['stormRun', 'endedAtRun']),
    properties: report.properties.map((p) => ({
      id: p.id,
      verdict: p.verdict,
      runs: p.runs,
      ms: Math.round(p.ms),
      judged: p.judged,
      judgedMinimum: p.judgedMinimum,
      ...definedFields(p, [
        'regressionRuns',
        'skipReason',
        'reason',
        'failingRun',
        'failingRunCount',
        'failingRuns',
        'regressionScenario',
      ]),
      ...counterexampleFields(p),
    })),
    stats: report.stats,
    situations: report.situations,
    error: report.error,
    regression:
      report.regression === undefined || report.regression === null
        ? null
        : { ...report.regression, ms: Math.round(report.regression.ms) },
    modelCoverage: report.modelCoverage ?? null,
    timing: timingJson(report.timing),
  };
}

/**
 * The command that plays this run's schedules again: its seed, and the runs it played (all of
 * them, or those a time limit let it play), with the options that change what they judge.
 */
export function reproduceCommand(
  report: Pick<CheckReport, 'seed' | 'numRuns' | 'runs' | 'interrupted'>,
  options: Pick<Parsed, 'properties' | 'stepsMax' | 'shard' | 'blackBox'>,
): string {
  const parts = ['hmip6 check', `--seed ${report.seed}`, `--runs ${reproduceRuns(report, options.shard)}`];
  for (const id of options.properties ?? []) parts.push(`--property ${id}`);
  if (options.stepsMax !== DEFAULT_STEPS_MAX) parts.push(`--steps-max ${options.stepsMax}`);
  if (options.shard !== undefined) parts.push(`--shard ${options.shard.index + 1}/${options.shard.count}`);
  if (options.blackBox) parts.push('--black-box');
  return parts.join(' ');
}

/** Whether the arguments name an implementation under test: `--impl CMD` or `--impl=CMD`. */
function namesImpl(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--impl' || a.startsWith('--impl='));
}

export async function run(argv: string[]): Promise<number> {
  // An external implementation is judged by the conformance oracle, which takes every option
  // of this command (docs/oracle.md): `hmip6 check --impl CMD` is `hmip6 oracle --impl CMD`.
  if (namesImpl(argv)) return (await import('./oracle.js')).run(argv);
  const options = parse(argv);
  if (typeof options === 'number') return options;
  const unwritable = checkOutputs('check', runOutputs(options));
  if (unwritable !== null) return unwritable;
  const alice = aliceFor(options);
  const shardText = options.shard === undefined ? '' : `, shard ${options.shard.index + 1}/${options.shard.count}`;
  const workersText = options.workers > 1 ? `, ${options.workers} workers` : '';
  process.stdout.write(
    `hmip6 check: seed ${options.seed}, ${options.runs} runs${shardText}${workersText}, at most ${options.stepsMax} actions each, Alice = ${alice.name}\n`,
  );
  const progress = progressReporter(shardRuns(options.runs, options.shard));
  let report: CheckReport;
  try {
    report = await runCheck({
      seed: options.seed,
      numRuns: options.runs,
      stepsMax: options.stepsMax,
      ...definedFields(options, ['properties', 'timeLimitMs', 'shard']),
      outDir: options.out,
      alice,
      onProgress: ({ done, failed }) => progress.update(done, failed),
      regression: options.regression,
      workers: options.workers,
      workerAlice: referenceWorkerAlice(options.blackBox),
      // The report is the same whatever the workers (DESIGN.md "Workers").
      firstFailureEnds: true,
    });
  } catch (e) {
    progress.end();
    // A counterexample file that could not be written (its folder changed since the check
    // before the run): one line, not a stack.
    const failure = writeFailure(e);
    if (failure !== null) {
      process.stderr.write(`hmip6 check: ${failure}\n`);
      return EXIT.error;
    }
    process.stderr.write(
      `hmip6 check: the harness failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\nreproduce with: hmip6 check --seed ${options.seed} --runs ${options.runs}\n`,
    );
    return EXIT.error;
  }
  progress.end();
  process.stdout.write(`\n${table(report)}\n\n`);
  const coverage = coverageLines(report);
  if (coverage.length > 0) process.stdout.write(`${coverage.join('\n')}\n\n`);
  // Situation shares are informational here; the reference-host test enforces them at these defaults.
  if (report.runs > 0) process.stdout.write(`${formatSituations(report.situations, report.runs)}\n\n`);
  for (const p of report.properties) {
    if (p.verdict === 'inconclusive') process.stdout.write(`${p.id} inconclusive: ${p.reason ?? ''}\n`);
    if (p.verdict !== 'fail') continue;
    const where =
      p.regressionScenario !== undefined ? `regression scenario ${p.regressionScenario}` : `run ${p.failingRun ?? '?'}`;
    process.stdout.write(
      `${p.id} failed at step ${p.counterexample?.failingStep ?? '?'} of ${where}: ${p.reason ?? ''}\n`,
    );
    if (p.counterexample !== undefined)
      process.stdout.write(
        `  shrunk to ${p.counterexample.actions.length} actions (seed ${report.seed}, path ${p.counterexample.path}, replayPath ${p.counterexample.replayPath})\n`,
      );
    if (p.file !== undefined) process.stdout.write(`  counterexample: ${p.file}\n`);
  }
  if (report.error !== null) {
    process.stdout.write(
      `Alice crashed in ${report.error.run >= 0 ? `run ${report.error.run}` : 'the regression stage'}: ${report.error.message}${report.error.file !== undefined ? `\n  schedule: ${report.error.file}` : ''}\n`,
    );
  }
  process.stdout.write(`${formatStats(report.stats)}\n\n`);
  const t = report.timing;
  process.stdout.write(
    `${report.verdict.toUpperCase()}: ${report.runs} runs${report.interrupted ? (report.stormRun !== undefined ? ` (stopped at the packet storm of run ${report.stormRun})` : ' (time limit reached)') : report.endedAtRun !== undefined ? ` (ended by the failure in run ${report.endedAtRun})` : ''} in ${(t.totalMs / 1000).toFixed(1)} s; world ${(t.worldMs / 1000).toFixed(1)} s, ${Math.round(t.stepsPerSecond)} actions/s\n` +
      `seed ${report.seed} (reproduce: ${reproduceCommand(report, options)})\n`,
  );
  return (
    writeOutputs('check', () => writeReports(report, options, { json: jsonReport, junit: junitXml })) ??
    exitCode(report.verdict)
  );
}
