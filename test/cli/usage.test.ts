// Usage errors, as a user meets them: one line saying what is wrong and where the help is
// (not the whole help under it), a message about the number for a negative one, the known
// names when a name is unknown, `--shard` only with `--seed`, and a reproduce command that
// reproduces what was run.

import { describe, expect, it } from 'vitest';
import { reproduceCommand, run as check } from '../../cli/commands/check.js';
import { run as explore } from '../../cli/commands/explore.js';
import { run as graph } from '../../cli/commands/graph.js';
import { run as oracle } from '../../cli/commands/oracle.js';
import { run as probe } from '../../cli/commands/probe.js';
import { run as replay } from '../../cli/commands/replay.js';
import { run as serveReference } from '../../cli/commands/serve-reference.js';
import { run as vectors } from '../../cli/commands/vectors.js';
import { reproduceRuns, shardRuns } from '../../cli/lib/options.js';
import { main } from '../../cli/main.js';
import { mutantsCommand } from '../../properties/mutants/command.js';
import { MUTANTS } from '../../properties/mutants/bank/index.js';
import { captureOutput } from '../helpers/capture.js';

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  check,
  oracle,
  explore,
  replay,
  graph,
  vectors,
  probe,
  'serve-reference': serveReference,
};

describe('usage errors', () => {
  const captured = captureOutput();

  for (const [name, run] of Object.entries(COMMANDS)) {
    it(`${name}_says_what_is_wrong_in_one_line_and_where_the_help_is`, async () => {
      expect(await run(['--bogus'])).toBe(3);
      expect(captured.output).toBe(`hmip6 ${name}: unknown option '--bogus'\nsee 'hmip6 ${name} --help'\n`);
    });
  }

  it('an_unknown_command_names_the_commands_in_one_line', async () => {
    expect(await main(['nope'])).toBe(3);
    expect(captured.output).toBe(
      "hmip6: unknown command 'nope' (commands: serve-reference, check, oracle, replay, explore, graph, probe, vectors)\nsee 'hmip6 --help'\n",
    );
  });

  it.each([[['--runs', '-1']], [['--runs=-1']], [['--runs', '0']]])(
    'runs_%j_must_be_a_positive_integer',
    async (argv) => {
      expect(await check(argv)).toBe(3);
      expect(captured.output).toMatch(/^hmip6 check: --runs must be a positive integer, got "-?\d+"\n/);
    },
  );

  it('a_negative_seed_is_refused_for_being_negative', async () => {
    expect(await check(['--seed', '-5'])).toBe(3);
    expect(captured.output).toContain('--seed must be an integer of 0 or more, got "-5"');
  });

  it('a_negative_depth_is_refused_with_its_range', async () => {
    expect(await explore(['--depth', '-1'])).toBe(3);
    expect(captured.output).toContain('--depth must be an integer from 0 to 12, got "-1"');
  });

  it('an_unknown_mutant_lists_the_mutants', async () => {
    expect(await explore(['--mutant', 'nope', '--depth', '1'])).toBe(3);
    expect(captured.output).toContain('unknown mutant "nope" (known: ');
    for (const m of MUTANTS) expect(captured.output).toContain(m.name);
    expect(captured.output.trimEnd().split('\n')).toHaveLength(2);
  });

  it('the_mutant_report_has_no_empty_known_gaps_heading', async () => {
    expect(await mutantsCommand(['--help'], MUTANTS, '', [])).toBe(0);
    expect(captured.output).not.toContain('known gaps (--gaps):');
    const gap = { ...MUTANTS[0], name: 'a-known-gap', expected: null, gap: 'no property looks there' };
    expect(await mutantsCommand(['--help'], MUTANTS, '', [gap])).toBe(0);
    expect(captured.output).toContain('known gaps (--gaps):\n  a-known-gap\n');
  });

  it('the_mutant_report_says_a_usage_error_in_one_line', async () => {
    expect(await mutantsCommand(['--runs', 'x'], MUTANTS, '')).toBe(3);
    expect(captured.output).toBe(
      `mutants: --runs must be a positive integer, got "x"\nsee 'npm run mutants -- --help'\n`,
    );
  });
});

describe('shards', () => {
  const captured = captureOutput();

  it.each([
    ['check', check, [] as string[]],
    ['oracle', oracle, ['--impl', 'true']],
  ])('%s_refuses_a_shard_without_a_seed_and_says_why', async (name, run, extra) => {
    expect(await run([...extra, '--shard', '1/2'])).toBe(3);
    expect(captured.output).toBe(
      `hmip6 ${name}: --shard needs --seed: the shards of one run must draw the same schedules, so give every shard the same --seed (and --runs)\nsee 'hmip6 ${name} --help'\n`,
    );
  });

  it('check_runs_a_shard_given_a_seed', async () => {
    // Pass, or inconclusive for so few runs: a verdict, not a usage error.
    expect([0, 4]).toContain(
      await check([
        '--shard',
        '2/2',
        '--seed',
        '4',
        '--runs',
        '4',
        '--property',
        'INV-NO-DIVERSION',
        '--no-regression',
      ]),
    );
    expect(captured.output).toContain('hmip6 check: seed 4, 4 runs, shard 2/2');
    expect(captured.output).toContain(
      'reproduce: hmip6 check --seed 4 --runs 4 --property INV-NO-DIVERSION --shard 2/2)',
    );
  });

  it('the_help_says_a_shard_needs_a_seed', async () => {
    expect(await check(['--help'])).toBe(0);
    expect(await oracle(['--help'])).toBe(0);
    expect(captured.output).toMatch(/--shard I\/N[^]*Needs --seed/);
    expect(captured.output).toMatch(/--shard I\/N\s+run only shard I of N \(as hmip6 check; needs --seed\)/);
  });
});

describe('the reproduce command', () => {
  const captured = captureOutput();

  it('after_a_time_limit_gives_the_runs_played_not_the_runs_asked_for', async () => {
    expect([0, 4]).toContain(
      await check([
        '--runs',
        '100000',
        '--time-limit',
        '1',
        '--seed',
        '3',
        '--property',
        'INV-NO-DIVERSION',
        '--no-regression',
      ]),
    );
    const played = /^[A-Z]+: (\d+) runs \(time limit reached\)/m.exec(captured.output)?.[1];
    expect(played).toBeDefined();
    expect(captured.output).toContain(`reproduce: hmip6 check --seed 3 --runs ${played} --property INV-NO-DIVERSION)`);
  });

  it('of_a_shard_stopped_by_a_time_limit_lets_the_shard_play_its_runs_again', () => {
    const shard = { index: 1, count: 3 };
    // Shard 2/3 played runs 1, 4, 7 and 10 of a run of 1000 before its time was up.
    const runs = reproduceRuns({ numRuns: 1000, runs: 4, interrupted: true }, shard);
    expect(runs).toBe(11);
    expect(shardRuns(runs, shard)).toBe(4);
    expect(reproduceRuns({ numRuns: 1000, runs: 1000, interrupted: false }, undefined)).toBe(1000);
  });

  it('keeps_what_changes_the_verdicts', () => {
    const options = { properties: ['INV-REPLAY' as const], stepsMax: 7, shard: { index: 0, count: 2 }, blackBox: true };
    expect(reproduceCommand({ seed: 9, numRuns: 50, runs: 25, interrupted: false }, options)).toBe(
      'hmip6 check --seed 9 --runs 50 --property INV-REPLAY --steps-max 7 --shard 1/2 --black-box',
    );
  });
});
