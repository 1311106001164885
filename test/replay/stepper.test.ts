// The interactive stepper: its keys on a fake terminal (a stream with setRawMode), and on a
// real pseudo terminal through util-linux's `script`.

import { spawn, spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { replayStory } from '../../properties/story/replay.js';
import { runStepper, splitKeys, stepperKey, type StepperState } from '../../properties/story/stepper.js';
import { mutantByName } from '../../properties/mutants/bank/index.js';
import { appendixC } from './fixtures.js';

const bank = [mutantByName('activates-without-challenge')?.factory].filter((f) => f !== undefined);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function start(): StepperState {
  return { step: 0, hex: false, jump: null, help: false, message: '', done: false };
}

describe('the stepper', () => {
  it('keys_move_between_steps_jump_show_bytes_and_quit', async () => {
    const { story } = replayStory((await appendixC()).file, { bank });
    const press = (s: StepperState, ...keys: string[]): StepperState =>
      keys.reduce((acc, k) => stepperKey(story, acc, k), s);
    expect(press(start(), 'n').step).toBe(1);
    expect(press(start(), '\u001b[C', '\u001b[C').step).toBe(2);
    expect(press(start(), 'n', 'n', 'n').message).toBe('this is the last step');
    expect(press(start(), 'n', 'p').step).toBe(0);
    expect(press(start(), 'p').message).toBe('this is the first step');
    expect(press(start(), 'g', '2', '\r').step).toBe(2);
    expect(press(start(), 'g', '9', '\r')).toMatchObject({ step: 0, message: 'no step 9 (0 to 2)' });
    expect(press(start(), 'g', '2', '\u007f', '1', '\r').step).toBe(1);
    expect(press(start(), 'f').step).toBe(story.failingStep);
    expect(press(start(), 'x').hex).toBe(true);
    expect(press(start(), 'x', 'x').hex).toBe(false);
    expect(press(start(), 'q').done).toBe(true);
    expect(press(start(), '\u0003').done).toBe(true);
    expect(splitKeys('n\u001b[Dx')).toEqual(['n', '\u001b[D', 'x']);
  });

  it('runs_on_a_fake_terminal_in_raw_mode_until_q', async () => {
    const { story } = replayStory((await appendixC()).file, { bank });
    const input = Object.assign(new PassThrough(), {
      isTTY: true,
      rawModes: [] as boolean[],
      setRawMode(raw: boolean) {
        this.rawModes.push(raw);
        return this;
      },
    });
    const output = new PassThrough();
    let screen = '';
    output.on('data', (c: Buffer) => (screen += c.toString('utf8')));
    const done = runStepper(story, { input, output }, { color: false });
    input.write('n');
    input.write('\u001b[C');
    input.write('x');
    input.write('q');
    await done;
    expect(input.rawModes).toEqual([true, false]);
    expect(screen).toContain('step 0/2  setup');
    expect(screen).toContain('step 1/2  Mallory claims Bob');
    expect(screen).toMatch(/✗ step 2\/2 {2}time passes: \d+ ms/);
    // x: hex dumps under the packet lines (an IPv6 header starts 60 00 00 00).
    expect(screen).toMatch(/0000 {2}60 00 00 00/);
    expect(screen).toContain("Alice's host cache after step 2");
    expect(screen).toContain('n/→ next · p/← back');
  });

  it('runs_on_a_real_pseudo_terminal', async (context) => {
    if (spawnSync('script', ['--version']).status !== 0) {
      context.skip('util-linux script is not installed: no pseudo terminal to test with');
      return;
    }
    const { path } = await appendixC();
    // script(1) gives the command a pseudo terminal; what we write to its stdin is typed there.
    const child = spawn('script', ['-qfec', `node cli/bin.mjs replay ${path} --step --no-color`, '/dev/null'], {
      cwd: ROOT,
      env: { ...process.env, TERM: 'dumb', COLUMNS: '200', LINES: '50' },
    });
    let screen = '';
    child.stdout.on('data', (c: Buffer) => (screen += c.toString('utf8')));
    const waitFor = async (text: string): Promise<void> => {
      for (let i = 0; i < 300 && !screen.includes(text); i++) await new Promise((r) => setTimeout(r, 100));
      expect(screen).toContain(text);
    };
    await waitFor('n/→ next');
    child.stdin.write('g');
    await waitFor('go to step:');
    child.stdin.write('2\r');
    await waitFor('✗ step 2/2');
    child.stdin.write('q');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(1); // the counterexample reproduces
    expect(screen).toContain('✗ INV-ACTIVE-VERIFIED');
  });
});
