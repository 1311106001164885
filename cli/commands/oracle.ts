// `hmip6 oracle --impl "<command>"`: the conformance oracle. Runs the implementation under
// test (IUT) as a child process speaking the adapter protocol (ADAPTER-PROTOCOL.md) and plays
// the world around it; every property of the suite judges it (properties/adapter/oracle.ts).
// Same reporting options and exit codes as `hmip6 check`: 0 pass, 1 a property failed,
// 2 the IUT or the harness failed (crash, hang, protocol error), 3 usage error, 4 inconclusive.

import { DEFAULT_STEPS_MAX } from '../../properties/arbitraries/schedule.js';
import { STARTUP_TIMEOUT_MS_DEFAULT, TIMEOUT_MS_DEFAULT } from '../../properties/adapter/client.js';
import { replayCommand, runOracle, shellQuote, type OracleReport } from '../../properties/adapter/oracle.js';
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
import { formatSituations } from '../../properties/situations/index.js';
import { propertyNote } from './check.js';
import {
  checkOutputs,
  counterexampleFields,
  exitCode,
  junitError,
  junitFailure,
  junitPropertyCase,
  junitSuite,
  junitSystemOut,
  junitTestcase,
  runOutputs,
  timingJson,
  writeOutputs,
  writeReports,
} from '../lib/reports.js';

export { DEFAULT_OUT_DIR };
/** Runs by default: a few hundred thousand exchanges, under a minute for a quick IUT. */
export const DEFAULT_RUNS = 200;

const HELP = `usage: hmip6 oracle --impl "<command>" [options]

Conformance oracle: starts the implementation under test (IUT) with <command> (through the
shell), speaks the adapter protocol with it on stdin/stdout (docs/adapter-protocol.md) and
plays the world around it: honest peers, a standard MIPv6 peer, a legacy peer, an off-path
attacker, network faults and clock jumps. Every property of the suite judges the IUT.

With the 'state' feature the IUT gets the full suite, REFINES-MODEL included; without it
(or with --black-box) it is judged only by what it sends and delivers. Properties that need
a feature the IUT does not announce are skipped and listed as skipped. Departures from
the host rules (docs/rules.md) that fix a SHOULD or MAY of the draft are warnings
(docs/oracle.md).

Example: hmip6 oracle --impl "python3 examples/python-host/host.py"

options:
  --impl COMMAND         the IUT's command line (required)
  --runs N               schedules to run (default ${DEFAULT_RUNS})
  --seed S               fast-check seed (default: random; always printed)
  --steps-max K          largest number of actions per schedule (default ${DEFAULT_STEPS_MAX})
  --property ID          run only this property; repeat for more
  --time-limit SECONDS   stop starting new runs after this long
  --shard I/N            run only shard I of N (as hmip6 check; needs --seed)
  --black-box            ignore the IUT's 'state' feature: judge it only by its packets
  --strict               fail on REFINES-MODEL departures and SHOULD-level findings too
  --timeout-ms MS        time allowed for each answer (default ${TIMEOUT_MS_DEFAULT})
  --startup-timeout-ms MS  time allowed for the first answer (default ${STARTUP_TIMEOUT_MS_DEFAULT})
  --workers N            workers that share the runs, each with its own IUT process: this
                         process and N - 1 child processes, each running another copy of the
                         IUT (default 1). The report is the one a single IUT gives: the check
                         ends at the lowest run in which a property fails (warnings never end
                         it); only the timings differ
  --out DIR              where counterexample files go (default ${DEFAULT_OUT_DIR}/)
  --json FILE            write the report as JSON
  --junit FILE           write the report as JUnit XML (one testcase per property)
  -h, --help             this text

verdicts (docs/oracle.md): pass, fail, inconclusive (a property held but judged fewer
situations than its minimum: an IUT that avoids the situations earns no pass), error.

exit codes: 0 every property held and judged at least its minimum of situations,
1 a property failed (counterexample written), 2 the IUT or the harness failed (crash, hang,
protocol error; the properties it cut short are 'not-run'), or an output (--json, --junit,
--out) cannot be written (tried before the IUT starts), 3 usage error, 4 inconclusive.
`;

interface Parsed extends RunOptions<'timeout-ms' | 'startup-timeout-ms' | 'workers'> {
  impl: string;
  workers: number;
  strict: boolean;
  timeoutMs: number;
  startupTimeoutMs: number;
}

const OPTIONS = {
  impl: { type: 'string' },
  ...RUN_OPTIONS,
  strict: { type: 'boolean' },
  'timeout-ms': { type: 'string' },
  'startup-timeout-ms': { type: 'string' },
  workers: { type: 'string' },
} as const;

