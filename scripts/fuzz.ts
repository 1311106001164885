// `npm run fuzz`: the full fuzz run of the readers of untrusted input (docs/exploring.md,
// "Corrupt files"): 10^4 mutated counterexample files through `hmip6 replay` in this process,
// and 10^4 random answer lines through the adapter's checks. test/replay/fuzz.test.ts runs a
// bounded share of the same inputs (test/replay/fuzz-inputs.ts). Prints what the inputs met
// and every problem with the seed and input number that reproduce it; exit 1 on any problem.
//
//   npm run fuzz [-- --inputs N] [--seed S] [--only files|answers]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  answerLine,
  answerProblem,
  counterexampleSeeds,
  mutateJsonText,
  replayCase,
  replayProblem,
  Rng,
} from '../test/replay/fuzz-inputs.js';

const INPUTS_DEFAULT = 10_000;
const SEED_DEFAULT = 20_261_207;
/** A replay of any file the schema accepts ends well within this (docs/exploring.md). */
const INPUT_MS_MAX = 10_000;
const PROBLEMS_SHOWN = 20;

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function table(map: Map<string, number>): string {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `    ${String(n).padStart(6)}  ${k}`)
    .join('\n');
}

async function fuzzFiles(inputs: number, seed: number): Promise<string[]> {
  const seeds = counterexampleSeeds();
  const dir = mkdtempSync(join(tmpdir(), 'hmip6-fuzz-'));
  const rng = new Rng(seed);
  const problems: string[] = [];
  const codes = new Map<string, number>();
  const fields = new Map<string, number>();
  let slowest = 0;
  const started = performance.now();
  try {
    for (let n = 0; n < inputs; n++) {
      const from = seeds[n % seeds.length];
      const c = await replayCase(mutateJsonText(from.text, rng), dir, n % 100, n % 10 === 0, from.alice);
      slowest = Math.max(slowest, c.ms);
      count(codes, `exit ${c.code}`);
      // The field a refusal names, down to its kind of place: `actions[].ms`, `steps[].events[].packet`.
      const refused = /^hmip6 replay: (?:cannot read \S+: ([^:]+?)(?::|$)|(the replay is not the file's run))/m.exec(
        c.output,
      );
      if (refused !== null)
        count(fields, (refused[1] ?? refused[2]).replace(/\[\d+\]/g, '[]').replace(/\["[^"]*"\]/g, '[key]'));
      const problem = replayProblem(c, INPUT_MS_MAX);
      if (problem !== null) problems.push(`file input ${n} (from ${from.name}, --seed ${seed}): ${problem}`);
      if ((n + 1) % 1000 === 0)
        process.stdout.write(`  files: ${n + 1}/${inputs}, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(
    `files: ${inputs} mutated counterexample files in ${((performance.now() - started) / 1000).toFixed(1)} s, slowest ${Math.round(slowest)} ms\n${table(codes)}\n  refused at (most often first):\n${table(new Map([...fields].sort((a, b) => b[1] - a[1]).slice(0, 15)))}\n`,
  );
  return problems;
}

function fuzzAnswers(inputs: number, seed: number): string[] {
  const rng = new Rng(seed);
  const problems: string[] = [];
  const started = performance.now();
  for (let n = 0; n < inputs; n++) {
    const id = 1 + rng.int(100);
    const { type, line } = answerLine(rng, id);
    const problem = answerProblem(type, line, id);
    if (problem !== null) problems.push(`answer input ${n} (${type}, --seed ${seed}): ${problem}`);
  }
  process.stdout.write(
    `answers: ${inputs} random answer lines in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return problems;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { inputs: { type: 'string' }, seed: { type: 'string' }, only: { type: 'string' } },
    strict: true,
  });
  const inputs = values.inputs === undefined ? INPUTS_DEFAULT : Number(values.inputs);
  const seed = values.seed === undefined ? SEED_DEFAULT : Number(values.seed);
  if (
    !Number.isSafeInteger(inputs) ||
    inputs < 1 ||
    !Number.isSafeInteger(seed) ||
    seed < 0 ||
    (values.only !== undefined && values.only !== 'files' && values.only !== 'answers')
  ) {
    process.stderr.write('usage: npm run fuzz [-- --inputs N] [--seed S] [--only files|answers]\n');
    return 3;
  }
  const problems = [
    ...(values.only !== 'answers' ? await fuzzFiles(inputs, seed) : []),
    ...(values.only !== 'files' ? fuzzAnswers(inputs, seed) : []),
  ];
  for (const p of problems.slice(0, PROBLEMS_SHOWN)) process.stdout.write(`PROBLEM ${p}\n`);
  process.stdout.write(problems.length === 0 ? 'no problem\n' : `${problems.length} problems\n`);
  return problems.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`fuzz: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  },
);
