// Workers: `hmip6 check` with one worker against N (one per core), and `hmip6 oracle`
// against `serve-reference` with one IUT process against N (docs/benchmarks.md "Workers").
//
// The same seed and runs both ways, alternated (1, N, 1, N…), each the whole library call
// the command makes (`runCheck` with the regression stage, `runOracle`), wall time from the
// call to its report: worker start-up included, as a user feels it. The oracle's rate is its
// exchanges (every IUT's) per second of that wall time. The ratios are judged against their
// targets only when the machine was idle (1-minute load average at most 0.5) when the section
// started (DESIGN.md "Workers"); otherwise the figures are recorded and the targets say
// "not measured".

import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runOracle } from '../properties/adapter/oracle.js';
import { runCheck } from '../properties/runner.js';
import { SETTLE_WAIT_MS_MAX, settle } from './lib/machine.js';
import { median, now, round } from './lib/stats.js';
import { SERVE_REFERENCE_COMMAND } from './oracle.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** A load average above this at the start makes the ratios "not measured" (DESIGN.md "Workers"). */
export const IDLE_LOAD_MAX = 0.5;
/** Targets (issue 17): check with N workers at most this share of one worker's wall time… */
export const CHECK_WALL_RATIO_TARGET = 0.6;
/** …and the oracle with N IUT processes at least this many times one's exchanges per second. */
export const ORACLE_RATE_RATIO_TARGET = 1.7;

export interface WorkersOptions {
  seed: number;
  checkRuns: number;
  oracleRuns: number;
  repetitions: number;
}

export const WORKERS_FULL: Readonly<WorkersOptions> = { seed: 1, checkRuns: 1000, oracleRuns: 60, repetitions: 2 };
export const WORKERS_QUICK: Readonly<WorkersOptions> = { seed: 1, checkRuns: 200, oracleRuns: 20, repetitions: 1 };

export interface WorkersFigures {
  workers: number;
  repetitions: number;
  /** The 1/5/15-minute load averages when the section started. */
  loadAverage: number[];
  /** Why the ratios are not judged (the machine was not idle), or null. */
  notJudged: string | null;
  check: { seed: number; runs: number; oneWorkerS: number; workersS: number; wallRatio: number; verdicts: string[] };
  oracle: {
    seed: number;
    runs: number;
    oneExchangesPerSecond: number;
    workersExchangesPerSecond: number;
    rateRatio: number;
    verdicts: string[];
  };
}

export async function measureWorkers(options: WorkersOptions, log: (line: string) => void): Promise<WorkersFigures> {
  // The sections before this one leave the load high; the ratios mean something only on an
  // idle machine, so give it time to settle (the wait is not in any figure).
  await settle(SETTLE_WAIT_MS_MAX, IDLE_LOAD_MAX, (load) =>
    log(`  workers: waiting for the machine to settle (load ${load.toFixed(2)}, above ${IDLE_LOAD_MAX})`),
  );
  const loadAverage = loadavg().map((x) => round(x, 2));
  const workers = Math.max(2, availableParallelism());
  const notJudged =
    loadAverage[0] > IDLE_LOAD_MAX ? `load average ${loadAverage[0]} at the start (above ${IDLE_LOAD_MAX})` : null;
  const checkS: Record<'one' | 'n', number[]> = { one: [], n: [] };
  const oracleRate: Record<'one' | 'n', number[]> = { one: [], n: [] };
  const checkVerdicts = new Set<string>();
  const oracleVerdicts = new Set<string>();
  for (let i = 0; i < options.repetitions; i++) {
    for (const [side, count] of [
      ['one', 1],
      ['n', workers],
    ] as const) {
      let t0 = now();
      const check = await runCheck({
        seed: options.seed,
        numRuns: options.checkRuns,
        regression: true,
        workers: count,
        firstFailureEnds: true,
      });
      const s = (now() - t0) / 1000;
      checkS[side].push(s);
      checkVerdicts.add(check.verdict);
      log(
        `  check, ${count} worker${count === 1 ? '' : 's'}: ${check.verdict}, ${check.runs} runs in ${s.toFixed(1)} s`,
      );
      t0 = now();
      const oracle = await runOracle({
        command: SERVE_REFERENCE_COMMAND,
        cwd: ROOT,
        seed: options.seed,
        numRuns: options.oracleRuns,
        workers: count,
        firstFailureEnds: true,
      });
      const ms = now() - t0;
      oracleRate[side].push((oracle.exchanges.requests * 1000) / ms);
      oracleVerdicts.add(oracle.verdict);
      log(
        `  oracle, ${count} IUT process${count === 1 ? '' : 'es'}: ${oracle.verdict}, ${oracle.exchanges.requests} exchanges in ${(ms / 1000).toFixed(1)} s`,
      );
    }
  }
  const one = median(checkS.one);
  const n = median(checkS.n);
  const rateOne = median(oracleRate.one);
  const rateN = median(oracleRate.n);
  return {
    workers,
    repetitions: options.repetitions,
    loadAverage,
    notJudged,
    check: {
      seed: options.seed,
      runs: options.checkRuns,
      oneWorkerS: round(one),
      workersS: round(n),
      wallRatio: round(n / one),
      verdicts: [...checkVerdicts],
    },
    oracle: {
      seed: options.seed,
      runs: options.oracleRuns,
      oneExchangesPerSecond: Math.round(rateOne),
      workersExchangesPerSecond: Math.round(rateN),
      rateRatio: round(rateN / rateOne),
      verdicts: [...oracleVerdicts],
    },
  };
}
