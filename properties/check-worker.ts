// A worker of `runCheck` (workers.ts explains the design), a child process or a worker
// thread: it makes its Alice, plays its share of the seed's runs, sends one record per run,
// then shrinks the failures it is asked to and closes its Alice when told. A child process
// gets its setup in its first message (sent once it says `ready`: it hears nothing before it
// listens), a thread in its workerData; both get the same messages after it (workers.ts
// ToWorker) and send the same back (FromWorker).

import { parentPort, workerData } from 'node:worker_threads';
import { AdapterAlice } from './adapter/alice.js';
import { OracleChecks } from './adapter/checks.js';
import { scheduleArbitrary } from './arbitraries/schedule.js';
import { loadAlice } from './explore/alice-source.js';
import { PROPERTIES } from './invariants/index.js';
import { RunPlayer } from './runner.js';
import { claimFor, type Chunk, type FromWorker, type ToWorker, type WorkerData } from './workers.js';
import type { WorkerClosed } from './worker-alice.js';
import { blackBox } from './world/alice.js';
import type { AliceFactory } from './world/types.js';

function message(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/** How this worker speaks to the check: its thread's port, or its process's IPC channel. */
interface Link {
  post(m: FromWorker): void;
  /** Every message after the setup, in order. */
  listen(handler: (m: ToWorker) => void): void;
}

/** The link and the setup: a thread's workerData, or a child process's first message. */
async function connect(): Promise<{ link: Link; setup: WorkerData } | null> {
  const port = parentPort;
  if (port !== null) {
    return {
      setup: workerData as WorkerData,
      link: { post: (m) => port.postMessage(m), listen: (handler) => port.on('message', handler) },
    };
  }
  const send = process.send?.bind(process);
  if (send === undefined) return null;
  // The check is gone (it closed the channel, or died): nothing is left to do.
  process.on('disconnect', () => process.exit(0));
  // One listener from the start, keeping what comes before the worker listens: a message
  // with no listener is lost, even one that came in the same read as the setup.
  const early: ToWorker[] = [];
  let handler: ((m: ToWorker) => void) | null = null;
  let gotSetup: ((data: WorkerData) => void) | null = null;
  const setup = new Promise<WorkerData>((resolve) => (gotSetup = resolve));
  process.on('message', (m: ToWorker | { op: 'setup'; data: WorkerData }) => {
    if (m.op === 'setup') gotSetup?.(m.data);
    else if (handler !== null) handler(m);
    else early.push(m);
  });
  // The check sends nothing before this.
  send({ op: 'ready' });
  return {
    setup: await setup,
    link: {
      post: (m) => void send(m),
      listen: (h) => {
        handler = h;
        for (let m = early.shift(); m !== undefined; m = early.shift()) h(m);
      },
    },
  };
}

async function main(): Promise<void> {
  const connected = await connect();
  if (connected === null) return;
  const { link, setup } = connected;
  // Messages that come before they are awaited (`bound` may come before `start` is handled).
  const inbox: ToWorker[] = [];
  let wake: (() => void) | null = null;
  /** The highest run index still to be played (lowered by the first failing run, wherever it was). */
  let bound = Number.MAX_SAFE_INTEGER;
  let onMessage: ((m: ToWorker) => void) | null = null;
  /** The answer to the `claim` in flight. */
  let chunkCame: ((c: Chunk) => void) | null = null;
  link.listen((m) => {
    if (m.op === 'bound') {
      bound = Math.min(bound, m.run);
      return;
    }
    if (m.op === 'chunk') {
      chunkCame?.({ from: m.from, to: m.to });
      chunkCame = null;
      return;
    }
    if (onMessage !== null) onMessage(m);
    else inbox.push(m);
    wake?.();
  });
  const next = async (): Promise<ToWorker> => {
    for (;;) {
      const m = inbox.shift();
      if (m !== undefined) return m;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
  };

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
    link.post({ op: 'failed', id: null, message: message(e) });
    return;
  }
  const active = PROPERTIES.filter((p) => setup.properties.includes(p.id));
  // Loaded: wait for the regression stage (in the check) to say what it settled.
  const start = await next();
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
  const held = { chunk: { from: 0, to: 0 }, done: false };
  const claim = (): Promise<Chunk> =>
    new Promise<Chunk>((resolve) => {
      chunkCame = resolve;
      link.post({ op: 'claim' });
    });
  try {
    const interrupted = await player.drawRunsYielding(
      { numRuns: setup.numRuns, timeLimitMs: setup.timeLimitMs, shard: setup.shard },
      async (schedule, run) => {
        position += 1;
        if (run > bound) return;
        if (!(await claimFor(position, held, claim, setup))) return;
        // An IUT numbers its findings by reset: run r's reset is its (r+1)-th, as in one thread.
        if (adapter !== null) adapter.alice.runs = run;
        link.post({ op: 'record', record: player.play(schedule, run, (p) => settled.has(p.id)) });
      },
    );
    link.post({ op: 'runs-done', interrupted });
  } catch (e) {
    link.post({ op: 'failed', id: null, message: message(e) });
    return;
  }

  const handle = (m: ToWorker): void => {
    if (m.op === 'shrink') {
      try {
        const property = active.find((p) => p.id === m.property);
        if (property === undefined) throw new Error(`no property ${m.property}`);
        link.post({
          op: 'shrunk',
          id: m.id,
          result: player.shrinkFailure(property, m.run, m.verdict, m.storm, m.budget),
        });
      } catch (e) {
        link.post({ op: 'failed', id: m.id, message: message(e) });
      }
      return;
    }
    if (m.op !== 'close') return;
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
    link.post({ op: 'closed', closed });
  };
  for (let m = inbox.shift(); m !== undefined; m = inbox.shift()) handle(m);
  onMessage = handle;
}

void main();
