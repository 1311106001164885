// `hmip6 replay FILE`: a counterexample file (format hmip6-counterexample/1) as a story a person
// reads in a minute (properties/story/): one line per packet, the failing step marked with its
// property, Alice's host cache and the model's state with what changed. The file's actions run
// again in its world against an Alice chosen here (default: the one the file names: the
// reference host or a mutant of the bank), so the story is a replay, checked byte for byte
// against the file. Options write the same run as an HTML sequence diagram, a pcap file, or a
// vitest test; `--step` steps through it on a terminal.
//
// Exit codes (ADAPTER-PROTOCOL.md): 0 the property holds on the replay (a fixed Alice), 1 it
// fails again (the counterexample reproduces), 2 the file cannot be read or the replay differs
// from the file, 3 usage error.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AdapterAlice, AdapterError, blackBoxFor } from '../../properties/adapter/index.js';
import { readCounterexample, type CounterexampleFile } from '../../properties/counterexample.js';
import { MODULE_EXT } from '../../properties/package-root.js';
import { asTest, collectedByDefault, VITEST_DEFAULT_INCLUDE } from '../../properties/story/as-test.js';
import { storyHtml } from '../../properties/story/html.js';
import { counterexamplePcap } from '../../properties/story/pcap.js';
import { replayStory, type ReplayOutcome } from '../../properties/story/replay.js';
import { runStepper } from '../../properties/story/stepper.js';
import { storyText } from '../../properties/story/text.js';
import type { AliceFactory } from '../../properties/world/types.js';
import { readArgs, usageError } from '../lib/options.js';
import { checkOutputs, writeOutputs } from '../lib/reports.js';
import { EXIT } from '../main.js';

/** The project root (cli/commands/ is two folders down). */
const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const HELP = `usage: hmip6 replay FILE [options]

Replays a counterexample file (written by 'hmip6 check' or 'hmip6 explore') against the Alice
it names (the reference host or a mutant of the bank) and prints its story: one line per
packet ("Mallory → Alice: BU claims 2001:db8:b::1, AH spi 0x9ab27 ok"), Alice's host cache
changes, world events, the failing step marked ✗ with its property, and the state tables of
Alice and of the model after the failing step (+ added, - removed, ~ changed).

options:
  --step               step through it on a terminal (n/→ next, p/← back, g<number>⏎ go to
                       step, f failing step, x packet bytes, q quit); without a terminal the
                       whole story is printed
  --html OUT.html      write a self-contained page: a sequence diagram (lanes for Alice, the
                       peers, Mallory and the network, as in the draft's Appendix A), the failing
                       step in red, state tables per step on click
  --pcap OUT.pcap      write every packet of the run with its virtual timestamp (tshark reads it)
  --as-test OUT.test.ts  write a vitest test that plays the file's recorded actions and expects
                       its property to hold; it imports only hmip6 and hmip6/vitest, so it runs
                       in any project that has them (with --impl: through that command, from
                       this working directory)
  --states WHICH       state tables after: failing (default), all, none
  --hex                hex dumps under every packet line
  --color / --no-color colours (default: when stdout is a terminal)
  --quiet              print no story (with --html, --pcap or --as-test)
  --impl "COMMAND"     replay against an implementation under test over the adapter protocol
                       (as 'hmip6 oracle --impl' runs it), instead of the Alice the file names
  --timeout-ms N       with --impl: the time each answer may take (default 2000)
  -h, --help           this text

exit codes: 0 the property holds on the replay, 1 it fails again (the counterexample
reproduces), 2 the file cannot be read or the replay differs from the file, 3 usage error.
`;

interface Parsed {
  file: string;
  step: boolean;
  html: string | undefined;
  pcap: string | undefined;
  asTest: string | undefined;
  states: 'failing' | 'all' | 'none';
  hex: boolean;
  color: boolean;
  quiet: boolean;
  impl: string | undefined;
  timeoutMs: number | undefined;
}

function parse(argv: string[]): Parsed | { help: true } | string {
  const args = readArgs(
    argv,
    {
      step: { type: 'boolean' },
      html: { type: 'string' },
      pcap: { type: 'string' },
      'as-test': { type: 'string' },
      states: { type: 'string' },
      hex: { type: 'boolean' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      quiet: { type: 'boolean' },
      impl: { type: 'string' },
      'timeout-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (typeof args === 'string') return args;
  const values = args.values as Record<string, string | boolean | undefined>;
  const positionals = args.positionals;
  if (values.help === true) return { help: true };
  if (positionals.length !== 1)
    return positionals.length === 0 ? 'a counterexample FILE is needed' : `one FILE only, got ${positionals.length}`;
  const states = (values.states as string | undefined) ?? 'failing';
  if (states !== 'failing' && states !== 'all' && states !== 'none')
    return `--states must be failing, all or none, got ${JSON.stringify(states)}`;
  const timeoutText = values['timeout-ms'] as string | undefined;
  const timeoutMs = timeoutText === undefined ? undefined : Number(timeoutText);
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs <= 0))
    return `--timeout-ms must be a positive integer, got ${JSON.stringify(timeoutText)}`;
  if (timeoutMs !== undefined && values.impl === undefined) return '--timeout-ms needs --impl';
  if (values.impl !== undefined && (values.impl as string).trim() === '') return '--impl needs a command';
  return {
    file: positionals[0],
    step: values.step === true,
    html: values.html as string | undefined,
    pcap: values.pcap as string | undefined,
    asTest: values['as-test'] as string | undefined,
    states,
    hex: values.hex === true,
    color: values['no-color'] === true ? false : values.color === true ? true : process.stdout.isTTY === true,
    quiet: values.quiet === true,
    impl: values.impl as string | undefined,
    timeoutMs,
  };
}

/**
 * The mutant bank (properties/mutants/bank/), so that a file naming a mutant replays against it. It ships
 * with the sources; where it is absent, files naming a mutant are told from their record.
 */
export async function mutantBank(): Promise<AliceFactory[]> {
  const index = resolve(PROJECT_ROOT, `properties/mutants/bank/index${MODULE_EXT}`);
  if (!existsSync(index)) return [];
  try {
    const m = (await import('../../properties/mutants/bank/index.js')) as {
      MUTANTS?: readonly { factory: AliceFactory }[];
    };
    return (m.MUTANTS ?? []).map((x) => x.factory);
  } catch {
    return [];
  }
}

/**
 * The Alice the replay runs. Default: the one the file names, found among the reference host
 * and the mutant bank. An implementation under test over the adapter protocol is one more
 * AliceFactory: a caller (or an `--impl` option) passes it here.
 */
export async function replayFile(file: CounterexampleFile, alice?: AliceFactory): Promise<ReplayOutcome> {
  return replayStory(file, alice !== undefined ? { alice } : { bank: await mutantBank() });
}

function write(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, data);
}

