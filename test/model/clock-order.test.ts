// HOST.md rule 16: expiries apply at their own instants, in time order across entries. A found
// case (by `hmip6 explore`): Bob moves, Alice's application sends to his new address (an entry
// without SA), Bob's and Mallory's claims on it are challenged, Bob answers, then one request
// jumps the clock 90 s. Mallory's Challenge ends at ≈5 s, which settles the claim for Bob and
// takes the address from the SA-less entry (rule 13) before its activity lifetime would have
// run out at 60 s. A model that applied every expiry at the jump's end kept that copy as
// deprecated; the host and the model must now agree on every step.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockstep } from '../../properties/lockstep.js';
import { runSchedule } from '../../properties/world/world.js';
import { referenceAlice } from '../../properties/world/alice.js';
import { parseCounterexample } from '../../properties/counterexample.js';

const FILE = join(import.meta.dirname, 'fixtures', 'clock-jump-settles-conflict-first.json');

describe('expiries in time order across entries (HOST.md rule 16, rule 13)', () => {
  it('a_jump_settles_a_conflict_at_the_instant_the_rivals_challenge_ends', () => {
    const file = parseCounterexample(readFileSync(FILE, 'utf8'));
    const run = runSchedule({ config: file.config, actions: file.actions }, referenceAlice);
    expect(run.crash).toBeUndefined();
    const result = lockstep(run.trace);
    expect(result.verdict.ok, JSON.stringify(result.verdict)).toBe(true);
    // The SA-less entry Alice's send created is gone: the address went to Bob's entry.
    const final = run.trace.steps.at(-1)?.state;
    expect(final).toBeDefined();
    const contested = '2001:db8:b:1::1';
    expect(
      final?.entries.filter((e) => e.addresses.some((a) => a.address === contested)).map((e) => e.sa === null),
    ).toEqual([false]);
  });
});
