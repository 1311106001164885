// Counterexamples from an implementation under test (IUT), replayed against it.
//
// A counterexample file holds the world's configuration (its seed included) and the actions;
// `replayCounterexample(file, factory)` (properties/counterexample.ts) plays them again
// against any AliceFactory. An IUT over the adapter protocol is one: start it, replay, stop
// it. Each run's `reset` carries the world's seed as `config.seed`, so an IUT whose random
// source follows that seed (HOST.md rule 24) replays byte for byte; `identical` says whether
// it did. The file's mode is kept: a counterexample found in black-box mode has no states, so
// it is replayed in black-box mode too.

import {
  checkCounterexample,
  replayCounterexample,
  type CounterexampleFile,
  type ReplayResult,
} from '../counterexample.js';
import { AdapterAlice, type AdapterAliceOptions } from './alice.js';
import { AdapterError } from './errors.js';

/** Runs `fn` with the IUT as Alice and always stops the IUT. Throws AdapterError if the IUT fails to start. */
export function withAdapterAlice<T>(options: AdapterAliceOptions, fn: (alice: AdapterAlice) => T): T {
  const alice = AdapterAlice.start(options);
  try {
    return fn(alice);
  } finally {
    alice.close();
  }
}

/** `withAdapterAlice` for an asynchronous `fn` (the IUT is stopped once its promise settles). */
export async function withAdapterAliceAsync<T>(
  options: AdapterAliceOptions,
  fn: (alice: AdapterAlice) => Promise<T>,
): Promise<T> {
  const alice = AdapterAlice.start(options);
  try {
    return await fn(alice);
  } finally {
    alice.close();
  }
}

/** The mode a counterexample file was found in: without states, black-box (no `state` requests). */
export function blackBoxFor(file: CounterexampleFile): boolean {
  return !file.alice.features.includes('state');
}

export interface IutReplay {
  /** The replay, when the IUT kept to the protocol throughout. */
  replay: ReplayResult | null;
  /** The IUT's protocol failure during the replay, if any (then `replay` may be incomplete). */
  error: AdapterError | null;
}

/**
 * Replays `file` against the IUT `options.command` (what `hmip6 replay FILE --impl "<command>"`
 * does). Never throws for anything the IUT does; always stops it. A file that fails the schema
 * throws CounterexampleError before the IUT is started.
 */
export function replayAgainstIut(file: CounterexampleFile, options: AdapterAliceOptions): IutReplay {
  checkCounterexample(file);
  const blackBox = options.blackBox ?? blackBoxFor(file);
  let alice: AdapterAlice;
  try {
    alice = AdapterAlice.start({ ...options, blackBox });
  } catch (e) {
    if (e instanceof AdapterError) return { replay: null, error: e };
    throw e;
  }
  try {
    const replay = replayCounterexample(file, alice);
    return { replay, error: alice.failure };
  } finally {
    alice.close();
  }
}
