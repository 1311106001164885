// The library's checks (docs/api.md): the property suite against a host built in-process, or
// against an implementation under test over the adapter protocol, with a report small enough
// to assert on. Both run exactly what `hmip6 check` and `hmip6 oracle --impl` run.

import { resolve } from 'node:path';
import type { Host, HostOptions } from '../../impl/host/types.js';
import { replayCommand, runOracle, type OracleReport } from '../../properties/adapter/index.js';
import { DEFAULT_STEPS_MAX } from '../../properties/arbitraries/schedule.js';
import type { PropertyId } from '../../properties/invariants/types.js';
import { runCheck, type CheckReport } from '../../properties/runner.js';
import { blackBox, hostFactory, REFERENCE_FEATURES, referenceAlice } from '../../properties/world/alice.js';
import type { AliceFactory, Feature } from '../../properties/world/types.js';

/** Builds a fresh host for one run: the world calls it once per run with that run's options. */
export type HostMaker = (options: HostOptions) => Host;

/** What a host under test is: a maker with a name and its features, or a ready AliceFactory. */
export interface HostUnderTest {
  /** Shown in reports and counterexample files (`alice.name`). */
  name: string;
  make: HostMaker;
  /** The optional parts it implements (docs/adapter-protocol.md); default: all of them. */
  features?: readonly Feature[];
}

/** Options every check takes. */
export interface CheckSettings {
  /** fast-check's seed (default: FC_SEED, else a random one; the report says which). */
  seed?: number;
  /** Schedules to play (default 100). */
  runs?: number;
  /** Only these properties (default: all). */
  properties?: readonly PropertyId[];
  /** Largest number of actions per schedule (default 48). */
  stepsMax?: number;
  /** Where counterexample files go (default `counterexamples`, relative to the working directory). */
  outDir?: string;
  /** Stop starting runs after this long (the runs played so far count). */
  timeLimitMs?: number;
  /** One shard of the runs: run r belongs to shard (r mod count); every shard needs the same seed. */
  shard?: { index: number; count: number };
  /** Judge only what the host sends and delivers: its `state` is never asked. */
  blackBox?: boolean;
}

export interface CheckHostOptions extends CheckSettings {
  /** The host under test; default: the reference host. */
  host?: HostUnderTest | AliceFactory;
}

export interface CheckImplOptions extends CheckSettings {
  /** The implementation's command line, run through the shell (docs/oracle.md). */
  command: string;
  /** Its working directory (default: the current one). */
  cwd?: string;
  /** Milliseconds each answer may take (default 2000). */
  timeoutMs?: number;
}

/** A property's verdict (docs/oracle.md "Verdicts"). */
export type Verdict = 'pass' | 'fail' | 'inconclusive' | 'skip' | 'not-run' | 'warn';

export interface PropertyResult {
  id: PropertyId;
  verdict: Verdict;
  /** Runs in which it was judged. */
  runs: number;
  /** Situations it judged, and the least that makes its verdict conclusive. */
  judged: number;
  judgedMinimum: number;
  /** Why it failed, was skipped or warned. */
  reason?: string;
  /** The counterexample file of its first failure. */
  file?: string;
  /** The fast-check run (path) of its first failure. */
  failingRun?: number;
}

export interface CheckResult {
  /** The whole check: exit codes 0 pass, 1 fail, 2 error, 4 inconclusive (docs/oracle.md). */
  verdict: 'pass' | 'fail' | 'error' | 'inconclusive';
  seed: number;
  /** Runs asked for, and runs played (by this shard). */
  numRuns: number;
  runs: number;
  /** The host's name, or the implementation's command. */
  alice: string;
  properties: PropertyResult[];
  /** The host or the implementation failed (crash, hang, protocol error). */
  error: { message: string; file?: string } | null;
  /** The `hmip6` command line that plays the same runs again. */
  reproduce: string;
}

/** FC_SEED when it is a whole number, else a fresh random seed. */
export function seedFromEnvironment(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.FC_SEED;
  if (text !== undefined && /^-?\d+$/.test(text.trim())) return Number(text.trim()) | 0;
  return (Math.random() * 0x7fffffff) | 0;
}

