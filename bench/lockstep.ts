// Lockstep throughput: how many of Alice's calls per second the property suite gets through
// (the world, the reference host as Alice, the model in lockstep and every invariant), beside
// the bare reference host replaying the very same calls with nothing around it. Their ratio is
// the harness's overhead.
//
// A *step* is one call the world makes to Alice (`addSA`, `receive`, `tick`, `send`,
// `addLocalAddress`, `removeLocalAddress`): one `alice` event of the trace. Both sides count
// the same steps. The bare side replays each recorded call (its bytes, request and virtual
// time) into a fresh reference host created exactly as the world creates Alice (same
// addresses, parameters and random source), so it does the same host work: the replay is
// checked once to send byte for byte what Alice sent in the world.
//
// Run alone: npx tsx bench/lockstep.ts [--quick]

import fc from 'fast-check';
import type { Host, HostParams, SaConfig, SendRequest } from '../impl/host/types.js';
import { fromHex, toHex } from '../impl/wire/index.js';
import type { Address } from '../impl/wire/types.js';
import { DEFAULT_STEPS_MAX, scheduleArbitrary } from '../properties/arbitraries/schedule.js';
import { PROPERTIES } from '../properties/invariants/index.js';
import { referenceAlice } from '../properties/world/alice.js';
import type { AliceEvent, AliceFactory, MalformedEvent, Schedule, Trace } from '../properties/world/types.js';
import { runSchedule } from '../properties/world/world.js';
import { median, now, round } from './lib/stats.js';

/** The seed of the schedules (fixed: every run of the benchmark plays the same ones). */
export const LOCKSTEP_SEED = 8_2026;

/** Untimed passes with Alice's calls timed, for `breakdownMs` (medians). */
const BREAKDOWN_PASSES = 3;

export interface LockstepOptions {
  seed: number;
  /** Schedules per pass. */
  schedules: number;
  /** Timed passes of each side (after one warm-up pass of each); medians are reported. */
  repetitions: number;
  stepsMax?: number;
}

export const LOCKSTEP_FULL: Readonly<LockstepOptions> = { seed: LOCKSTEP_SEED, schedules: 200, repetitions: 7 };
export const LOCKSTEP_QUICK: Readonly<LockstepOptions> = { seed: LOCKSTEP_SEED, schedules: 60, repetitions: 3 };

export interface LockstepFigures {
  seed: number;
  schedules: number;
  repetitions: number;
  /** Actions over all schedules of one pass. */
  actions: number;
  /** Steps (Alice calls) over all schedules of one pass, the same for both sides. */
  steps: number;
  /** Harness: runSchedule + lockstep (REFINES-MODEL) + every invariant, median over passes. */
  stepsPerSecond: number;
  /** The bare reference host replaying the recorded calls, median over passes. */
  bareStepsPerSecond: number;
  /**
   * The world alone (runSchedule, no property judged): what checking costs on top of playing
   * the schedules is harness ÷ world, `checkOverhead`.
   */
  worldStepsPerSecond: number;
  checkOverhead: number;
  /** stepsPerSecond / bareStepsPerSecond inverted: how many times slower the harness is. */
  overhead: number;
  /** Median milliseconds of one pass, per side. */
  passMs: { harness: number; bare: number; world: number };
  /** Every pass's milliseconds, for the spread. */
  passesMs: { harness: number[]; bare: number[]; world: number[] };
  /**
   * The same ratio from process CPU time (user + system, median per pass): less sensitive to
   * other work on the machine than wall time, though it also counts V8's helper threads.
   */
  cpuOverhead: number;
  /**
   * Where one harness pass goes, from separate untimed passes (medians): `world` (Alice included),
   * inside it Alice's own calls and her `snapshot()`s, and each property (REFINES-MODEL is the
   * lockstep with the model).
   */
  breakdownMs: Record<string, number>;
  /** The bare replay sent byte for byte what Alice sent in the world, on every call. */
  replayFaithful: boolean;
}

