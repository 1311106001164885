// Replaying a counterexample file for its story (`hmip6 replay`): the file's actions run again in
// its world against an Alice chosen by the caller (default: the one the file names, the
// reference host or a mutant of the bank), the property is judged again on the new run, and the
// model runs alongside for the state tables. With the file's own Alice the new run is the
// file's, byte for byte (`replayCounterexample` checks it); with another (a fixed host, an
// external implementation over the adapter protocol) it is that Alice's run on the same
// schedule. Without any Alice to run, the story is told from the file's record alone.

import type { HostState } from '../../impl/host/types.js';
import { checkCounterexample, replayCounterexample, type CounterexampleFile } from '../counterexample.js';
import { propertyById } from '../invariants/index.js';
import { lockstep } from '../lockstep.js';
import { blackBox, referenceAlice } from '../world/alice.js';
import type { AliceFactory } from '../world/types.js';
import { buildStory, type Story } from './story.js';

const BLACK_BOX_SUFFIX = ' (black box)';

/**
 * The Alice a file names (`alice.name`): `reference`, a name in `bank` (the mutants), or
 * either seen as a black box (`<name> (black box)`). Null when the name is unknown here.
 */
export function aliceByName(name: string, bank: readonly AliceFactory[] = []): AliceFactory | null {
  if (name.endsWith(BLACK_BOX_SUFFIX)) {
    const inner = aliceByName(name.slice(0, -BLACK_BOX_SUFFIX.length), bank);
    return inner === null ? null : blackBox(inner);
  }
  if (name === referenceAlice.name) return referenceAlice;
  return bank.find((f) => f.name === name) ?? null;
}

export interface ReplayOptions {
  /** The Alice to run; default: the file's, resolved with `bank`. */
  alice?: AliceFactory;
  /** Factories the file's Alice may be found among (the mutant bank). */
  bank?: readonly AliceFactory[];
}

export interface ReplayOutcome {
  story: Story;
  /** The record the story tells: the new run when there was one, else the file. */
  record: CounterexampleFile;
  /** The Alice that ran, or null when the story is the file's record alone. */
  alice: AliceFactory | null;
  /** With the file's own Alice: whether the run is the file's, byte for byte; null otherwise. */
  identical: boolean | null;
  firstDifference: string | null;
  /** Whether the file's property (or, for a crash, Alice) failed again on the new run; null without a run. */
  failedAgain: boolean | null;
}

/** Throws CounterexampleError for a file that fails the schema, before anything runs or is told. */
export function replayStory(file: CounterexampleFile, options: ReplayOptions = {}): ReplayOutcome {
  checkCounterexample(file);
  const own = aliceByName(file.alice.name, options.bank);
  const alice = options.alice ?? own;
  if (alice === null) {
    const story = buildStory(file, {
      notes: [`not replayed: Alice "${file.alice.name}" is not known here, so this is the file's record`],
    });
    return { story, record: file, alice: null, identical: null, firstDifference: null, failedAgain: null };
  }
  const replay = replayCounterexample(file, alice);
  const sameAlice = alice.name === file.alice.name;
  const record: CounterexampleFile = { ...replay.file, alice: { name: alice.name, features: [...alice.features] } };
  // Judge again: another Alice may fail elsewhere, or not at all.
  let failedAgain: boolean;
  if (file.property === null) {
    // The world says whether Alice threw and in which step (that of the action she threw in:
    // the trace has no step for it). A run that merely ended early (a storm) is no crash.
    failedAgain = replay.crash !== undefined;
    record.failingStep = replay.crash?.step ?? -1;
    record.reason =
      replay.crash !== undefined
        ? replay.crash.message
        : `Alice does not crash on this run (she crashed with ${file.alice.name}: ${file.reason})`;
  } else {
    const verdict = propertyById(file.property).check(replay.trace);
    failedAgain = !verdict.ok;
    record.failingStep = verdict.ok ? -1 : verdict.step;
    record.reason = verdict.ok
      ? `${file.property} holds on this run (it failed with ${file.alice.name}: ${file.reason})`
      : verdict.reason;
  }
  const modelStates: (HostState | null)[] = lockstep(replay.trace).modelStates;
  const notes: string[] = [];
  if (sameAlice)
    notes.push(
      replay.identical
        ? `replayed with ${alice.name}: the same run as the file, byte for byte`
        : `replayed with ${alice.name}: the run differs from the file ${replay.firstDifference ?? ''}`,
    );
  else
    notes.push(
      `replayed with ${alice.name} (the file's Alice was ${file.alice.name}): ${failedAgain ? 'it fails too' : 'it passes'}`,
    );
  const story = buildStory(record, { modelStates, notes });
  if (!failedAgain)
    story.title =
      file.property === null
        ? `no crash when replayed with ${alice.name} (${file.alice.name} crashed)`
        : `${file.property}: holds when replayed with ${alice.name} (it failed with ${file.alice.name})`;
  return {
    story,
    record,
    alice,
    identical: sameAlice ? replay.identical : null,
    firstDifference: sameAlice ? replay.firstDifference : null,
    failedAgain,
  };
}
