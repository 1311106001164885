// What kernel the peer is: its release, and whether the options that change its answers are
// built in. The answers to Mobile IPv6 options and AH depend on CONFIG_IPV6_MIP6 and
// CONFIG_INET6_AH, so every table of answers names them (docs/findings.md).

import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { gunzipSync } from 'node:zlib';

/** How an option was found: built in, a module (loaded or not), absent, or not determinable. */
export type ConfigValue = 'y' | 'm (loaded)' | 'm (not loaded)' | 'n' | 'unknown';

export interface KernelConfig {
  release: string;
  /** Where the configuration was read from, or null when none was readable. */
  source: string | null;
  mip6: ConfigValue;
  ah: ConfigValue;
  esp: ConfigValue;
}

/** Module names as /proc/modules lists them. */
const MODULE_OF: Record<string, string> = {
  CONFIG_IPV6_MIP6: 'mip6',
  CONFIG_INET6_AH: 'ah6',
  CONFIG_INET6_ESP: 'esp6',
};

function readConfigText(rel: string): { text: string; source: string } | null {
  const candidates = ['/proc/config.gz', `/boot/config-${rel}`, `/lib/modules/${rel}/build/.config`];
  for (const path of candidates) {
    try {
      if (!existsSync(path)) continue;
      const raw = readFileSync(path);
      const text = path.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
      return { text, source: path };
    } catch {
      // Unreadable: try the next one.
    }
  }
  return null;
}

function loadedModules(): Set<string> {
  try {
    return new Set(
      readFileSync('/proc/modules', 'utf8')
        .split('\n')
        .map((l) => l.split(' ')[0] ?? '')
        .filter((n) => n !== ''),
    );
  } catch {
    return new Set();
  }
}

/** Reads the value of one option in a kernel .config text. */
export function configValue(text: string, option: string, loaded: ReadonlySet<string>): ConfigValue {
  for (const line of text.split('\n')) {
    if (line === `# ${option} is not set`) return 'n';
    if (line.startsWith(`${option}=`)) {
      const v = line.slice(option.length + 1).trim();
      if (v === 'y') return 'y';
      if (v === 'm') return loaded.has(MODULE_OF[option] ?? '') ? 'm (loaded)' : 'm (not loaded)';
      return 'unknown';
    }
  }
  // An option whose dependencies are off is not even listed.
  return 'n';
}

export function readKernelConfig(): KernelConfig {
  const rel = release();
  const found = readConfigText(rel);
  if (found === null) return { release: rel, source: null, mip6: 'unknown', ah: 'unknown', esp: 'unknown' };
  const loaded = loadedModules();
  return {
    release: rel,
    source: found.source,
    mip6: configValue(found.text, 'CONFIG_IPV6_MIP6', loaded),
    ah: configValue(found.text, 'CONFIG_INET6_AH', loaded),
    esp: configValue(found.text, 'CONFIG_INET6_ESP', loaded),
  };
}
