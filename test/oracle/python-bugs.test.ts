// Each of the seven original `--bug` switches of the Python example host (examples/python-host/)
// is caught by the oracle with a short counterexample that names what went wrong; of the bugs
// nobody planned (docs/oracle.md, "Bugs nobody planned"), four cheap catches are here, to keep
// the suite quick. Seeds are pinned (the host draws its TIME from reset.seed, so every run replays byte
// for byte); each case runs the property that judges the bug (docs/oracle.md lists them).

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCounterexample } from '../../properties/counterexample.js';
import type { PropertyId } from '../../properties/invariants/types.js';
import { runOracle } from '../../properties/adapter/oracle.js';
import { hasPython, PROJECT_ROOT, PYTHON_HOST } from './support.js';

interface BugCase {
  bug: string;
  property: PropertyId;
  seed: number;
  /** Shrinking budget in runs of the world (each a few hundred exchanges with the IUT). */
  shrinkRuns: number;
  /** What the reason must say. */
  says: RegExp;
}

/** A counterexample a person reads in one go. */
const READABLE_ACTIONS_MAX = 6;

const BUGS: BugCase[] = [
  {
    bug: 'no-challenge',
    property: 'INV-ACTIVE-VERIFIED',
    seed: 7,
    shrinkRuns: 60,
    says: /became active .* without a tentative period and a Challenge/,
  },
  {
    bug: 'challenge-to-source',
    property: 'INV-CHALLENGE-TARGET',
    seed: 1,
    shrinkRuns: 60,
    says: /sent a Challenge .* which has no live Challenge/,
  },
  {
    bug: 'clock-time',
    property: 'INV-ACTIVE-VERIFIED',
    seed: 2,
    shrinkRuns: 60,
    says: /became active .* but no Challenge for it under that SA reached a key holder/,
  },
  {
    bug: 'no-replay-check',
    property: 'INV-REPLAY',
    seed: 5,
    shrinkRuns: 150,
    says: /a replayed packet .* changed Alice's state/,
  },
  {
    bug: 'anon-data',
    property: 'INV-ANON-SCOPE',
    seed: 5,
    shrinkRuns: 60,
    says: /reported data as authenticated that the anonymous SA/,
  },
  {
    bug: 'no-expiry',
    property: 'INV-DEPRECATED-BOUND',
    seed: 1,
    shrinkRuns: 60,
    says: /is still deprecated at .* after it expired/,
  },
  {
    bug: 'accept-unauthenticated-bu',
    property: 'INV-AUTH-REQUIRED',
    seed: 2,
    shrinkRuns: 60,
    says: /a packet with a BU, BA or BR and AH none changed Alice's state/,
  },
  // Bugs nobody planned (docs/oracle.md): the cheapest catches of properties no case above exercises.
  {
    bug: 'hao-without-ah-delivered',
    property: 'INV-DELIVERY',
    seed: 10,
    shrinkRuns: 60,
    says: /delivered data from a packet with an HAO .* and no valid AH/,
  },
  {
    bug: 'challenge-extra-attempt',
    property: 'INV-AMPLIFICATION',
    seed: 5,
    shrinkRuns: 60,
    says: /sent 4 packets to the unverified address .* for a budget of 3/,
  },
  {
    bug: 'port-wraps',
    property: 'INV-SEND-FAITHFUL',
    seed: 1,
    shrinkRuns: 60,
    // Any source port past 65535 (the world asks 65536 at the edge and 70000 beyond it).
    says: /accepted a malformed send .*"sport":(65536|70000)/,
  },
  {
    bug: 'stale-source',
    property: 'INV-SOURCE-OWNED',
    seed: 2,
    shrinkRuns: 60,
    says: /from 2001:db8:a::1, which she does not hold/,
  },
];

describe.skipIf(!hasPython())('the Python example host with a planted bug', () => {
  for (const c of BUGS) {
    it(`bug_${c.bug}_is_caught_by_${c.property}_with_a_short_counterexample`, async () => {
      const out = mkdtempSync(join(tmpdir(), 'hmip6-oracle-bugs-'));
      const report = await runOracle({
        command: `${PYTHON_HOST} --bug ${c.bug}`,
        cwd: PROJECT_ROOT,
        seed: c.seed,
        numRuns: 30,
        properties: [c.property],
        shrinkBudget: { runs: c.shrinkRuns },
        outDir: out,
      });
      expect(report.error).toBeNull();
      expect(report.verdict).toBe('fail');
      expect(report.iut?.name).toBe(`hmip6-python-example --bug ${c.bug}`);
      const p = report.properties.find((x) => x.id === c.property);
      expect(p?.verdict).toBe('fail');
      expect(p?.reason).toMatch(c.says);
      const cx = p?.counterexample;
      expect(cx).toBeDefined();
      if (cx === undefined || p?.file === undefined) return;
      expect(cx.actions.length).toBeGreaterThan(0);
      expect(cx.actions.length).toBeLessThanOrEqual(READABLE_ACTIONS_MAX);
      // Every step reads as a replayable call; the packets in and out of Alice are there, decoded.
      for (const step of cx.steps) expect(step.label).toMatch(/^[a-zA-Z]+\(.*\)$/);
      expect(cx.failingStep).toBeLessThan(cx.steps.length);
      expect(cx.packets.length).toBeGreaterThan(0);
      for (const packet of cx.packets) expect(packet.summary.length).toBeGreaterThan(0);
      // The file on disk is the same counterexample.
      expect(existsSync(p.file)).toBe(true);
      const file = parseCounterexample(readFileSync(p.file, 'utf8'));
      expect(file.property).toBe(c.property);
      expect(file.alice.name).toContain(`--bug ${c.bug}`);
    });
  }
});
