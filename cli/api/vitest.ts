// `hmip6/vitest`: the property suite inside a user's own vitest run (docs/api.md). One vitest
// test per property, so vitest's reporters, filters (-t), shards and JUnit output apply; the
// schedules are fast-check's, seeded by `options.seed`, else FC_SEED, else fast-check's global
// seed (fc.configureGlobal), else a random one that every failure prints. A failing property
// writes its counterexample file and prints how to replay it and how to keep it as a test.
//
// The world is played once per describe block, by the first of its tests that runs, and every
// property is judged on it; the other tests read their verdict.
//
// vitest is a peer dependency of this entry only: `hmip6` and the command never load it.

import fc from 'fast-check';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test, type TestContext } from 'vitest';
import {
  checkHost,
  checkImpl,
  seedFromEnvironment,
  type CheckResult,
  type CheckSettings,
  type HostMaker,
  type HostUnderTest,
  type PropertyResult,
} from './check.js';
import { judgeSchedule, type ReplayTarget } from './counterexample.js';
import { properties as allProperties, type PropertyId } from './properties.js';
import type { AliceFactory, Feature, Schedule } from '../../properties/world/types.js';

export interface DescribeOptions extends CheckSettings {
  /** An inconclusive property (it judged too few situations) fails its test (default true). */
  failOnInconclusive?: boolean;
  /** Each test's timeout in milliseconds (default 600,000: the first test plays the whole world). */
  timeout?: number;
}

export interface DescribeHostOptions extends DescribeOptions {
  /** The optional parts the host implements (docs/adapter-protocol.md); default: all of them. */
  features?: readonly Feature[];
}

export interface DescribeImplOptions extends DescribeOptions {
  /** The implementation's working directory (default: the current one). */
  cwd?: string;
  /** Milliseconds each answer may take (default 2000). */
  timeoutMs?: number;
}

const TIMEOUT_DEFAULT_MS = 600_000;

/** The seed: the option, else FC_SEED, else fast-check's global seed, else a random one. */
export function suiteSeed(seed?: number): number {
  if (seed !== undefined) return seed;
  if (process.env.FC_SEED !== undefined) return seedFromEnvironment();
  const global = fc.readConfigureGlobal().seed;
  return global ?? seedFromEnvironment({});
}

function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function failureText(p: PropertyResult, result: CheckResult, impl: string | undefined): string {
  const lines = [
    `${p.id} failed with Alice = ${result.alice}: ${p.reason ?? ''}`,
    `  seed ${result.seed}${p.failingRun !== undefined ? `, run ${p.failingRun}` : ''} (FC_SEED=${result.seed} plays the same schedules)`,
  ];
  if (p.file !== undefined) {
    const file = shellWord(relative(process.cwd(), p.file) || p.file);
    const against = impl === undefined ? '' : ` --impl ${shellWord(impl)}`;
    lines.push(`  counterexample: ${file}`);
    lines.push(`  replay it:      npx hmip6 replay ${file}${against}`);
    lines.push(
      `  keep it:        npx hmip6 replay ${file}${against} --as-test test/regressions/${p.id.toLowerCase()}.test.ts`,
    );
  }
  return lines.join('\n');
}

