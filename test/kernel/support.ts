// Whether the kernel-peer suites can run here, decided once per test file. Where they cannot
// (not root, no network namespaces, no python3), every suite is skipped with the reason in
// its name and a warning; with HMIP6_REQUIRE_KERNEL=1 (CI) the first test fails instead, so
// the suites never pass silently where they were meant to run.

import { kernelLabAvailability, removeStaleNamespaces } from '../../properties/kernel/netns.js';

export const availability = kernelLabAvailability();
export const kernelRequired = process.env.HMIP6_REQUIRE_KERNEL === '1';
export const skipKernel = !availability.ok;
export const suffix = availability.ok ? '' : ` (skipped: ${availability.reason})`;

if (availability.ok) {
  const stale = removeStaleNamespaces();
  if (stale.length > 0) console.warn(`kernel peer: removed namespaces left by earlier runs: ${stale.join(', ')}`);
} else {
  console.warn(`kernel peer tests skipped: ${availability.reason}`);
}
