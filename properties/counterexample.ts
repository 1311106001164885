// The counterexample file (DESIGN.md "Counterexamples"): JSON, `format:
// "hmip6-counterexample/1"`. It holds what reproduces the run (seed, fast-check path and
// replayPath, the world's configuration and parameters, the actions) and what the run did
// (every step's action and events, the packets in and out of Alice as hex with a decoded
// summary, Alice's state and the model's state after each step). Replaying it gives the same
// trace, byte for byte: `replayCounterexample` checks exactly that.

import type { HostParams, HostState } from '../impl/host/types.js';
import type { PropertyId } from './invariants/types.js';
import { aliceCalls } from './invariants/trace-view.js';
import { referenceAlice } from './world/alice.js';
import type { Action, AliceFactory, Feature, PacketRecord, ReceiveTruth, SaRecord, Trace, TraceEvent, WorldConfig } from './world/types.js';
import { runSchedule } from './world/world.js';

export const COUNTEREXAMPLE_FORMAT = 'hmip6-counterexample/1';

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
  modelState: unknown;
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
      if (e.input !== undefined) {
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
      modelState: meta.modelStates?.[step.index] ?? null,
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

export function serializeCounterexample(file: CounterexampleFile): string {
  return `${JSON.stringify(file, null, 1)}\n`;
}

export function parseCounterexample(text: string): CounterexampleFile {
  const value = JSON.parse(text) as Partial<CounterexampleFile>;
  if (value.format !== COUNTEREXAMPLE_FORMAT) throw new Error(`not a counterexample file (format ${JSON.stringify(value.format)})`);
  return value as CounterexampleFile;
}

export interface ReplayResult {
  trace: Trace;
  /** The replayed run as a counterexample file (same metadata). */
  file: CounterexampleFile;
  /** Whether the replay's trace is byte for byte the file's. */
  identical: boolean;
  /** Where the two first differ, when they do. */
  firstDifference: string | null;
}

/** Replays a counterexample file's actions in its world, with the reference host unless told otherwise. */
export function replayCounterexample(file: CounterexampleFile, factory: AliceFactory = referenceAlice): ReplayResult {
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
  let firstDifference: string | null = null;
  if (a !== b) {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    firstDifference = `at character ${i}: file …${a.slice(Math.max(0, i - 60), i + 60)}… replay …${b.slice(Math.max(0, i - 60), i + 60)}…`;
  }
  return { trace: run.trace, file: replayed, identical: a === b, firstDifference };
}
