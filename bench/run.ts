// `npm run bench`: the project's performance figures, measured side by side in one run
// (docs/benchmarks.md says what each figure means and how it is measured).
//
//   npm run bench                       the full run (about 14 minutes on 2 cores)
//   npm run bench -- --quick            a short run (under 3 minutes): fewer schedules and
//                                       repetitions, ETNA on each mutant's expected property
//                                       only with one trial, a 20 s explorer search
//   npm run bench -- --json FILE        also write the figures as JSON
//   npm run bench -- --only startup,lockstep,oracle,etna,explore   a subset
//
// Sections: startup (`hmip6 --help` and serve-reference's `hello`, compiled against the
// sources through tsx; the minimum over repetitions), lockstep throughput (harness against
// the bare reference host), oracle throughput
// (adapter protocol over a child process against in-process), ETNA (mutants × properties),
// the exhaustive explorer. Each figure is a median over repetitions, and the machine (with its
// load average at the start and the end, and the CPU time busy and stolen over the run) is
// recorded beside them.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ETNA_FULL,
  ETNA_QUICK,
  measureEtna,
  SHRUNK_OVER_MINIMAL_TARGET,
  type EtnaFigures,
  type MinimalLengths,
} from './etna.js';
import { EXPLORE_FULL, EXPLORE_QUICK, measureExplore, type ExploreFigures } from './explore.js';
import { MINIMAL_FULL, minimalLengthsFromResults, searchMinimalLengths, type MinimalSearch } from './minimal.js';
import { MUTANTS } from '../properties/mutants/bank/index.js';
import {
  cpuShares,
  cpuTimes,
  currentLoad,
  describeMachine,
  SETTLE_WAIT_MS_MAX,
  settle,
  type MachineDescription,
} from './lib/machine.js';
import { LOCKSTEP_FULL, LOCKSTEP_QUICK, measureLockstep, type LockstepFigures } from './lockstep.js';
import { formatRate, now, round } from './lib/stats.js';
import { measureOracle, ORACLE_FULL, ORACLE_QUICK, type OracleFigures } from './oracle.js';
import { measureStartup, STARTUP_FULL, STARTUP_QUICK, STARTUP_TARGET_S, type StartupFigures } from './startup.js';
import {
  CHECK_WALL_RATIO_TARGET,
  IDLE_LOAD_MAX,
  measureWorkers,
  ORACLE_RATE_RATIO_TARGET,
  WORKERS_FULL,
  WORKERS_QUICK,
  type WorkersFigures,
} from './workers.js';

export const BENCH_FORMAT = 'hmip6-bench/1';
/** The target for the harness overhead: a step in the suite at most this many times a bare one. */
export const OVERHEAD_TARGET = 2;
/** Issue 17's single-core targets: lockstep harness steps per second, and exchanges per second to serve-reference over stdio. */
export const LOCKSTEP_RATE_TARGET = 50_000;
export const STDIO_RATE_TARGET = 8000;

const SECTIONS = ['startup', 'lockstep', 'oracle', 'workers', 'explore', 'etna'] as const;
type Section = (typeof SECTIONS)[number];

/** A section that did not run, and why (never a made-up figure). */
interface NotMeasured {
  notMeasured: string;
}

export interface BenchResults {
  format: typeof BENCH_FORMAT;
  quick: boolean;
  machine: MachineDescription;
  /** 1-minute load average when the run ended. */
  loadAverageEnd: number;
  /**
   * Over the whole run, the machine's CPU time busy (this run included) and stolen by the
   * hypervisor, in percent (Linux only; null elsewhere). Steal slows every figure down.
   */
  cpu: { busyPercent: number; stealPercent: number } | null;
  durationSeconds: number;
  /** `hmip6 --help` and serve-reference's `hello`, compiled and from the sources (absent in older results). */
  startup?: StartupFigures | NotMeasured;
  lockstep:
    LockstepFigures | (NotMeasured & Pick<LockstepFigures, 'stepsPerSecond' | 'bareStepsPerSecond' | 'overhead'>);
  /** check with 1 worker against N, the oracle with 1 IUT process against N (absent in older results). */
  workers?: WorkersFigures | NotMeasured;
  oracle:
    OracleFigures | (NotMeasured & Pick<OracleFigures, 'stdioExchangesPerSecond' | 'inProcessExchangesPerSecond'>);
  etna: EtnaFigures | (NotMeasured & Pick<EtnaFigures, 'tasks' | 'solvedInAllTrials' | 'shrunkOverMinimalMedian'>);
  explore: ExploreFigures | (NotMeasured & Pick<ExploreFigures, 'statesPerSecond' | 'depthIn60s'>);
  targets: { name: string; target: string; measured: string; met: boolean | null }[];
}

