// The benchmark's results as Markdown, for the README section and docs/benchmarks.md.
//
// Run: npx tsx bench/markdown.ts [bench/results.json]

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Json = Record<string, unknown>;

function num(x: unknown): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '–';
  return x >= 100 ? Math.round(x).toLocaleString('en') : String(x);
}

function section(r: Json, key: string): Json {
  return (r[key] as Json | undefined) ?? {};
}

/** The summary table and the machine line. */
export function resultsMarkdown(r: Json): string {
  const l = section(r, 'lockstep');
  const o = section(r, 'oracle');
  const e = section(r, 'etna');
  const x = section(r, 'explore');
  const w = section(r, 'workers');
  const wc = section(w, 'check');
  const wo = section(w, 'oracle');
  const m = section(r, 'machine');
  const load = (m.loadAverage as number[] | undefined) ?? [];
  const nm = (s: Json): string | null => (typeof s.notMeasured === 'string' ? `not measured: ${s.notMeasured}` : null);
  const rows: string[][] = [
    [
      'Lockstep, harness (world + model + invariants)',
      nm(l) ?? `${num(l.stepsPerSecond)} steps/s`,
      `${num(l.schedules)} schedules, ${num(l.steps)} steps (Alice calls)`,
    ],
    ['Lockstep, bare reference host (same calls)', nm(l) ?? `${num(l.bareStepsPerSecond)} steps/s`, ''],
    ['Harness overhead', nm(l) ?? `${num(l.overhead)}×`, `target ≤ 2×; from CPU time ${num(l.cpuOverhead)}×`],
    [
      'Lockstep, the world alone (no property judged)',
      nm(l) ?? `${num(l.worldStepsPerSecond)} steps/s`,
      `world + model + invariants = ${num(l.checkOverhead)}× the world alone`,
    ],
    [
      'Oracle, `hmip6 serve-reference` child process',
      nm(o) ?? `${num(o.stdioExchangesPerSecond)} exchanges/s`,
      `${num((o.usPerExchange as Json | undefined)?.stdio)} µs per exchange`,
    ],
    [
      'Oracle, echo floor (the client and the pipes alone)',
      nm(o) ??
        (typeof o.echoExchangesPerSecond === 'number'
          ? `${num(o.echoExchangesPerSecond)} exchanges/s`
          : 'not measured'),
      `${num(o.echoUsPerExchange)} µs per exchange`,
    ],
    [
      'Oracle, same exchanges in-process',
      nm(o) ?? `${num(o.inProcessExchangesPerSecond)} exchanges/s`,
      `${num((o.usPerExchange as Json | undefined)?.inProcess)} µs per exchange`,
    ],
    [
      `\`check\`, ${num(w.workers)} workers ÷ 1, wall time`,
      nm(w) ?? `${num(wc.wallRatio)}×`,
      `${num(wc.runs)} runs: ${num(wc.workersS)} s against ${num(wc.oneWorkerS)} s; target ≤ 0.6×${typeof w.notJudged === 'string' ? ` (not judged: ${w.notJudged})` : ''}`,
    ],
    [
      `Oracle, ${num(w.workers)} IUT processes ÷ 1, exchanges/s`,
      nm(w) ?? `${num(wo.rateRatio)}×`,
      `${num(wo.runs)} runs: ${num(wo.workersExchangesPerSecond)}/s against ${num(wo.oneExchangesPerSecond)}/s; target ≥ 1.7×`,
    ],
    [
      'ETNA tasks solved in every trial',
      nm(e) ?? `${num(e.solvedInAllTrials)} / ${num(e.tasks)}`,
      `${num(e.mutants)} mutants, ${num(e.trials)} trial${e.trials === 1 ? '' : 's'} of ${num(e.runs)} runs; target: all`,
    ],
    [
      'ETNA shrunk / minimal length',
      nm(e) ??
        (e.shrunkOverMinimalMedian === null
          ? 'not measured'
          : `median ${num(e.shrunkOverMinimalMedian)}×, max ${num(e.shrunkOverMinimalMax)}×`),
      e.shrunkOverMinimalMedian === null
        ? String(e.minimal ?? '')
        : `${num(e.tasksWithinTarget)} / ${num(e.tasksWithMinimal)} tasks ≤ 1.5× (per trial: ${num(e.catchesWithinTarget)} / ${num(e.catchesWithMinimal)} catches); target: every task`,
    ],
    [
      'Explorer, distinct states',
      nm(x) ?? `${num(x.statesPerSecond)} states/s`,
      `scope ${String(x.scope ?? '')}, ${num(x.workers)} workers`,
    ],
    [
      `Explorer, depth completed in ${num(x.timeLimitSeconds)} s`,
      nm(x) ?? num(x.depthReached),
      `${num(x.states)} states`,
    ],
  ];
  const table = ['| figure | value | note |', '|---|---|---|', ...rows.map((row) => `| ${row.join(' | ')} |`)].join(
    '\n',
  );
  const cpu = r.cpu as { busyPercent?: number; stealPercent?: number } | null | undefined;
  const shares =
    cpu === null || cpu === undefined
      ? ''
      : `; CPU ${num(cpu.busyPercent ?? null)} % busy and ${num(cpu.stealPercent ?? null)} % stolen by the hypervisor over the run`;
  const machine = `${String(m.cpu ?? '?')}, ${num(m.cores)} cores, ${num(m.memoryGiB)} GiB, Node ${String(m.node ?? '?')}, ${String(m.os ?? '')} ${String(m.kernel ?? '')}, ${String(m.date ?? '').slice(0, 10)}; load average ${num(load[0])} at the start, ${num(r.loadAverageEnd)} at the end${shares}`;
  return `${table}\n\nMachine: ${machine}.`;
}

/** The ETNA task table. */
export function etnaMarkdown(r: Json): string {
  const e = section(r, 'etna');
  const list = (e.taskList as Json[] | undefined) ?? [];
  const lines = [
    '| mutant | property | solved | runs | ms to failure | shrunk | minimal | shrunk / minimal |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const t of list) {
    lines.push(
      `| ${String(t.mutant)} | ${String(t.property)}${t.expected === true ? ' *' : ''} | ${num(t.solved)}/${num(t.trials)}${typeof t.voidTrials === 'number' && t.voidTrials > 0 ? ` (${t.voidTrials} void)` : ''} | ${num(t.runsToFailureMedian)} | ${num(t.msToFailureMedian)} | ${num(t.shrunkLengthMedian)} | ${num(t.minimalLength)} | ${num(t.shrunkOverMinimal)} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2] ?? fileURLToPath(new URL('./results.json', import.meta.url));
  const results = JSON.parse(readFileSync(file, 'utf8')) as Json;
  process.stdout.write(`${resultsMarkdown(results)}\n\n${etnaMarkdown(results)}\n`);
}
