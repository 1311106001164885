// `hmip6 check`: runs the property suite (DESIGN.md "Invariants") over adversarial schedules
// against Alice, prints a summary table, and writes counterexample files, a JSON report and a
// JUnit report on request. Exit codes as ADAPTER-PROTOCOL.md: 0 pass, 1 a property failed,
// 2 Alice or the harness failed, 3 usage error.

import { randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_STEPS_MAX } from '../../properties/arbitraries/schedule.js';
import { isPropertyId, PROPERTY_IDS, type PropertyId } from '../../properties/invariants/types.js';
import { runCheck, type CheckReport } from '../../properties/runner.js';
import { formatStats } from '../../properties/stats.js';
import { blackBox, referenceAlice } from '../../properties/world/alice.js';
import type { AliceFactory } from '../../properties/world/types.js';

/** Runs by default: the whole default check stays well under a minute on a 2-core machine (docs/properties.md). */
export const DEFAULT_RUNS = 1000;
/** Where counterexample files go by default (git-ignored). */
export const DEFAULT_OUT_DIR = 'counterexamples';
/** Largest seed accepted (fast-check seeds are 32-bit integers). */
const SEED_MAX = 0x7fffffff;
/** A plain progress line every this share of the runs when stderr is not a terminal. */
const PLAIN_PROGRESS_STEPS = 10;
const PROGRESS_BAR_WIDTH = 30;

