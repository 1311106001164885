// `hmip6 check`: options, exit codes, the JSON and JUnit reports, shards.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { junitXml, run } from '../../cli/commands/check.js';
import { PROPERTY_IDS } from '../../properties/invariants/types.js';
import { runCheck, type CheckReport } from '../../properties/runner.js';
import { emptyStats } from '../../properties/stats.js';
import { captureOutput } from '../helpers/capture.js';

describe('hmip6 check', () => {
  const captured = captureOutput();

  it('unknown_property_is_a_usage_error', async () => {
    expect(await run(['--property', 'INV-NOT-A-PROPERTY'])).toBe(3);
    expect(captured.output).toMatch(/unknown property "INV-NOT-A-PROPERTY"/);
    expect(await run(['--shard', '3/2'])).toBe(3);
    expect(await run(['--runs', 'many'])).toBe(3);
    expect(await run(['--bogus'])).toBe(3);
  });

  it('help_explains_shards_and_lists_every_property', async () => {
    expect(await run(['--help'])).toBe(0);
    expect(captured.output).toMatch(/run r \(from 0\) belongs to shard\s+\(r mod N\) \+ 1/);
    for (const id of PROPERTY_IDS) expect(captured.output).toContain(id);
  });

  it('writes_json_and_junit_reports_and_prints_the_seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hmip6-check-'));
    const code = await run([
      '--runs',
      '6',
      '--seed',
      '11',
      '--json',
      join(dir, 'r.json'),
      '--junit',
      join(dir, 'r.xml'),
      '--out',
      join(dir, 'cx'),
    ]);
    expect(code).toBe(0);
    expect(captured.output).toContain('seed 11');
    expect(captured.output).toMatch(/INV-ACTIVE-VERIFIED\s+6\s+PASS/);
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as {
      verdict: string;
      seed: number;
      properties: { id: string; verdict: string; runs: number; ms: number }[];
    };
    expect(json.verdict).toBe('pass');
    expect(json.seed).toBe(11);
    expect(json.properties.map((p) => p.id)).toEqual([...PROPERTY_IDS]);
    for (const p of json.properties) {
      expect(p.verdict).toBe('pass');
      expect(p.runs).toBe(6);
      expect(typeof p.ms).toBe('number');
    }
    const xml = readFileSync(join(dir, 'r.xml'), 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(PROPERTY_IDS.length);
    expect(xml).toContain(
      `<testsuite name="hmip6 check" tests="${PROPERTY_IDS.length}" failures="0" errors="0" skipped="0"`,
    );
  });

  it('black_box_runs_report_skips', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hmip6-check-'));
    expect(
      await run([
        '--runs',
        '3',
        '--seed',
        '5',
        '--black-box',
        '--junit',
        join(dir, 'r.xml'),
        '--property',
        'INV-BOUNDED',
        '--property',
        'INV-NO-DIVERSION',
      ]),
    ).toBe(0);
    const xml = readFileSync(join(dir, 'r.xml'), 'utf8');
    expect(xml).toMatch(/name="INV-BOUNDED"[^>]*>\s*<skipped message="needs the state feature/);
    expect(xml).toMatch(/<testcase classname="hmip6.properties" name="INV-NO-DIVERSION" time="[\d.]+"\/>/);
  });

  it('shards_together_cover_the_run_once', async () => {
    const whole = await runCheck({ seed: 3, numRuns: 9, properties: ['INV-BOUNDED'] });
    const first = await runCheck({ seed: 3, numRuns: 9, properties: ['INV-BOUNDED'], shard: { index: 0, count: 2 } });
    const second = await runCheck({ seed: 3, numRuns: 9, properties: ['INV-BOUNDED'], shard: { index: 1, count: 2 } });
    expect(first.runs).toBe(5);
    expect(second.runs).toBe(4);
    expect(first.stats.runs + second.stats.runs).toBe(whole.stats.runs);
    for (const s of Object.keys(whole.stats.reached) as (keyof typeof whole.stats.reached)[]) {
      expect(first.stats.reached[s] + second.stats.reached[s], s).toBe(whole.stats.reached[s]);
    }
  });

  it('junit_escapes_failure_text', () => {
    const report: CheckReport = {
      verdict: 'fail',
      seed: 1,
      numRuns: 1,
      runs: 1,
      stepsMax: 1,
      alice: 'a "quoted" <host>',
      shard: null,
      interrupted: false,
      properties: [
        {
          id: 'INV-REPLAY',
          verdict: 'fail',
          runs: 1,
          ms: 1,
          judged: 0,
          judgedMinimum: 0,
          reason: 'state <changed> & "moved"',
          failingRun: 0,
          file: 'cx/a&b.json',
        },
      ],
      stats: emptyStats(),
      situations: [],
      error: null,
      timing: { totalMs: 1, worldMs: 1, steps: 1, stepsPerSecond: 1 },
    };
    const xml = junitXml(report);
    expect(xml).toContain('message="state &lt;changed&gt; &amp; &quot;moved&quot;"');
    expect(xml).toContain('counterexample: cx/a&amp;b.json');
    expect(xml).toContain('value="a &quot;quoted&quot; &lt;host&gt;"');
    expect(xml).not.toMatch(/<changed>/);
  });
});
