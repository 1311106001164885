// `hmip6 explore` against the mutant bank (properties/mutants/bank/): for every mutant it can reach at the
// full scope, breadth-first search finds the shortest trace that breaks the property expected to
// catch it (minimal: every shallower layer was searched completely), and that trace replays as a
// counterexample. The mutants it cannot reach within the depth are listed with the reason.

import { describe, expect, it } from 'vitest';
import { replayCounterexample } from '../../properties/counterexample.js';
import { explore } from '../../properties/explore/explore.js';
import { SCOPES } from '../../properties/explore/scope.js';
import { propertyById } from '../../properties/invariants/index.js';
import { runSchedule } from '../../properties/world/world.js';
import { MUTANTS } from '../../properties/mutants/bank/index.js';

/** Depth searched for every mutant (the full scope has 28 moves: depth 2 is at most about 360 transitions). */
const DEPTH = 2;
/** Mutants whose shortest trace is known to be deeper, searched to this depth instead. */
const DEEPER: Readonly<Record<string, number>> = {
  // Mallory must first have a BU of its own to replay: wait, claim, then replay it.
  'skips-anti-replay': 3,
};
/**
 * Why a mutant is out of reach at the full scope within the depth searched. A new one that is not
 * reached fails the test until its reason is here.
 */
const OUT_OF_REACH: Readonly<Record<string, string>> = {
  // The explorer's alphabet (properties/explore/scope.ts) predates these attacks and requests.
  'delivers-hao-without-ah':
    "the scope's spoofs carry no data packet with an HAO and no AH (Mallory's 'hao-data' spoof is not a move)",
  'send-ignores-ports':
    "Alice's sends in the scope always use the default ports 5000/5000, which this mutant sends too",
  'unknown-proto-sent-as-echo': "the scope has no malformed request (the world's 'invalid' action is not a move)",
  'replay-window-keeps-skipped':
    'a fresh datagram arriving late inside the window needs a burst of peer data and a delay: more than 2 moves',
  'challenge-lifetime-from-last':
    "a Response after the Challenge's lifetime needs a withheld Challenge, a retransmission, a wait past the lifetime and a late answer: more than 2 moves (the scope has no withhold or reuse move)",
  'bu-sequence-without-modulus':
    "the scope has no move that numbers Mallory's BUs across 65535 -> 0 (the world's 'seqWrap' action is not a move)",
  'challenge-from-oldest-address':
    "a claim must reach Alice at an address other than her oldest and go unanswered for challengeRetransmitMs (the world's 'withhold' action is not a move)",
  'no-challenge-retransmission':
    'a retransmission is owed only to a Challenge that stays unanswered past challengeRetransmitMs with nothing that could end it, which needs a withheld or lost Challenge (no move of the scope)',
  'no-periodic-bu':
    "a periodic BU is owed only after bindingRefreshSeconds without a BU to a peer proven homeless, a longer quiet stretch than the scope's moves make",
  'challenge-sent-late':
    'the first copy is judged late only when it leaves in a tick, after a claim that stays unanswered (a withheld claim: no move of the scope)',
};

interface Row {
  mutant: string;
  property: string;
  depth: number | null;
  actions: number | null;
  moves: string;
  transitions: number;
  note: string;
}

describe('explore finds a minimal trace for each mutant it can reach', () => {
  it('shortest_traces_break_the_expected_property_and_replay', async () => {
    const rows: Row[] = [];
    for (const mutant of MUTANTS) {
      const depth = DEEPER[mutant.name] ?? DEPTH;
      const report = await explore({ depth, scope: SCOPES.full, alice: mutant.factory, properties: [mutant.expected] });
      const f = report.failure;
      if (f === null) {
        expect(report.depthCompleted, mutant.name).toBe(depth);
        rows.push({
          mutant: mutant.name,
          property: mutant.expected,
          depth: null,
          actions: null,
          moves: '',
          transitions: report.transitions,
          note: OUT_OF_REACH[mutant.name] ?? '',
        });
        continue;
      }
      expect(f.property, mutant.name).toBe(mutant.expected);
      // Minimal: the layers above it were searched completely and nothing failed there.
      expect(report.depthCompleted, mutant.name).toBe(f.depth - 1);
      // The counterexample replays, the same run, and fails the same property.
      const file = f.counterexample;
      expect(replayCounterexample(file, mutant.factory).identical, mutant.name).toBe(true);
      const schedule = { config: file.config, actions: file.actions };
      expect(propertyById(mutant.expected).check(runSchedule(schedule, mutant.factory).trace).ok, mutant.name).toBe(
        false,
      );
      rows.push({
        mutant: mutant.name,
        property: mutant.expected,
        depth: f.depth,
        actions: f.actions.length,
        moves: f.moves.join(' '),
        transitions: report.transitions,
        note: '',
      });
    }
    console.table(rows);
    const reached = rows.filter((r) => r.depth !== null);
    expect(reached.length).toBeGreaterThanOrEqual(15);
    // Every mutant out of reach is listed with its reason.
    for (const r of rows.filter((x) => x.depth === null))
      expect(
        OUT_OF_REACH[r.mutant],
        `${r.mutant} is not reached within ${DEEPER[r.mutant] ?? DEPTH} moves: say why in OUT_OF_REACH`,
      ).toBeDefined();
  }, 400_000); // every mutant of the bank, searched to its depth: about 2 min on a loaded machine
});
