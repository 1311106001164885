// An implementation under test that crashes, hangs, prints garbage, answers the wrong id,
// floods stdout, exits early or answers in the wrong shape gets verdict `error` (exit 2), with
// a message naming the request, within a bounded time, never a hang and never a pass; and no
// process of it is left behind (ADAPTER-PROTOCOL.md "Limits the oracle enforces").

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOracle } from '../../properties/adapter/oracle.js';
import { withAdapterAlice, withAdapterAliceAsync } from '../../properties/adapter/replay.js';
import type { AdapterErrorKind } from '../../properties/adapter/errors.js';
import { leftovers, MISBEHAVE, PROJECT_ROOT, uniqueTag } from './support.js';

/** The request the fixtures misbehave on: in the first run, after hello, reset and the SAs. */
const BAD_REQUEST = 25;
/**
 * The hang case waits this long for its answer. The other cases keep the default timeout, so
 * that a loaded machine cannot turn a slow answer to an earlier request into a hang.
 */
const HANG_TIMEOUT_MS = 1000;
/** A misbehaving IUT is judged within this (startup, 24 good exchanges, the failure, cleanup). */
const JUDGED_WITHIN_MS = 8000;

interface Case {
  mode: string;
  kind: AdapterErrorKind;
  /** The request the error names. */
  request: string;
  /** Words the message must hold. */
  says: RegExp;
}