/** One recorded call to Alice, ready to replay (bytes already decoded from the trace's hex). */
type RecordedCall =
  | { op: 'tick'; at: number }
  | { op: 'receive'; at: number; bytes: Uint8Array }
  | { op: 'addSA'; at: number; sa: SaConfig }
  | { op: 'send'; at: number; request: SendRequest }
  | { op: 'addLocalAddress' | 'removeLocalAddress'; at: number; address: Address };

export interface RecordedRun {
  localAddresses: Address[];
  params: HostParams;
  seed: number;
  calls: RecordedCall[];
  /** What Alice sent on each call, hex (to check the replay's faithfulness). */
  sent: string[][];
}

function aliceEvents(trace: Trace): AliceEvent[] {
  const out: AliceEvent[] = [];
  for (const step of trace.steps) for (const e of step.events) if (e.kind === 'alice') out.push(e);
  return out;
}

/**
 * A probe's field as the world handed it to Alice (world.ts `aliceInvalid`, HOST.md rule 24):
 * a hex string as bytes, every other value as it is.
 */
function bytesIfHex(v: unknown): unknown {
  return typeof v === 'string' ? (fromHex(v) ?? v) : v;
}

function bytesOf(hex: unknown): Uint8Array {
  const b = typeof hex === 'string' ? fromHex(hex) : null;
  if (b === null) throw new Error(`bench: not hex: ${String(hex)}`);
  return b;
}

/** A call the world made well formed, as the host got it (its hex fields as bytes). */
function wellFormedCall(trace: Trace, e: Exclude<AliceEvent, MalformedEvent>): RecordedCall {
  const at = e.at;
  switch (e.op) {
    case 'tick':
      return { op: 'tick', at };
    case 'receive':
      return { op: 'receive', at, bytes: bytesOf(trace.packets[e.input]?.hex) };
    case 'addSA': {
      const r = e.request;
      return {
        op: 'addSA',
        at,
        sa: {
          peer: r.peer,
          inboundSpi: r.inboundSpi,
          outboundSpi: r.outboundSpi,
          alg: r.alg,
          key: bytesOf(r.key),
          kind: r.kind,
        },
      };
    }
    case 'send': {
      const r = e.request;
      return {
        op: 'send',
        at,
        request: {
          to: r.to,
          proto: r.proto,
          payload: bytesOf(r.payload),
          ...(r.sport !== undefined ? { sport: r.sport } : {}),
          ...(r.dport !== undefined ? { dport: r.dport } : {}),
        },
      };
    }
    case 'addLocalAddress':
    case 'removeLocalAddress':
      return { op: e.op, at, address: e.request.address };
  }
}

/**
 * A probe (HOST.md rule 24) as this replay plays it: it reaches the host with its fields as the
 * world gave them (world/alice-calls.ts `aliceInvalid`, `aliceOdd`), hex as bytes and every
 * other value as it is, at the instant it named (a stale or fractional `now`).
 */
function probeCall(e: MalformedEvent): RecordedCall {
  const r = e.request;
  const at = typeof r.now === 'number' ? r.now : e.at;
  switch (e.op) {
    case 'addSA':
      // An `sa` that is no object is recorded as `{ sa }`; a malformed one as its fields.
      return { op: 'addSA', at: e.at, sa: ('sa' in r ? r.sa : { ...r, key: bytesIfHex(r.key) }) as SaConfig };
    case 'send':
      return { op: 'send', at: e.at, request: { ...r, payload: bytesIfHex(r.payload) } as unknown as SendRequest };
    case 'tick':
      return { op: 'tick', at };
    case 'receive':
      return { op: 'receive', at, bytes: bytesIfHex(r.packet) as Uint8Array };
    case 'addLocalAddress':
    case 'removeLocalAddress':
      return { op: e.op, at: e.at, address: r.address as Address };
  }
}

