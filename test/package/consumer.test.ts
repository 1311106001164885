// examples/consumer is a project of its own that tests its host with hmip6/vitest, as a user's
// repository would (npm test runs it after this suite: `npm run test:consumer`). Here its suite
// must fail when a mutant of the bank stands in for its host: the failing property's test, its
// counterexample file and the replay command. Cost: about 25 s at load 18 (plus an
// `npm ci` there, about 30 s, when it was never installed).

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const CONSUMER = join(ROOT, 'examples', 'consumer');

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): { status: number | null; output: string } {
  const r = spawnSync(command, args, { cwd: CONSUMER, env, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

describe('examples/consumer', () => {
  it('fails_when_a_bank_mutant_replaces_its_host', () => {
    const built = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(built.status, built.stderr).toBe(0);
    if (!existsSync(join(CONSUMER, 'node_modules', 'hmip6', 'dist'))) {
      const installed = run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund']);
      expect(installed.status, installed.output).toBe(0);
    }
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, CONSUMER_MUTANT: 'activates-without-challenge' };
      for (const k of ['VITEST', 'VITEST_WORKER_ID', 'VITEST_POOL_ID', 'HMIP6_FROM_SOURCE']) delete env[k];
      const r = run(
        process.execPath,
        [join(CONSUMER, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--no-color', '--reporter', 'verbose'],
        env,
      );
      expect(r.status, r.output).toBe(1);
      expect(r.output).toMatch(/× .*INV-ACTIVE-VERIFIED/);
      expect(r.output).toMatch(/INV-ACTIVE-VERIFIED failed with Alice = activates-without-challenge/);
      expect(r.output).toMatch(/replay it: +npx hmip6 replay counterexamples\/INV-ACTIVE-VERIFIED-seed1-run\d+\.json/);
      expect(
        readdirSync(join(CONSUMER, 'counterexamples')).some((f) => f.startsWith('INV-ACTIVE-VERIFIED-seed1-')),
      ).toBe(true);
    } finally {
      rmSync(join(CONSUMER, 'counterexamples'), { recursive: true, force: true });
    }
  }, 600_000);
});