function isMeasured<T extends object>(x: T): x is Exclude<T, NotMeasured> {
  return !('notMeasured' in x);
}

const USAGE = 'usage: npm run bench -- [--quick] [--json FILE] [--only startup,lockstep,oracle,workers,etna,explore]';

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function targets(r: BenchResults): BenchResults['targets'] {
  const out: BenchResults['targets'] = [];
  const st = r.startup;
  const compiled = st !== undefined && isMeasured(st) ? st.compiled : null;
  // The targets hold on an idle machine: under load the figures are recorded, not judged.
  const idle = st !== undefined && isMeasured(st) && st.loadAverage[0] <= 0.5;
  for (const [name, value] of [
    ['hmip6 --help wall time (compiled, minimum)', compiled?.helpMin],
    ['serve-reference answers hello (compiled, minimum)', compiled?.helloMin],
  ] as const) {
    out.push({
      name,
      target: `≤ ${STARTUP_TARGET_S} s on an idle machine`,
      measured:
        value === undefined
          ? 'not measured'
          : `${value} s at load ${st !== undefined && isMeasured(st) ? st.loadAverage[0] : '?'}${idle ? '' : ' (not judged: the machine is not idle)'}`,
      met: value === undefined || !idle ? null : value <= STARTUP_TARGET_S,
    });
  }
  // Rates and ratios are judged only on an idle machine (DESIGN.md "Workers"): under load they are recorded.
  const startLoad = r.machine.loadAverage[0];
  const idleStart = startLoad <= IDLE_LOAD_MAX;
  const underLoad = (load: number): string =>
    ` (not measured: load average ${load} at the start, above ${IDLE_LOAD_MAX})`;
  const lr = r.lockstep;
  out.push({
    name: 'lockstep harness steps/s (one core)',
    target: `≥ ${LOCKSTEP_RATE_TARGET.toLocaleString('en-US')}`,
    measured: isMeasured(lr)
      ? `${Math.round(lr.stepsPerSecond)} (world alone ${Math.round(lr.worldStepsPerSecond)}, bare host ${Math.round(lr.bareStepsPerSecond)})${idleStart ? '' : underLoad(startLoad)}`
      : 'not measured',
    met: isMeasured(lr) && idleStart ? lr.stepsPerSecond >= LOCKSTEP_RATE_TARGET : null,
  });
  const or = r.oracle;
  out.push({
    name: 'exchanges/s to serve-reference over stdio',
    target: `≥ ${STDIO_RATE_TARGET.toLocaleString('en-US')}`,
    measured: isMeasured(or)
      ? `${Math.round(or.stdioExchangesPerSecond)} (${or.usPerExchange.stdio} µs each${or.echoUsPerExchange !== undefined ? `; echo floor ${or.echoUsPerExchange} µs` : ''})${idleStart ? '' : underLoad(startLoad)}`
      : 'not measured',
    met: isMeasured(or) && idleStart ? or.stdioExchangesPerSecond >= STDIO_RATE_TARGET : null,
  });
  const w = r.workers;
  const wm = w !== undefined && isMeasured(w) ? w : null;
  out.push({
    name: `check${wm === null ? '' : ` ${wm.check.runs} runs`}, ${wm?.workers ?? 'N'} workers / 1 worker wall time`,
    target: `≤ ${CHECK_WALL_RATIO_TARGET}×`,
    measured:
      wm === null
        ? 'not measured'
        : `${wm.check.wallRatio}× (${wm.check.workersS} s against ${wm.check.oneWorkerS} s)${wm.notJudged === null ? '' : ` (not measured: ${wm.notJudged})`}`,
    met: wm === null || wm.notJudged !== null ? null : wm.check.wallRatio <= CHECK_WALL_RATIO_TARGET,
  });
  out.push({
    name: `oracle exchanges/s, ${wm?.workers ?? 'N'} IUT processes / 1`,
    target: `≥ ${ORACLE_RATE_RATIO_TARGET}×`,
    measured:
      wm === null
        ? 'not measured'
        : `${wm.oracle.rateRatio}× (${wm.oracle.workersExchangesPerSecond}/s against ${wm.oracle.oneExchangesPerSecond}/s)${wm.notJudged === null ? '' : ` (not measured: ${wm.notJudged})`}`,
    met: wm === null || wm.notJudged !== null ? null : wm.oracle.rateRatio >= ORACLE_RATE_RATIO_TARGET,
  });
  const l = r.lockstep;
  out.push({
    name: 'lockstep harness overhead',
    target: `≤ ${OVERHEAD_TARGET}×`,
    measured: isMeasured(l) ? `${l.overhead}×` : 'not measured',
    met: isMeasured(l) ? l.overhead <= OVERHEAD_TARGET : null,
  });
  const e = r.etna;
  out.push({
    name: 'ETNA tasks solved in every trial',
    target: 'all',
    measured: isMeasured(e) ? `${e.solvedInAllTrials}/${e.tasks}` : 'not measured',
    met: isMeasured(e) ? e.solvedInAllTrials === e.tasks : null,
  });
  out.push({
    name: 'ETNA shrunk length / minimal length',
    target: `≤ ${SHRUNK_OVER_MINIMAL_TARGET}× per task (median over its trials)`,
    measured:
      isMeasured(e) && e.tasksWithMinimal > 0
        ? `median ${e.shrunkOverMinimalMedian}×, max ${e.shrunkOverMinimalMax}×; ${e.tasksWithinTarget}/${e.tasksWithMinimal} tasks within (per trial: ${e.catchesWithinTarget}/${e.catchesWithMinimal} catches)`
        : 'not measured',
    met: isMeasured(e) && e.tasksWithMinimal > 0 ? e.tasksWithinTarget === e.tasksWithMinimal : null,
  });
  return out;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines.join('\n');
}

