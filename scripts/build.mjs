// `npm run build` (and `prepare`, so `npm ci` runs it): compiles impl/, model/, properties/ and
// cli/ to dist/ with tsc (tsconfig.build.json: declaration files and source maps with their
// sources inlined), then copies beside the compiled modules the files they read at run time
// relative to themselves: plain .mjs modules (worker-thread entry points) and helper scripts.
// The bin (cli/bin.mjs) runs dist/cli/main.js.
//
//   node scripts/build.mjs              build
//   node scripts/build.mjs --if-stale   build only when a source is newer than dist/ (the tests
//                                       that use dist/ call this first)

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const SOURCES = ['impl', 'model', 'properties', 'cli'];
/** Files other than TypeScript that the code opens or loads by a path relative to itself. */
const ASSET = /\.(mjs|py)$/;

/** Compiles to dist/; throws when tsc fails (dist/ is then left as it was). */
export function build() {
  // Built beside dist/ and swapped in at the end, so a bin or a test using dist/ meanwhile never
  // sees it half written.
  const partial = join(ROOT, `dist.partial-${process.pid}`);
  rmSync(partial, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', partial], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new Error(`tsc failed (exit ${result.status})`);
  }

  let copied = 0;
  function copyAssets(dir) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '__pycache__') copyAssets(path);
      } else if (ASSET.test(entry.name) && path !== join(ROOT, 'cli', 'bin.mjs')) {
        const target = join(partial, relative(ROOT, path));
        mkdirSync(dirname(target), { recursive: true });
        copyFileSync(path, target);
        copied += 1;
      }
    }
  }
  for (const source of SOURCES) copyAssets(join(ROOT, source));
  const old = join(ROOT, `dist.old-${process.pid}`);
  if (existsSync(DIST)) renameSync(DIST, old);
  renameSync(partial, DIST);
  rmSync(old, { recursive: true, force: true });
  process.stderr.write(`build: dist/ compiled, ${copied} files copied beside it\n`);
}

function newestUnder(dir, newest = 0) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== '__pycache__') newest = newestUnder(path, newest);
    } else newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** dist/ is missing, or older than a source file, package.json or the build's config. */
export function distIsStale() {
  const marker = join(DIST, 'cli', 'main.js');
  if (!existsSync(marker)) return true;
  const built = statSync(marker).mtimeMs;
  const inputs = ['package.json', 'tsconfig.json', 'tsconfig.build.json'].map((f) => statSync(join(ROOT, f)).mtimeMs);
  return Math.max(...SOURCES.map((s) => newestUnder(join(ROOT, s))), ...inputs) > built;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes('--if-stale') && !distIsStale()) process.stderr.write('build: dist/ is up to date\n');
    else build();
  } catch (e) {
    process.stderr.write(`build: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
