// The adapter before and after a change, and where an exchange's time goes: two checkouts of
// the project driven over the same recorded exchanges, their passes interleaved, so that the
// machine's load hits both alike.
//
//   npx tsx bench/adapter-ab.ts BEFORE [AFTER] [--schedules N] [--passes N]
//
// BEFORE and AFTER are directories holding a checkout (AFTER: this one by default), each run
// from its sources (HMIP6_FROM_SOURCE=1: a stale dist/ must not stand in for them). For each
// side, per exchange (the exchanges are bench/oracle.ts's: the lockstep schedules' requests,
// `state` after every call):
//   stdio        the side's adapter client ↔ the side's `serve-reference`, what `hmip6 oracle`
//                pays per exchange (the bench's "exchanges/s to serve-reference over stdio");
//   echo         the side's client ↔ this checkout's bench/echo-iut.mjs (the same child for
//                both sides): the client, the pipes and the process hops alone;
//   IUT work     the side's AdapterSession.handleLine over the same request lines, in this
//                process: what serve-reference does with a line (JSON in, host, JSON out);
//   CPU          this process's CPU time (the client's threads) and the child processes'
//                (the IUT and its guard), per exchange, in the stdio passes;
//   frame        the side's frameAnswer over the reference's answers (the client's JSON.parse);
//   checks       the side's validate.ts over those answers as the oracle checks them (hex,
//                addresses, the state's shape): `hmip6 oracle` pays it besides, the stdio
//                figure leaves it out;
// and, once (the code is the same), the client's JSON.stringify of each request.
// stdio − echo − IUT work is the IUT's own I/O (reading, splitting, writing). Medians over
// the passes, minimums beside them (the least disturbed pass). Linux gives the CPU rows (/proc).

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { AdapterClient as Client } from '../properties/adapter/client.js';
import { frameAnswer } from '../properties/adapter/validate.js';
import { currentLoad } from './lib/machine.js';
import { median, now, round } from './lib/stats.js';
import { benchSchedules, LOCKSTEP_SEED } from './lockstep.js';
import { ECHO_COMMAND, recordExchanges, type Exchange } from './oracle.js';

const HERE = fileURLToPath(new URL('../', import.meta.url));

type Validate = typeof import('../properties/adapter/validate.js');

interface Side {
  label: string;
  root: string;
  Client: typeof Client;
  handleLines: (lines: readonly string[]) => void;
  validate: Validate;
}

async function loadSide(label: string, root: string): Promise<Side> {
  const at = (path: string): string => pathToFileURL(join(root, path)).href;
  for (const path of ['properties/adapter/client.ts', 'impl/host/adapter.ts', 'cli/bin.mjs'])
    if (!existsSync(join(root, path))) throw new Error(`${root} holds no ${path}: not a checkout of the project`);
  const { AdapterClient } = (await import(at('properties/adapter/client.ts'))) as { AdapterClient: typeof Client };
  const { AdapterSession } = (await import(at('impl/host/adapter.ts'))) as typeof import('../impl/host/adapter.js');
  const { seededRandom } = (await import(at('impl/host/random.ts'))) as typeof import('../impl/host/random.js');
  const validate = (await import(at('properties/adapter/validate.ts'))) as Validate;
  return {
    label,
    root,
    Client: AdapterClient,
    validate,
    handleLines: (lines) => {
      const session = new AdapterSession({ randomFactory: (seed) => seededRandom(seed ?? 0) });
      for (const line of lines) session.handleLine(line);
    },
  };
}

/** The processes below this one (the guards and the IUTs), by `ps`. */
function descendants(): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number));
  const below = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of rows)
      if (below.has(ppid) && !below.has(pid)) {
        below.add(pid);
        grew = true;
      }
  }
  below.delete(process.pid);
  return [...below];
}

const CLOCK_TICK_MS = 10;

/** CPU time (ms) of the processes still there, from Linux /proc; null without /proc. */
function cpuMsOf(pids: readonly number[]): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone (a helper process that ended): its time is not counted.
    }
  }
  return ticks * CLOCK_TICK_MS;
}

interface Channel {
  client: Client;
  children: number[];
}

