// `npm pack`, then the tarball installed into an empty folder outside the source tree, as a
// user's machine gets it: `npx hmip6 --help`, `npx hmip6 check --runs 50`, and the library's
// entries imported from there; vitest (an optional peer) is not installed with it. dist/ is
// built first when a source is newer. Cost: 164 s measured at load 18 with a rebuild of dist/
// (about a minute of it); the rest is `npm install` of the five dependencies (from npm's cache
// when it has them, else from the registry) and the 50 runs.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function sh(command: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['HMIP6_FROM_SOURCE', 'VITEST', 'VITEST_WORKER_ID', 'VITEST_POOL_ID', 'NODE_OPTIONS']) delete env[k];
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm pack', () => {
  it('the_tarball_installs_in_an_empty_folder_and_runs_help_check_and_the_library', () => {
    const built = sh(process.execPath, ['scripts/build.mjs', '--if-stale'], ROOT);
    expect(built.status, built.stderr).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'hmip6-pack-'));
    try {
      const packed = sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT);
      expect(packed.status, packed.stderr).toBe(0);
      const [{ filename, files }] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
      const paths = files.map((f) => f.path);
      expect(paths).toContain('dist/cli/main.js');
      expect(paths).toContain('dist/cli/api/index.d.ts');
      expect(paths).toContain('dist/properties/explore/worker.mjs');
      expect(paths.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([]);
      const project = join(dir, 'project');
      sh('mkdir', ['-p', project], dir);
      writeFileSync(join(project, 'package.json'), '{ "name": "uses-hmip6", "private": true, "type": "module" }\n');
      const installed = sh(
        'npm',
        ['install', '--no-audit', '--no-fund', '--ignore-scripts', join(dir, filename)],
        project,
      );
      expect(installed.status, installed.stderr).toBe(0);
      expect(existsSync(join(project, 'node_modules', 'vitest'))).toBe(false);

      const help = sh('npx', ['--no-install', 'hmip6', '--help'], project);
      expect(help.status, help.stderr).toBe(0);
      expect(help.stdout).toContain('usage: hmip6 <command> [options]');
      const check = sh(
        'npx',
        ['--no-install', 'hmip6', 'check', '--runs', '50', '--seed', '1', '--out', join(dir, 'cx')],
        project,
      );
      expect(check.status, `${check.stdout}\n${check.stderr}`).toBe(0);
      expect(check.stdout).toMatch(/PASS: 50 runs/);

      const library = sh(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          [
            "import { properties, checkHost } from 'hmip6';",
            "import { decodePacket, buildVectors } from 'hmip6/wire';",
            "import { toMermaid, compatMachine } from 'hmip6/model';",
            "import { MUTANTS } from 'hmip6/mutants';",
            'const v = buildVectors()[0];',
            "const r = await checkHost({ runs: 3, seed: 2, outDir: 'cx' });",
            "console.log(properties().length > 0, decodePacket(Uint8Array.from(Buffer.from(v.hex, 'hex'))).ok, toMermaid(compatMachine).startsWith('stateDiagram'), MUTANTS.length > 0, r.seed);",
          ].join('\n'),
        ],
        project,
      );
      expect(library.stderr).toBe('');
      expect(library.stdout.trim()).toBe('true true true true 2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
