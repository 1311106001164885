// `hmip6 replay --as-test`: the generated vitest file, placed in the project's test tree and run
// by vitest on a temporary config, reproduces the failure against the mutant (from the recorded
// schedule and from the seed and path) and passes against the reference host.

import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { asTest } from '../../properties/story/as-test.js';
import { appendixC } from './fixtures.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function vitest(dir: string, file: string, alice: string | undefined): { status: number | null; output: string } {
  // A config of its own, so that the project's suite never collects the generated file.
  const config = join(dir, 'vitest.as-test.config.mjs');
  writeFileSync(config, `export default { test: { include: [${JSON.stringify(file)}], pool: 'forks', maxWorkers: 1, testTimeout: 120000 } };\n`);
  const env = { ...process.env };
  delete env.VITEST;
  delete env.VITEST_WORKER_ID;
  delete env.VITEST_POOL_ID;
  if (alice === undefined) delete env.HMIP6_ALICE;
  else env.HMIP6_ALICE = alice;
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', config, '--root', ROOT, '--no-color'], { cwd: ROOT, env, encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

describe('counterexample as a vitest test', () => {
  it('generated_test_fails_against_the_mutant_and_passes_against_the_reference', async () => {
    const { file } = await appendixC();
    const dir = join(ROOT, 'test', `as-test-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      const name = 'appendix-c.regression.ts';
      writeFileSync(join(dir, name), asTest(file, { dir: `test/as-test-${process.pid}`, source: 'appendix-c.json' }));
      const rel = `test/as-test-${process.pid}/${name}`;
      const broken = vitest(dir, rel, undefined);
      expect(broken.status, broken.output).toBe(1);
      // Both ways of reproducing it fail, the expected way.
      expect(broken.output).toContain('INV-ACTIVE-VERIFIED at step 2: 2001:db8:b::1 became active in entry e3');
      expect(broken.output).toMatch(/Property failed after 1 tests[\s\S]*seed: 36, path: "0"/);
      expect(broken.output).toMatch(/2 failed/);
      const fixed = vitest(dir, rel, 'reference');
      expect(fixed.status, fixed.output).toBe(0);
      expect(fixed.output).toMatch(/2 passed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('generated_test_names_its_imports_relative_to_its_folder', async () => {
    const { file } = await appendixC();
    const text = asTest(file, { dir: 'test/regressions' });
    expect(text).toContain("import { runSchedule } from '../../properties/world/world.js';");
    expect(text).toContain("import { mutantByName } from '../../properties/mutants/bank/index.js';");
    expect(text).toContain('A.claim({"sa":"generic","target":{"kind":"peer","peer":"bob","pick":0},"form":"alt-coa"}),');
    expect(text).toContain('{ seed: 36, path: "0", endOnFailure: true }');
    expect(asTest(file, { dir: 'test/a/b' })).toContain("from '../../../properties/world/world.js'");
    // A failure found by hmip6 explore has no fast-check run: only the recorded schedule.
    expect(asTest({ ...file, seed: 0, path: '', replayPath: '' })).not.toContain('fc.assert');
  });
});
