// The conformance oracle: every property of the suite, run against an implementation under
// test (IUT) over the adapter protocol, and judged level by level (demands.ts).
//
//   1. start the IUT and say `hello`: its name, version and features;
//   2. pick the mode: with `state` (and without `blackBox`) the full suite, REFINES-MODEL
//      included; without it, black-box mode, judged only by what the IUT sends and delivers;
//   3. skip what needs a feature the IUT lacks (listed as skipped, never as passed), and keep
//      the worlds within its features (ScheduleOptions.features: no draft-13 or legacy peer
//      without `standard-compat`, no anonymous SA without `anonymous-sa`, no Appendix B
//      without `bu-optimization`);
//   4. run the properties (properties/runner.ts) with the IUT as Alice, and the oracle's own
//      packet checks (checks.ts) on every exchange;
//   5. verdict: `error` if the IUT failed at the protocol level (crash, hang, garbage, wrong
//      id, flood, early exit, invalid answer) or the harness did (the properties it cut short
//      are `not-run`, never passed); else `fail` if an invariant failed (or a MUST-level check,
//      or REFINES-MODEL with `strict`); else `inconclusive` if a property held but judged
//      fewer situations than its minimum (a pass that judged nothing is not a pass); else
//      `pass`, with REFINES-MODEL departures and SHOULD-level findings as warnings.
// The IUT process is always stopped before this returns.

import { DEFAULT_STEPS_MAX } from '../arbitraries/schedule.js';
import { PROPERTIES, type PropertyId } from '../invariants/index.js';
import {
  checkVerdict,
  runCheck,
  type CheckReport,
  type PropertyReport,
  type PropertyVerdict,
  type ShrinkBudget,
} from '../runner.js';
import type { Feature } from '../world/types.js';
import { AdapterAlice, type IutIdentity } from './alice.js';
import { OracleChecks, type Finding } from './checks.js';
import { TIMEOUT_MS_DEFAULT } from './client.js';
import { DEMANDS, hostRulesFor, type DemandLevel } from './demands.js';
import { AdapterError, type AdapterErrorKind } from './errors.js';
import type { WorkerClosed } from '../worker-alice.js';

export interface OracleOptions {
  /** The IUT's command line (run through the shell). */
  command: string;
  cwd?: string;
  /** Ignore the `state` feature (black-box mode). */
  blackBox?: boolean;
  /** Fail on REFINES-MODEL departures and SHOULD-level findings too. */
  strict?: boolean;
  seed: number;
  numRuns: number;
  stepsMax?: number;
  timeoutMs?: number;
  startupTimeoutMs?: number;
  /** Where counterexample files go. */
  outDir?: string;
  properties?: readonly PropertyId[];
  timeLimitMs?: number;
  shard?: { index: number; count: number };
  shrinkBudget?: Partial<ShrinkBudget>;
  onProgress?: (progress: { done: number; total: number; failed: number }) => void;
  /**
   * IUT processes, one per worker (default 1): each plays a share of the runs and the report is
   * the one a single IUT gives (DESIGN.md "Workers"). Worker 0 is this thread with the IUT that
   * said `hello`; the others are child processes, each with its own copy of the IUT.
   */
  workers?: number;
  /**
   * End the check at the lowest run in which an invariant fails (runner.ts firstFailureEnds);
   * departures that are only warnings never end it. `hmip6 oracle` sets it.
   */
  firstFailureEnds?: boolean;
}

export type OracleVerdict = 'pass' | 'fail' | 'error' | 'inconclusive';

export interface OraclePropertyReport extends Omit<PropertyReport, 'verdict'> {
  /** `warn`: a host-rules property (REFINES-MODEL, REFINES-SIGNALLING) departed from HOST.md (a failure with `strict`). */
  verdict: PropertyVerdict | 'warn';
  level: DemandLevel;
  requirements: readonly string[];
  /** For a host-rules departure: the HOST.md rules it most likely involves (REFINES-SIGNALLING: those it cites). */
  hostRules?: number[];
}

export interface OracleError {
  /** Set when the IUT failed at the protocol level; absent when the harness itself failed. */
  kind?: AdapterErrorKind;
  request?: string;
  message: string;
  stderrTail: string[];
  /** How to run the same schedules again. */
  replay: string;
  /** The counterexample file of the run it happened in, when one was written. */
  file?: string;
}

