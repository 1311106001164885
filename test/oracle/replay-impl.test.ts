// `hmip6 replay FILE --impl "<command>"`: a counterexample found against an external
// implementation replays against it (the failure reproduces, exit 1) and against a fixed
// build (the property holds, exit 0), over the adapter protocol.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasPython, PROJECT_ROOT, PYTHON_HOST } from './support.js';

const BIN = join(PROJECT_ROOT, 'cli', 'bin.mjs');
const BUGGY = `${PYTHON_HOST} --bug no-challenge`;
const FIXED = PYTHON_HOST;

function hmip6(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 240_000 });
}

describe('hmip6 replay --impl', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hmip6-replay-impl-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!hasPython())('replays_an_external_counterexample_against_the_buggy_and_the_fixed_implementation', () => {
    const found = hmip6([
      'oracle',
      '--impl',
      BUGGY,
      '--property',
      'INV-ACTIVE-VERIFIED',
      '--runs',
      '100',
      '--seed',
      '7',
      '--out',
      dir,
    ]);
    expect(found.status, found.stderr).toBe(1);
    const files = readdirSync(dir).filter((f) => f.startsWith('INV-ACTIVE-VERIFIED'));
    expect(files.length).toBeGreaterThan(0);
    const file = join(dir, files[0]);

    const again = hmip6(['replay', file, '--impl', BUGGY, '--states', 'none']);
    expect(again.status, again.stderr).toBe(1);
    expect(again.stdout).toMatch(/INV-ACTIVE-VERIFIED fails at step/);

    const fixed = hmip6(['replay', file, '--impl', FIXED, '--states', 'none']);
    expect(fixed.status, fixed.stderr).toBe(0);
    expect(fixed.stdout).toMatch(/INV-ACTIVE-VERIFIED: holds when replayed/);
  });

  it('an_implementation_that_cannot_start_is_an_error', () => {
    const files = readdirSync(join(PROJECT_ROOT, 'examples', 'counterexamples')).filter((f) => f.endsWith('.json'));
    const r = hmip6([
      'replay',
      join(PROJECT_ROOT, 'examples', 'counterexamples', files[0]),
      '--impl',
      'exit 3',
      '--states',
      'none',
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/replay failed/);
  });

  it('timeout_without_impl_is_a_usage_error', () => {
    const r = hmip6(['replay', 'x.json', '--timeout-ms', '100']);
    expect(r.status).toBe(3);
  });
});
