// The public surface (package.json `exports`, docs/api.md) is reviewed, not drifted into: its
// report under docs/api/ is generated from the compiled declaration files, and this test fails
// when they no longer match (npm run api regenerates the report). Cost: about 20 s over a fresh
// dist/ (CI's npm ci builds it; reading the declarations is most of it); a stale dist/ is
// rebuilt first (about a minute more).

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

describe('public surface', () => {
  it('the_committed_api_reports_match_the_built_declarations', () => {
    const r = spawnSync(process.execPath, ['scripts/api-report.mjs', '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(
      r.stderr.split('\n').filter((l) => l.includes('changed')),
      'run npm run api and commit docs/api/',
    ).toEqual([]);
    expect(r.status).toBe(0);
  }, 300_000);

  it('every_export_has_its_report_and_vitest_is_an_optional_peer', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
      peerDependencies?: Record<string, string>;
      peerDependenciesMeta?: Record<string, { optional?: boolean }>;
      dependencies: Record<string, string>;
    };
    const names = Object.keys(pkg.exports).filter((k) => k !== './package.json');
    for (const subpath of names) {
      const report = join(ROOT, 'docs', 'api', `${subpath === '.' ? 'hmip6' : `hmip6-${subpath.slice(2)}`}.api.d.ts`);
      expect(() => readFileSync(report, 'utf8'), report).not.toThrow();
    }
    expect(pkg.peerDependencies?.vitest).toBeDefined();
    expect(pkg.peerDependenciesMeta?.vitest?.optional).toBe(true);
    expect(Object.keys(pkg.dependencies)).not.toContain('vitest');
  });
});
