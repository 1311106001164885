// The counterexample file (DESIGN.md "Counterexamples"): JSON, `format:
// "hmip6-counterexample/1"`. It holds what reproduces the run (seed, fast-check path and
// replayPath, the world's configuration and parameters, the actions) and what the run did
// (every step's action and events, the packets in and out of Alice as hex with a decoded
// summary, Alice's state and the model's state after each step). Replaying it gives the same
// trace, byte for byte: `replayCounterexample` checks exactly that.
//
// A file is checked against its schema (counterexample-schema.ts) on the way in and on the way
// out: reading refuses anything else with one line naming the field, and writing refuses to
// produce a file that reading would refuse.

import { readFileSync, statSync } from 'node:fs';
import type { HostParams, HostState } from '../impl/host/types.js';
import {
  assertCounterexample,
  COUNTEREXAMPLE_BYTES_MAX,
  COUNTEREXAMPLE_FORMAT,
  SchemaError,
  validateCounterexample,
} from './counterexample-schema.js';
import type { PropertyId } from './invariants/types.js';
import { aliceCalls } from './invariants/trace-view.js';
import { referenceAlice } from './world/alice.js';
import type {
  Action,
  AliceFactory,
  Feature,
  PacketRecord,
  ReceiveTruth,
  SaRecord,
  Trace,
  TraceEvent,
  WorldConfig,
} from './world/types.js';
import { runSchedule } from './world/world.js';

export { COUNTEREXAMPLE_FORMAT };

export interface PacketView {
  id: number;
  at: number;
  hex: string;
  summary: string;
  /** Who put it on the network (for packets into Alice). */
  from?: string;
  tag?: string;
  /** The world's verdict on a packet into Alice. */
  truth?: ReceiveTruth;
}

export interface CounterexampleStep {
  index: number;
  action: Action | null;
  /** The action as a replayable call. */
  label: string;
  startMs: number;
  endMs: number;
  /** Packets handed to Alice during the step. */
  packetsIn: PacketView[];
  /** Packets Alice sent during the step. */
  packetsOut: PacketView[];
  events: TraceEvent[];
  aliceState: HostState | null;
  /** The model's state after the step, when the lockstep ran (REFINES-MODEL), else null. */
  modelState: HostState | null;
}

export interface CounterexampleFile {
  format: typeof COUNTEREXAMPLE_FORMAT;
  /** The property that failed; null when Alice crashed instead. */
  property: PropertyId | null;
  reason: string;
  /** Index in `steps` of the step where the property failed (step 0 is the setup). */
  failingStep: number;
  seed: number;
  /** fast-check path of the first failing run (`fc.assert(..., {seed, path})` replays it). */
  path: string;
  /** fast-check path of the shrunk counterexample (replays it without shrinking again). */
  replayPath: string;
  alice: { name: string; features: Feature[] };
  params: HostParams;
  config: WorldConfig;
  /** The actions replayed (after fast-check's shrinking and a final pass removing single actions). */
  actions: Action[];
  sas: SaRecord[];
  owners: Record<string, string>;
  /** Every packet of the run, by id: hex and summary. */
  packets: Omit<PacketRecord, 'info'>[];
  steps: CounterexampleStep[];
}

export interface CounterexampleMeta {
  property: PropertyId | null;
  reason: string;
  failingStep: number;
  seed: number;
  path: string;
  replayPath: string;
  /** Model state after each step, when the lockstep comparison ran. */
  modelStates?: unknown[];
}

export function buildCounterexample(trace: Trace, actions: Action[], meta: CounterexampleMeta): CounterexampleFile {
  const calls = aliceCalls(trace);
  const steps: CounterexampleStep[] = trace.steps.map((step) => {
    const mine = calls.filter((c) => c.step === step.index);
    const packetsIn: PacketView[] = [];
    const packetsOut: PacketView[] = [];
    for (const c of mine) {
      const e = c.event;
      if (e.op === 'receive' && e.input !== undefined) {
        const p = trace.packets[e.input];
        const view: PacketView = { id: p.id, at: e.at, hex: p.hex, summary: p.summary, from: p.from };
        if (p.tag !== undefined) view.tag = p.tag;
        if (e.truth !== undefined) view.truth = e.truth;
        packetsIn.push(view);
      }
      for (const id of e.sent) {
        const p = trace.packets[id];
        packetsOut.push({ id: p.id, at: e.at, hex: p.hex, summary: p.summary });
      }
    }
    return {
      index: step.index,
      action: step.action,
      label: step.label,
      startMs: step.startMs,
      endMs: step.endMs,
      packetsIn,
      packetsOut,
      events: step.events,
      aliceState: step.state ?? null,
      modelState: (meta.modelStates?.[step.index] ?? null) as HostState | null,
    };
  });
  return {
    format: COUNTEREXAMPLE_FORMAT,
    property: meta.property,
    reason: meta.reason,
    failingStep: meta.failingStep,
    seed: meta.seed,
    path: meta.path,
    replayPath: meta.replayPath,
    alice: trace.alice,
    params: trace.config.params,
    config: trace.config,
    actions,
    sas: trace.sas,
    owners: trace.owners,
    packets: trace.packets.map(({ info, ...rest }) => {
      void info;
      return rest;
    }),
    steps,
  };
}

