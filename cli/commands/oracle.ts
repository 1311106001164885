// `hmip6 oracle --impl "<command>"`: the conformance oracle. Runs the implementation under
// test (IUT) as a child process speaking the adapter protocol (ADAPTER-PROTOCOL.md) and plays
// the world around it; every property of the suite judges it (properties/adapter/oracle.ts).
// Same reporting options and exit codes as `hmip6 check`: 0 pass, 1 a property failed,
// 2 the IUT or the harness failed (crash, hang, protocol error), 3 usage error.

import { randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_STEPS_MAX } from '../../properties/arbitraries/schedule.js';
import { isPropertyId, PROPERTY_IDS, type PropertyId } from '../../properties/invariants/types.js';
import { STARTUP_TIMEOUT_MS_DEFAULT, TIMEOUT_MS_DEFAULT } from '../../properties/adapter/client.js';
import { replayCommand, runOracle, type OracleReport } from '../../properties/adapter/oracle.js';

/** Runs by default: a few hundred thousand exchanges, under a minute for a quick IUT. */
export const DEFAULT_RUNS = 200;
export const DEFAULT_OUT_DIR = 'counterexamples';
const SEED_MAX = 0x7fffffff;
const PLAIN_PROGRESS_STEPS = 10;
const PROGRESS_BAR_WIDTH = 30;

const EXIT = { pass: 0, fail: 1, error: 2, usage: 3 } as const;

const HELP = `usage: hmip6 oracle --impl "<command>" [options]

Conformance oracle: starts the implementation under test (IUT) with <command> (through the
shell), speaks the adapter protocol with it on stdin/stdout (docs/adapter-protocol.md) and
plays the world around it: honest peers, a standard MIPv6 peer, a legacy peer, an off-path
attacker, network faults and clock jumps. Every property of the suite judges the IUT.

With the 'state' feature the IUT gets the full suite, REFINES-MODEL included; without it
(or with --black-box) it is judged only by what it sends and delivers. Properties that need
a feature the IUT does not announce are skipped and listed as skipped. Departures from
HOST.md rules that fix a SHOULD or MAY of the draft are warnings (docs/oracle.md).

Example: hmip6 oracle --impl "python3 examples/python-host/host.py"

options:
  --impl COMMAND         the IUT's command line (required)
  --runs N               schedules to run (default ${DEFAULT_RUNS})
  --seed S               fast-check seed (default: random; always printed)
  --steps-max K          largest number of actions per schedule (default ${DEFAULT_STEPS_MAX})
  --property ID          run only this property; repeat for more
  --time-limit SECONDS   stop starting new runs after this long
  --shard I/N            run only shard I of N (as hmip6 check)
  --black-box            ignore the IUT's 'state' feature: judge it only by its packets
  --strict               fail on REFINES-MODEL departures and SHOULD-level findings too
  --timeout-ms MS        time allowed for each answer (default ${TIMEOUT_MS_DEFAULT})
  --startup-timeout-ms MS  time allowed for the first answer (default ${STARTUP_TIMEOUT_MS_DEFAULT})
  --out DIR              where counterexample files go (default ${DEFAULT_OUT_DIR}/)
  --json FILE            write the report as JSON
  --junit FILE           write the report as JUnit XML (one testcase per property)
  -h, --help             this text

exit codes: 0 every property held, 1 a property failed (counterexample written),
2 the IUT or the harness failed (crash, hang, protocol error), 3 usage error.
`;

interface Parsed {
  impl: string;
  runs: number;
  seed: number;
  stepsMax: number;
  properties: PropertyId[] | undefined;
  timeLimitMs: number | undefined;
  shard: { index: number; count: number } | undefined;
  blackBox: boolean;
  strict: boolean;
  timeoutMs: number;
  startupTimeoutMs: number;
  out: string;
  json: string | undefined;
  junit: string | undefined;
}

function usageError(message: string): number {
  process.stderr.write(`hmip6 oracle: ${message}\n\n${HELP}`);
  return EXIT.usage;
}

function integer(text: string | undefined, name: string, min = 1): number | string {
  if (text === undefined) return `${name} needs a value`;
  if (!/^\d+$/.test(text)) return `${name} must be an integer, got ${JSON.stringify(text)}`;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) return `${name} must be at least ${min}`;
  return n;
}

