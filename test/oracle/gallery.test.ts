// The gallery (test/oracle/gallery/): implementations under test that do nothing, lie about
// their state, hide a bug behind a truthful-looking state, answer at random, refuse
// everything, storm or crash. Whatever they say, none of them may pass: each ends `fail` or
// `inconclusive` (exit 1 or 4), and the one that crashes ends `error` (exit 2) with every
// property `not-run`. docs/oracle.md lists what each one gets and which property catches it.
// Seeds are pinned and runs few, to keep the suite quick.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOracle, type OracleReport } from '../../properties/adapter/oracle.js';
import { hasPython, PROJECT_ROOT } from './support.js';

const GALLERY = 'python3 test/oracle/gallery';
const SEED = 3;
const RUNS = 50;
/** The proxies run the reference host behind Python: fewer runs, as many situations. */
const PROXY_RUNS = 20;
/** The verdict is what matters here, not how short the counterexamples get. */
const SHRINK = { runs: 10 };
/** A host that answers packets with packets to itself is stopped and failed well within this. */
const STORM_JUDGED_WITHIN_MS = 60_000;
/** The CLI, started through tsx, for the case whose reports are checked as files. */
const CLI_TIMEOUT_MS = 60_000;

interface GalleryCase {
  name: string;
  /** Arguments after `python3 test/oracle/gallery/`. */
  script: string;
  /** What it does, for the failure message. */
  does: string;
  runs?: number;
  seed?: number;
}

const CASES: GalleryCase[] = [
  { name: 'do_nothing_without_state', script: 'do-nothing.py', does: 'answers ok, sends and delivers nothing' },
  {
    name: 'do_nothing_with_state',
    script: 'do-nothing.py --state',
    does: 'answers ok, sends nothing, reports an empty state',
  },
  {
    name: 'static_state',
    script: 'static-state.py',
    does: "does nothing, reports one fixed entry with the peer's address active",
  },
  {
    name: 'correct_host_whose_state_reports_every_address_active',
    script: 'lying-state.py --lie all-active',
    does: 'the reference host, state rewritten: every address active',
    runs: PROXY_RUNS,
  },
  {
    name: 'correct_host_whose_state_hides_tentative_addresses',
    script: 'lying-state.py --lie hide-tentative',
    does: 'the reference host, state rewritten: no tentative address',
    runs: PROXY_RUNS,
  },
  {
    name: 'host_that_drops_its_challenges_behind_a_truthful_state',
    script: 'hidden-bug.py',
    does: 'the reference host, Challenges dropped from sent, state untouched',
    runs: PROXY_RUNS,
  },
  {
    name: 'random_well_formed_answers',
    script: 'random-answers.py',
    does: 'sends seen packets on at random, delivers random items',
    runs: PROXY_RUNS,
  },
  {
    name: 'refuses_everything_after_reset',
    script: 'refuse-all.py',
    does: 'answers ok: false to every request after reset',
  },
];

/** Every property that did not hold, and every MUST-level packet check that failed: who caught it. */
function catchers(report: OracleReport): string[] {
  const properties = report.properties
    .filter((p) => p.verdict === 'fail' || p.verdict === 'inconclusive')
    .map((p) => `${p.id} ${p.verdict}`);
  const checks = [...new Set(report.findings.filter((f) => f.level === 'MUST').map((f) => `${f.check} fail`))];
  return [...properties, ...checks];
}

function summary(report: OracleReport): string {
  const lines = report.properties.map(
    (p) =>
      `  ${p.id}: ${p.verdict}${p.reason !== undefined ? ` (${p.reason})` : ''}${p.skipReason !== undefined ? ` (${p.skipReason})` : ''}`,
  );
  return [
    `verdict ${report.verdict}, error ${report.error?.message ?? 'none'}`,
    ...lines,
    ...report.findings.map((f) => `  ${f.check} ${f.level}: ${f.message}`),
  ].join('\n');
}

describe.skipIf(!hasPython())('the gallery of trivial and lying IUTs', () => {
  for (const c of CASES) {
    it(`${c.name}_never_passes`, async () => {
      const report = await runOracle({
        command: `${GALLERY}/${c.script}`,
        cwd: PROJECT_ROOT,
        seed: c.seed ?? SEED,
        numRuns: c.runs ?? RUNS,
        shrinkBudget: SHRINK,
        outDir: mkdtempSync(join(tmpdir(), 'hmip6-gallery-')),
      });
      const why = `${c.script} (${c.does}):\n${summary(report)}`;
      expect(report.error, why).toBeNull();
      expect(['fail', 'inconclusive'], why).toContain(report.verdict);
      expect(catchers(report).length, why).toBeGreaterThan(0);
    });
  }

  it('echo_everything_back_is_a_packet_storm_that_fails_inv_amplification_within_a_minute', async () => {
    const started = Date.now();
    const report = await runOracle({
      command: `${GALLERY}/echo.py`,
      cwd: PROJECT_ROOT,
      seed: SEED,
      numRuns: RUNS,
      shrinkBudget: SHRINK,
      outDir: mkdtempSync(join(tmpdir(), 'hmip6-gallery-')),
    });
    const ms = Date.now() - started;
    const why = summary(report);
    expect(report.error, why).toBeNull();
    expect(report.verdict, why).toBe('fail');
    const amplification = report.properties.find((p) => p.id === 'INV-AMPLIFICATION');
    expect(amplification?.verdict, why).toBe('fail');
    expect(amplification?.reason, why).toMatch(
      /a packet storm in step \d+ .*past 10000 (deliveries in one step|packets in flight at once)/,
    );
    expect(amplification?.reason, why).toMatch(/Alice's own address/);
    // The storm stopped the check: no run after it was started.
    expect(report.stormRun, why).toBe(amplification?.failingRun);
    expect(report.runs, why).toBe((report.stormRun ?? -1) + 1);
    // Its counterexample is the run up to the storm, the step it failed at last.
    const cx = amplification?.counterexample;
    expect(cx?.failingStep).toBe((cx?.steps.length ?? 0) - 1);
    expect(cx?.actions.length).toBe(cx?.failingStep);
    expect(ms).toBeLessThan(STORM_JUDGED_WITHIN_MS);
  });

  it('crash_at_the_first_reset_is_an_error_with_every_property_not_run_never_a_pass', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hmip6-gallery-'));
    const r = spawnSync(
      process.execPath,
      [
        'cli/bin.mjs',
        'oracle',
        '--impl',
        `${GALLERY}/crash-at-reset.py`,
        '--seed',
        String(SEED),
        '--runs',
        String(RUNS),
        '--json',
        join(dir, 'report.json'),
        '--junit',
        join(dir, 'report.xml'),
        '--out',
        join(dir, 'cx'),
      ],
      { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: CLI_TIMEOUT_MS },
    );
    expect(r.status, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).not.toMatch(/\bPASS\b/);
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
      verdict: string;
      properties: { id: string; verdict: string }[];
      error: { kind?: string; request?: string } | null;
    };
    expect(json.verdict).toBe('error');
    expect(json.error?.kind).toBe('crash');
    expect(json.error?.request).toMatch(/reset/);
    expect(json.properties.length).toBeGreaterThan(0);
    for (const p of json.properties) expect(p.verdict, p.id).toBe('not-run');
    const xml = readFileSync(join(dir, 'report.xml'), 'utf8');
    for (const p of json.properties)
      expect(xml, p.id).toMatch(new RegExp(`<testcase [^>]*name="${p.id}"[^>]*>\\s*<skipped`));
    expect(xml).toMatch(/<error /);
  });
});
