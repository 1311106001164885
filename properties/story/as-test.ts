// A counterexample as a vitest test that reproduces it (Hypothesis prints failures as runnable
// code; so do we): `hmip6 replay FILE --as-test OUT.test.ts`. The test runs the schedule the
// file records, and, for a failure found by `hmip6 check`, fast-check's original run from the
// file's seed and path, and expects the property to hold: it fails while Alice is broken and
// passes once she is fixed, which is what a regression suite wants.
//
// Its imports are relative to the folder it will live in (default test/regressions/), so it
// runs from the project's own test tree; HMIP6_ALICE picks another Alice at run time.

import { DEFAULT_STEPS_MAX } from '../arbitraries/schedule.js';
import type { CounterexampleFile } from '../counterexample.js';
import { describeAction } from '../world/describe.js';

/** Where a generated test goes by default, relative to the project root. */
export const AS_TEST_DIR_DEFAULT = 'test/regressions';

export interface AsTestOptions {
  /** The folder the test will live in, relative to the project root (its imports depend on it). */
  dir?: string;
  /** Shown in the header: the file it was written from. */
  source?: string;
}

function snake(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

function comment(text: string): string {
  return text.replace(/\*\//g, '* /').replace(/\r?\n/g, ' ');
}

export function asTest(file: CounterexampleFile, options: AsTestOptions = {}): string {
  const dir = (options.dir ?? AS_TEST_DIR_DEFAULT).replace(/\\/g, '/').replace(/^\.\/|\/+$/g, '');
  const depth = dir === '' ? 0 : dir.split('/').length;
  const root = depth === 0 ? './' : '../'.repeat(depth);
  const mutantsModule = `${root}properties/mutants/bank/index.js`;
  const property = file.property;
  const what = property ?? 'ALICE-CRASH';
  const alice = file.alice.name.replace(/ \(black box\)$/, '');
  const blackBox = file.alice.name.endsWith(' (black box)');
  // The file does not record stepsMax: `hmip6 check`'s default, unless it says otherwise.
  const stepsMax = (file as { stepsMax?: number }).stepsMax ?? DEFAULT_STEPS_MAX;
  const fromCheck = file.path !== '';
  const actions = file.actions.map((a) => `    A.${describeAction(a)},`).join('\n');
  const holds: string[] =
    property === null
      ? ['const run = runSchedule(SCHEDULE, alice());', 'if (run.crash !== undefined) expect.fail(`Alice crashed at step ${run.crash.step}: ${run.crash.message}`);']
      : ['const verdict = PROPERTY.check(runSchedule(SCHEDULE, alice()).trace);', 'if (!verdict.ok) expect.fail(`${verdict.id} at step ${verdict.step}: ${verdict.reason}`);'];
  const lines = [
    `// Regression test for a counterexample found by hmip6: ${what} failed with Alice = ${file.alice.name}.`,
    `// ${comment(file.reason)}`,
    `//`,
    `// Written by \`hmip6 replay ${options.source ?? 'FILE'} --as-test\`. Its imports are relative to`,
    `// ${dir === '' ? 'the project root' : `${dir}/`} of the hmip6 project: put it there (or fix the imports), then run`,
    `// \`npx vitest run ${dir === '' ? '' : `${dir}/`}<this file>\`. Each test expects the property to hold, so it fails`,
    `// while Alice is broken and passes once she is fixed. HMIP6_ALICE=reference (or a mutant's name)`,
    `// runs it against another Alice; an implementation under test plugs in as an AliceFactory in alice().`,
    '',
    ...(fromCheck ? ["import fc from 'fast-check';"] : []),
    "import { describe, expect, it } from 'vitest';",
    ...(fromCheck ? [`import { scheduleArbitrary } from '${root}properties/arbitraries/schedule.js';`] : []),
    ...(property !== null ? [`import { propertyById } from '${root}properties/invariants/index.js';`] : []),
    `import { ${blackBox ? 'blackBox, ' : ''}referenceAlice } from '${root}properties/world/alice.js';`,
    `import { A } from '${root}properties/world/describe.js';`,
    `import type { AliceFactory, Schedule } from '${root}properties/world/types.js';`,
    `import { runSchedule } from '${root}properties/world/world.js';`,
    `import { mutantByName } from '${mutantsModule}';`,
    '',
    ...(property !== null ? [`const PROPERTY = propertyById('${property}');`, ''] : []),
    `/** The Alice the counterexample was found with; HMIP6_ALICE names another (\`reference\`, or a mutant of properties/mutants/bank/). */`,
    'function alice(): AliceFactory {',
    `  const name = process.env.HMIP6_ALICE ?? ${JSON.stringify(alice)};`,
    `  const factory = name === 'reference' ? referenceAlice : mutantByName(name)?.factory;`,
    '  if (factory === undefined) throw new Error(`no Alice named ${name}`);',
    `  return ${blackBox ? 'blackBox(factory)' : 'factory'};`,
    '}',
    '',
    '/** The schedule the counterexample file records: its world, then its actions. */',
    'const SCHEDULE: Schedule = {',
    `  config: ${JSON.stringify(file.config)},`,
    '  actions: [',
    actions,
    '  ],',
    '};',
    '',
    `describe(${JSON.stringify(`counterexample: ${what} with ${file.alice.name}${fromCheck ? `, seed ${file.seed}, path ${file.path}` : ', found by hmip6 explore'}`)}, () => {`,
    `  it('${snake(what)}_holds_on_the_recorded_schedule', () => {`,
    ...holds.map((l) => `    ${l}`),
    '  });',
  ];
  if (fromCheck && property !== null) {
    lines.push(
      '',
      `  it('${snake(what)}_holds_on_the_fast_check_run_seed_${file.seed}_path_${snake(file.path)}', () => {`,
      `    // fast-check's run ${file.path} of seed ${file.seed}, as \`hmip6 check --seed ${file.seed}${stepsMax !== DEFAULT_STEPS_MAX ? ` --steps-max ${stepsMax}` : ''}\` drew it (before shrinking).`,
      `    fc.assert(`,
      `      fc.property(scheduleArbitrary({ stepsMax: ${stepsMax} }), (schedule) => PROPERTY.check(runSchedule(schedule, alice()).trace).ok),`,
      `      { seed: ${file.seed}, path: ${JSON.stringify(file.path)}, endOnFailure: true },`,
      '    );',
      '  });',
    );
  }
  lines.push('});', '');
  return lines.join('\n');
}