function parse(argv: string[]): Parsed | number {
  return parseCommandLine('oracle', HELP, argv, OPTIONS, (values) => {
    const impl = values.impl as string | undefined;
    if (impl === undefined || impl.trim() === '') return '--impl "<command>" is required';
    const options = readRunOptions(values, {
      runs: DEFAULT_RUNS,
      wholeNumbers: { 'timeout-ms': TIMEOUT_MS_DEFAULT, 'startup-timeout-ms': STARTUP_TIMEOUT_MS_DEFAULT, workers: 1 },
    });
    if (typeof options === 'string') return options;
    const workers = Math.min(options.wholeNumbers.workers, shardRuns(options.runs, options.shard));
    return {
      ...options,
      impl,
      workers,
      strict: values.strict === true,
      timeoutMs: options.wholeNumbers['timeout-ms'],
      startupTimeoutMs: options.wholeNumbers['startup-timeout-ms'],
    };
  });
}

function table(report: OracleReport): string {
  const rows = report.properties.map((p) => [
    p.id,
    p.level === 'invariant' ? 'invariant' : 'host rules',
    String(p.runs),
    p.verdict.toUpperCase(),
    p.verdict === 'warn' ? `rules ${p.hostRules?.join(', ') ?? '?'}` : propertyNote(p),
  ]);
  const header = ['property', 'level', 'runs', 'verdict', 'notes'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** JUnit XML: one testcase per property (warnings as system-out), the IUT's failure as an error. */
export function oracleJunitXml(report: OracleReport): string {
  const failures =
    report.properties.filter((p) => p.verdict === 'fail' || p.verdict === 'inconclusive').length +
    report.findings.filter((f) => f.level === 'MUST').length;
  const skipped = report.properties.filter((p) => p.verdict === 'skip' || p.verdict === 'not-run').length;
  const errors = report.error !== null ? 1 : 0;
  const testcases = report.properties.flatMap((p) =>
    p.verdict === 'warn'
      ? junitTestcase('hmip6.oracle', p.id, p.ms, [
          junitSystemOut(
            `warning: departs from the host rules (likely rules ${p.hostRules?.join(', ') ?? '?'} of docs/rules.md): ${p.reason ?? ''}`,
          ),
        ])
      : junitPropertyCase(
          'hmip6.oracle',
          { ...p, verdict: p.verdict },
          `seed ${report.seed}, run ${p.failingRun ?? '?'}`,
        ),
  );
  const must = report.findings.filter((f) => f.level === 'MUST');
  const should = report.findings.filter((f) => f.level === 'SHOULD');
  const checks = must.map((f) =>
    junitFailure(f.check, f.message, `${f.basis.join(', ')}; run ${f.run}, seed ${f.seed}`),
  );
  if (should.length > 0)
    checks.push(
      junitSystemOut(should.map((f) => `warning: ${f.check} (${f.basis.join(', ')}): ${f.message}`).join('\n')),
    );
  testcases.push(...junitTestcase('hmip6.oracle', 'packet checks (SIGNALLING-AH, INITIAL-BU)', 0, checks, false));
  if (report.error !== null) {
    const e = report.error;
    testcases.push(
      ...junitTestcase('hmip6.iut', 'the IUT speaks the adapter protocol', 0, [
        junitError(e.message.split('\n')[0], `${e.message}\nreplay: ${e.replay}`, e.kind ?? 'harness'),
      ]),
    );
  }
  const iut = report.iut === null ? 'unknown' : `${report.iut.name} ${report.iut.version}`;
  return junitSuite(
    'hmip6 oracle',
    { tests: report.properties.length + 1 + errors, failures, errors, skipped, ms: report.timing?.totalMs ?? 0 },
    [
      ['impl', report.command],
      ['iut', iut],
      ['mode', report.mode],
      ['seed', report.seed],
      ['runs', report.runs],
    ],
    testcases,
  );
}

/** The JSON report: the oracle's report without the counterexamples' bodies (their files hold them). */
export function oracleJsonReport(report: OracleReport): unknown {
  return {
    verdict: report.verdict,
    mode: report.mode,
    impl: report.command,
    iut: report.iut,
    features: report.features,
    seed: report.seed,
    numRuns: report.numRuns,
    runs: report.runs,
    stepsMax: report.stepsMax,
    interrupted: report.interrupted,
    ...definedFields(report, ['stormRun', 'endedAtRun']),
    properties: report.properties.map((p) => ({
      id: p.id,
      verdict: p.verdict,
      level: p.level,
      requirements: p.requirements,
      runs: p.runs,
      ms: Math.round(p.ms),
      judged: p.judged,
      judgedMinimum: p.judgedMinimum,
      ...definedFields(p, ['skipReason', 'reason', 'hostRules', 'failingRun', 'failingRunCount', 'failingRuns']),
      ...counterexampleFields(p),
    })),
    findings: report.findings,
    warnings: report.warnings,
    error: report.error,
    exchanges: {
      requests: report.exchanges.requests,
      waitMs: Math.round(report.exchanges.waitMs),
      perSecond: Math.round(report.exchanges.perSecond),
    },
    timing: report.timing === null ? null : timingJson(report.timing),
    situations: report.situations,
  };
}

function summary(report: OracleReport, options: Parsed): string {
  const out: string[] = [];
  if (report.iut !== null) {
    const unknown = report.iut.announced.filter((f) => !(report.features as string[]).includes(f) && f !== 'state');
    out.push(
      `IUT: ${report.iut.name} ${report.iut.version}; features: ${report.features.join(', ') || 'none'}${unknown.length > 0 ? ` (not known to the oracle: ${unknown.join(', ')})` : ''}; mode: ${report.mode}`,
    );
  }
  if (report.properties.length > 0) out.push('', table(report));
  // Informational: which situations the runs reached (docs/properties.md "Situations").
  if (report.runs > 0 && report.situations.length > 0) out.push('', formatSituations(report.situations, report.runs));
  const failures = report.properties.filter((p) => p.verdict === 'fail');
  const inconclusive = report.properties.filter((p) => p.verdict === 'inconclusive');
  if (failures.length + inconclusive.length > 0) out.push('');
  for (const p of inconclusive) out.push(`${p.id} inconclusive: ${p.reason ?? ''}`);
  for (const p of failures) {
    out.push(
      `${p.id} failed at step ${p.counterexample?.failingStep ?? '?'} of run ${p.failingRun ?? '?'}: ${p.reason ?? ''}`,
    );
    if (p.counterexample !== undefined)
      out.push(
        `  shrunk to ${p.counterexample.actions.length} actions (seed ${report.seed}, path ${p.counterexample.path}, replayPath ${p.counterexample.replayPath})`,
      );
    if (p.file !== undefined)
      out.push(
        `  counterexample: ${p.file} (replay against the IUT: hmip6 replay ${p.file} --impl ${shellQuote(options.impl)})`,
      );
  }
  for (const f of report.findings.filter((x) => x.level === 'MUST'))
    out.push(`${f.check} failed (${f.basis.join(', ')}): ${f.message} [run ${f.run}, seed ${f.seed}]`);
  if (report.warnings.length > 0) {
    out.push('', `warnings (${report.warnings.length}; --strict makes them failures):`);
    for (const w of report.warnings) out.push(`  ${w}`);
  }
  if (report.error !== null) {
    out.push('', `ERROR: ${report.error.message}`);
    if (report.error.file !== undefined) out.push(`  schedule of the run: ${report.error.file}`);
    out.push(`  replay: ${report.error.replay}`);
  }
  const e = report.exchanges;
  const t = report.timing;
  out.push(
    '',
    `${report.verdict.toUpperCase()}: ${report.runs} runs${report.interrupted ? (report.stormRun !== undefined ? ` (stopped at the packet storm of run ${report.stormRun})` : ' (time limit reached)') : ''}${t !== null ? ` in ${(t.totalMs / 1000).toFixed(1)} s` : ''}; ${e.requests} exchanges with the IUT, ${Math.round(e.perSecond)}/s while waiting`,
    `seed ${report.seed} (reproduce: ${replayCommand({ command: options.impl, seed: report.seed, numRuns: reproduceRuns(report, options.shard), stepsMax: options.stepsMax, blackBox: options.blackBox, shard: options.shard, properties: options.properties })})`,
  );
  return `${out.join('\n')}\n`;
}

export async function run(argv: string[]): Promise<number> {
  const options = parse(argv);
  if (typeof options === 'number') return options;
  const unwritable = checkOutputs('oracle', runOutputs(options));
  if (unwritable !== null) return unwritable;
  process.stdout.write(
    `hmip6 oracle: ${options.impl}\nseed ${options.seed}, ${options.runs} runs${options.workers > 1 ? `, ${options.workers} IUT processes` : ''}, at most ${options.stepsMax} actions each${options.blackBox ? ', black-box mode' : ''}\n`,
  );
  const progress = progressReporter(shardRuns(options.runs, options.shard));
  const report = await runOracle({
    command: options.impl,
    seed: options.seed,
    numRuns: options.runs,
    stepsMax: options.stepsMax,
    blackBox: options.blackBox,
    strict: options.strict,
    timeoutMs: options.timeoutMs,
    startupTimeoutMs: options.startupTimeoutMs,
    outDir: options.out,
    ...definedFields(options, ['properties', 'timeLimitMs', 'shard']),
    onProgress: ({ done, failed }) => progress.update(done, failed),
    workers: options.workers,
    // The report is the same whatever the workers (DESIGN.md "Workers").
    firstFailureEnds: true,
  });
  progress.end();
  process.stdout.write(summary(report, options));
  return (
    writeOutputs('oracle', () => writeReports(report, options, { json: oracleJsonReport, junit: oracleJunitXml })) ??
    exitCode(report.verdict)
  );
}