const CASES: Case[] = [
  {
    mode: 'crash',
    kind: 'crash',
    request: `request ${BAD_REQUEST} (`,
    says: /exited with status 3 while request 25 \(/,
  },
  { mode: 'hang', kind: 'hang', request: `request ${BAD_REQUEST} (`, says: /no answer within 1000 ms/ },
  { mode: 'garbage', kind: 'garbage', request: `request ${BAD_REQUEST} (`, says: /not JSON: "this is not json"/ },
  { mode: 'wrong-id', kind: 'wrong-id', request: `request ${BAD_REQUEST} (`, says: /id 1025 instead of 25/ },
  // The extra lines come after the answer to request 25: seen before request 26 is sent, or as the answer to it.
  {
    mode: 'flood',
    kind: 'flood',
    request: `request ${BAD_REQUEST + 1} (`,
    says: /(answers no request \(after its answer to request 25 |another line for the earlier request 25 )/,
  },
  { mode: 'long-line', kind: 'flood', request: `request ${BAD_REQUEST} (`, says: /longer than 1048576 bytes/ },
  {
    mode: 'early-exit',
    kind: 'early-exit',
    request: `request ${BAD_REQUEST} (`,
    says: /exited with status 0 while request 25 \(/,
  },
  {
    mode: 'bad-shape',
    kind: 'invalid-answer',
    request: `request ${BAD_REQUEST} (`,
    says: /sent\[0\] must be a hex string/,
  },
];

describe('an IUT that breaks the adapter protocol', () => {
  for (const c of CASES) {
    it(`${c.mode}_gives_verdict_error_naming_the_request_and_leaves_no_process`, async () => {
      const tag = uniqueTag(c.mode);
      const started = Date.now();
      const report = await runOracle({
        command: `${MISBEHAVE} ${c.mode} ${BAD_REQUEST} --grandchild ${tag}`,
        cwd: PROJECT_ROOT,
        seed: 1,
        numRuns: 3,
        ...(c.mode === 'hang' ? { timeoutMs: HANG_TIMEOUT_MS } : {}),
      });
      expect(Date.now() - started).toBeLessThan(JUDGED_WITHIN_MS);
      expect(report.verdict).toBe('error');
      expect(report.error?.kind).toBe(c.kind);
      expect(report.error?.request).toContain(c.request);
      expect(report.error?.message).toMatch(c.says);
      expect(report.error?.message).toContain(`on ${c.request}`);
      // The stderr tail is kept: the fixture logs every request it reads.
      expect(report.error?.stderrTail.some((l) => l.includes(`request ${BAD_REQUEST}`))).toBe(true);
      expect(report.error?.replay).toContain('--seed 1 --runs 3');
      // Nothing was judged on a broken IUT's account.
      expect(report.properties.every((p) => p.verdict !== 'pass' || p.runs === 0)).toBe(true);
      expect(await leftovers(tag)).toEqual([]);
    });
  }

  it('a_refused_reset_gives_verdict_error', async () => {
    const tag = uniqueTag('refuse');
    const report = await runOracle({ command: `${MISBEHAVE} refuse 2 ${tag}`, cwd: PROJECT_ROOT, seed: 1, numRuns: 2 });
    expect(report.verdict).toBe('error');
    expect(report.error?.kind).toBe('refused');
    expect(report.error?.message).toMatch(/request 2 \(reset.*refused reset: refused on purpose/);
    expect(await leftovers(tag)).toEqual([]);
  });

  it('a_command_that_does_not_exist_gives_verdict_error_at_hello', async () => {
    const report = await runOracle({
      command: 'hmip6-no-such-command-anywhere',
      cwd: PROJECT_ROOT,
      seed: 1,
      numRuns: 1,
    });
    expect(report.verdict).toBe('error');
    expect(report.error?.kind).toBe('crash');
    expect(report.error?.request).toContain('request 1 (hello)');
    expect(report.error?.message).toMatch(/status 127/);
  });

  it('a_crash_writes_the_run_as_a_counterexample_file_to_replay', async () => {
    const tag = uniqueTag('crashfile');
    const out = mkdtempSync(join(tmpdir(), 'hmip6-oracle-crash-'));
    const report = await runOracle({
      command: `${MISBEHAVE} crash ${BAD_REQUEST} ${tag}`,
      cwd: PROJECT_ROOT,
      // A seed whose run 0 reaches request BAD_REQUEST (at seed 7 the crash comes in run 1: below).
      seed: 8,
      numRuns: 2,
      outDir: out,
    });
    expect(report.verdict).toBe('error');
    expect(report.error?.file).toMatch(/CRASH-seed8-run0\.json$/);
    expect(await leftovers(tag)).toEqual([]);
  });

  it('a_failure_whose_replay_meets_a_dead_IUT_keeps_its_run_unshrunk_beside_the_crash', async () => {
    // Seed 7: in run 0 the fixture (a host that sends nothing) owes a BA it never sends (rule
    // 10, a warning that does not end the check), run 1 crashes it, and shrinking run 0
    // afterwards replays it against the crashed IUT: it no longer fails. The run as it first
    // failed is still the counterexample, and the report says it is not shrunk.
    const tag = uniqueTag('crashshrink');
    const out = mkdtempSync(join(tmpdir(), 'hmip6-oracle-crash-'));
    const report = await runOracle({
      command: `${MISBEHAVE} crash ${BAD_REQUEST} ${tag}`,
      cwd: PROJECT_ROOT,
      seed: 7,
      numRuns: 20,
      outDir: out,
    });
    expect(report.verdict).toBe('error');
    expect(report.error?.file).toMatch(/CRASH-seed7-run1\.json$/);
    const failed = report.properties.filter((p) => p.counterexample !== undefined);
    expect(failed.length).toBeGreaterThan(0);
    for (const p of failed) {
      expect(p.reason).toContain('[not shrunk: run 0 did not fail again when replayed');
      expect(p.file).toMatch(new RegExp(`${p.id}-seed7-run0\\.json$`));
      expect(p.counterexample?.failingStep).toBeGreaterThanOrEqual(0);
    }
    expect(await leftovers(tag)).toEqual([]);
  });
});

describe('an IUT used as Alice outside the oracle', () => {
  it('is_stopped_when_the_callback_returns_or_throws', async () => {
    const tag = uniqueTag('with');
    const name = withAdapterAlice(
      { command: `${MISBEHAVE} none 0 ${tag}`, cwd: PROJECT_ROOT },
      (alice) => alice.identity.name,
    );
    expect(name).toBe('misbehave-none');
    await expect(
      withAdapterAliceAsync(
        { command: `${MISBEHAVE} none 0 --grandchild ${tag}`, cwd: PROJECT_ROOT },
        async (alice) => {
          expect(alice.features).toEqual([]);
          throw new Error('the caller failed');
        },
      ),
    ).rejects.toThrow('the caller failed');
    expect(await leftovers(tag)).toEqual([]);
  });
});

describe('hmip6 oracle on a broken IUT', () => {
  it('exits_2_and_prints_the_request_and_the_stderr_tail', () => {
    const tag = uniqueTag('cli');
    const r = spawnSync(
      process.execPath,
      [
        'cli/bin.mjs',
        'oracle',
        '--impl',
        `${MISBEHAVE} crash ${BAD_REQUEST} ${tag}`,
        '--runs',
        '2',
        '--seed',
        '3',
        '--out',
        mkdtempSync(join(tmpdir(), 'hmip6-oracle-cli-')),
      ],
      {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/ERROR: the implementation under test failed on request 25 \(/);
    expect(r.stdout).toContain('misbehave: crashing now');
    expect(r.stdout).toContain(
      `replay: hmip6 oracle --impl '${MISBEHAVE} crash ${BAD_REQUEST} ${tag}' --seed 3 --runs 2`,
    );
  });

  it('exits_3_without_impl', () => {
    const r = spawnSync(process.execPath, ['cli/bin.mjs', 'oracle', '--runs', '2'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('--impl "<command>" is required');
  });

  it('killed_by_sigint_while_the_iut_hangs_leaves_no_process', async () => {
    const tag = uniqueTag('sigint');
    const oracle = spawn(
      process.execPath,
      [
        'cli/bin.mjs',
        'oracle',
        '--impl',
        `${MISBEHAVE} hang ${BAD_REQUEST} --grandchild ${tag}`,
        '--runs',
        '2',
        '--timeout-ms',
        '60000',
      ],
      {
        cwd: PROJECT_ROOT,
        stdio: 'ignore',
      },
    );
    const exited = new Promise<number | null>((resolve) =>
      oracle.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : -1))),
    );
    // Wait until the IUT is up and has hung on its request.
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const r = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
      if (r.stdout.includes(`hang ${BAD_REQUEST} --grandchild ${tag}`)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    oracle.kill('SIGINT');
    expect(await exited).not.toBe(0);
    expect(await leftovers(tag)).toEqual([]);
  });
});