function register(
  title: string,
  options: DescribeOptions,
  play: (seed: number) => Promise<CheckResult>,
  impl: string | undefined,
): void {
  const ids: readonly PropertyId[] = options.properties ?? allProperties().map((p) => p.id);
  const seed = suiteSeed(options.seed);
  let played: Promise<CheckResult> | undefined;
  describe(title, () => {
    for (const id of ids) {
      test(
        id,
        async (context: TestContext) => {
          played ??= play(seed);
          const result = await played;
          if (result.error !== null)
            throw new Error(
              `the host failed (seed ${result.seed}): ${result.error.message}${result.error.file !== undefined ? `\n  counterexample: ${result.error.file}` : ''}`,
            );
          const p = result.properties.find((x) => x.id === id);
          if (p === undefined || p.verdict === 'not-run') throw new Error(`${id} was not judged (seed ${result.seed})`);
          if (p.verdict === 'skip') {
            context.skip(p.reason ?? 'needs a feature the host lacks');
            return;
          }
          if (p.verdict === 'fail') {
            const text = failureText(p, result, impl);
            process.stderr.write(`\n${text}\n`);
            throw new Error(text);
          }
          if (p.verdict === 'inconclusive' && options.failOnInconclusive !== false) {
            throw new Error(
              `${id} is inconclusive: it judged ${p.judged} situations over ${p.runs} runs, fewer than its minimum ${p.judgedMinimum} (seed ${result.seed}; docs/oracle.md "Verdicts")`,
            );
          }
        },
        options.timeout ?? TIMEOUT_DEFAULT_MS,
      );
    }
  });
}

/**
 * Registers one vitest test per property for a host built in this process:
 * `describeHost('my host', (options) => createMyHost(options), { runs: 100 })`. The maker is
 * called once per run with the run's addresses, parameters and random source; an AliceFactory
 * (a mutant of `hmip6/mutants`, say) may stand in its place.
 */
export function describeHost(name: string, make: HostMaker | AliceFactory, options: DescribeHostOptions = {}): void {
  const host: HostUnderTest | AliceFactory =
    typeof make === 'function'
      ? { name, make, ...(options.features !== undefined ? { features: options.features } : {}) }
      : make;
  register(name, options, (seed) => checkHost({ ...options, seed, host }), undefined);
}

/**
 * Registers one vitest test per property for an implementation under test over the adapter
 * protocol (docs/adapter-protocol.md): `describeImpl('python3 host.py', { cwd: 'adapters' })`.
 */
export function describeImpl(command: string, options: DescribeImplOptions = {}): void {
  register(
    command,
    options,
    (seed) => checkImpl({ ...options, seed, command, ...(options.cwd !== undefined ? { cwd: options.cwd } : {}) }),
    command,
  );
}

export interface ScheduleTestOptions extends Omit<ReplayTarget, 'impl'> {
  /** The property to judge (null: only that Alice does not throw). */
  property: PropertyId | null;
  /** An implementation under test: its command and working directory (a path or a file: URL). */
  impl?: { command: string; cwd?: string | URL; timeoutMs?: number; blackBox?: boolean };
  /** The test's timeout in milliseconds (default 60,000). */
  timeout?: number;
}

/**
 * Registers a vitest test that plays a recorded schedule (never drawn again) against Alice and
 * expects the property to hold: a counterexample kept as a regression test (`hmip6 replay FILE
 * --as-test OUT`). It fails while Alice is broken and passes once she is fixed.
 */
export function testSchedule(title: string, schedule: Schedule, options: ScheduleTestOptions): void {
  test(
    title,
    async () => {
      const impl = options.impl;
      const target: ReplayTarget = {
        ...(options.host !== undefined ? { host: options.host } : {}),
        ...(options.alice !== undefined ? { alice: options.alice } : {}),
        ...(impl !== undefined
          ? {
              impl: {
                command: impl.command,
                ...(impl.cwd !== undefined
                  ? { cwd: impl.cwd instanceof URL ? fileURLToPath(impl.cwd) : impl.cwd }
                  : {}),
                ...(impl.timeoutMs !== undefined ? { timeoutMs: impl.timeoutMs } : {}),
                ...(impl.blackBox !== undefined ? { blackBox: impl.blackBox } : {}),
              },
            }
          : {}),
      };
      const verdict = await judgeSchedule(schedule, options.property, target);
      if (!verdict.holds)
        throw new Error(
          `${options.property ?? 'Alice throws'} at step ${verdict.failingStep} with Alice = ${verdict.alice}: ${verdict.reason}`,
        );
    },
    options.timeout ?? 60_000,
  );
}
