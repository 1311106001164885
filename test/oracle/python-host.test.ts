// The Python example host (examples/python-host/) passes the oracle in both modes, says which
// properties it cannot be judged on, and a counterexample found against it replays against it
// byte for byte (replayAgainstIut, what `hmip6 replay FILE --impl` does).

import { describe, expect, it } from 'vitest';
import { PROPERTIES, propertyById } from '../../properties/invariants/index.js';
import { replayAgainstIut } from '../../properties/adapter/replay.js';
import { runOracle } from '../../properties/adapter/oracle.js';
import { hasPython, PROJECT_ROOT, PYTHON_HOST } from './support.js';

describe.skipIf(!hasPython())('the Python example host', () => {
  it('passes_the_full_suite_with_no_warning_and_skips_live_compat_for_want_of_standard_compat', async () => {
    const report = await runOracle({ command: PYTHON_HOST, cwd: PROJECT_ROOT, seed: 11, numRuns: 40 });
    expect(report.error).toBeNull();
    expect(report.verdict).toBe('pass');
    expect(report.mode).toBe('full');
    expect(report.features).toEqual(['state', 'anonymous-sa', 'alternate-prefixes']);
    expect(report.warnings).toEqual([]);
    expect(report.findings).toEqual([]);
    const compat = report.properties.find((p) => p.id === 'LIVE-COMPAT');
    expect(compat?.verdict).toBe('skip');
    expect(compat?.skipReason).toMatch(/standard-compat/);
    for (const p of report.properties.filter((x) => x.id !== 'LIVE-COMPAT')) {
      expect(p.verdict, p.id).toBe('pass');
      expect(p.runs, p.id).toBe(40);
    }
    // REFINES-MODEL compared the Python host with the model after thousands of calls.
    expect(report.properties.find((p) => p.id === 'REFINES-MODEL')?.judged).toBeGreaterThan(1000);
    expect(report.exchanges.requests).toBeGreaterThan(5000);
  });

  it('passes_in_black_box_mode_judged_only_by_its_packets', async () => {
    const report = await runOracle({ command: PYTHON_HOST, cwd: PROJECT_ROOT, seed: 12, numRuns: 25, blackBox: true });
    expect(report.verdict).toBe('pass');
    expect(report.mode).toBe('black-box');
    expect(report.features).not.toContain('state');
    const judged = report.properties.filter((p) => p.verdict === 'pass').map((p) => p.id);
    // Every property that needs no state is judged (LIVE-COMPAT needs standard-compat, which this host lacks).
    const blackBoxIds = PROPERTIES.filter((p) => p.needs === 'black-box' && p.id !== 'LIVE-COMPAT').map((p) => p.id);
    expect(judged).toEqual(blackBoxIds);
    for (const p of report.properties.filter((x) => x.verdict === 'skip' && x.id !== 'LIVE-COMPAT'))
      expect(p.skipReason).toMatch(/black-box/);
  });

  it('replays_a_counterexample_found_against_it_byte_for_byte', async () => {
    const command = `${PYTHON_HOST} --bug no-expiry`;
    const report = await runOracle({
      command,
      cwd: PROJECT_ROOT,
      seed: 4,
      numRuns: 10,
      properties: ['INV-DEPRECATED-BOUND'],
      shrinkBudget: { runs: 30 },
    });
    const cx = report.properties.find((p) => p.id === 'INV-DEPRECATED-BOUND')?.counterexample;
    expect(cx).toBeDefined();
    if (cx === undefined) return;
    const again = replayAgainstIut(cx, { command, cwd: PROJECT_ROOT });
    expect(again.error).toBeNull();
    expect(again.replay?.firstDifference ?? null).toBeNull();
    expect(again.replay?.identical).toBe(true);
    const verdict = again.replay === null ? null : propertyById('INV-DEPRECATED-BOUND').check(again.replay.trace);
    expect(verdict?.ok).toBe(false);
    // The correct host, replayed on the same schedule, keeps the bound.
    const fixed = replayAgainstIut(cx, { command: PYTHON_HOST, cwd: PROJECT_ROOT });
    expect(fixed.replay?.identical).toBe(false);
    expect(fixed.replay === null ? null : propertyById('INV-DEPRECATED-BOUND').check(fixed.replay.trace).ok).toBe(true);
  });
});