const fmt = (x: number | null): string => (x === null ? '-' : String(round(x)));

/** The summary table, then the ETNA task table. */
export function formatResults(r: BenchResults): string {
  const rows: string[][] = [['figure', 'value', 'note']];
  const st = r.startup;
  if (st !== undefined && isMeasured(st)) {
    const c = st.compiled;
    const note = (median: number): string =>
      `minimum of ${st.repetitions}, median ${median} s; load ${st.loadAverage[0]}`;
    if (c !== null) {
      rows.push(['startup: hmip6 --help, compiled', `${c.helpMin} s`, note(c.helpMedian)]);
      rows.push(['startup: serve-reference hello, compiled', `${c.helloMin} s`, note(c.helloMedian)]);
    } else rows.push(['startup: compiled', 'not measured', 'dist/ is not built (npm run build)']);
    rows.push(['startup: hmip6 --help, sources (tsx)', `${st.source.helpMin} s`, note(st.source.helpMedian)]);
    rows.push([
      'startup: serve-reference hello, sources (tsx)',
      `${st.source.helloMin} s`,
      note(st.source.helloMedian),
    ]);
  } else if (st !== undefined) rows.push(['startup', 'not measured', st.notMeasured]);
  const l = r.lockstep;
  if (isMeasured(l)) {
    rows.push([
      'lockstep: harness (world + model + invariants)',
      `${formatRate(l.stepsPerSecond)} steps`,
      `${l.schedules} schedules, ${l.steps} steps, median of ${l.repetitions}`,
    ]);
    rows.push([
      'lockstep: bare reference host, same calls',
      `${formatRate(l.bareStepsPerSecond)} steps`,
      l.replayFaithful ? 'replay sends what Alice sent' : 'REPLAY DIFFERS',
    ]);
    rows.push([
      'lockstep: harness overhead',
      `${l.overhead}×`,
      `target ≤ ${OVERHEAD_TARGET}×; from CPU time ${l.cpuOverhead}×`,
    ]);
    rows.push([
      'lockstep: the world alone (no property)',
      `${formatRate(l.worldStepsPerSecond)} steps`,
      `checking costs ${l.checkOverhead}× the world alone`,
    ]);
  } else rows.push(['lockstep', 'not measured', l.notMeasured]);
  const o = r.oracle;
  if (isMeasured(o)) {
    rows.push([
      'oracle: serve-reference child process',
      `${formatRate(o.stdioExchangesPerSecond)} exchanges`,
      `${o.usPerExchange.stdio} µs each, ${o.exchanges} exchanges, median of ${o.repetitions}`,
    ]);
    rows.push([
      'oracle: same exchanges in-process',
      `${formatRate(o.inProcessExchangesPerSecond)} exchanges`,
      `${o.usPerExchange.inProcess} µs each; child is ${o.slowdown}× slower`,
    ]);
    if (o.echoUsPerExchange !== undefined && o.echoExchangesPerSecond !== undefined) {
      rows.push([
        'oracle: echo child (the transport floor)',
        `${formatRate(o.echoExchangesPerSecond)} exchanges`,
        `${o.echoUsPerExchange} µs each; serve-reference costs ${round(o.usPerExchange.stdio / o.echoUsPerExchange)}× the floor`,
      ]);
    }
  } else rows.push(['oracle', 'not measured', o.notMeasured]);
  const w = r.workers;
  if (w !== undefined && isMeasured(w)) {
    const load = `load ${w.loadAverage[0]} at the start${w.notJudged === null ? '' : ': not measured'}`;
    rows.push([
      `workers: check ${w.check.runs} runs, 1 worker`,
      `${w.check.oneWorkerS} s`,
      `seed ${w.check.seed}, median of ${w.repetitions}; ${w.check.verdicts.join(', ')}`,
    ]);
    rows.push([
      `workers: check ${w.check.runs} runs, ${w.workers} workers`,
      `${w.check.workersS} s`,
      `${w.check.wallRatio}× the wall time of 1; ${load}`,
    ]);
    rows.push([
      'workers: oracle, 1 serve-reference process',
      `${formatRate(w.oracle.oneExchangesPerSecond)} exchanges`,
      `${w.oracle.runs} runs, wall time; ${w.oracle.verdicts.join(', ')}`,
    ]);
    rows.push([
      `workers: oracle, ${w.workers} serve-reference processes`,
      `${formatRate(w.oracle.workersExchangesPerSecond)} exchanges`,
      `${w.oracle.rateRatio}× the rate of 1; ${load}`,
    ]);
  } else if (w !== undefined) rows.push(['workers', 'not measured', w.notMeasured]);
  const x = r.explore;
  if (isMeasured(x)) {
    rows.push([
      'explore: distinct states',
      formatRate(x.statesPerSecond),
      `scope ${x.scope} (${x.moves} moves), ${x.workers} worker${x.workers === 1 ? '' : 's'}, ${formatRate(x.transitionsPerSecond)} transitions`,
    ]);
    rows.push([
      `explore: depth completed in ${x.timeLimitSeconds} s`,
      String(x.depthReached),
      `${x.states} states, ${x.transitions} transitions`,
    ]);
  } else rows.push(['explore', 'not measured', x.notMeasured]);
  const e = r.etna;
  if (isMeasured(e)) {
    rows.push([
      'ETNA: tasks solved in every trial',
      `${e.solvedInAllTrials}/${e.tasks}`,
      `${e.mutants} mutants, ${e.trials} trial${e.trials === 1 ? '' : 's'}, ${e.runs} runs, ${e.mode}`,
    ]);
    rows.push([
      'ETNA: shrunk / minimal length',
      e.shrunkOverMinimalMedian === null ? 'not measured' : `median ${e.shrunkOverMinimalMedian}×`,
      e.shrunkOverMinimalMedian === null
        ? e.minimal
        : `max ${e.shrunkOverMinimalMax}×, ${e.tasksWithinTarget}/${e.tasksWithMinimal} tasks ≤ ${SHRUNK_OVER_MINIMAL_TARGET}× (per trial ${e.catchesWithinTarget}/${e.catchesWithMinimal})`,
    ]);
  } else rows.push(['ETNA', 'not measured', e.notMeasured]);
  const out = [table(rows)];
  if (isMeasured(e)) {
    const t: string[][] = [
      ['mutant', 'property', 'solved', 'runs', 'ms to failure', 'shrink ms', 'shrunk', 'minimal', 'ratio'],
    ];
    for (const k of e.taskList) {
      t.push([
        k.mutant,
        `${k.property}${k.expected ? '*' : ''}`,
        `${k.solved}/${k.trials}${k.voidTrials > 0 ? ` (${k.voidTrials} void)` : ''}`,
        fmt(k.runsToFailureMedian),
        fmt(k.msToFailureMedian),
        fmt(k.shrinkMsMedian),
        fmt(k.shrunkLengthMedian),
        fmt(k.minimalLength),
        fmt(k.shrunkOverMinimal),
      ]);
    }
    out.push(
      '',
      `ETNA tasks (medians over the trials that solved the task; * the property the mutant was written against; minimal: ${e.minimal})`,
      table(t),
    );
    for (const f of e.referenceFailures)
      out.push(
        `the reference host itself failed ${f.property} on seed ${f.seed} (${f.reason ?? ''}): that trial is void for ${f.property} (left out of its tasks' trials)`,
      );
    for (const f of e.minimalSearch?.referenceFails ?? [])
      out.push(
        `the reference host itself fails ${f.property} in the explorer's scope (${f.moves.join(', ')}): no minimal length for ${f.property}`,
      );
  }
  out.push('', 'targets:');
  for (const t of r.targets)
    out.push(`  ${t.met === null ? 'n/a ' : t.met ? 'met ' : 'MISS'}  ${t.name}: ${t.measured} (target ${t.target})`);
  const m = r.machine;
  const cpu =
    r.cpu === null ? '' : `; CPU ${r.cpu.busyPercent} % busy, ${r.cpu.stealPercent} % stolen by the hypervisor`;
  out.push(
    '',
    `machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.os} ${m.kernel}; load ${m.loadAverage[0]} at the start, ${r.loadAverageEnd} at the end${cpu}; ${m.date}; ${r.durationSeconds} s${r.quick ? ' (--quick)' : ''}`,
  );
  return out.join('\n');
}

