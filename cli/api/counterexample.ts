// Counterexample files in the library (docs/api.md): read one, replay it against a host or an
// implementation under test, and tell it as text, HTML or pcap, as `hmip6 replay` does.

import { AdapterAlice, blackBoxFor } from '../../properties/adapter/index.js';
import {
  checkCounterexample,
  parseCounterexample,
  readCounterexample,
  serializeCounterexample,
  type CounterexampleFile,
} from '../../properties/counterexample.js';
import { propertyById } from '../../properties/invariants/index.js';
import { storyHtml } from '../../properties/story/html.js';
import { counterexamplePcap } from '../../properties/story/pcap.js';
import { aliceByName, replayStory } from '../../properties/story/replay.js';
import { storyText } from '../../properties/story/text.js';
import type { AliceFactory, Schedule } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';
import { mutantBank } from '../commands/replay.js';
import { aliceOf, type HostUnderTest } from './check.js';

export { parseCounterexample, readCounterexample, serializeCounterexample, type CounterexampleFile };

/** Who a replay runs: a host in this process, an implementation's command, or a name. */
export interface ReplayTarget {
  /** A host under test (or an AliceFactory). */
  host?: HostUnderTest | AliceFactory;
  /** An implementation under test over the adapter protocol, and its working directory. */
  impl?: { command: string; cwd?: string; timeoutMs?: number; blackBox?: boolean };
  /** `reference`, or a mutant of the bank by name (default: the Alice the file names). */
  alice?: string;
}

export interface ReplayVerdict {
  /** The property (for a crash file: "Alice does not throw") holds on the replay. */
  holds: boolean;
  /** The property the file is about (null: a crash). */
  property: string | null;
  /** Why it fails again, or that it holds. */
  reason: string;
  /** The step it fails at (-1: it holds). */
  failingStep: number;
  /** Who ran. */
  alice: string;
}

/** The AliceFactory `name` stands for: `reference`, a mutant of the bank, either as `NAME (black box)`. */
export async function aliceNamed(name: string): Promise<AliceFactory | null> {
  return aliceByName(name, await mutantBank());
}

async function resolveAlice(file: CounterexampleFile, target: ReplayTarget): Promise<AliceFactory> {
  if (target.host !== undefined) return aliceOf(target.host);
  const name = target.alice ?? file.alice.name;
  const found = await aliceNamed(name);
  if (found === null) {
    throw new Error(
      `no Alice named "${name}" here: pass your host (host: { name, make }) or an implementation (impl: { command }) to replay this counterexample (docs/api.md)`,
    );
  }
  return found;
}

/**
 * Plays `schedule` against Alice and judges `property` on the run (null: judges only that Alice
 * does not throw). Never draws anything: the actions are the recorded ones.
 */
export async function judgeSchedule(
  schedule: Schedule,
  property: string | null,
  target: ReplayTarget & { file?: CounterexampleFile },
): Promise<ReplayVerdict> {
  const judge = (alice: AliceFactory): ReplayVerdict => {
    const run = runSchedule(schedule, alice);
    if (property === null) {
      return run.crash === undefined
        ? { holds: true, property, reason: 'Alice does not throw on this run', failingStep: -1, alice: alice.name }
        : { holds: false, property, reason: run.crash.message, failingStep: run.crash.step, alice: alice.name };
    }
    const verdict = propertyById(property as Parameters<typeof propertyById>[0]).check(run.trace);
    return verdict.ok
      ? { holds: true, property, reason: `${property} holds on this run`, failingStep: -1, alice: alice.name }
      : { holds: false, property, reason: verdict.reason, failingStep: verdict.step, alice: alice.name };
  };
  if (target.impl !== undefined) {
    const iut = AdapterAlice.start({
      command: target.impl.command,
      cwd: target.impl.cwd ?? process.cwd(),
      blackBox: target.impl.blackBox ?? (target.file !== undefined ? blackBoxFor(target.file) : false),
      ...(target.impl.timeoutMs !== undefined ? { timeoutMs: target.impl.timeoutMs } : {}),
    });
    try {
      const verdict = judge(iut);
      if (iut.failure !== null)
        throw new Error(`the implementation failed during the replay: ${iut.failure.describe()}`);
      return verdict;
    } finally {
      iut.close();
    }
  }
  const file = target.file;
  const alice =
    file !== undefined
      ? await resolveAlice(file, target)
      : target.host !== undefined
        ? aliceOf(target.host)
        : await aliceNamed(target.alice ?? 'reference');
  if (alice === null) throw new Error(`no Alice named "${target.alice ?? ''}" here (docs/api.md)`);
  return judge(alice);
}

/** Replays a counterexample file's recorded actions and judges its property again. */
export async function replay(file: CounterexampleFile, target: ReplayTarget = {}): Promise<ReplayVerdict> {
  checkCounterexample(file);
  return judgeSchedule({ config: file.config, actions: file.actions }, file.property, { ...target, file });
}

/** The file's story as text, as `hmip6 replay FILE` prints it (replayed against the Alice it names, when known here). */
export async function story(
  file: CounterexampleFile,
  options: { color?: boolean; states?: 'failing' | 'all' | 'none'; hex?: boolean } = {},
): Promise<string> {
  const outcome = replayStory(file, { bank: await mutantBank() });
  return storyText(outcome.story, {
    color: options.color ?? false,
    states: options.states ?? 'failing',
    hex: options.hex ?? false,
  });
}

/** The file as one self-contained HTML page (`hmip6 replay FILE --html OUT`). */
export async function storyPage(file: CounterexampleFile): Promise<string> {
  return storyHtml(replayStory(file, { bank: await mutantBank() }).story);
}

/** Every packet of the file's run as a pcap file (`hmip6 replay FILE --pcap OUT`). */
export function pcap(file: CounterexampleFile): Uint8Array {
  return counterexamplePcap(file);
}