/** The calls the world made to Alice in `trace`, with everything a replay needs. */
export function recordCalls(trace: Trace): RecordedRun {
  const localAddresses = Object.entries(trace.owners)
    .filter(([, node]) => node === 'alice')
    .map(([address]) => address);
  const calls: RecordedCall[] = [];
  const sent: string[][] = [];
  for (const e of aliceEvents(trace)) {
    calls.push(e.invalid === true ? probeCall(e) : wellFormedCall(trace, e));
    sent.push(e.sent.map((id) => trace.packets[id].hex));
  }
  return { localAddresses, params: trace.config.params, seed: trace.config.seed, calls, sent };
}

/** Replays `run` into a fresh reference host, created as the world creates Alice. Returns what each call sent. */
export function replayBare(run: RecordedRun, collect = false): Uint8Array[][] {
  const host: Host = referenceAlice.create([...run.localAddresses], { ...run.params }, run.seed);
  const out: Uint8Array[][] = [];
  for (const c of run.calls) {
    let answer: { ok: boolean; sent?: Uint8Array[] };
    switch (c.op) {
      case 'tick':
        answer = host.tick(c.at);
        break;
      case 'receive':
        answer = host.receive(c.bytes, c.at);
        break;
      case 'addSA':
        answer = host.addSA(c.sa, c.at);
        break;
      case 'send':
        answer = host.send(c.request, c.at);
        break;
      case 'addLocalAddress':
        answer = host.addLocalAddress(c.address, c.at);
        break;
      case 'removeLocalAddress':
        answer = host.removeLocalAddress(c.address, c.at);
        break;
    }
    if (collect) out.push(answer.ok && answer.sent !== undefined ? answer.sent : []);
  }
  return out;
}

/** The schedules every pass plays: drawn once from the suite's own arbitrary with a fixed seed. */
export function benchSchedules(seed: number, count: number, stepsMax = DEFAULT_STEPS_MAX): Schedule[] {
  return fc.sample(scheduleArbitrary({ stepsMax }), { seed, numRuns: count });
}

/**
 * The reference host as Alice, with the time spent inside her calls and her snapshots added
 * up (for the breakdown pass only: the timed passes use `referenceAlice` itself).
 */
function timedAlice(totals: Map<string, number>): AliceFactory {
  const add = (key: string, ms: number): void => {
    totals.set(key, (totals.get(key) ?? 0) + ms);
  };
  const timed = <T>(key: string, f: () => T): T => {
    const t0 = now();
    try {
      return f();
    } finally {
      add(key, now() - t0);
    }
  };
  return {
    ...referenceAlice,
    create(localAddresses, params, seed) {
      const host = timed('alice: host calls', () => referenceAlice.create(localAddresses, params, seed));
      return {
        addSA: (sa, at) => timed('alice: host calls', () => host.addSA(sa, at)),
        receive: (bytes, at) => timed('alice: host calls', () => host.receive(bytes, at)),
        tick: (at) => timed('alice: host calls', () => host.tick(at)),
        send: (request, at) => timed('alice: host calls', () => host.send(request, at)),
        addLocalAddress: (address, at) => timed('alice: host calls', () => host.addLocalAddress(address, at)),
        removeLocalAddress: (address, at) => timed('alice: host calls', () => host.removeLocalAddress(address, at)),
        snapshot: () => timed('alice: snapshot()', () => host.snapshot()),
      };
    },
  };
}

/** One harness pass: the world, then every property (REFINES-MODEL is the lockstep). */
function harnessPass(schedules: readonly Schedule[], breakdown: Map<string, number> | null): number {
  const alice = breakdown === null ? referenceAlice : timedAlice(breakdown);
  const t0 = now();
  for (const schedule of schedules) {
    const t1 = now();
    const run = runSchedule(schedule, alice);
    if (breakdown !== null) breakdown.set('world', (breakdown.get('world') ?? 0) + (now() - t1));
    for (const p of PROPERTIES) {
      const t2 = breakdown === null ? 0 : now();
      const verdict = p.check(run.trace);
      if (breakdown !== null) breakdown.set(p.id, (breakdown.get(p.id) ?? 0) + (now() - t2));
      // The reference host passes every property: a failure here means the bench measures a broken build.
      if (!verdict.ok) throw new Error(`bench: the reference host fails ${verdict.id}: ${verdict.reason}`);
    }
  }
  return now() - t0;
}