function parse(argv: string[]): Parsed | { help: true } | string {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        impl: { type: 'string' },
        runs: { type: 'string' },
        seed: { type: 'string' },
        'steps-max': { type: 'string' },
        property: { type: 'string', multiple: true },
        'time-limit': { type: 'string' },
        shard: { type: 'string' },
        'black-box': { type: 'boolean' },
        strict: { type: 'boolean' },
        'timeout-ms': { type: 'string' },
        'startup-timeout-ms': { type: 'string' },
        out: { type: 'string' },
        json: { type: 'string' },
        junit: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    return (e as Error).message;
  }
  if (values.help === true) return { help: true };
  const impl = values.impl as string | undefined;
  if (impl === undefined || impl.trim() === '') return '--impl "<command>" is required';
  const runs = values.runs === undefined ? DEFAULT_RUNS : integer(values.runs as string, '--runs');
  if (typeof runs === 'string') return runs;
  const seed = values.seed === undefined ? randomInt(SEED_MAX) : integer(values.seed as string, '--seed', 0);
  if (typeof seed === 'string') return seed;
  if (seed > SEED_MAX) return `--seed must be at most ${SEED_MAX}`;
  const stepsMax = values['steps-max'] === undefined ? DEFAULT_STEPS_MAX : integer(values['steps-max'] as string, '--steps-max');
  if (typeof stepsMax === 'string') return stepsMax;
  const timeoutMs = values['timeout-ms'] === undefined ? TIMEOUT_MS_DEFAULT : integer(values['timeout-ms'] as string, '--timeout-ms');
  if (typeof timeoutMs === 'string') return timeoutMs;
  const startupTimeoutMs = values['startup-timeout-ms'] === undefined ? STARTUP_TIMEOUT_MS_DEFAULT : integer(values['startup-timeout-ms'] as string, '--startup-timeout-ms');
  if (typeof startupTimeoutMs === 'string') return startupTimeoutMs;
  let properties: PropertyId[] | undefined;
  if (values.property !== undefined) {
    properties = [];
    for (const id of values.property as string[]) {
      if (!isPropertyId(id)) return `unknown property ${JSON.stringify(id)} (known: ${PROPERTY_IDS.join(', ')})`;
      if (!properties.includes(id)) properties.push(id);
    }
  }
  let timeLimitMs: number | undefined;
  if (values['time-limit'] !== undefined) {
    const seconds = Number(values['time-limit']);
    if (!Number.isFinite(seconds) || seconds <= 0) return '--time-limit must be a positive number of seconds';
    timeLimitMs = Math.round(seconds * 1000);
  }
  let shard: Parsed['shard'];
  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.shard as string);
    const i = m === null ? NaN : Number(m[1]);
    const n = m === null ? NaN : Number(m[2]);
    if (!(Number.isSafeInteger(i) && Number.isSafeInteger(n) && n >= 1 && i >= 1 && i <= n)) return `--shard must be I/N with 1 ≤ I ≤ N, got ${JSON.stringify(values.shard)}`;
    shard = { index: i - 1, count: n };
  }
  return {
    impl,
    runs,
    seed,
    stepsMax,
    properties,
    timeLimitMs,
    shard,
    blackBox: values['black-box'] === true,
    strict: values.strict === true,
    timeoutMs,
    startupTimeoutMs,
    out: (values.out as string | undefined) ?? DEFAULT_OUT_DIR,
    json: values.json as string | undefined,
    junit: values.junit as string | undefined,
  };
}