export async function runBench(options: { quick: boolean; only: readonly Section[] }): Promise<BenchResults> {
  // The single-core targets are judged by the load at the start: let what ran before settle.
  await settle(SETTLE_WAIT_MS_MAX, IDLE_LOAD_MAX, (load) =>
    log(`bench: waiting for the machine to settle (load ${load.toFixed(2)}, above ${IDLE_LOAD_MAX})`),
  );
  const started = now();
  const machine = describeMachine();
  const cpuAtStart = cpuTimes();
  log(
    `bench${options.quick ? ' --quick' : ''}: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAverage.join(' ')}`,
  );
  /** One section: its figures, or `notMeasured` (with the figures given as `blank`) when not selected or when it failed. */
  const section = async <T extends object, B extends object>(
    s: Section,
    title: string,
    blank: B,
    measure: () => T | Promise<T>,
  ): Promise<T | (NotMeasured & B)> => {
    if (!options.only.includes(s)) return { notMeasured: 'not selected (--only)', ...blank };
    log(title);
    try {
      return await measure();
    } catch (e) {
      return { notMeasured: reasonOf(e), ...blank };
    }
  };

  const startup: BenchResults['startup'] = await section(
    'startup',
    'startup (hmip6 --help, serve-reference hello)…',
    {},
    () => measureStartup(options.quick ? STARTUP_QUICK : STARTUP_FULL),
  );
  const lockstep: BenchResults['lockstep'] = await section(
    'lockstep',
    'lockstep throughput…',
    { stepsPerSecond: Number.NaN, bareStepsPerSecond: Number.NaN, overhead: Number.NaN },
    () => measureLockstep(options.quick ? LOCKSTEP_QUICK : LOCKSTEP_FULL, log),
  );
  const oracle: BenchResults['oracle'] = await section(
    'oracle',
    'oracle throughput…',
    { stdioExchangesPerSecond: Number.NaN, inProcessExchangesPerSecond: Number.NaN },
    () => measureOracle(options.quick ? ORACLE_QUICK : ORACLE_FULL, log),
  );
  const workers: BenchResults['workers'] = await section('workers', 'workers: check and oracle, 1 against N…', {}, () =>
    measureWorkers(options.quick ? WORKERS_QUICK : WORKERS_FULL, log),
  );
  const explore: BenchResults['explore'] = await section(
    'explore',
    'exhaustive explorer…',
    { statesPerSecond: Number.NaN, depthIn60s: null },
    () => measureExplore(options.quick ? EXPLORE_QUICK : EXPLORE_FULL, log),
  );
  const etna: BenchResults['etna'] = await section(
    'etna',
    'ETNA (mutants × properties)…',
    { tasks: Number.NaN, solvedInAllTrials: Number.NaN, shrunkOverMinimalMedian: null },
    async () => {
      let minimal: MinimalLengths | null = null;
      let minimalSearch: MinimalSearch | null = null;
      let why = '';
      if (options.quick) {
        minimal = minimalLengthsFromResults();
        why = 'not measured: --quick does not run the explorer per mutant, and bench/results.json has no lengths';
      } else {
        log('minimal traces per mutant (hmip6 explore)…');
        try {
          minimalSearch = await searchMinimalLengths(MUTANTS, MINIMAL_FULL, log);
          minimal = minimalSearch;
        } catch (e) {
          why = `not measured: the explorer failed: ${reasonOf(e)}`;
        }
      }
      const figures = await measureEtna(options.quick ? ETNA_QUICK : ETNA_FULL, minimal, why, log);
      if (minimalSearch !== null)
        figures.minimalSearch = { referenceFails: minimalSearch.referenceFails, perMutant: minimalSearch.perMutant };
      return figures;
    },
  );

  const results: BenchResults = {
    format: BENCH_FORMAT,
    quick: options.quick,
    machine,
    loadAverageEnd: currentLoad(),
    cpu: cpuShares(cpuAtStart, cpuTimes()),
    durationSeconds: Math.round((now() - started) / 1000),
    startup,
    lockstep,
    oracle,
    workers,
    etna,
    explore,
    targets: [],
  };
  results.targets = targets(results);
  return results;
}

async function main(argv: string[]): Promise<number> {
  let values: { quick?: boolean; json?: string; only?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean' },
        json: { type: 'string' },
        only: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    log(`bench: ${reasonOf(e)}\n${USAGE}`);
    return 3;
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const only = values.only === undefined ? [...SECTIONS] : values.only.split(',').map((s) => s.trim());
  const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0) {
    log(`bench: unknown section ${unknown.join(', ')}\n${USAGE}`);
    return 3;
  }
  const results = await runBench({ quick: values.quick === true, only: only as Section[] });
  process.stdout.write(`${formatResults(results)}\n`);
  if (values.json !== undefined) {
    mkdirSync(dirname(values.json), { recursive: true });
    // NaN is not JSON: a figure that was not measured is null, with `notMeasured` saying why.
    writeFileSync(
      values.json,
      `${JSON.stringify(results, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1)}\n`,
    );
    log(`bench: wrote ${values.json}`);
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
