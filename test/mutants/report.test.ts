// The ETNA-style report (`npm run mutants`, properties/mutants/): its tasks, its JSON shape,
// its exit codes and its worker processes, on a few fast mutants and few runs.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROPERTY_IDS } from '../../properties/invariants/types.js';
import {
  MUTANT_SEED_DEFAULT,
  mutantsCommand,
  parseMutantsArgs,
  runMutantReport,
} from '../../properties/mutants/command.js';
import {
  buildReport,
  formatReport,
  median,
  reportPasses,
  runMutant,
  type MutantReport,
} from '../../properties/mutants/report.js';
import type { Mutant } from '../../properties/mutants/types.js';
import { captureOutput } from '../helpers/capture.js';
import { GAPS, MUTANTS, mutantByName } from '../../properties/mutants/bank/index.js';

const SEED = MUTANT_SEED_DEFAULT;
const quiet = (): void => undefined;

function mutant(name: string): Mutant {
  const m = mutantByName(name);
  if (m === undefined || m.expected === null) throw new Error(`no mutant ${name} in the bank`);
  return m;
}

describe('mutant tasks', () => {
  it('one_task_per_property_with_runs_to_failure_time_and_shrunk_length_for_each_catch', async () => {
    const m = mutant('homeless-peer-moves-down');
    const run = await runMutant(m, 0, { seed: SEED, numRuns: 30 });
    expect(run.tasks.map((t) => t.property)).toEqual([...PROPERTY_IDS]);
    const caught = run.tasks.filter((t) => t.caught);
    expect(caught.map((t) => t.property)).toContain('REFINES-MODEL');
    for (const t of caught) {
      expect(t.runsToFailure).toBeGreaterThanOrEqual(1);
      expect(t.ms).toBeGreaterThanOrEqual(t.shrinkMs ?? 0);
      expect(t.shrunkLength).toBeGreaterThan(0);
      expect(t.shrunkLength ?? 0).toBeLessThanOrEqual(t.originalLength ?? 0);
      expect(t.reason).not.toBeNull();
    }
    for (const t of run.tasks.filter((x) => !x.caught))
      expect([t.runsToFailure, t.ms, t.shrunkLength]).toEqual([null, null, null]);
    expect(run.crash).toBeNull();
  });

  it('the_report_counts_a_mutant_caught_only_when_some_property_caught_it_in_every_trial', () => {
    const m = mutant('skips-deprecation');
    const task = (caught: boolean, trial: number) => ({
      mutant: m.name,
      property: 'REFINES-MODEL' as const,
      trial,
      seed: SEED + trial,
      caught,
      runsToFailure: caught ? 4 + trial : null,
      ms: caught ? 10 : null,
      shrinkMs: caught ? 5 : null,
      shrunkLength: caught ? 2 : null,
      originalLength: caught ? 9 : null,
      failingStep: caught ? 1 : null,
      reason: caught ? 'x' : null,
      path: null,
      replayPath: null,
    });
    const runs = [0, 1].map((trial) => ({
      mutant: m.name,
      trial,
      seed: SEED + trial,
      tasks: [task(true, trial)],
      crash: null,
      runs: 5,
      totalMs: 20,
    }));
    const base = {
      seed: SEED,
      seeds: [SEED, SEED + 1],
      numRuns: 5,
      stepsMax: 48,
      properties: ['REFINES-MODEL' as const],
      mutants: [m],
      reference: null,
      wallMs: 1,
    };
    const both = buildReport({ ...base, runs });
    expect(both).toMatchObject({
      total: 1,
      caught: 1,
      mutants: [
        { name: m.name, caughtBy: ['REFINES-MODEL'], runsToFailure: 4.5, shrunkLength: 2, expectedCaught: true },
      ],
    });
    expect(reportPasses(both)).toBe(true);
    const oneMissed = buildReport({ ...base, runs: [runs[0], { ...runs[1], tasks: [task(false, 1)] }] });
    expect(oneMissed).toMatchObject({
      total: 1,
      caught: 0,
      mutants: [{ caught: false, caughtBy: ['REFINES-MODEL'], expectedCaught: false }],
    });
    expect(reportPasses(oneMissed)).toBe(false);
    expect(formatReport(oneMissed)).toMatch(/mutants: 0\/1 caught/);
  });

  it('median_of_an_even_count_is_the_mean_of_the_middle_two', () => {
    expect(median([])).toBeNull();
    expect(median([7, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
  });
});

describe('npm run mutants', () => {
  it('parses_its_options_and_refuses_unknown_mutants_and_properties', () => {
    const parsed = parseMutantsArgs(
      [
        '--mutant',
        'clock-based-time',
        '--property',
        'INV-ACTIVE-VERIFIED',
        '--runs',
        '40',
        '--trials',
        '3',
        '--seed',
        '7',
        '--jobs',
        '1',
      ],
      MUTANTS,
    );
    expect(parsed).toMatchObject({
      properties: ['INV-ACTIVE-VERIFIED'],
      runs: 40,
      trials: 3,
      seed: 7,
      jobs: 1,
      reference: true,
    });
    if (typeof parsed === 'object' && 'mutants' in parsed)
      expect(parsed.mutants.map((m) => m.name)).toEqual(['clock-based-time']);
    const defaults = parseMutantsArgs([], MUTANTS, GAPS);
    expect(defaults).toMatchObject({
      runs: 600,
      stepsMax: 48,
      trials: 1,
      properties: [...PROPERTY_IDS],
      gaps: [],
      reference: true,
    });
    if (typeof defaults === 'object' && 'seed' in defaults) expect(Number.isSafeInteger(defaults.seed)).toBe(true); // random, as hmip6 check
    expect(parseMutantsArgs(['--gaps'], MUTANTS, GAPS)).toMatchObject({ gaps: GAPS });
    expect(parseMutantsArgs(['--mutant', 'no-such-mutant'], MUTANTS)).toMatch(/unknown mutant/);
    expect(parseMutantsArgs(['--property', 'INV-NOPE'], MUTANTS)).toMatch(/unknown property/);
    expect(parseMutantsArgs(['--runs', '0'], MUTANTS)).toMatch(/--runs must be a positive integer, got "0"/);
    expect(parseMutantsArgs(['--bogus'], MUTANTS)).toMatch(/bogus/);
  });

  it('runs_in_process_and_reports_the_reference_host', async () => {
    const parsed = parseMutantsArgs(
      [
        '--mutant',
        'skips-deprecation',
        '--property',
        'REFINES-MODEL',
        '--property',
        'INV-DEPRECATED-BOUND',
        '--runs',
        '25',
        '--jobs',
        '1',
      ],
      MUTANTS,
    );
    if (typeof parsed !== 'object' || !('mutants' in parsed)) throw new Error(String(parsed));
    const report = await runMutantReport(parsed, MUTANTS, '', quiet);
    expect(report.reference).toMatchObject({ pass: true, failed: [] });
    expect(report.tasks.map((t) => t.property)).toEqual(['INV-DEPRECATED-BOUND', 'REFINES-MODEL']);
    expect(report.mutants[0]).toMatchObject({ name: 'skips-deprecation', caught: true, caughtBy: ['REFINES-MODEL'] });
    expect(reportPasses(report)).toBe(true);
  });

  it('writes_the_json_report_with_worker_processes_and_exits_0_when_every_mutant_is_caught', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hmip6-mutants-'));
    const json = join(dir, 'report.json');
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/mutants.ts',
        '--mutant',
        'homeless-peer-moves-down',
        '--mutant',
        'skips-deprecation',
        '--property',
        'REFINES-MODEL',
        '--runs',
        '60',
        // Pinned: a few dozen runs of a random seed miss skips-deprecation now and then (seed
        // 1966297847 did at 20; seed 20261127 needs 40 since the replay, forms and send-gap
        // episodes), and this test is about the report and the worker processes, not the catch rate.
        '--seed',
        String(MUTANT_SEED_DEFAULT),
        '--jobs',
        '2',
        '--no-reference',
        '--json',
        json,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/mutants: 2\/2 caught/);
    expect(result.stderr).toMatch(/\[2\/2\]/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as MutantReport;
    expect(report).toMatchObject({ total: 2, caught: 2, reference: null });
    for (const m of report.mutants) {
      expect(m).toHaveProperty('name');
      expect(m.caughtBy).toEqual(['REFINES-MODEL']);
      expect(m.runsToFailure).toBeGreaterThanOrEqual(1);
      expect(m.shrunkLength).toBeGreaterThan(0);
    }
    expect(report.tasks).toHaveLength(2);
    for (const t of report.tasks)
      expect(Object.keys(t)).toEqual(
        expect.arrayContaining(['mutant', 'property', 'caught', 'runsToFailure', 'ms', 'shrunkLength']),
      );
  });

  describe('exit codes', () => {
    const captured = captureOutput();
    it('exits_1_when_a_mutant_escapes_and_3_on_a_usage_error', async () => {
      // Judged by LIVE-COMPAT alone, which cannot see a host that skips deprecation.
      expect(
        await mutantsCommand(
          [
            '--mutant',
            'skips-deprecation',
            '--property',
            'LIVE-COMPAT',
            '--runs',
            '5',
            '--jobs',
            '1',
            '--no-reference',
          ],
          MUTANTS,
          '',
        ),
      ).toBe(1);
      expect(captured.output).toMatch(/NOT CAUGHT/);
      expect(await mutantsCommand(['--trials', 'x'], MUTANTS, '')).toBe(3);
      expect(captured.output).toMatch(/--trials must be a positive integer/);
    });
  });
});
