// A worker thread of `runCheck` (workers.ts explains the design): it makes its Alice, plays
// its share of the seed's runs, sends one record per run, then shrinks the failures it is
// asked to and closes its Alice when told.

import { parentPort, workerData } from 'node:worker_threads';
import { AdapterAlice } from './adapter/alice.js';
import { OracleChecks } from './adapter/checks.js';
import { scheduleArbitrary } from './arbitraries/schedule.js';
import { loadAlice } from './explore/alice-source.js';
import { PROPERTIES } from './invariants/index.js';
import { RunPlayer } from './runner.js';
import type { FromWorker, ToWorker, WorkerData } from './workers.js';
import type { WorkerClosed } from './worker-alice.js';
import { blackBox } from './world/alice.js';
import type { AliceFactory } from './world/types.js';

function message(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  const setup = workerData as WorkerData;
  const post = (m: FromWorker): void => port.postMessage(m);
  let alice: AliceFactory;
  let adapter: { alice: AdapterAlice; checks: OracleChecks } | null = null;
  try {
    if (setup.alice.kind === 'module') {
      const loaded = await loadAlice({
        module: setup.alice.module,
        export: setup.alice.export,
        ...(setup.alice.name !== undefined ? { name: setup.alice.name } : {}),
      });
      alice = setup.alice.blackBox ? blackBox(loaded) : loaded;
    } else {
      const a = setup.alice;
      const iut = AdapterAlice.start({
        command: a.command,
        cwd: a.cwd,
        blackBox: a.blackBox,
        timeoutMs: a.timeoutMs,
        ...(a.startupTimeoutMs !== undefined ? { startupTimeoutMs: a.startupTimeoutMs } : {}),
      });
      const checks = new OracleChecks();
      iut.observers.push(checks);
      adapter = { alice: iut, checks };
      alice = iut;
    }
  } catch (e) {
    post({ op: 'failed', id: null, message: message(e) });
    return;
  }
  const ctl = new Int32Array(setup.bound);
  const active = PROPERTIES.filter((p) => setup.properties.includes(p.id));
  // Loaded: wait for the regression stage (in the main thread) to say what it settled.
  const start = await new Promise<ToWorker>((resolve) => port.once('message', resolve));
  if (start.op !== 'start') return;
  const settled = new Set(start.settled);
  const player = new RunPlayer({
    alice,
    active,
    seed: setup.seed,
    arb: scheduleArbitrary({ ...setup.schedule, stepsMax: setup.stepsMax }),
    coverage: setup.coverage,
  });
  let position = -1;
  try {
    const interrupted = player.drawRuns(
      { numRuns: setup.numRuns, timeLimitMs: setup.timeLimitMs, shard: setup.shard },
      (schedule, run) => {
        position += 1;
        if (position % setup.workers !== setup.worker || run > Atomics.load(ctl, 0)) return;
        // An IUT numbers its findings by reset: run r's reset is its (r+1)-th, as in one thread.
        if (adapter !== null) adapter.alice.runs = run;
        post({ op: 'record', record: player.play(schedule, run, (p) => settled.has(p.id)) });
      },
    );
    post({ op: 'runs-done', interrupted });
  } catch (e) {
    post({ op: 'failed', id: null, message: message(e) });
    return;
  }

  port.on('message', (m: ToWorker) => {
    if (m.op === 'shrink') {
      try {
        const property = active.find((p) => p.id === m.property);
        if (property === undefined) throw new Error(`no property ${m.property}`);
        post({ op: 'shrunk', id: m.id, result: player.shrinkFailure(property, m.run, m.verdict, m.storm, m.budget) });
      } catch (e) {
        post({ op: 'failed', id: m.id, message: message(e) });
      }
      return;
    }
    let closed: WorkerClosed = { worker: setup.worker, adapter: null };
    if (adapter !== null) {
      const tail = adapter.alice.close();
      const failure = adapter.alice.failure;
      closed = {
        worker: setup.worker,
        adapter: {
          findings: adapter.checks.findings,
          exchanges: { ...adapter.alice.client.stats },
          failure: failure === null ? null : failure.failure,
          stderrTail: tail,
        },
      };
    }
    post({ op: 'closed', closed });
  });
}

void main();
