// The conformance oracle's throughput: adapter-protocol exchanges per second over a child
// process, beside the same schedule in-process.
//
//   npx tsx bench/oracle-throughput.ts [runs] [seed]
//
// 1. One schedule of requests: the oracle's requests for `runs` runs of the suite (seed
//    `seed`), recorded from an in-process AdapterSession around the reference host.
// 2. That schedule replayed three ways, each exchange one request line and one answer line:
//      in-process   AdapterSession.handleLine (JSON both ways, no I/O)
//      subprocess   hmip6 serve-reference through the adapter client (worker thread,
//                   Atomics.wait, pipes, the guard), i.e. what `hmip6 oracle` pays per exchange
//      python       the Python example host through the same client
// 3. The whole check, world and properties included: runs per second with the reference host
//    in-process (hmip6 check) and over the subprocess (hmip6 oracle).

import { fileURLToPath } from 'node:url';
import { AdapterClient } from '../properties/adapter/client.js';
import { runOracle } from '../properties/adapter/oracle.js';
import { runCheck } from '../properties/runner.js';
import { inProcessPass, recordingAlice, SERVE_REFERENCE_COMMAND, type Exchange } from './oracle.js';
import { now } from './lib/stats.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const runs = Number(process.argv[2] ?? 30);
const seed = Number(process.argv[3] ?? 1);
const PYTHON_HOST_COMMAND = 'python3 examples/python-host/host.py';

function perSecond(n: number, ms: number): string {
  return `${Math.round((n * 1000) / ms).toLocaleString('en-US')}/s`;
}

async function main(): Promise<void> {
  const schedule: Exchange[] = [];
  await runCheck({ seed, numRuns: runs, alice: recordingAlice(schedule), properties: ['INV-ACTIVE-VERIFIED'] });
  process.stdout.write(`schedule: ${schedule.length} requests from ${runs} runs (seed ${seed})\n\n`);

  // In-process: the adapter session alone, JSON both ways.
  const inProcessMs = inProcessPass(schedule);
  process.stdout.write(
    `in-process AdapterSession   ${schedule.length} exchanges in ${inProcessMs.toFixed(0)} ms: ${perSecond(schedule.length, inProcessMs)}\n`,
  );

  for (const [label, command] of [
    ['subprocess serve-reference', SERVE_REFERENCE_COMMAND],
    ['subprocess python host    ', PYTHON_HOST_COMMAND],
  ] as const) {
    const client = new AdapterClient({ command, cwd: ROOT });
    client.request('hello', { protocol: 1 });
    const t0 = now();
    for (const r of schedule) client.request(r.type, r.fields);
    const ms = now() - t0;
    client.close();
    process.stdout.write(
      `${label}  ${schedule.length} exchanges in ${ms.toFixed(0)} ms: ${perSecond(schedule.length, ms)} (${((ms * 1000) / schedule.length).toFixed(0)} µs each)\n`,
    );
  }

  process.stdout.write('\nthe whole check (world, properties, model), same seed and runs:\n');
  let t0 = now();
  const inProcess = await runCheck({ seed, numRuns: runs });
  const checkMs = now() - t0;
  process.stdout.write(
    `  hmip6 check (in-process)            ${inProcess.verdict}, ${runs} runs in ${checkMs.toFixed(0)} ms: ${(runs / (checkMs / 1000)).toFixed(1)} runs/s\n`,
  );
  for (const [label, command] of [
    ['hmip6 oracle (serve-reference)', SERVE_REFERENCE_COMMAND],
    ['hmip6 oracle (python host)    ', PYTHON_HOST_COMMAND],
  ] as const) {
    t0 = now();
    const report = await runOracle({ command, cwd: ROOT, seed, numRuns: runs });
    const ms = now() - t0;
    process.stdout.write(
      `  ${label}  ${report.verdict}, ${runs} runs in ${ms.toFixed(0)} ms: ${(runs / (ms / 1000)).toFixed(1)} runs/s; ${report.exchanges.requests} exchanges, ${perSecond(report.exchanges.requests, ms)} overall, ${perSecond(report.exchanges.requests, report.exchanges.waitMs)} while waiting\n`,
    );
  }
}

await main();
