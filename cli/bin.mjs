#!/usr/bin/env node
// Entry point of the `hmip6` command. It runs the compiled JavaScript in dist/ (built by
// `npm run build`, which `npm ci` runs as `prepare`). In a checkout whose sources changed
// after the last build (or that has not been built), and with HMIP6_FROM_SOURCE=1 (the
// project's own tests), it runs the TypeScript sources through tsx instead, so that an edit is
// never silently ignored. An installed package has no sources and always runs dist/.
import { existsSync, readdirSync, statSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
const source = new URL('./main.ts', import.meta.url);
/** The folders `npm run build` compiles (scripts/build.mjs). */
const SOURCE_DIRS = ['impl', 'model', 'properties', 'cli'];

/** The newest modification time (ms) of a file under dir, or 0. */
function newestUnder(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) newest = Math.max(newest, newestUnder(path));
    else newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** True when a source file is newer than the build (a checkout being edited). */
function distIsStale() {
  if (!existsSync(source)) return false;
  const root = new URL('..', import.meta.url).pathname;
  const built = statSync(compiled).mtimeMs;
  return SOURCE_DIRS.some((d) => existsSync(root + d) && newestUnder(root + d) > built);
}

let cli;
if ((process.env.HMIP6_FROM_SOURCE === '1' && existsSync(source)) || !existsSync(compiled) || distIsStale()) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(source.href);
} else {
  cli = await import(compiled.href);
}
cli.dropOutputToClosedPipes();
process.exitCode = await cli.main(process.argv.slice(2));