const EXIT = { pass: 0, fail: 1, error: 2, usage: 3 } as const;

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
                       whole run between them; each job shrinks and reports its own failures
  --black-box          judge Alice without her state (as an implementation without the
                       'state' feature): state-based properties are skipped
  --no-regression      skip the regression stage (one fixed world scenario per transition
                       of the model's machines, played before the random runs)
  --impl COMMAND       judge an implementation under test instead of the reference host,
                       over the adapter protocol (the same as 'hmip6 oracle', whose
                       --timeout-ms, --startup-timeout-ms and --strict apply too)
  --out DIR            where counterexample files go (default ${DEFAULT_OUT_DIR}/)
  --json FILE          write the report as JSON
  --junit FILE         write the report as JUnit XML (one testcase per property)
  -h, --help           this text

properties:
${PROPERTY_IDS.map((id) => `  ${id}`).join('\n')}

exit codes: 0 every property held, 1 a property failed (counterexample written),
2 Alice or the harness failed, 3 usage error.
`;

interface Parsed {
  runs: number;
  seed: number;
  stepsMax: number;
  properties: PropertyId[] | undefined;
  timeLimitMs: number | undefined;
  shard: { index: number; count: number } | undefined;
  blackBox: boolean;
  regression: boolean;
  out: string;
  json: string | undefined;
  junit: string | undefined;
}

function usageError(message: string): number {
  process.stderr.write(`hmip6 check: ${message}\n\n${HELP}`);
  return EXIT.usage;
}

function positiveInteger(text: string | undefined, name: string, min = 1): number | string {
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
        runs: { type: 'string' },
        seed: { type: 'string' },
        'steps-max': { type: 'string' },
        property: { type: 'string', multiple: true },
        'time-limit': { type: 'string' },
        shard: { type: 'string' },
        'black-box': { type: 'boolean' },
        'no-regression': { type: 'boolean' },
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
  const runs = values.runs === undefined ? DEFAULT_RUNS : positiveInteger(values.runs as string, '--runs');
  if (typeof runs === 'string') return runs;
  const seed = values.seed === undefined ? randomInt(SEED_MAX) : positiveInteger(values.seed as string, '--seed', 0);
  if (typeof seed === 'string') return seed;
  if (seed > SEED_MAX) return `--seed must be at most ${SEED_MAX}`;
  const stepsMax = values['steps-max'] === undefined ? DEFAULT_STEPS_MAX : positiveInteger(values['steps-max'] as string, '--steps-max');
  if (typeof stepsMax === 'string') return stepsMax;
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
    if (!Number.isFinite(seconds) || seconds <= 0) return `--time-limit must be a positive number of seconds`;
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
    runs,
    seed,
    stepsMax,
    properties,
    timeLimitMs,
    shard,
    blackBox: values['black-box'] === true,
    regression: values['no-regression'] !== true,
    out: (values.out as string | undefined) ?? DEFAULT_OUT_DIR,
    json: values.json as string | undefined,
    junit: values.junit as string | undefined,
  };
}

/**
 * Where Alice comes from. The reference host by default; an external implementation over the
 * adapter protocol plugs in here as another AliceFactory (its `--impl` option belongs here).
 */
function aliceFor(options: Parsed): AliceFactory {
  return options.blackBox ? blackBox(referenceAlice) : referenceAlice;
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
        const bar = '#'.repeat(filled) + '.'.repeat(PROGRESS_BAR_WIDTH - filled);
        process.stderr.write(`\r[${bar}] ${done}/${total} runs, ${failed} failing, ${seconds}s `);
        return;
      }
      const step = Math.floor((done * PLAIN_PROGRESS_STEPS) / Math.max(1, total));
      if (step !== lastPlain && (done === total || step > lastPlain)) {
        lastPlain = step;
        process.stderr.write(`progress: ${done}/${total} runs, ${failed} failing, ${seconds}s\n`);
      }
    },
    end() {
      if (tty) process.stderr.write('\n');
    },
  };
}

function table(report: CheckReport): string {
  const rows = report.properties.map((p) => [p.id, String(p.runs), p.verdict.toUpperCase(), `${Math.round(p.ms)} ms`, p.verdict === 'skip' ? (p.skipReason ?? '') : p.judged > 0 ? `judged ${p.judged}` : '']);
  const header = ['property', 'runs', 'verdict', 'time', 'notes'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 1 || i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function xmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // XML 1.0 forbids most control characters.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/**
 * After the table: the regression stage (scenarios that took their transition) and the model's
 * coverage over every run REFINES-MODEL judged, with what was not reached.
 */
export function coverageLines(report: CheckReport): string[] {
  const lines: string[] = [];
  const r = report.regression ?? null;
  if (r !== null) {
    const unreachable = r.unreachable.length > 0 ? ` (${r.unreachable.length} unreachable through the world's actions)` : '';
    const guards = r.guards.scenarios > 0 ? `, ${r.guards.took ?? '?'}/${r.guards.scenarios} guard outcomes` : '';
    const took = r.took === null ? `${r.scenarios} played (what they took is unknown without Alice's state)` : `${r.took}/${r.transitions} transitions${unreachable}${guards}`;
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
  const failures = report.properties.filter((p) => p.verdict === 'fail').length;
  const skipped = report.properties.filter((p) => p.verdict === 'skip').length;
  const errors = report.error !== null ? 1 : 0;
  const seconds = (ms: number): string => (ms / 1000).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="hmip6 check" tests="${report.properties.length + errors}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(report.timing.totalMs)}">`,
    '  <properties>',
    `    <property name="seed" value="${report.seed}"/>`,
    `    <property name="runs" value="${report.runs}"/>`,
    `    <property name="alice" value="${xmlEscape(report.alice)}"/>`,
    ...(report.shard !== null ? [`    <property name="shard" value="${report.shard.index + 1}/${report.shard.count}"/>`] : []),
    '  </properties>',
  ];
  for (const p of report.properties) {
    const open = `  <testcase classname="hmip6.properties" name="${p.id}" time="${seconds(p.ms)}"`;
    if (p.verdict === 'pass') {
      lines.push(`${open}/>`);
    } else if (p.verdict === 'skip') {
      lines.push(`${open}>`, `    <skipped message="${xmlEscape(p.skipReason ?? 'skipped')}"/>`, '  </testcase>');
    } else {
      const body = [`${p.reason ?? ''}`, p.regressionScenario !== undefined ? `regression scenario ${p.regressionScenario}` : `seed ${report.seed}, run ${p.failingRun ?? '?'}`, p.file !== undefined ? `counterexample: ${p.file}` : ''].filter((l) => l !== '').join('\n');
      lines.push(`${open}>`, `    <failure type="${p.id}" message="${xmlEscape(p.reason ?? 'failed')}">${xmlEscape(body)}</failure>`, '  </testcase>');
    }
  }
  if (report.error !== null) {
    lines.push(
      '  <testcase classname="hmip6.alice" name="Alice did not crash" time="0.000">',
      `    <error message="${xmlEscape(report.error.message)}">${xmlEscape(`run ${report.error.run}${report.error.file !== undefined ? `, schedule in ${report.error.file}` : ''}`)}</error>`,
      '  </testcase>',
    );
  }
  lines.push('</testsuite>', '');
  return lines.join('\n');
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
    properties: report.properties.map((p) => ({
      id: p.id,
      verdict: p.verdict,
      runs: p.runs,
      ms: Math.round(p.ms),
      judged: p.judged,
      ...(p.regressionRuns !== undefined ? { regressionRuns: p.regressionRuns } : {}),
      ...(p.skipReason !== undefined ? { skipReason: p.skipReason } : {}),
      ...(p.reason !== undefined ? { reason: p.reason } : {}),
      ...(p.failingRun !== undefined ? { failingRun: p.failingRun } : {}),
      ...(p.regressionScenario !== undefined ? { regressionScenario: p.regressionScenario } : {}),
      ...(p.counterexample !== undefined ? { failingStep: p.counterexample.failingStep, actions: p.counterexample.actions.length, replayPath: p.counterexample.replayPath } : {}),
      ...(p.file !== undefined ? { counterexample: p.file } : {}),
    })),
    stats: report.stats,
    error: report.error,
    regression: report.regression === undefined || report.regression === null ? null : { ...report.regression, ms: Math.round(report.regression.ms) },
    modelCoverage: report.modelCoverage ?? null,
    timing: {
      totalMs: Math.round(report.timing.totalMs),
      worldMs: Math.round(report.timing.worldMs),
      steps: report.timing.steps,
      stepsPerSecond: Math.round(report.timing.stepsPerSecond),
    },
  };
}

function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
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
  if (typeof options === 'string') return usageError(options);
  if ('help' in options) {
    process.stdout.write(HELP);
    return EXIT.pass;
  }
  const alice = aliceFor(options);
  const shardText = options.shard === undefined ? '' : `, shard ${options.shard.index + 1}/${options.shard.count}`;
  process.stdout.write(`hmip6 check: seed ${options.seed}, ${options.runs} runs${shardText}, at most ${options.stepsMax} actions each, Alice = ${alice.name}\n`);
  const progress = progressReporter(options.shard === undefined ? options.runs : Math.ceil((options.runs - options.shard.index) / options.shard.count));
  let report: CheckReport;
  try {
    report = await runCheck({
      seed: options.seed,
      numRuns: options.runs,
      stepsMax: options.stepsMax,
      ...(options.properties !== undefined ? { properties: options.properties } : {}),
      ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
      ...(options.shard !== undefined ? { shard: options.shard } : {}),
      outDir: options.out,
      alice,
      onProgress: ({ done, failed }) => progress.update(done, failed),
      regression: options.regression,
    });
  } catch (e) {
    progress.end();
    process.stderr.write(`hmip6 check: the harness failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\nreproduce with: hmip6 check --seed ${options.seed} --runs ${options.runs}\n`);
    return EXIT.error;
  }
  progress.end();
  process.stdout.write(`\n${table(report)}\n\n`);
  const coverage = coverageLines(report);
  if (coverage.length > 0) process.stdout.write(`${coverage.join('\n')}\n\n`);
  for (const p of report.properties) {
    if (p.verdict !== 'fail') continue;
    const where = p.regressionScenario !== undefined ? `regression scenario ${p.regressionScenario}` : `run ${p.failingRun ?? '?'}`;
    process.stdout.write(`${p.id} failed at step ${p.counterexample?.failingStep ?? '?'} of ${where}: ${p.reason ?? ''}\n`);
    if (p.counterexample !== undefined) process.stdout.write(`  shrunk to ${p.counterexample.actions.length} actions (seed ${report.seed}, path ${p.counterexample.path}, replayPath ${p.counterexample.replayPath})\n`);
    if (p.file !== undefined) process.stdout.write(`  counterexample: ${p.file}\n`);
  }
  if (report.error !== null) {
    process.stdout.write(`Alice crashed in ${report.error.run >= 0 ? `run ${report.error.run}` : 'the regression stage'}: ${report.error.message}${report.error.file !== undefined ? `\n  schedule: ${report.error.file}` : ''}\n`);
  }
  process.stdout.write(`${formatStats(report.stats)}\n\n`);
  const t = report.timing;
  process.stdout.write(
    `${report.verdict.toUpperCase()}: ${report.runs} runs${report.interrupted ? ' (time limit reached)' : ''} in ${(t.totalMs / 1000).toFixed(1)} s; world ${(t.worldMs / 1000).toFixed(1)} s, ${Math.round(t.stepsPerSecond)} actions/s\n` +
      `seed ${report.seed} (reproduce: hmip6 check --seed ${report.seed} --runs ${report.numRuns}${options.stepsMax !== DEFAULT_STEPS_MAX ? ` --steps-max ${options.stepsMax}` : ''}${shardText === '' ? '' : ` --shard ${options.shard?.index === undefined ? '' : options.shard.index + 1}/${options.shard?.count}`})\n`,
  );
  if (options.json !== undefined) writeFile(options.json, `${JSON.stringify(jsonReport(report), null, 2)}\n`);
  if (options.junit !== undefined) writeFile(options.junit, junitXml(report));
  return report.verdict === 'pass' ? EXIT.pass : report.verdict === 'fail' ? EXIT.fail : EXIT.error;
}