/** Runs the command; `alice` overrides the file's Alice (see replayFile). */
export async function run(argv: string[], alice?: AliceFactory): Promise<number> {
  const options = parse(argv);
  if (typeof options === 'string') return usageError('replay', options);
  if ('help' in options) {
    process.stdout.write(HELP);
    return EXIT.pass;
  }
  // The files asked for are checked before the replay, which may run an IUT for a while.
  const unwritable = checkOutputs('replay', [
    { option: '--html', path: options.html, kind: 'file' },
    { option: '--pcap', path: options.pcap, kind: 'file' },
    { option: '--as-test', path: options.asTest, kind: 'file' },
  ]);
  if (unwritable !== null) return unwritable;
  let file: CounterexampleFile;
  try {
    // Checked against the schema before anything runs: a bad field is one line, exit 2.
    file = readCounterexample(options.file);
  } catch (e) {
    process.stderr.write(`hmip6 replay: cannot read ${options.file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.error;
  }
  if (options.impl !== undefined && alice === undefined) {
    // An implementation under test: one more Alice, over the adapter protocol; always stopped.
    // Any protocol failure of the IUT (at start or during the replay) is an error (exit 2),
    // never a verdict about the property.
    let iut: AdapterAlice;
    try {
      iut = AdapterAlice.start({ command: options.impl, timeoutMs: options.timeoutMs, blackBox: blackBoxFor(file) });
    } catch (e) {
      process.stderr.write(
        `hmip6 replay: the replay failed: ${e instanceof AdapterError ? e.describe() : String(e)}\n`,
      );
      return EXIT.error;
    }
    try {
      const code = await tell(file, options, iut);
      if (iut.failure !== null) {
        process.stderr.write(`hmip6 replay: the replay failed: ${iut.failure.describe()}\n`);
        return EXIT.error;
      }
      return code;
    } finally {
      iut.close();
    }
  }
  return tell(file, options, alice);
}

async function tell(file: CounterexampleFile, options: Parsed, alice: AliceFactory | undefined): Promise<number> {
  let outcome: ReplayOutcome;
  try {
    outcome = await replayFile(file, alice);
  } catch (e) {
    const text = e instanceof AdapterError ? e.describe() : e instanceof Error ? (e.stack ?? e.message) : String(e);
    process.stderr.write(`hmip6 replay: the replay failed: ${text}\n`);
    return EXIT.error;
  }
  const story = outcome.story;
  const written: string[] = [];
  const unwritten = writeOutputs('replay', () => {
    if (options.html !== undefined) {
      write(options.html, storyHtml(story));
      written.push(`html: ${options.html}`);
    }
    if (options.pcap !== undefined) {
      write(options.pcap, counterexamplePcap(outcome.record));
      written.push(`pcap: ${options.pcap} (${outcome.record.packets.length} packets)`);
    }
    if (options.asTest !== undefined) {
      const impl = options.impl === undefined ? {} : { impl: { command: options.impl, cwd: process.cwd() } };
      write(
        options.asTest,
        asTest(file, { source: relative(process.cwd(), options.file) || options.file, out: options.asTest, ...impl }),
      );
      written.push(
        `test: ${options.asTest} (vitest collects it when its path matches the project's test.include; vitest's default: ${VITEST_DEFAULT_INCLUDE})`,
      );
      if (!collectedByDefault(options.asTest))
        written.push(
          `note: ${options.asTest} does not match vitest's default include: name it *.test.ts, or add it to test.include`,
        );
    }
  });
  if (unwritten !== null) return unwritten;
  const tty = process.stdin.isTTY === true && process.stdout.isTTY === true;
  if (options.step && tty) {
    await runStepper(
      story,
      { input: process.stdin, output: process.stdout },
      { color: options.color, start: 0, clear: true },
    );
  } else if (!options.quiet) {
    if (options.step) process.stderr.write('hmip6 replay: --step needs a terminal; printing the whole story\n');
    process.stdout.write(storyText(story, { color: options.color, states: options.states, hex: options.hex }));
  }
  for (const w of written) process.stdout.write(`${w}\n`);
  if (outcome.identical === false) {
    process.stderr.write(`hmip6 replay: the replay is not the file's run: ${outcome.firstDifference ?? ''}\n`);
    return EXIT.error;
  }
  if (outcome.failedAgain === null) return EXIT.fail;
  return outcome.failedAgain ? EXIT.fail : EXIT.pass;
}