function open(side: Side, command: string): Channel {
  const before = new Set(descendants());
  const client = new side.Client({ command, cwd: HERE, env: { ...process.env, HMIP6_FROM_SOURCE: '1' } });
  const hello = client.request('hello', { protocol: 1 });
  if (!hello.ok) throw new Error(`${command} refused hello`);
  return { client, children: descendants().filter((p) => !before.has(p)) };
}

interface Pass {
  us: number;
  oracleCpuUs: number;
  iutCpuUs: number | null;
}

function stdioPass(channel: Channel, exchanges: readonly Exchange[]): Pass {
  const cpu0 = process.cpuUsage();
  const child0 = cpuMsOf(channel.children);
  const t0 = now();
  for (const e of exchanges) channel.client.request(e.type, e.fields);
  const ms = now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const child1 = cpuMsOf(channel.children);
  const n = exchanges.length;
  return {
    us: (ms * 1000) / n,
    oracleCpuUs: (cpu.user + cpu.system) / n,
    iutCpuUs: child0 === null || child1 === null ? null : ((child1 - child0) * 1000) / n,
  };
}

function timeUs(n: number, f: () => void): number {
  const t0 = now();
  f();
  return ((now() - t0) * 1000) / n;
}

function summary(xs: readonly number[]): { median: number; min: number } {
  return { median: round(median(xs)), min: round(Math.min(...xs)) };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { schedules: { type: 'string', default: '60' }, passes: { type: 'string', default: '7' } },
  });
  if (positionals.length < 1 || positionals.length > 2) {
    process.stderr.write('usage: npx tsx bench/adapter-ab.ts BEFORE [AFTER] [--schedules N] [--passes N]\n');
    process.exitCode = 3;
    return;
  }
  const passes = Number(values.passes);
  const sides = [
    await loadSide('before', resolve(positionals[0])),
    await loadSide('after', resolve(positionals[1] ?? HERE)),
  ];
  const exchanges = recordExchanges(benchSchedules(LOCKSTEP_SEED, Number(values.schedules)));
  const n = exchanges.length;
  const lines = exchanges.map((e, i) => JSON.stringify({ id: i + 2, type: e.type, ...e.fields }));
  const load = [currentLoad()];
  process.stderr.write(`${n} exchanges (${values.schedules} schedules), ${passes} passes, load ${load[0]}\n`);

  // The client's JSON and the oracle's validation, on the answers the reference gives.
  const answers: string[] = [];
  {
    const { AdapterSession } = await import('../impl/host/adapter.js');
    const { seededRandom } = await import('../impl/host/random.js');
    const session = new AdapterSession({ randomFactory: (seed) => seededRandom(seed ?? 0) });
    for (const line of lines) answers.push(session.handleLine(line));
  }
  const framed = answers.map((a, i) => {
    const f = frameAnswer(a, i + 2, 'bench');
    return f.ok && f.answer.ok ? f.answer.fields : null;
  });
  /** The oracle's checks of every answer (properties/adapter/alice.ts), with a side's validate.ts. */
  const validate = (v: Validate): void => {
    for (let i = 0; i < n; i++) {
      const fields = framed[i];
      if (fields === null) continue;
      const type = exchanges[i].type;
      if (type === 'state') v.parseState(fields);
      else if (type === 'receive') {
        v.parseSent(fields);
        v.parseDelivered(fields);
      } else if (type === 'send') {
        v.parseSent(fields);
        v.parseUnreachable(fields);
      } else if (type !== 'reset') v.parseSent(fields);
    }
  };
  const encodeUs: number[] = [];

  const channels = sides.map((side) => ({
    side,
    serve: open(side, `node ${join(side.root, 'cli/bin.mjs')} serve-reference`),
    echo: open(side, ECHO_COMMAND),
    stdio: [] as Pass[],
    echoed: [] as Pass[],
    work: [] as number[],
    frame: [] as number[],
    checks: [] as number[],
  }));
  try {
    // Warm-up: one pass of everything.
    for (const c of channels) {
      stdioPass(c.serve, exchanges);
      stdioPass(c.echo, exchanges);
      c.side.handleLines(lines);
    }
    for (let p = 0; p < passes; p++) {
      // Alternate the order, so neither side always runs first.
      for (const c of p % 2 === 0 ? channels : [...channels].reverse()) {
        c.stdio.push(stdioPass(c.serve, exchanges));
        c.echoed.push(stdioPass(c.echo, exchanges));
        c.work.push(timeUs(n, () => c.side.handleLines(lines)));
        c.frame.push(
          timeUs(n, () => {
            for (let i = 0; i < n; i++) c.side.validate.frameAnswer(answers[i], i + 2, 'bench');
          }),
        );
        c.checks.push(timeUs(n, () => validate(c.side.validate)));
      }
      encodeUs.push(
        timeUs(n, () => {
          for (let i = 0; i < n; i++) JSON.stringify({ id: i + 2, type: exchanges[i].type, ...exchanges[i].fields });
        }),
      );
      process.stderr.write(
        `  pass ${p + 1}/${passes}: ${channels.map((c) => `${c.side.label} stdio ${c.stdio[p].us.toFixed(0)} µs, echo ${c.echoed[p].us.toFixed(0)} µs`).join('; ')}\n`,
      );
    }
  } finally {
    for (const c of channels) {
      c.serve.client.close();
      c.echo.client.close();
    }
  }
  load.push(currentLoad());

  const rows: [string, ...string[]][] = [];
  const sidesOf = (f: (c: (typeof channels)[number]) => number[]): { median: number; min: number }[] =>
    channels.map((c) => summary(f(c)));
  const row = (label: string, figures: { median: number; min: number }[]): void => {
    const [b, a] = figures;
    rows.push([
      label,
      `${b.median} (${b.min})`,
      `${a.median} (${a.min})`,
      `${round(a.median / b.median)}× (${round(a.min / b.min)}×)`,
    ]);
  };
  row(
    'stdio exchange, µs',
    sidesOf((c) => c.stdio.map((p) => p.us)),
  );
  rows.push([
    'stdio exchanges/s',
    ...channels.map((c) => `${Math.round(1e6 / median(c.stdio.map((p) => p.us)))}`),
    `${round(median(channels[0].stdio.map((p) => p.us)) / median(channels[1].stdio.map((p) => p.us)))}× the rate`,
  ]);
  // Each pass runs both sides one after the other: the ratio within a pass is the least
  // exposed to the load changing between passes.
  const paired = channels[1].stdio.map((p, i) => p.us / channels[0].stdio[i].us);
  rows.push([
    'stdio, after / before within each pass',
    '',
    '',
    `median ${round(median(paired))}× (${round(Math.min(...paired))}× to ${round(Math.max(...paired))}×)`,
  ]);
  row(
    'echo floor (client, pipes, hops), µs',
    sidesOf((c) => c.echoed.map((p) => p.us)),
  );
  row(
    'IUT work (handleLine in-process), µs',
    sidesOf((c) => c.work),
  );
  row(
    "IUT's own I/O (stdio − echo − work), µs",
    channels.map((c) => {
      const stdio = c.stdio.map((p) => p.us);
      const echo = c.echoed.map((p) => p.us);
      return {
        median: round(median(stdio) - median(echo) - median(c.work)),
        min: round(Math.min(...stdio) - Math.min(...echo) - Math.min(...c.work)),
      };
    }),
  );
  row(
    'CPU of the oracle process (client threads), µs',
    sidesOf((c) => c.stdio.map((p) => p.oracleCpuUs)),
  );
  if (channels.every((c) => c.stdio.every((p) => p.iutCpuUs !== null)))
    row(
      'CPU of the IUT and its guard, µs',
      sidesOf((c) => c.stdio.map((p) => p.iutCpuUs ?? Number.NaN)),
    );
  const common = (label: string, xs: number[]): void => {
    const s = summary(xs);
    rows.push([label, `${s.median} (${s.min})`, 'same code', '']);
  };
  row(
    'client: frameAnswer (JSON.parse of the answer), µs',
    sidesOf((c) => c.frame),
  );
  row(
    "oracle: the answer's checks (not in stdio), µs",
    sidesOf((c) => c.checks),
  );
  common('client: JSON.stringify of the request, µs', encodeUs);

  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length), 12));
  const header: [string, ...string[]] = ['per exchange: median (minimum)', 'before', 'after', 'after / before'];
  for (const r of [header, ...rows])
    process.stdout.write(`${r.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ')}\n`);
  process.stdout.write(
    `\n${n} exchanges × ${passes} passes; before: ${sides[0].root}, after: ${sides[1].root}; load average ${load[0]} at the start, ${load[1]} at the end\n`,
  );
}

await main();
