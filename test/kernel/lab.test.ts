// The kernel lab itself: it runs or says why not, it cleans up after itself even when the
// body fails, and it removes namespaces that crashed runs left behind.

import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

import { configValue, readKernelConfig } from '../../properties/kernel/kernelConfig.js';
import { openKernelLab, removeStaleNamespaces, withKernelLab } from '../../properties/kernel/netns.js';
import { availability, kernelRequired, skipKernel, suffix } from './support.js';

function namespaces(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n !== '');
}

describe('kernel lab availability', () => {
  it('kernel_lab_runs_here_or_names_the_reason', () => {
    if (availability.ok) {
      expect(availability.python).toMatch(/python/);
    } else {
      expect(availability.reason).not.toBe('');
      // CI sets HMIP6_REQUIRE_KERNEL=1: there, not running is a failure, not a skip.
      expect(kernelRequired, `kernel peer required but unavailable: ${availability.reason}`).toBe(false);
    }
  });

  it('kernel_config_reader_tells_built_in_module_and_absent_apart', () => {
    const text = ['CONFIG_IPV6=y', '# CONFIG_IPV6_MIP6 is not set', 'CONFIG_INET6_AH=m', 'CONFIG_INET6_ESP=y'].join(
      '\n',
    );
    expect(configValue(text, 'CONFIG_IPV6_MIP6', new Set())).toBe('n');
    expect(configValue(text, 'CONFIG_INET6_AH', new Set())).toBe('m (not loaded)');
    expect(configValue(text, 'CONFIG_INET6_AH', new Set(['ah6']))).toBe('m (loaded)');
    expect(configValue(text, 'CONFIG_INET6_ESP', new Set())).toBe('y');
    expect(readKernelConfig().release).not.toBe('');
  });
});

describe.skipIf(skipKernel)(`kernel lab${suffix}`, () => {
  it('lab_removes_its_namespaces_on_close', async () => {
    const lab = await openKernelLab();
    const made = [lab.info.aliceNamespace, lab.info.peerNamespace];
    expect(namespaces()).toEqual(expect.arrayContaining(made));
    await lab.close();
    await lab.close(); // twice is harmless
    for (const ns of made) expect(namespaces()).not.toContain(ns);
  });

  it('lab_removes_its_namespaces_when_the_body_throws', async () => {
    let made: string[] = [];
    await expect(
      withKernelLab({}, async (lab) => {
        made = [lab.info.aliceNamespace, lab.info.peerNamespace];
        throw new Error('scenario failed');
      }),
    ).rejects.toThrow('scenario failed');
    expect(made).toHaveLength(2);
    for (const ns of made) expect(namespaces()).not.toContain(ns);
  });

  it('stale_namespaces_of_dead_runs_are_removed_and_live_ones_kept', () => {
    // A pid that has certainly exited: a child we ran to completion. A prefix of its own
    // keeps parallel test files (which clean up at start) away from these namespaces.
    const prefix = 'hmip6test-';
    const dead = spawnSync('true').pid as number;
    const stale = `${prefix}${dead}-0-a`;
    const live = `${prefix}${process.pid}-0-p`;
    execFileSync('ip', ['netns', 'add', stale]);
    execFileSync('ip', ['netns', 'add', live]);
    try {
      const removed = removeStaleNamespaces(prefix);
      expect(removed).toEqual([stale]);
      expect(namespaces()).not.toContain(stale);
      expect(namespaces()).toContain(live);
    } finally {
      for (const ns of [stale, live]) if (namespaces().includes(ns)) execFileSync('ip', ['netns', 'del', ns]);
    }
  });

  it('lab_interfaces_live_only_in_its_namespaces', async () => {
    await withKernelLab({}, async (lab) => {
      const root = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
      expect(root).not.toMatch(/h6alice|h6peer/);
      const inside = execFileSync('ip', ['-n', lab.info.aliceNamespace, '-o', 'link', 'show'], { encoding: 'utf8' });
      expect(inside).toMatch(/h6alice/);
    });
  });
});
