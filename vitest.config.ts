import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property suites are CPU-bound; two workers match this project's 2-core CI machine.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // The tests run the sources through tsx, the `hmip6` bin they spawn included (cli/bin.mjs
    // otherwise runs the compiled dist/, which may be older than the sources).
    env: { HMIP6_FROM_SOURCE: '1' },
  },
});
