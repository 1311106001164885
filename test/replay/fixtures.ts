// Real counterexamples for the replay tests: the property runner against a mutant of the bank
// (properties/mutants/bank/), with a fixed seed, written to a temporary folder and read back, as a user
// would get them from `hmip6 check`.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  parseCounterexample,
  serializeCounterexample,
  type CounterexampleFile,
} from '../../properties/counterexample.js';
import type { PropertyId } from '../../properties/invariants/types.js';
import { runCheck } from '../../properties/runner.js';
import { mutantByName } from '../../properties/mutants/bank/index.js';

export interface RealCounterexample {
  path: string;
  text: string;
  file: CounterexampleFile;
}

const cache = new Map<string, RealCounterexample>();

/** A counterexample `hmip6 check --seed <seed>` finds for `mutant` on `property`, as a file in a temporary folder. */
export async function realCounterexample(
  mutant: string,
  property: PropertyId,
  seed: number,
  numRuns = 200,
): Promise<RealCounterexample> {
  const key = `${mutant}|${property}|${seed}|${numRuns}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const m = mutantByName(mutant);
  if (m === undefined) throw new Error(`no mutant ${mutant}`);
  const report = await runCheck({ seed, numRuns, alice: m.factory, properties: [property] });
  const found = report.properties[0].counterexample;
  if (found === undefined) throw new Error(`${mutant} passes ${property} with seed ${seed}`);
  const dir = mkdtempSync(join(tmpdir(), 'hmip6-replay-'));
  const path = join(dir, `${property}-seed${seed}.json`);
  writeFileSync(path, serializeCounterexample(found));
  const text = readFileSync(path, 'utf8');
  const out = { path, text, file: parseCounterexample(text) };
  cache.set(key, out);
  return out;
}

/** Appendix C against the host that activates without a challenge: Mallory claims Bob's address (seed 27; the seed moves when the schedule generator changes). */
export function appendixC(): Promise<RealCounterexample> {
  return realCounterexample('activates-without-challenge', 'INV-ACTIVE-VERIFIED', 27);
}