function worldPass(schedules: readonly Schedule[]): number {
  const t0 = now();
  for (const schedule of schedules) runSchedule(schedule, referenceAlice);
  return now() - t0;
}

function barePass(runs: readonly RecordedRun[]): number {
  const t0 = now();
  for (const r of runs) replayBare(r);
  return now() - t0;
}

export function measureLockstep(options: LockstepOptions, log: (line: string) => void = () => {}): LockstepFigures {
  const schedules = benchSchedules(options.seed, options.schedules, options.stepsMax);
  const traces = schedules.map((s) => runSchedule(s, referenceAlice).trace);
  const recorded = traces.map(recordCalls);
  const steps = recorded.reduce((n, r) => n + r.calls.length, 0);
  const actions = schedules.reduce((n, s) => n + s.actions.length, 0);

  // Faithfulness: the bare replay must do the same host work as Alice did in the world.
  let replayFaithful = true;
  for (const r of recorded) {
    const sent = replayBare(r, true);
    for (let i = 0; i < r.calls.length && replayFaithful; i++) {
      if (sent[i].map(toHex).join() !== r.sent[i].join()) replayFaithful = false;
    }
  }

  // Warm-up, then alternate the two sides so that machine load drifts hit both alike.
  harnessPass(schedules, null);
  barePass(recorded);
  worldPass(schedules);
  const harness: number[] = [];
  const bare: number[] = [];
  const world: number[] = [];
  const harnessCpu: number[] = [];
  const bareCpu: number[] = [];
  const cpuMs = (since: NodeJS.CpuUsage): number => {
    const c = process.cpuUsage(since);
    return (c.user + c.system) / 1000;
  };
  const breakdowns: Map<string, number>[] = [];
  for (let i = 0; i < BREAKDOWN_PASSES; i++) {
    const b = new Map<string, number>();
    harnessPass(schedules, b);
    breakdowns.push(b);
  }
  for (let i = 0; i < options.repetitions; i++) {
    let c = process.cpuUsage();
    harness.push(harnessPass(schedules, null));
    harnessCpu.push(cpuMs(c));
    c = process.cpuUsage();
    bare.push(barePass(recorded));
    bareCpu.push(cpuMs(c));
    world.push(worldPass(schedules));
    log(
      `  lockstep pass ${i + 1}/${options.repetitions}: harness ${harness[i].toFixed(0)} ms, bare ${bare[i].toFixed(0)} ms, world alone ${world[i].toFixed(0)} ms`,
    );
  }
  const harnessMs = median(harness);
  const bareMs = median(bare);
  const worldMs = median(world);
  const breakdownMs: Record<string, number> = {};
  for (const key of breakdowns[0].keys()) breakdownMs[key] = round(median(breakdowns.map((b) => b.get(key) ?? 0)));
  const stepsPerSecond = (steps * 1000) / harnessMs;
  const bareStepsPerSecond = (steps * 1000) / bareMs;
  return {
    seed: options.seed,
    schedules: schedules.length,
    repetitions: options.repetitions,
    actions,
    steps,
    stepsPerSecond: round(stepsPerSecond),
    bareStepsPerSecond: round(bareStepsPerSecond),
    overhead: round(bareStepsPerSecond / stepsPerSecond),
    worldStepsPerSecond: round((steps * 1000) / worldMs),
    checkOverhead: round(harnessMs / worldMs),
    passMs: { harness: round(harnessMs), bare: round(bareMs), world: round(worldMs) },
    passesMs: {
      harness: harness.map((x) => round(x)),
      bare: bare.map((x) => round(x)),
      world: world.map((x) => round(x)),
    },
    cpuOverhead: round(median(harnessCpu) / median(bareCpu)),
    breakdownMs,
    replayFaithful,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const figures = measureLockstep(quick ? LOCKSTEP_QUICK : LOCKSTEP_FULL, (l) => console.error(l));
  console.log(JSON.stringify(figures, null, 2));
}
