// A counterexample as a vitest test that reproduces it (Hypothesis prints failures as runnable
// code; so do we): `hmip6 replay FILE --as-test OUT.test.ts`. The test plays the actions the
// file records, in its world (never drawn again from the seed, so a new generator cannot change
// an old test), and expects the property to hold: it fails while Alice is broken and passes
// once she is fixed, which is what a regression suite wants.
//
// It imports only the package (`hmip6`, `hmip6/vitest`), so it runs wherever it is written:
// in the user's own repository as in this one. For a counterexample of an implementation under
// test, it stores the `--impl` command and its working directory (relative to the test file),
// and replays through the adapter protocol.

import { dirname, relative, resolve } from 'node:path';
import type { CounterexampleFile } from '../counterexample.js';
import { describeAction } from '../world/describe.js';

/** The glob vitest collects by default (its `test.include`); a generated test must match the project's. */
export const VITEST_DEFAULT_INCLUDE = '**/*.{test,spec}.?(c|m)[jt]s?(x)';

/** Whether `path` matches vitest's default include. */
export function collectedByDefault(path: string): boolean {
  return /\.(test|spec)\.[cm]?[jt]sx?$/.test(path);
}

export interface AsTestOptions {
  /** Shown in the header: the file it was written from. */
  source?: string;
  /** The implementation under test the counterexample is replayed through (`--impl`), and its working directory. */
  impl?: { command: string; cwd: string };
  /** Where the test will be written (to name the implementation's working directory relative to it). */
  out?: string;
}

function comment(text: string): string {
  return text.replace(/\*\//g, '* /').replace(/\r?\n/g, ' ');
}

/** `dir` relative to the folder of `out`, as a URL path that ends in a slash (`../../`, `./`). */
function relativeDir(out: string, dir: string): string {
  const rel = relative(dirname(resolve(out)), resolve(dir))
    .split('\\')
    .join('/');
  return rel === '' ? './' : `${rel}/`;
}

export function asTest(file: CounterexampleFile, options: AsTestOptions = {}): string {
  const property = file.property;
  const what = property ?? 'ALICE-CRASH';
  const alice = file.alice.name;
  const known = alice.replace(/ \(black box\)$/, '');
  const blackBox = alice.endsWith(' (black box)') || !file.alice.features.includes('state');
  const found = file.path !== '' ? `seed ${file.seed}, path ${file.path}` : 'found by hmip6 explore';
  const actions = file.actions.map((a) => `    A.${describeAction(a)},`).join('\n');
  const impl = options.impl;
  const target =
    impl === undefined
      ? [
          `  // The Alice it was found with: the reference host, a mutant of hmip6/mutants, or your own host`,
          `  // (then pass it instead: host: { name: ${JSON.stringify(known)}, make: (options) => createMyHost(options) }).`,
          `  alice: process.env.HMIP6_ALICE ?? ${JSON.stringify(alice)},`,
        ]
      : [
          `  // The implementation under test, as \`hmip6 replay --impl\` ran it, from its working directory.`,
          `  impl: {`,
          `    command: process.env.HMIP6_IMPL ?? ${JSON.stringify(impl.command)},`,
          `    cwd: new URL(${JSON.stringify(relativeDir(options.out ?? '.', impl.cwd))}, import.meta.url),`,
          ...(blackBox ? ['    blackBox: true,'] : []),
          `  },`,
        ];
  const lines = [
    `// Regression test for a counterexample found by hmip6: ${what} failed with Alice = ${impl?.command ?? alice}.`,
    `// ${comment(file.reason)}`,
    `//`,
    `// Written by \`hmip6 replay ${options.source ?? 'FILE'} --as-test\`. It plays the recorded actions`,
    `// (never drawn again) and expects the property to hold: it fails while Alice is broken and passes`,
    `// once she is fixed. It imports only hmip6: \`npx vitest run <this file>\` wherever hmip6 and vitest`,
    `// are installed (vitest collects it when its path matches test.include, by default`,
    `// ${VITEST_DEFAULT_INCLUDE}).${impl === undefined ? " HMIP6_ALICE=reference (or a mutant's name) runs it against another Alice." : ' HMIP6_IMPL runs another command.'}`,
    '',
    "import { A, type Schedule } from 'hmip6';",
    "import { testSchedule } from 'hmip6/vitest';",
    '',
    '/** The schedule the counterexample file records: its world, then its actions. */',
    'const SCHEDULE: Schedule = {',
    `  config: ${JSON.stringify(file.config)},`,
    '  actions: [',
    actions,
    '  ],',
    '};',
    '',
    `testSchedule(${JSON.stringify(`counterexample: ${what} with ${impl?.command ?? alice}, ${found}`)}, SCHEDULE, {`,
    `  property: ${property === null ? 'null' : `'${property}'`},`,
    ...target,
    '});',
    '',
  ];
  return lines.join('\n');
}
