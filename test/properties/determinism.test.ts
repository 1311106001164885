// Runs are reproducible: a schedule gives the same trace byte for byte, a seed gives the same
// report (timing aside), and a counterexample file replays to the very trace it records.

import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonReport } from '../../cli/commands/check.js';
import { scheduleArbitrary } from '../../properties/arbitraries/schedule.js';
import {
  COUNTEREXAMPLE_FORMAT,
  parseCounterexample,
  replayCounterexample,
  serializeCounterexample,
} from '../../properties/counterexample.js';
import { runCheck } from '../../properties/runner.js';
import { referenceAlice } from '../../properties/world/alice.js';
import { runSchedule } from '../../properties/world/world.js';
import { acceptsBuWithoutAh } from './broken-hosts.js';

const SEED = Number(process.env.HMIP6_SEED ?? 20_261_127);

/** The JSON report without what depends on the machine's speed. */
function withoutTiming(report: unknown): unknown {
  return JSON.parse(
    JSON.stringify(report, (key, value: unknown) => (key === 'ms' || key === 'timing' ? undefined : value)),
  );
}

describe('determinism', () => {
  it('same_schedule_gives_the_same_trace_byte_for_byte', () => {
    const schedules = fc.sample(scheduleArbitrary(), { numRuns: 5, seed: SEED });
    for (const s of schedules) {
      const a = JSON.stringify(runSchedule(s, referenceAlice).trace);
      const b = JSON.stringify(runSchedule(s, referenceAlice).trace);
      expect(a.length).toBeGreaterThan(1000);
      expect(a === b).toBe(true);
    }
  });

  it('same_seed_gives_the_same_json_report', async () => {
    const once = jsonReport(await runCheck({ seed: SEED, numRuns: 40, alice: acceptsBuWithoutAh }));
    const twice = jsonReport(await runCheck({ seed: SEED, numRuns: 40, alice: acceptsBuWithoutAh }));
    expect(withoutTiming(twice)).toEqual(withoutTiming(once));
    const other = jsonReport(await runCheck({ seed: SEED + 1, numRuns: 40, alice: acceptsBuWithoutAh }));
    expect(withoutTiming(other)).not.toEqual(withoutTiming(once));
  });

  it('counterexample_file_replays_to_the_same_trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hmip6-cx-'));
    const report = await runCheck({
      seed: SEED,
      numRuns: 300,
      alice: acceptsBuWithoutAh,
      properties: ['INV-AUTH-REQUIRED'],
      outDir: dir,
    });
    const p = report.properties[0];
    expect(p.verdict, `seed ${SEED}`).toBe('fail');
    expect(readdirSync(dir)).toHaveLength(1);
    const file = parseCounterexample(readFileSync(p.file ?? '', 'utf8'));
    expect(file.format).toBe(COUNTEREXAMPLE_FORMAT);
    expect(file.property).toBe('INV-AUTH-REQUIRED');
    expect(file.seed).toBe(SEED);
    expect(file.path).toBe(String(p.failingRun));
    expect(file.replayPath.startsWith(`${file.path}:`) || file.replayPath === file.path).toBe(true);
    expect(
      file.steps[file.failingStep].packetsIn.some(
        (x) => x.truth?.ah === 'none' && x.hex.length > 0 && x.summary.includes('BU'),
      ),
    ).toBe(true);
    expect(file.steps.every((s) => s.aliceState !== null)).toBe(true);

    const replay = replayCounterexample(file, acceptsBuWithoutAh);
    expect(replay.firstDifference).toBeNull();
    expect(replay.identical).toBe(true);
    expect(serializeCounterexample(replay.file)).toBe(serializeCounterexample(file));
    // The comparison can fail: the reference host does not do what the broken one did.
    expect(replayCounterexample(file, referenceAlice).identical).toBe(false);
  });
});
