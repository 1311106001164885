// Where hmip6's files are at run time, from the sources (through tsx) or from the compiled
// dist/ alike: the package root (package.json, docs/, test/vectors/) and the root of the code
// (impl/, model/, properties/, cli/: the package root itself from the sources, dist/ once
// compiled), with the extension its modules have there.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `.ts` when running from the sources, `.js` from dist/. */
export const MODULE_EXT: '.ts' | '.js' = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** The folder holding impl/, model/, properties/ and cli/ (this file is properties/package-root). */
export const CODE_ROOT: string = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'hmip6') return dir;
      } catch {
        // not ours: keep climbing
      }
    }
    if (dirname(dir) === dir) return from;
  }
}

/** The folder holding hmip6's package.json. */
export const PACKAGE_ROOT: string = findPackageRoot(CODE_ROOT);

/** hmip6's version, from its package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
