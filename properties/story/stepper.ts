// The interactive stepper of `hmip6 replay --step`: one step of the story per screen, with
// Alice's host cache and the model's state after it and what changed. Keys (raw-mode stdin):
//   n, space, → (or ↓)   next step          p, ← (or ↑)   previous step
//   g <number> Enter      go to a step       f             the failing step
//   x                     show or hide the packets' bytes (hex dumps)
//   q, Esc, Ctrl-C        quit               h, ?          help
// Without a terminal the caller prints the whole story instead (text.ts).

import type { Story } from './story.js';
import { stepText } from './text.js';

/** What the stepper reads and writes: a terminal, or any pair of streams (tests). */
export interface StepperIo {
  input: NodeJS.ReadableStream & { setRawMode?: (raw: boolean) => unknown; isTTY?: boolean };
  output: NodeJS.WritableStream;
}

export interface StepperOptions {
  color: boolean;
  /** The step shown first (default 0, the setup). */
  start?: number;
  /** Clear the screen before each step (a terminal); off, screens follow each other (logs, tests). */
  clear?: boolean;
}

const KEYS = {
  ctrlC: '\u0003',
  esc: '\u001b',
  enter: '\r',
  newline: '\n',
  backspace: '\u007f',
  backspaceAlt: '\b',
  right: '\u001b[C',
  left: '\u001b[D',
  down: '\u001b[B',
  up: '\u001b[A',
};
const CLEAR_SCREEN = '\u001b[2J\u001b[H';

export const STEPPER_HELP = 'n/→ next · p/← back · g<number>⏎ go to step · f failing step · x bytes · h help · q quit';

/** The state of the stepper between keys: pure, so that tests drive it without a terminal. */
export interface StepperState {
  step: number;
  hex: boolean;
  /** Digits typed after `g`, or null when not jumping. */
  jump: string | null;
  help: boolean;
  message: string;
  done: boolean;
}

/** One key (or escape sequence) applied to the stepper's state. */
export function stepperKey(story: Story, state: StepperState, key: string): StepperState {
  const last = story.steps.length - 1;
  const s: StepperState = { ...state, message: '' };
  if (key === KEYS.ctrlC) return { ...s, done: true };
  if (s.jump !== null) {
    if (/^[0-9]$/.test(key)) return { ...s, jump: s.jump + key };
    if (key === KEYS.backspace || key === KEYS.backspaceAlt) return { ...s, jump: s.jump.slice(0, -1) };
    if (key === KEYS.enter || key === KEYS.newline) {
      const n = Number(s.jump);
      if (s.jump === '' || !Number.isInteger(n) || n < 0 || n > last)
        return { ...s, jump: null, message: `no step ${s.jump} (0 to ${last})` };
      return { ...s, jump: null, step: n };
    }
    if (key === KEYS.esc || key === 'q') return { ...s, jump: null };
    return s;
  }
  switch (key) {
    case 'n':
    case ' ':
    case KEYS.right:
    case KEYS.down:
      return s.step < last ? { ...s, step: s.step + 1 } : { ...s, message: 'this is the last step' };
    case 'p':
    case KEYS.left:
    case KEYS.up:
      return s.step > 0 ? { ...s, step: s.step - 1 } : { ...s, message: 'this is the first step' };
    case 'g':
      return { ...s, jump: '' };
    case 'f':
      return story.failingStep >= 0 && story.failingStep <= last
        ? { ...s, step: story.failingStep }
        : { ...s, message: 'no step fails' };
    case 'x':
      return { ...s, hex: !s.hex };
    case 'h':
    case '?':
      return { ...s, help: !s.help };
    case 'q':
    case KEYS.esc:
      return { ...s, done: true };
    default:
      return s;
  }
}

/** The screen for a state. */
export function stepperScreen(story: Story, state: StepperState, options: StepperOptions): string {
  const step = story.steps[state.step];
  const lines = [
    `${story.title}`,
    `  ${story.reason}`,
    '',
    stepText(story, step, { color: options.color, states: 'all', hex: state.hex }),
    '',
  ];
  if (state.help)
    lines.push(
      'keys: n, space, → next step; p, ← previous step; g then a number and Enter: go to that step; f: the failing step; x: show or hide packet bytes; q, Esc: quit',
      '',
    );
  if (state.message !== '') lines.push(`(${state.message})`);
  lines.push(
    state.jump !== null
      ? `go to step: ${state.jump}_`
      : `[step ${story.steps[state.step]?.index ?? state.step}/${story.lastStep}] ${STEPPER_HELP}`,
  );
  return `${options.clear === true ? CLEAR_SCREEN : ''}${lines.join('\n')}\n`;
}

/** Splits a chunk of raw input into keys: escape sequences (arrows) stay whole. */
export function splitKeys(chunk: string): string[] {
  const keys: string[] = [];
  for (let i = 0; i < chunk.length;) {
    if (chunk[i] === KEYS.esc && chunk[i + 1] === '[' && i + 2 < chunk.length) {
      keys.push(chunk.slice(i, i + 3));
      i += 3;
    } else {
      keys.push(chunk[i]);
      i += 1;
    }
  }
  return keys;
}

/** Runs the stepper until the user quits (or the input ends). */
export function runStepper(story: Story, io: StepperIo, options: StepperOptions): Promise<void> {
  let state: StepperState = {
    step: Math.max(0, Math.min(story.steps.length - 1, options.start ?? 0)),
    hex: false,
    jump: null,
    help: false,
    message: '',
    done: false,
  };
  const raw = typeof io.input.setRawMode === 'function';
  if (raw) io.input.setRawMode?.(true);
  io.output.write(stepperScreen(story, state, options));
  return new Promise((resolve) => {
    const finish = (): void => {
      io.input.removeListener('data', onData);
      io.input.removeListener('end', finish);
      if (raw) io.input.setRawMode?.(false);
      io.input.pause();
      resolve();
    };
    const onData = (chunk: Buffer | string): void => {
      for (const key of splitKeys(typeof chunk === 'string' ? chunk : chunk.toString('utf8'))) {
        const next = stepperKey(story, state, key);
        if (next.done) {
          finish();
          return;
        }
        if (next !== state) {
          state = next;
          io.output.write(stepperScreen(story, state, options));
        }
      }
    };
    io.input.on('data', onData);
    io.input.on('end', finish);
    io.input.resume();
  });
}