/** The run's record in the file, as text: what "the same trace, byte for byte" compares. */
export function traceText(file: Pick<CounterexampleFile, 'packets' | 'steps'>): string {
  return JSON.stringify({ packets: file.packets, steps: file.steps.map((s) => ({ ...s, modelState: null })) });
}

/** A file that cannot be read as a counterexample; the message is one line (a field path and what is wrong). */
export class CounterexampleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CounterexampleError';
  }
}

/**
 * The file as text. Throws when the file would not pass the schema: a writer that produced it
 * has a bug, and a file that `hmip6 replay` refuses is worth nothing to its reader.
 */
export function serializeCounterexample(file: CounterexampleFile): string {
  const checked = validateCounterexample(file);
  if (!checked.ok)
    throw new Error(`hmip6 wrote a counterexample its own reader refuses (a bug of hmip6): ${checked.error}`);
  return `${JSON.stringify(file, null, 1)}\n`;
}

/** A counterexample file from its text. Throws CounterexampleError (one line) for anything but a valid file. */
export function parseCounterexample(text: string): CounterexampleFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new CounterexampleError(`not JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  const checked = validateCounterexample(value);
  if (!checked.ok) throw new CounterexampleError(checked.error);
  return checked.file;
}

/** A counterexample file from disk: too large a file is refused before it is read. Throws CounterexampleError or the file system's error. */
export function readCounterexample(path: string): CounterexampleFile {
  const size = statSync(path).size;
  if (size > COUNTEREXAMPLE_BYTES_MAX)
    throw new CounterexampleError(
      `${size} bytes, more than a counterexample file may hold (${COUNTEREXAMPLE_BYTES_MAX})`,
    );
  return parseCounterexample(readFileSync(path, 'utf8'));
}

/** Throws CounterexampleError unless `file` passes the schema: what every replay checks first. */
export function checkCounterexample(file: unknown): asserts file is CounterexampleFile {
  try {
    assertCounterexample(file);
  } catch (e) {
    if (e instanceof SchemaError) throw new CounterexampleError(e.message);
    throw e;
  }
}

/** A value in a difference's message: short, on one line. */
function brief(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? typeof value;
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/**
 * The first place two JSON values differ, as `steps[2].events[4].packet: the file has 7, the
 * replay 6`; null when they are equal. The depth is the schema's (a file passed it).
 */
function differenceAt(file: unknown, replay: unknown, path: string): string | null {
  const here = path === '' ? '(the record)' : path;
  if (Array.isArray(file) && Array.isArray(replay)) {
    for (let i = 0; i < Math.min(file.length, replay.length); i++) {
      const d = differenceAt(file[i], replay[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return file.length === replay.length
      ? null
      : `${here}: the file has ${file.length} items, the replay ${replay.length}`;
  }
  const isRecord = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isRecord(file) && isRecord(replay)) {
    for (const key of new Set([...Object.keys(file), ...Object.keys(replay)])) {
      // Own fields only: a request's JSON may hold a `toString` the other side inherits as a method.
      const d = differenceAt(
        Object.hasOwn(file, key) ? file[key] : undefined,
        Object.hasOwn(replay, key) ? replay[key] : undefined,
        path === '' ? key : `${path}.${key}`,
      );
      if (d !== null) return d;
    }
    return null;
  }
  return file === replay ? null : `${here}: the file has ${brief(file)}, the replay ${brief(replay)}`;
}

export interface ReplayResult {
  trace: Trace;
  /** The replayed run as a counterexample file (same metadata). */
  file: CounterexampleFile;
  /** Whether the replay's trace is byte for byte the file's. */
  identical: boolean;
  /** Where the two first differ, when they do. */
  firstDifference: string | null;
  /** Set when Alice threw: `step` is the step of the action she threw in (0: the setup). */
  crash?: { step: number; message: string };
}

/**
 * Replays a counterexample file's actions in its world, with the reference host unless told
 * otherwise. The file is checked first (CounterexampleError): a replay runs only what the
 * schema bounds.
 */
export function replayCounterexample(file: CounterexampleFile, factory: AliceFactory = referenceAlice): ReplayResult {
  checkCounterexample(file);
  const run = runSchedule({ config: file.config, actions: file.actions }, factory);
  const replayed = buildCounterexample(run.trace, file.actions, {
    property: file.property,
    reason: file.reason,
    failingStep: file.failingStep,
    seed: file.seed,
    path: file.path,
    replayPath: file.replayPath,
  });
  const a = traceText(file);
  const b = traceText(replayed);
  // Named by the first field that differs, in the file's order: a reader goes straight there.
  const firstDifference =
    a === b ? null : (differenceAt(JSON.parse(a), JSON.parse(b), '') ?? 'in the order of their fields');
  const result: ReplayResult = { trace: run.trace, file: replayed, identical: a === b, firstDifference };
  if (run.crash !== undefined) result.crash = run.crash;
  return result;
}