function progressReporter(total: number): { update(done: number, failed: number): void; end(): void } {
  const started = performance.now();
  const tty = process.stderr.isTTY === true;
  let lastPlain = -1;
  return {
    update(done, failed) {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (tty) {
        const filled = total === 0 ? PROGRESS_BAR_WIDTH : Math.round((PROGRESS_BAR_WIDTH * done) / total);
        process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(PROGRESS_BAR_WIDTH - filled)}] ${done}/${total} runs, ${failed} failing, ${seconds}s `);
        return;
      }
      const step = Math.floor((done * PLAIN_PROGRESS_STEPS) / Math.max(1, total));
      if (step > lastPlain) {
        lastPlain = step;
        process.stderr.write(`progress: ${done}/${total} runs, ${failed} failing, ${seconds}s\n`);
      }
    },
    end() {
      if (tty) process.stderr.write('\n');
    },
  };
}

function table(report: OracleReport): string {
  const rows = report.properties.map((p) => [
    p.id,
    p.level === 'invariant' ? 'invariant' : 'HOST.md',
    String(p.runs),
    p.verdict.toUpperCase(),
    p.verdict === 'skip' ? (p.skipReason ?? '') : p.verdict === 'warn' ? `rules ${p.hostRules?.join(', ') ?? '?'}` : p.judged > 0 ? `judged ${p.judged}` : '',
  ]);
  const header = ['property', 'level', 'runs', 'verdict', 'notes'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function xmlEscape(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // XML 1.0 forbids most control characters.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}

/** JUnit XML: one testcase per property (warnings as system-out), the IUT's failure as an error. */
export function oracleJunitXml(report: OracleReport): string {
  const failures = report.properties.filter((p) => p.verdict === 'fail').length + report.findings.filter((f) => f.level === 'MUST').length;
  const skipped = report.properties.filter((p) => p.verdict === 'skip').length;
  const errors = report.error !== null ? 1 : 0;
  const seconds = (ms: number): string => (ms / 1000).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="hmip6 oracle" tests="${report.properties.length + 1 + errors}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(report.timing?.totalMs ?? 0)}">`,
    '  <properties>',
    `    <property name="impl" value="${xmlEscape(report.command)}"/>`,
    `    <property name="iut" value="${xmlEscape(report.iut === null ? 'unknown' : `${report.iut.name} ${report.iut.version}`)}"/>`,
    `    <property name="mode" value="${report.mode}"/>`,
    `    <property name="seed" value="${report.seed}"/>`,
    `    <property name="runs" value="${report.runs}"/>`,
    '  </properties>',
  ];
  for (const p of report.properties) {
    const open = `  <testcase classname="hmip6.oracle" name="${p.id}" time="${seconds(p.ms)}"`;
    if (p.verdict === 'pass') lines.push(`${open}/>`);
    else if (p.verdict === 'skip') lines.push(`${open}>`, `    <skipped message="${xmlEscape(p.skipReason ?? 'skipped')}"/>`, '  </testcase>');
    else if (p.verdict === 'warn') lines.push(`${open}>`, `    <system-out>${xmlEscape(`warning: departs from HOST.md (rules ${p.hostRules?.join(', ') ?? '?'}): ${p.reason ?? ''}`)}</system-out>`, '  </testcase>');
    else {
      const body = [p.reason ?? '', `seed ${report.seed}, run ${p.failingRun ?? '?'}`, p.file !== undefined ? `counterexample: ${p.file}` : ''].filter((l) => l !== '').join('\n');
      lines.push(`${open}>`, `    <failure type="${p.id}" message="${xmlEscape(p.reason ?? 'failed')}">${xmlEscape(body)}</failure>`, '  </testcase>');
    }
  }
  const must = report.findings.filter((f) => f.level === 'MUST');
  const should = report.findings.filter((f) => f.level === 'SHOULD');
  lines.push('  <testcase classname="hmip6.oracle" name="packet checks (SIGNALLING-AH, INITIAL-BU)" time="0.000">');
  for (const f of must) lines.push(`    <failure type="${f.check}" message="${xmlEscape(f.message)}">${xmlEscape(`${f.basis.join(', ')}; run ${f.run}, seed ${f.seed}`)}</failure>`);
  if (should.length > 0) lines.push(`    <system-out>${xmlEscape(should.map((f) => `warning: ${f.check} (${f.basis.join(', ')}): ${f.message}`).join('\n'))}</system-out>`);
  lines.push('  </testcase>');
  if (report.error !== null) {
    lines.push(
      '  <testcase classname="hmip6.iut" name="the IUT speaks the adapter protocol" time="0.000">',
      `    <error type="${report.error.kind ?? 'harness'}" message="${xmlEscape(report.error.message.split('\n')[0])}">${xmlEscape(`${report.error.message}\nreplay: ${report.error.replay}`)}</error>`,
      '  </testcase>',
    );
  }
  lines.push('</testsuite>', '');
  return lines.join('\n');
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
    properties: report.properties.map((p) => ({
      id: p.id,
      verdict: p.verdict,
      level: p.level,
      requirements: p.requirements,
      runs: p.runs,
      ms: Math.round(p.ms),
      judged: p.judged,
      ...(p.skipReason !== undefined ? { skipReason: p.skipReason } : {}),
      ...(p.reason !== undefined ? { reason: p.reason } : {}),
      ...(p.hostRules !== undefined ? { hostRules: p.hostRules } : {}),
      ...(p.failingRun !== undefined ? { failingRun: p.failingRun } : {}),
      ...(p.counterexample !== undefined ? { failingStep: p.counterexample.failingStep, actions: p.counterexample.actions.length, replayPath: p.counterexample.replayPath } : {}),
      ...(p.file !== undefined ? { counterexample: p.file } : {}),
    })),
    findings: report.findings,
    warnings: report.warnings,
    error: report.error,
    exchanges: { requests: report.exchanges.requests, waitMs: Math.round(report.exchanges.waitMs), perSecond: Math.round(report.exchanges.perSecond) },
    timing:
      report.timing === null
        ? null
        : { totalMs: Math.round(report.timing.totalMs), worldMs: Math.round(report.timing.worldMs), steps: report.timing.steps, stepsPerSecond: Math.round(report.timing.stepsPerSecond) },
  };
}

