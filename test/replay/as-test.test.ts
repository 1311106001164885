// `hmip6 replay --as-test`: the generated vitest file imports only the package (`hmip6`,
// `hmip6/vitest`, resolved here by the package's reference to itself, to dist/), plays the
// recorded actions, fails against the mutant and passes against the reference host; for an
// implementation under test it replays through the adapter protocol with the stored command
// and working directory. The package is dist/, built first when older than the sources. Cost:
// two vitest runs of the generated files and one `hmip6 replay`, about 60 s at load 18.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { asTest, collectedByDefault, VITEST_DEFAULT_INCLUDE } from '../../properties/story/as-test.js';
import { describeAction } from '../../properties/world/describe.js';
import { appendixC } from './fixtures.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function vitest(
  dir: string,
  files: string[],
  env: Record<string, string | undefined>,
): { status: number | null; output: string } {
  // A config of its own, so that the project's suite never collects the generated files.
  const config = join(dir, 'vitest.as-test.config.mjs');
  writeFileSync(
    config,
    `export default { test: { include: ${JSON.stringify(files)}, pool: 'forks', maxWorkers: 1, testTimeout: 120000 } };\n`,
  );
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  delete childEnv.VITEST;
  delete childEnv.VITEST_WORKER_ID;
  delete childEnv.VITEST_POOL_ID;
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete childEnv[k];
    else childEnv[k] = v;
  }
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', config, '--root', ROOT, '--no-color'],
    { cwd: ROOT, env: childEnv, encoding: 'utf8', timeout: 240_000 },
  );
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

describe('counterexample as a vitest test', () => {
  beforeAll(() => {
    const r = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(r.status, r.stderr).toBe(0);
  }, 300_000);

  it('generated_tests_import_only_hmip6_replay_the_recorded_actions_and_run_an_impl_from_its_folder', async () => {
    const { file } = await appendixC();
    const rel = `test/as-test-${process.pid}`;
    const dir = join(ROOT, rel);
    mkdirSync(dir, { recursive: true });
    try {
      // Not *.test.ts: a suite collected meanwhile in this tree must not pick them up.
      const own = join(dir, 'appendix-c.regression.ts');
      writeFileSync(own, asTest(file, { source: 'appendix-c.json', out: own }));
      // The same counterexample through the adapter protocol: the reference host served by the
      // bin, run from the project's root (stored relative to the test's folder).
      const impl = join(dir, 'appendix-c-impl.regression.ts');
      writeFileSync(
        impl,
        asTest(file, {
          source: 'appendix-c.json',
          out: impl,
          impl: { command: 'node cli/bin.mjs serve-reference', cwd: ROOT },
        }),
      );
      const files = [`${rel}/appendix-c.regression.ts`, `${rel}/appendix-c-impl.regression.ts`];
      const broken = vitest(dir, files, { HMIP6_ALICE: undefined });
      expect(broken.status, broken.output).toBe(1);
      expect(broken.output).toContain(
        `INV-ACTIVE-VERIFIED at step ${file.failingStep} with Alice = activates-without-challenge: ${file.reason}`,
      );
      // The reference host behind the adapter protocol holds; the mutant fails.
      expect(broken.output).toMatch(/1 failed \| 1 passed/);
      const fixed = vitest(dir, [files[0]], { HMIP6_ALICE: 'reference' });
      expect(fixed.status, fixed.output).toBe(0);
      expect(fixed.output).toMatch(/1 passed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('generated_test_imports_the_package_and_records_the_actions', async () => {
    const { file } = await appendixC();
    const text = asTest(file, { out: 'test/regressions/a.test.ts' });
    const imports = [...text.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports).toEqual(['hmip6', 'hmip6/vitest']);
    for (const action of file.actions) expect(text).toContain(`    A.${describeAction(action)},`);
    expect(text).toContain('alice: process.env.HMIP6_ALICE ?? "activates-without-challenge"');
    // Never drawn again from the seed: no fast-check run, only the recorded actions.
    expect(text).not.toMatch(/fc\.|scheduleArbitrary|seed: \d+,/);
    const impl = asTest(file, {
      out: '/work/x/test/regressions/a.test.ts',
      impl: { command: "python3 host.py --flag 'a b'", cwd: '/work/x/adapters' },
    });
    expect(impl).toContain(`command: process.env.HMIP6_IMPL ?? ${JSON.stringify("python3 host.py --flag 'a b'")},`);
    expect(impl).toContain('cwd: new URL("../../adapters/", import.meta.url),');
    expect(collectedByDefault('test/regressions/a.test.ts')).toBe(true);
    expect(collectedByDefault('test/regressions/a.regression.ts')).toBe(false);
  });

  it('replay_as_test_writes_the_file_and_prints_the_glob_it_must_match', () => {
    const dir = join(ROOT, `test/as-test-cli-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      const out = join(dir, 'appendix-c.regression.ts');
      const r = spawnSync(
        process.execPath,
        [
          'cli/bin.mjs',
          'replay',
          'examples/counterexamples/appendix-c-activates-without-challenge.json',
          '--quiet',
          '--as-test',
          out,
        ],
        { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
      );
      expect(r.status, r.stderr).toBe(1);
      expect(r.stdout).toContain(VITEST_DEFAULT_INCLUDE);
      expect(r.stdout).toContain("does not match vitest's default include");
      expect(readFileSync(out, 'utf8')).toContain("import { testSchedule } from 'hmip6/vitest';");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
