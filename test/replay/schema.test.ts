// A counterexample file is checked against its schema before anything runs
// (properties/counterexample-schema.ts): a corrupted file ends `hmip6 replay` at once with exit
// 2 and one line naming the field, never a hang or a stack trace; every number has a bound, so
// no file makes a replay unbounded; and every file the harness writes passes the same schema.

import { existsSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { run } from '../../cli/commands/replay.js';
import { readRunOptions } from '../../cli/lib/options.js';
import { replayAgainstIut } from '../../properties/adapter/replay.js';
import { scheduleArbitrary } from '../../properties/arbitraries/schedule.js';
import {
  ACTION_MS_MAX,
  COUNTEREXAMPLE_BYTES_MAX,
  SCHEDULE_MS_MAX,
  validateCounterexample,
} from '../../properties/counterexample-schema.js';
import {
  buildCounterexample,
  CounterexampleError,
  parseCounterexample,
  readCounterexample,
  serializeCounterexample,
  type CounterexampleFile,
} from '../../properties/counterexample.js';
import { lockstep } from '../../properties/lockstep.js';
import { replayStory } from '../../properties/story/replay.js';
import { blackBox, referenceAlice } from '../../properties/world/alice.js';
import { runSchedule } from '../../properties/world/world.js';
import { captureOutput } from '../helpers/capture.js';
import { MUTANTS } from '../../properties/mutants/bank/index.js';

const EXAMPLE_TEXT = readFileSync(
  new URL('../../examples/counterexamples/appendix-c-activates-without-challenge.json', import.meta.url),
  'utf8',
);

/** The committed example with one change; `change` edits a plain copy. */
function corrupted(change: (file: Record<string, any>) => void): string {
  const file = JSON.parse(EXAMPLE_TEXT) as Record<string, any>;
  change(file);
  return JSON.stringify(file, null, 1);
}

function refusal(text: string): string {
  try {
    parseCounterexample(text);
  } catch (e) {
    expect(e).toBeInstanceOf(CounterexampleError);
    return (e as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('the counterexample schema', () => {
  it('a_time_that_is_not_a_number_is_refused_naming_the_field', () => {
    // This file once made `hmip6 replay` loop for ever: the clock never reached NaN.
    expect(refusal(corrupted((f) => (f.actions[1].ms = 'abc')))).toBe(
      `actions[1].ms: expected an integer 0..${ACTION_MS_MAX}, got "abc"`,
    );
  });

  it('a_time_past_its_bound_is_refused', () => {
    // And this one ticked every 250 ms for 31 years of virtual time.
    expect(refusal(corrupted((f) => (f.actions[1].ms = 1_000_000_000_000)))).toBe(
      `actions[1].ms: expected an integer 0..${ACTION_MS_MAX}, got 1000000000000`,
    );
  });

  it('a_schedule_whose_times_add_up_past_the_budget_is_refused', () => {
    const n = Math.floor(SCHEDULE_MS_MAX / ACTION_MS_MAX) + 1;
    const text = corrupted(
      (f) => (f.actions = Array.from({ length: n }, () => ({ kind: 'advance', ms: ACTION_MS_MAX }))),
    );
    expect(refusal(text)).toBe(
      `actions: expected at most ${SCHEDULE_MS_MAX} ms of virtual time in all (advance, fair and lossy), got ${n * ACTION_MS_MAX} ms`,
    );
  });

  it('every_action_is_checked_by_its_kind_and_indices_are_never_negative', () => {
    expect(refusal(corrupted((f) => (f.actions[0] = { kind: 'replay', fromEnd: -3, retarget: false })))).toBe(
      'actions[0].fromEnd: expected an integer 0..1024, got -3',
    );
    expect(refusal(corrupted((f) => (f.actions[0] = { kind: 'advance', ms: 5, sa: 'generic' })))).toBe(
      'actions[0].sa: expected no such field (an action "advance" has kind, ms), got "generic"',
    );
    expect(refusal(corrupted((f) => (f.actions[0] = { kind: 'garbage', hex: 'abc' })))).toMatch(
      /^actions\[0\]\.hex: expected a hex string \(an even number of hex digits\) of at most \d+ bytes, got "abc"$/,
    );
    expect(refusal(corrupted((f) => (f.actions[0].target = { kind: 'peer', peer: 'eve', pick: 0 })))).toBe(
      'actions[0].target.peer: expected one of "bob", "carol", "sam", "lee", got "eve"',
    );
  });

  it('the_record_is_checked_too_with_packet_ids_naming_packets_of_the_file', () => {
    expect(refusal(corrupted((f) => (f.steps[2].events[1].packet = 99)))).toBe(
      'steps[2].events[1].packet: expected a packet id 0..10, got 99',
    );
    expect(refusal(corrupted((f) => (f.steps[1].index = 5)))).toBe(
      'steps[1].index: expected 1 (steps are numbered in order from 0, the setup), got 5',
    );
    expect(refusal(corrupted((f) => (f.sas[0].keyHex = '00')))).toBe(
      'sas[0].keyHex: expected a hex string of 20 bytes, got "00"',
    );
    expect(refusal(corrupted((f) => (f.failingStep = 7)))).toBe('failingStep: expected an integer -1..2, got 7');
  });

  it('a_file_too_large_is_refused_before_it_is_read', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hmip6-schema-')), 'huge.json');
    writeFileSync(path, '');
    truncateSync(path, COUNTEREXAMPLE_BYTES_MAX + 1); // sparse: no disk is used
    expect(() => readCounterexample(path)).toThrow(
      `${COUNTEREXAMPLE_BYTES_MAX + 1} bytes, more than a counterexample file may hold (${COUNTEREXAMPLE_BYTES_MAX})`,
    );
  });

  it('a_writer_refuses_to_write_a_file_its_reader_would_refuse', () => {
    const file = parseCounterexample(EXAMPLE_TEXT);
    expect(() => serializeCounterexample({ ...file, actions: [{ kind: 'advance', ms: -1 }] })).toThrow(
      /its own reader refuses .*actions\[0\]\.ms: expected an integer/,
    );
  });

  it('every_file_the_harness_writes_passes_the_schema', () => {
    // Worlds and actions as `hmip6 check` draws them, against the reference, a black box and
    // every mutant; some with the model's states (REFINES-MODEL's files carry them).
    const factories = [referenceAlice, blackBox(referenceAlice), ...MUTANTS.map((m) => m.factory)];
    const schedules = fc.sample(scheduleArbitrary(), { seed: 11, numRuns: 30 });
    const refused: string[] = [];
    schedules.forEach((schedule, i) => {
      const run = runSchedule(schedule, factories[i % factories.length]);
      const file = buildCounterexample(run.trace, schedule.actions, {
        property: run.crash !== undefined ? null : 'INV-BOUNDED',
        reason: run.crash?.message ?? 'drawn',
        failingStep: run.crash?.step ?? 0,
        seed: 11,
        path: String(i),
        replayPath: `${i}:0`,
        ...(i % 3 === 0 ? { modelStates: lockstep(run.trace).modelStates } : {}),
      });
      const checked = validateCounterexample(JSON.parse(serializeCounterexample(file)));
      if (!checked.ok) refused.push(`schedule ${i}: ${checked.error}`);
    });
    expect(refused).toEqual([]);
  });

  it('steps_max_past_the_files_bound_is_a_usage_error', () => {
    expect(readRunOptions({ 'steps-max': '1001' }, { runs: 1 })).toBe(
      '--steps-max must be at most 1000 (a counterexample file holds at most 1000 actions)',
    );
    expect(typeof readRunOptions({ 'steps-max': '1000' }, { runs: 1 })).toBe('object');
  });
});

describe('every reader checks a file before it runs anything', () => {
  const bad = (): CounterexampleFile => ({
    ...parseCounterexample(EXAMPLE_TEXT),
    config: 'garbage' as unknown as CounterexampleFile['config'],
  });

  it('the_story_refuses_a_bad_file', () => {
    expect(() => replayStory(bad())).toThrow(
      new CounterexampleError('config: expected the world\'s configuration (an object), got "garbage"'),
    );
  });

  it('the_oracle_replay_path_refuses_a_bad_file_before_it_starts_the_implementation', () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'hmip6-schema-')), 'started');
    const command = `node -e "require('fs').writeFileSync(process.argv[1], '')" ${marker}`;
    expect(() => replayAgainstIut(bad(), { command })).toThrow(CounterexampleError);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('hmip6 replay on a malformed file', () => {
  const captured = captureOutput();

  const cases: { name: string; text: string; says: string }[] = [
    {
      name: 'ms-abc',
      text: corrupted((f) => (f.actions[1].ms = 'abc')),
      says: `actions[1].ms: expected an integer 0..${ACTION_MS_MAX}, got "abc"`,
    },
    {
      name: 'ms-huge',
      text: corrupted((f) => (f.actions[1].ms = 1e12)),
      says: `actions[1].ms: expected an integer 0..${ACTION_MS_MAX}, got 1000000000000`,
    },
    {
      name: 'unknown-kind',
      text: corrupted((f) => (f.actions[0].kind = 'teleport')),
      says: 'actions[0].kind: expected one of "advance", ',
    },
    {
      name: 'no-config',
      text: corrupted((f) => delete f.config),
      says: "config: expected the world's configuration (an object), got nothing (the field is missing)",
    },
    {
      name: 'config-garbage',
      text: corrupted((f) => (f.config = 'garbage')),
      says: 'config: expected the world\'s configuration (an object), got "garbage"',
    },
    {
      name: 'unknown-property',
      text: corrupted((f) => (f.property = 'INV-NOPE')),
      says: 'property: expected a property id of hmip6',
    },
    {
      name: 'packets-null',
      text: corrupted((f) => (f.packets = null)),
      says: 'packets: expected a list of at most 2000000, got null',
    },
    {
      name: 'other-format',
      text: corrupted((f) => (f.format = 'hmip6-counterexample/2')),
      says: 'format: expected "hmip6-counterexample/1", got "hmip6-counterexample/2"',
    },
    { name: 'truncated', text: EXAMPLE_TEXT.slice(0, 300), says: 'not JSON: ' },
  ];

  for (const c of cases) {
    it(`${c.name.replace(/-/g, '_')}_exits_2_with_one_line_naming_the_field`, async () => {
      const path = join(mkdtempSync(join(tmpdir(), 'hmip6-schema-')), `${c.name}.json`);
      writeFileSync(path, c.text);
      const started = Date.now();
      expect(await run([path, '--no-color'])).toBe(2);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(captured.output.startsWith(`hmip6 replay: cannot read ${path}: ${c.says}`), captured.output).toBe(true);
      expect(captured.output.endsWith('\n')).toBe(true);
      expect(captured.output.trimEnd().split('\n')).toHaveLength(1);
      expect(captured.output).not.toMatch(/\n\s+at |Error:|Pattern matching/);
    });
  }

  it('a_replay_that_differs_from_the_file_names_the_first_field_that_differs', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hmip6-schema-')), 'differs.json');
    writeFileSync(
      path,
      corrupted((f) => (f.steps[2].events[1].packet = 7)),
    );
    expect(await run([path, '--no-color', '--quiet'])).toBe(2);
    expect(captured.output).toBe(
      "hmip6 replay: the replay is not the file's run: steps[2].events[1].packet: the file has 7, the replay 6\n",
    );
  });
});