export interface OracleReport {
  verdict: OracleVerdict;
  mode: 'full' | 'black-box';
  command: string;
  iut: IutIdentity | null;
  /** The features the oracle used (announced, known, minus `state` in black-box mode). */
  features: Feature[];
  seed: number;
  numRuns: number;
  runs: number;
  stepsMax: number;
  interrupted: boolean;
  /** The run whose packet storm stopped the check (CheckReport.stormRun). */
  stormRun?: number;
  /** The run whose failure ended the check (CheckReport.endedAtRun, firstFailureEnds). */
  endedAtRun?: number;
  properties: OraclePropertyReport[];
  /** The oracle's own checks (checks.ts): MUST-level findings fail, SHOULD-level ones warn. */
  findings: Finding[];
  /** One line per warning, for people. */
  warnings: string[];
  error: OracleError | null;
  /** Requests exchanged with the IUT and the time spent waiting for answers. */
  exchanges: { requests: number; waitMs: number; perSecond: number };
  timing: CheckReport['timing'] | null;
  /** The situation catalogue's coverage over the runs played (CheckReport.situations; informational). */
  situations: CheckReport['situations'];
}

/** `command` as one POSIX shell word. */
export function shellQuote(command: string): string {
  return `'${command.replace(/'/g, `'\\''`)}'`;
}

export function replayCommand(
  options: Pick<OracleOptions, 'command' | 'seed' | 'numRuns' | 'blackBox' | 'stepsMax' | 'shard' | 'properties'>,
): string {
  const parts = [
    'hmip6 oracle',
    `--impl ${shellQuote(options.command)}`,
    `--seed ${options.seed}`,
    `--runs ${options.numRuns}`,
  ];
  for (const id of options.properties ?? []) parts.push(`--property ${id}`);
  if (options.stepsMax !== undefined && options.stepsMax !== DEFAULT_STEPS_MAX)
    parts.push(`--steps-max ${options.stepsMax}`);
  if (options.shard !== undefined) parts.push(`--shard ${options.shard.index + 1}/${options.shard.count}`);
  if (options.blackBox === true) parts.push('--black-box');
  return parts.join(' ');
}

/** Why a property cannot be judged against these features, or null. */
function skipReason(id: PropertyId, features: readonly Feature[]): string | null {
  const missing = DEMANDS[id].features.filter((f) => !features.includes(f));
  if (missing.length === 0) return null;
  if (missing.includes('state')) return 'needs the state feature (black-box mode)';
  return `needs the ${missing.join(', ')} feature${missing.length > 1 ? 's' : ''}, which the IUT does not announce`;
}

/** Runs the oracle. Never throws for anything the IUT does; always stops the IUT. */
export async function runOracle(options: OracleOptions): Promise<OracleReport> {
  const blackBox = options.blackBox ?? false;
  const stepsMax = options.stepsMax ?? DEFAULT_STEPS_MAX;
  const replay = replayCommand(options);
  const report: OracleReport = {
    verdict: 'error',
    mode: blackBox ? 'black-box' : 'full',
    command: options.command,
    iut: null,
    features: [],
    seed: options.seed,
    numRuns: options.numRuns,
    runs: 0,
    stepsMax,
    interrupted: false,
    properties: [],
    findings: [],
    warnings: [],
    error: null,
    exchanges: { requests: 0, waitMs: 0, perSecond: 0 },
    timing: null,
    situations: [],
  };

  let alice: AdapterAlice;
  try {
    alice = AdapterAlice.start({
      command: options.command,
      cwd: options.cwd,
      blackBox,
      timeoutMs: options.timeoutMs ?? TIMEOUT_MS_DEFAULT,
      startupTimeoutMs: options.startupTimeoutMs,
    });
  } catch (e) {
    report.error = errorOf(e, replay);
    return report;
  }

  const checks = new OracleChecks();
  alice.observers.push(checks);
  report.iut = alice.identity;
  report.features = [...alice.features];
  if (!alice.features.includes('state')) report.mode = 'black-box';

  const selected = PROPERTIES.map((p) => p.id).filter(
    (id) => options.properties === undefined || options.properties.includes(id),
  );
  const skipped = new Map<PropertyId, string>();
  for (const id of selected) {
    const why = skipReason(id, alice.features);
    if (why !== null) skipped.set(id, why);
  }
  const judged = selected.filter((id) => !skipped.has(id));
  const workers = Math.max(1, options.workers ?? 1);
  // Departures from the host rules are warnings unless strict: they never end the check.
  const goOn = options.strict === true ? [] : judged.filter((id) => DEMANDS[id].level === 'host-rules');
  /** With workers: what their IUTs said, and the highest run the report counts. */
  let closed: { workers: WorkerClosed[]; lastRun: number } | null = null;

  let check: CheckReport | null = null;
  let harnessError: unknown = null;
  try {
    check = await runCheck({
      ...(workers > 1
        ? {
            workers,
            workerAlice: {
              kind: 'adapter',
              command: options.command,
              cwd: options.cwd ?? process.cwd(),
              blackBox,
              timeoutMs: options.timeoutMs ?? TIMEOUT_MS_DEFAULT,
              ...(options.startupTimeoutMs !== undefined ? { startupTimeoutMs: options.startupTimeoutMs } : {}),
            },
            onWorkersClosed: (w: WorkerClosed[], lastRun: number) => {
              closed = { workers: w, lastRun };
            },
            // Worker 0 is this thread, with this IUT: its runs are numbered by the seed's index.
            beforeRun: (run: number) => {
              alice.runs = run;
            },
          }
        : {}),
      ...(options.firstFailureEnds === true ? { firstFailureEnds: true, failuresGoOn: goOn } : {}),
      // Findings are those of the runs played: a shrink's candidates are no run of the seed.
      onRunsDone: () => {
        const i = alice.observers.indexOf(checks);
        if (i >= 0) alice.observers.splice(i, 1);
      },
      seed: options.seed,
      numRuns: options.numRuns,
      stepsMax,
      properties: judged,
      alice,
      // The worlds stay within the IUT's features (no Sam and Lee without standard-compat...).
      schedule: { features: alice.features },
      ...(options.outDir !== undefined ? { outDir: options.outDir } : {}),
      ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
      ...(options.shard !== undefined ? { shard: options.shard } : {}),
      ...(options.shrinkBudget !== undefined ? { shrinkBudget: options.shrinkBudget } : {}),
      ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
    });
  } catch (e) {
    harnessError = e;
  } finally {
    alice.close();
  }

  const merged = closed as { workers: WorkerClosed[]; lastRun: number } | null;
  const stats = { requests: alice.client.stats.requests, waitMs: alice.client.stats.waitMs };
  let findings = checks.findings;
  /** With workers: the protocol failure of the IUT that played the run that failed first. */
  let workerFailure: AdapterError | null = null;
  if (merged !== null) {
    stats.requests = 0;
    stats.waitMs = 0;
    findings = [];
    // Worker 0: this thread and its IUT (closed above).
    merged.workers.unshift({
      worker: 0,
      adapter: {
        findings: checks.findings,
        exchanges: { ...alice.client.stats },
        failure: alice.failure?.failure ?? null,
        stderrTail: alice.client.stderrTail,
      },
    });
    for (const w of merged.workers) {
      if (w.adapter === null) continue;
      stats.requests += w.adapter.exchanges.requests;
      stats.waitMs += w.adapter.exchanges.waitMs;
      findings.push(...w.adapter.findings.filter((f) => f.run <= merged.lastRun));
    }
    // In run order, as one IUT sees them (a sort keeps each run's own order).
    findings.sort((a, b) => a.run - b.run);
    const failed = merged.workers.filter((w) => w.adapter?.failure !== null && w.adapter?.failure !== undefined);
    const crashRun = check?.error?.run ?? -1;
    const owner =
      crashRun >= 0 ? failed.find((w) => w.worker === ownerOf(crashRun, workers, options.shard)) : undefined;
    const first = owner ?? failed[0];
    if (first?.adapter?.failure !== undefined && first.adapter.failure !== null)
      workerFailure = new AdapterError(first.adapter.failure);
  }
  report.exchanges = {
    requests: stats.requests,
    waitMs: stats.waitMs,
    perSecond: stats.waitMs > 0 ? (stats.requests * 1000) / stats.waitMs : 0,
  };
  report.findings = findings;

  // Properties, in the suite's order: judged ones from the runner, skipped ones with why.
  const byId = new Map((check?.properties ?? []).map((p) => [p.id, p]));
  for (const id of selected) {
    const demand = DEMANDS[id];
    const base = { level: demand.level, requirements: demand.requirements };
    const why = skipped.get(id);
    const r = byId.get(id);
    if (why !== undefined || r === undefined) {
      const verdict = why !== undefined ? 'skip' : 'not-run';
      report.properties.push({
        id,
        verdict,
        runs: 0,
        ms: 0,
        judged: 0,
        judgedMinimum: 0,
        skipReason: why ?? 'the check did not run',
        ...base,
      });
      continue;
    }
    const verdict =
      r.verdict === 'fail' && demand.level === 'host-rules' && options.strict !== true ? 'warn' : r.verdict;
    const out: OraclePropertyReport = { ...r, verdict, ...base };
    if (r.verdict === 'fail' && demand.level === 'host-rules') out.hostRules = hostRulesFor(r.reason ?? '', id);
    report.properties.push(out);
  }
  if (check !== null) {
    report.runs = check.runs;
    report.interrupted = check.interrupted;
    if (check.stormRun !== undefined) report.stormRun = check.stormRun;
    if (check.endedAtRun !== undefined) report.endedAtRun = check.endedAtRun;
    report.timing = check.timing;
    report.situations = check.situations;
  }

  for (const p of report.properties) {
    if (p.verdict !== 'warn') continue;
    const count = p.failingRunCount ?? 1;
    const inRuns = count > 1 ? ` in ${count} of ${p.runs} runs` : '';
    report.warnings.push(
      `${p.id} departs from the host rules${inRuns}${rulesText(p.hostRules ?? [])}: ${p.reason ?? ''}${p.file !== undefined ? ` [${p.file}]` : ''}`,
    );
    // Every later departing run too, grouped by the rules they most likely involve: the first
    // departure must not hide a different one.
    const groups = new Map<string, number[]>();
    for (const f of (p.failingRuns ?? []).slice(1)) {
      const key = hostRulesFor(f.reason, p.id).join(', ');
      groups.set(key, [...(groups.get(key) ?? []), f.run]);
    }
    for (const [rules, runs] of groups) {
      const more = count > (p.failingRuns?.length ?? 0) ? ' (and more not kept)' : '';
      report.warnings.push(
        `${p.id} also departs${rules === '' ? '' : ` (likely rules ${rules})`} in run${runs.length > 1 ? 's' : ''} ${runs.join(', ')}${more}`,
      );
    }
  }
  for (const f of report.findings) {
    if (f.level === 'SHOULD')
      report.warnings.push(`${f.check} (${f.basis.join(', ')}): ${f.message} [run ${f.run}, seed ${f.seed}]`);
  }

  // The verdict. A protocol failure of the IUT wins over everything: after it nothing the
  // runner says can be trusted, and nothing may pass.
  const failure = merged === null ? alice.failure : workerFailure;
  if (failure !== null) {
    notRun(report.properties, `the IUT failed: ${failure.describe().split('\n')[0]}`);
    report.error = errorOf(failure, replay);
    const crashFile = check?.error?.file;
    if (crashFile !== undefined) report.error.file = crashFile;
    report.verdict = 'error';
    return report;
  }
  if (harnessError !== null) {
    notRun(report.properties, 'the harness failed');
    report.error = errorOf(harnessError, replay);
    report.verdict = 'error';
    return report;
  }
  if (check === null || check.error !== null) {
    // Alice "threw" without a protocol failure: cannot happen over the adapter, but never a pass.
    report.error = {
      message: check?.error?.message ?? 'the check did not run',
      stderrTail: alice.client.stderrTail,
      replay,
      ...(check?.error?.file !== undefined ? { file: check.error.file } : {}),
    };
    report.verdict = 'error';
    return report;
  }
  const mustFinding = report.findings.some((f) => f.level === 'MUST' || options.strict === true);
  report.verdict = mustFinding ? 'fail' : checkVerdict(report.properties, false);
  return report;
}

/** The worker that played run `run` (workers.ts: the k-th run played goes to worker k mod N). */
function ownerOf(run: number, workers: number, shard: OracleOptions['shard']): number {
  const position = shard === undefined ? run : (run - shard.index) / shard.count;
  return position % workers;
}

/** Properties an error cut short: whatever they had not failed is `not-run`, never a pass. */
function notRun(properties: OraclePropertyReport[], why: string): void {
  for (const p of properties) {
    if (p.verdict !== 'pass' && p.verdict !== 'inconclusive') continue;
    p.verdict = 'not-run';
    p.skipReason = why;
    delete p.reason;
  }
}

function rulesText(rules: readonly number[]): string {
  return rules.length === 0 ? '' : ` (likely rule${rules.length > 1 ? 's' : ''} ${rules.join(', ')}: docs/rules.md)`;
}

function errorOf(e: unknown, replay: string): OracleError {
  if (e instanceof AdapterError) {
    return {
      kind: e.failure.kind,
      request: e.failure.request,
      message: e.describe(),
      stderrTail: e.failure.stderrTail,
      replay,
    };
  }
  return {
    message: `the harness failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    stderrTail: [],
    replay,
  };
}
