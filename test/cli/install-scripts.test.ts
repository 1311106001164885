// `npm ci` on a clean clone installs without a warning: npm 11 runs no dependency's install
// script unless package.json's `allowScripts` says so, and warns about every one it does not
// cover. Each dependency with an install script is decided there, approved or denied.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

interface Lock {
  packages: Record<string, { version?: string; hasInstallScript?: boolean }>;
}

describe('install scripts', () => {
  it('every_dependency_with_an_install_script_is_decided_in_allowScripts', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      allowScripts?: Record<string, boolean>;
    };
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lock;
    const withScripts = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && p.hasInstallScript === true)
      .map(([path, p]) => ({
        name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length),
        version: p.version,
      }));
    expect(withScripts.length).toBeGreaterThan(0);
    const decided = Object.keys(pkg.allowScripts ?? {});
    const undecided = withScripts.filter(
      (d) => !decided.includes(d.name) && !decided.includes(`${d.name}@${d.version ?? ''}`),
    );
    expect(undecided).toEqual([]);
  });

  it('esbuilds_postinstall_is_denied_since_tsx_needs_only_the_binary_npm_installs', () => {
    // esbuild's postinstall only checks (and, outside Windows, copies into place) the platform
    // binary that npm installs anyway as an optional dependency; tsx calls that binary itself.
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      allowScripts?: Record<string, boolean>;
    };
    expect(pkg.allowScripts?.esbuild).toBe(false);
  });
});