/** An AliceFactory for a HostUnderTest (or the factory itself). */
export function aliceOf(host: HostUnderTest | AliceFactory): AliceFactory {
  if ('create' in host) return host;
  return hostFactory(host.name, host.make, host.features ?? REFERENCE_FEATURES);
}

function propertyResult(p: CheckReport['properties'][number] | OracleReport['properties'][number]): PropertyResult {
  const r: PropertyResult = {
    id: p.id,
    verdict: p.verdict,
    runs: p.runs,
    judged: p.judged,
    judgedMinimum: p.judgedMinimum,
  };
  const reason = p.reason ?? p.skipReason;
  if (reason !== undefined) r.reason = reason;
  if (p.file !== undefined) r.file = p.file;
  if (p.failingRun !== undefined) r.failingRun = p.failingRun;
  return r;
}

function shardText(shard: CheckSettings['shard']): string {
  return shard === undefined ? '' : ` --shard ${shard.index + 1}/${shard.count}`;
}

/** Runs the property suite against a host in this process (the reference host by default). */
export async function checkHost(options: CheckHostOptions = {}): Promise<CheckResult> {
  const seed = options.seed ?? seedFromEnvironment();
  const numRuns = options.runs ?? 100;
  const factory = options.host === undefined ? referenceAlice : aliceOf(options.host);
  const alice = options.blackBox === true ? blackBox(factory) : factory;
  const report = await runCheck({
    seed,
    numRuns,
    alice,
    outDir: resolve(options.outDir ?? 'counterexamples'),
    ...(options.stepsMax !== undefined ? { stepsMax: options.stepsMax } : {}),
    ...(options.properties !== undefined ? { properties: options.properties } : {}),
    ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
    ...(options.shard !== undefined ? { shard: options.shard } : {}),
  });
  const steps = (options.stepsMax ?? DEFAULT_STEPS_MAX) === DEFAULT_STEPS_MAX ? '' : ` --steps-max ${options.stepsMax}`;
  const only = (options.properties ?? []).map((id) => ` --property ${id}`).join('');
  return {
    verdict: report.verdict,
    seed,
    numRuns,
    runs: report.runs,
    alice: alice.name,
    properties: report.properties.map(propertyResult),
    error:
      report.error === null
        ? null
        : { message: report.error.message, ...(report.error.file !== undefined ? { file: report.error.file } : {}) },
    reproduce: `hmip6 check --seed ${seed} --runs ${numRuns}${steps}${only}${shardText(options.shard)}`,
  };
}

/** Runs the property suite against an implementation under test over the adapter protocol (`hmip6 oracle`). */
export async function checkImpl(options: CheckImplOptions): Promise<CheckResult> {
  const seed = options.seed ?? seedFromEnvironment();
  const numRuns = options.runs ?? 100;
  const report = await runOracle({
    command: options.command,
    cwd: options.cwd ?? process.cwd(),
    seed,
    numRuns,
    blackBox: options.blackBox ?? false,
    outDir: resolve(options.outDir ?? 'counterexamples'),
    ...(options.stepsMax !== undefined ? { stepsMax: options.stepsMax } : {}),
    ...(options.properties !== undefined ? { properties: options.properties } : {}),
    ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
    ...(options.shard !== undefined ? { shard: options.shard } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  return {
    verdict: report.verdict,
    seed,
    numRuns,
    runs: report.runs,
    alice: options.command,
    properties: report.properties.map(propertyResult),
    error:
      report.error === null
        ? null
        : { message: report.error.message, ...(report.error.file !== undefined ? { file: report.error.file } : {}) },
    reproduce: replayCommand({
      command: options.command,
      seed,
      numRuns,
      blackBox: options.blackBox ?? false,
      stepsMax: options.stepsMax ?? DEFAULT_STEPS_MAX,
      ...(options.shard !== undefined ? { shard: options.shard } : {}),
      ...(options.properties !== undefined ? { properties: options.properties } : {}),
    }),
  };
}
