// Minimal failing traces per mutant–property pair, for the ETNA comparison (bench/etna.ts):
// what `hmip6 explore --mutant NAME --scope full --keep-going --depth K` finds, i.e. the
// explorer's own search (properties/explore/) with each mutant of properties/mutants/bank/ as Alice.
//
// The search is breadth first over moves, so the first failure of a property is at the
// smallest number of moves there is (within the scope and the key's abstraction); the
// explorer then drops single actions the failure does not need. Its length in actions is the
// figure compared with the shrunk counterexample's length in actions. A pair the search did not
// reach within its depth or time has no minimal length ("where it has one"). The reference
// host is searched the same way first: a property it fails itself in that scope says nothing
// about a mutant (and the search does not expand failing states, so a mutant's own minimal
// trace for that property stays unknown), so such pairs get no minimal length either.
//
// The search costs 10 to 20 s per mutant on 2 cores (about 5 minutes for the bank), so --quick
// does not run it: it reads the lengths of the last full run from bench/results.json, and says so.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defaultWorkers, explore } from '../properties/explore/explore.js';
import { REFERENCE_SOURCE } from '../properties/explore/alice-source.js';
import { referenceAlice } from '../properties/world/alice.js';
import { SCOPES } from '../properties/explore/scope.js';
import type { Mutant } from '../properties/mutants/types.js';
import { pairKey, type MinimalLengths } from './etna.js';
import { now } from './lib/stats.js';

const MUTANT_INDEX = fileURLToPath(new URL('../properties/mutants/bank/index.ts', import.meta.url));
/** The committed results of the last full run. */
export const RESULTS_FILE = fileURLToPath(new URL('./results.json', import.meta.url));

export interface MinimalSearchOptions {
  /** The explorer's scope: `full` is the one the mutants are searched in. */
  scope: string;
  depth: number;
  /** Per mutant. */
  timeLimitSeconds: number;
  workers: number;
}

export const MINIMAL_FULL: Readonly<MinimalSearchOptions> = {
  scope: 'full',
  depth: 3,
  timeLimitSeconds: 120,
  workers: defaultWorkers(),
};

export interface MinimalSearch extends MinimalLengths {
  options: MinimalSearchOptions;
  /** Properties the reference host itself fails in the scope (their pairs get no minimal length), with the shortest trace. */
  referenceFails: { property: string; moves: string[]; actions: number; reason: string }[];
  perMutant: {
    mutant: string;
    depthCompleted: number;
    stopped: string | null;
    seconds: number;
    failures: { property: string; moves: number; actions: number }[];
  }[];
}

export async function searchMinimalLengths(
  bank: readonly Mutant[],
  options: MinimalSearchOptions,
  log: (line: string) => void = () => {},
): Promise<MinimalSearch> {
  const scope = SCOPES[options.scope];
  if (scope === undefined) throw new Error(`bench: no explorer scope ${options.scope}`);
  const lengths = new Map<string, number>();
  const perMutant: MinimalSearch['perMutant'] = [];
  const reference = await explore({
    depth: options.depth,
    scope,
    alice: referenceAlice,
    aliceSource: REFERENCE_SOURCE,
    workers: options.workers,
    keepGoing: true,
    timeLimitMs: options.timeLimitSeconds * 1000,
  });
  const referenceFails = reference.failures.map((f) => ({
    property: f.property ?? 'crash',
    moves: f.moves,
    actions: f.actions.length,
    reason: f.reason,
  }));
  const unusable = new Set(referenceFails.map((f) => f.property));
  log(
    `  explore reference: depth ${reference.depthCompleted}; ${referenceFails.length === 0 ? 'no failure' : `FAILS ${referenceFails.map((f) => `${f.property} (${f.moves.join(', ')})`).join('; ')}`}`,
  );
  for (const m of bank) {
    const t0 = now();
    const report = await explore({
      depth: options.depth,
      scope,
      alice: m.factory,
      aliceSource: { module: pathToFileURL(MUTANT_INDEX).href, export: 'MUTANTS', name: m.name },
      workers: options.workers,
      keepGoing: true,
      timeLimitMs: options.timeLimitSeconds * 1000,
    });
    const failures = report.failures
      .filter((f) => f.property !== null)
      .map((f) => ({ property: f.property as string, moves: f.depth, actions: f.actions.length }));
    for (const f of failures) if (!unusable.has(f.property)) lengths.set(pairKey(m.name, f.property), f.actions);
    const seconds = Math.round((now() - t0) / 100) / 10;
    perMutant.push({
      mutant: m.name,
      depthCompleted: report.depthCompleted,
      stopped: report.stopped,
      seconds,
      failures,
    });
    log(
      `  explore ${m.name}: depth ${report.depthCompleted} in ${seconds} s; ${failures.length === 0 ? 'no failure' : failures.map((f) => `${f.property} ${f.actions} actions`).join(', ')}`,
    );
  }
  const except =
    referenceFails.length === 0
      ? ''
      : `; none for ${[...unusable].join(', ')}, which the reference host fails in that scope too`;
  return {
    source: `hmip6 explore --scope ${options.scope} --keep-going, depth ≤ ${options.depth}, ≤ ${options.timeLimitSeconds} s per mutant${except}`,
    lengths,
    options,
    referenceFails,
    perMutant,
  };
}

/** The minimal lengths recorded by the last full run (bench/results.json), if there is one. */
export function minimalLengthsFromResults(file = RESULTS_FILE): MinimalLengths | null {
  if (!existsSync(file)) return null;
  try {
    const results = JSON.parse(readFileSync(file, 'utf8')) as {
      machine?: { date?: string };
      etna?: { taskList?: { mutant: string; property: string; minimalLength: number | null }[]; minimal?: string };
    };
    const list = results.etna?.taskList ?? [];
    const lengths = new Map<string, number>();
    for (const t of list)
      if (typeof t.minimalLength === 'number') lengths.set(pairKey(t.mutant, t.property), t.minimalLength);
    if (lengths.size === 0) return null;
    return {
      source: `${results.etna?.minimal ?? 'hmip6 explore'}, as recorded in bench/results.json (full run of ${results.machine?.date?.slice(0, 10) ?? 'unknown date'})`,
      lengths,
    };
  } catch {
    return null;
  }
}
