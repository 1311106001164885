// `npx hmip6 oracle --impl "npx hmip6 serve-reference"` passes, in full mode and in black-box
// mode, with the same reporting options and exit codes as `hmip6 check`.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROPERTIES } from '../../properties/invariants/index.js';
import { PROJECT_ROOT } from './support.js';

const RUNS = 20;
const CLI_TIMEOUT_MS = 120_000;

function oracle(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    'npx',
    ['hmip6', 'oracle', '--impl', 'npx hmip6 serve-reference', '--runs', String(RUNS), '--seed', '22', ...args],
    {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      timeout: CLI_TIMEOUT_MS,
    },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('hmip6 check --impl', () => {
  it('is_the_oracle', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hmip6-oracle-')), 'cx');
    const r = spawnSync(
      process.execPath,
      [
        'cli/bin.mjs',
        'check',
        '--impl',
        'node test/oracle/fixtures/misbehave.mjs crash 5',
        '--runs',
        '2',
        '--seed',
        '4',
        '--out',
        out,
      ],
      {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        timeout: CLI_TIMEOUT_MS,
      },
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/^hmip6 oracle: node test\/oracle\/fixtures\/misbehave\.mjs crash 5/m);
    expect(r.stdout).toMatch(/ERROR: the implementation under test failed on request 5 \(/);
  });
});

describe('hmip6 oracle against hmip6 serve-reference', () => {
  it('passes_the_full_suite_and_writes_json_and_junit_reports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hmip6-oracle-'));
    const r = oracle([
      '--json',
      join(dir, 'report.json'),
      '--junit',
      join(dir, 'report.xml'),
      '--out',
      join(dir, 'cx'),
    ]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /IUT: hmip6-reference 0\.1\.0; features: state, standard-compat, alternate-prefixes, bu-optimization, anonymous-sa; mode: full/,
    );
    expect(r.stdout).toMatch(/^PASS: 20 runs/m);
    expect(r.stdout).toMatch(/REFINES-MODEL\s+host rules\s+20\s+PASS/);
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
      verdict: string;
      mode: string;
      properties: { id: string; verdict: string }[];
      exchanges: { requests: number };
    };
    expect(json.verdict).toBe('pass');
    expect(json.mode).toBe('full');
    expect(json.properties).toHaveLength(PROPERTIES.length);
    expect(json.properties.every((p) => p.verdict === 'pass')).toBe(true);
    expect(json.exchanges.requests).toBeGreaterThan(1000);
    const xml = readFileSync(join(dir, 'report.xml'), 'utf8');
    // One testcase per property, and one for the oracle's packet checks.
    expect(xml).toContain(
      `<testsuite name="hmip6 oracle" tests="${PROPERTIES.length + 1}" failures="0" errors="0" skipped="0"`,
    );
    expect(xml).toContain('name="REFINES-MODEL"');
  });

  it('passes_in_black_box_mode_with_the_state_based_properties_listed_as_skipped', () => {
    const r = oracle(['--black-box', '--out', join(mkdtempSync(join(tmpdir(), 'hmip6-oracle-')), 'cx')]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/mode: black-box/);
    expect(r.stdout).toMatch(/REFINES-MODEL\s+host rules\s+0\s+SKIP\s+needs the state feature \(black-box mode\)/);
    expect(r.stdout).toMatch(/LIVE-HONEST-MOVE\s+invariant\s+20\s+PASS/);
    expect(r.stdout).toMatch(/^PASS: 20 runs/m);
  });
});
