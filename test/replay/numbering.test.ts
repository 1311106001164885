// One numbering everywhere (docs/exploring.md, "Numbers in stories and reports"): steps count
// from 0 (the setup) and "step k of N" means N = the schedule's number of actions, also for a
// run that ended early; runs count from 0, as in file names and fast-check paths; `#N` is
// always packet N of the file, so Alice's calls are named by the packet she received or by
// their instant, and a request to an implementation by `request N`.

import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../cli/commands/replay.js';
import { ReferenceHost } from '../../impl/host/index.js';
import type { SaConfig, SentAnswer } from '../../impl/host/types.js';
import type { Address } from '../../impl/wire/types.js';
import { runOracle } from '../../properties/adapter/oracle.js';
import { readCounterexample } from '../../properties/counterexample.js';
import { runCheck } from '../../properties/runner.js';
import { hostFactory } from '../../properties/world/alice.js';
import type { AliceFactory } from '../../properties/world/types.js';
import { captureOutput } from '../helpers/capture.js';
import { leftovers, MISBEHAVE, PROJECT_ROOT, uniqueTag } from '../oracle/support.js';

class CrashesOnGain extends ReferenceHost {
  override addLocalAddress(address: Address, nowMs: number): SentAnswer {
    throw new Error(`crash on addLocalAddress ${address} at ${nowMs}`);
  }
}

class CrashesOnMalloryAddSa extends ReferenceHost {
  override addSA(sa: SaConfig, nowMs: number): SentAnswer {
    if (sa.peer.startsWith('2001:db8:e:')) throw new Error('no SA for Mallory');
    return super.addSA(sa, nowMs);
  }
}

const crashesOnGain = hostFactory('crashes-on-gain', (o) => new CrashesOnGain(o));
const crashesInSetup = hostFactory('crashes-in-setup', (o) => new CrashesOnMalloryAddSa(o));

/** The CRASH file `hmip6 check` writes for `alice` (seed 3), and the check's report. */
async function crashFile(alice: AliceFactory): Promise<{ path: string; run: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'hmip6-numbering-'));
  const report = await runCheck({ seed: 3, numRuns: 40, alice, outDir: dir });
  expect(report.error?.file).toBeDefined();
  return { path: report.error?.file ?? '', run: report.error?.run ?? -1 };
}

describe('steps: from 0, out of the schedule', () => {
  const captured = captureOutput();

  it('a_crash_mid_run_is_told_at_the_step_of_the_action_alice_threw_in', async () => {
    const { path } = await crashFile(crashesOnGain);
    const file = readCounterexample(path);
    const last = file.actions.length;
    // The trace has no step for the action she threw in; the file's failing step is that action's.
    expect(file.failingStep).toBe(file.steps.length);
    expect(file.actions[file.failingStep - 1].kind).toBe('aliceGain');
    // Told from the file's record (its Alice is not known here), then replayed with her.
    for (const alice of [undefined, crashesOnGain]) {
      const from = captured.output.length;
      expect(await run([path, '--no-color', '--states', 'none'], alice)).toBe(1);
      const text = captured.output.slice(from);
      expect(text).toContain(`Alice crashes at step ${file.failingStep} of ${last} (Alice = crashes-on-gain)`);
      expect(text).toContain(`✗ step ${file.failingStep}/${last}  Alice gains an address`);
      expect(text).toContain('Alice: throws: the run ends in this step');
      expect(text).toContain(`step ${file.failingStep - 1}/${last}  `);
      // Every heading counts out of the same last step.
      const headings = [...text.matchAll(/step (\d+)\/(\d+) {2}/g)];
      expect(headings.map((m) => Number(m[1]))).toEqual(Array.from({ length: file.failingStep + 1 }, (_, i) => i));
      expect(new Set(headings.map((m) => Number(m[2])))).toEqual(new Set([last]));
    }
  });

  it('a_crash_in_the_setup_is_step_0_of_the_schedules_last_step', async () => {
    const { path } = await crashFile(crashesInSetup);
    const file = readCounterexample(path);
    expect(file.steps).toHaveLength(0);
    expect(file.failingStep).toBe(0);
    expect(await run([path, '--no-color', '--states', 'none'])).toBe(1);
    expect(captured.output).toContain(`Alice crashes at step 0 of ${file.actions.length} (Alice = crashes-in-setup)`);
    expect(captured.output).toContain(`✗ step 0/${file.actions.length}  setup: SAs are established`);
    expect(captured.output).not.toContain('of -1');
  });

  it('a_replay_with_an_alice_that_does_not_crash_says_so', async () => {
    const { path } = await crashFile(crashesOnGain);
    expect(
      await run(
        [path, '--no-color', '--states', 'none'],
        hostFactory('reference', (o) => new ReferenceHost(o)),
      ),
    ).toBe(0);
    expect(captured.output).toMatch(/^no crash when replayed with reference \(crashes-on-gain crashed\)/);
    expect(captured.output).not.toContain('✗ step');
  });
});

describe('packets are #N, and only packets', () => {
  const captured = captureOutput();

  it('a_reason_names_alices_call_by_the_packet_the_story_numbers', async () => {
    const example = join(PROJECT_ROOT, 'examples/counterexamples/appendix-c-activates-without-challenge.json');
    expect(await run([example, '--no-color', '--states', 'none'])).toBe(1);
    // Mallory's claim is packet #5 in the story, and the reason names that packet.
    expect(captured.output).toMatch(/#5 Mallory → Alice: BU claims 2001:db8:b::1/);
    expect(captured.output).toContain(
      '✗ INV-ACTIVE-VERIFIED: 2001:db8:b::1 became active in entry e3 (SA alice-mallory-generic) straight from absent, without a tentative period and a Challenge, in receive of #5',
    );
    expect(captured.output).not.toMatch(/(receive|tick|send|addSA|LocalAddress) #\d/);
  });
});

describe('runs: from 0 everywhere', () => {
  const captured = captureOutput();

  it('an_implementation_refusing_its_first_reset_crashes_run_0_at_step_0', async () => {
    const tag = uniqueTag('numbering');
    const out = mkdtempSync(join(tmpdir(), 'hmip6-numbering-oracle-'));
    const report = await runOracle({
      command: `${MISBEHAVE} refuse 2 ${tag}`,
      cwd: PROJECT_ROOT,
      seed: 7,
      numRuns: 2,
      outDir: out,
    });
    expect(report.error?.file).toMatch(/CRASH-seed7-run0\.json$/);
    // The request by its protocol id, the world by its seed: no second count of runs, no `#`.
    expect(report.error?.message).toMatch(
      /failed on request 2 \(reset, world seed \d+\): refused: refused reset: refused on purpose/,
    );
    expect(report.error?.message).not.toMatch(/#\d|run 1/);
    expect(readdirSync(out)).toEqual(['CRASH-seed7-run0.json']);
    const file = readCounterexample(join(out, 'CRASH-seed7-run0.json'));
    expect(file.path).toBe('0');
    expect(file.reason).not.toMatch(/#\d|run 1/);
    expect(await run([join(out, 'CRASH-seed7-run0.json'), '--no-color'])).toBe(1);
    expect(captured.output).toContain(`Alice crashes at step 0 of ${file.actions.length}`);
    expect(await leftovers(tag)).toEqual([]);
  });
});