function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function summary(report: OracleReport, options: Parsed): string {
  const out: string[] = [];
  if (report.iut !== null) {
    const unknown = report.iut.announced.filter((f) => !(report.features as string[]).includes(f) && f !== 'state');
    out.push(`IUT: ${report.iut.name} ${report.iut.version}; features: ${report.features.join(', ') || 'none'}${unknown.length > 0 ? ` (not known to the oracle: ${unknown.join(', ')})` : ''}; mode: ${report.mode}`);
  }
  if (report.properties.length > 0) out.push('', table(report));
  const failures = report.properties.filter((p) => p.verdict === 'fail');
  if (failures.length > 0) out.push('');
  for (const p of failures) {
    out.push(`${p.id} failed at step ${p.counterexample?.failingStep ?? '?'} of run ${p.failingRun ?? '?'}: ${p.reason ?? ''}`);
    if (p.counterexample !== undefined) out.push(`  shrunk to ${p.counterexample.actions.length} actions (seed ${report.seed}, path ${p.counterexample.path}, replayPath ${p.counterexample.replayPath})`);
    if (p.file !== undefined) out.push(`  counterexample: ${p.file} (replay against the IUT: hmip6 replay ${p.file} --impl '${options.impl.replace(/'/g, `'\\''`)}')`);
  }
  for (const f of report.findings.filter((x) => x.level === 'MUST')) out.push(`${f.check} failed (${f.basis.join(', ')}): ${f.message} [run ${f.run}, seed ${f.seed}]`);
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
    `${report.verdict.toUpperCase()}: ${report.runs} runs${report.interrupted ? ' (time limit reached)' : ''}${t !== null ? ` in ${(t.totalMs / 1000).toFixed(1)} s` : ''}; ${e.requests} exchanges with the IUT, ${Math.round(e.perSecond)}/s while waiting`,
    `seed ${report.seed} (reproduce: ${replayCommand({ command: options.impl, seed: report.seed, numRuns: report.numRuns, stepsMax: options.stepsMax, blackBox: options.blackBox, shard: options.shard, properties: options.properties })})`,
  );
  return `${out.join('\n')}\n`;
}

export async function run(argv: string[]): Promise<number> {
  const options = parse(argv);
  if (typeof options === 'string') return usageError(options);
  if ('help' in options) {
    process.stdout.write(HELP);
    return EXIT.pass;
  }
  process.stdout.write(`hmip6 oracle: ${options.impl}\nseed ${options.seed}, ${options.runs} runs, at most ${options.stepsMax} actions each${options.blackBox ? ', black-box mode' : ''}\n`);
  const progress = progressReporter(options.shard === undefined ? options.runs : Math.ceil((options.runs - options.shard.index) / options.shard.count));
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
    ...(options.properties !== undefined ? { properties: options.properties } : {}),
    ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
    ...(options.shard !== undefined ? { shard: options.shard } : {}),
    onProgress: ({ done, total, failed }) => progress.update(done, failed),
  });
  progress.end();
  process.stdout.write(summary(report, options));
  if (options.json !== undefined) writeFile(options.json, `${JSON.stringify(oracleJsonReport(report), null, 2)}\n`);
  if (options.junit !== undefined) writeFile(options.junit, oracleJunitXml(report));
  return report.verdict === 'pass' ? EXIT.pass : report.verdict === 'fail' ? EXIT.fail : EXIT.error;
}
