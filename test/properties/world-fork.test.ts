// A fork of the world is the world: playing steps on a copy gives the very trace that replaying
// the whole schedule gives, whatever the original does after the copy was made. This is what
// lets `hmip6 explore` copy a state instead of replaying the moves that reach it.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scheduleArbitrary } from '../../properties/arbitraries/schedule.js';
import { blackBox, referenceAlice } from '../../properties/world/alice.js';
import type { Action } from '../../properties/world/types.js';
import { runSchedule, World } from '../../properties/world/world.js';
import { acceptsBuWithoutAh } from './broken-hosts.js';

const SEED = Number(process.env.HMIP6_SEED ?? 20_261_207);

/** Plays `actions` on `world` as runSchedule does (a storm ends the run). */
function play(world: World, actions: readonly Action[]): void {
  for (const a of actions) {
    world.step(a);
    if (world.stormed) return;
  }
}

describe('world fork', () => {
  it('a_fork_plays_on_to_the_trace_of_the_whole_replay_and_the_original_does_not_disturb_it', () => {
    const cases = fc.sample(
      fc.tuple(scheduleArbitrary(), fc.nat(), scheduleArbitrary()).map(([s, cut, other]) => ({ s, cut, other })),
      { numRuns: 40, seed: SEED },
    );
    let forked = 0;
    for (const { s, cut, other } of cases) {
      const k = s.actions.length === 0 ? 0 : cut % (s.actions.length + 1);
      const whole = JSON.stringify(runSchedule(s, referenceAlice).trace);
      const world = new World(s, referenceAlice);
      play(world, s.actions.slice(0, k));
      if (world.stormed) continue;
      const copy = world.fork();
      expect(copy).not.toBeNull();
      if (copy === null) continue;
      // The original goes its own way first: none of it may reach the copy.
      play(world, other.actions);
      play(copy, s.actions.slice(k));
      expect(JSON.stringify(copy.trace())).toBe(whole);
      forked += 1;
    }
    expect(forked).toBeGreaterThan(30);
  });

  it('a_copy_of_a_copy_and_a_black_box_alice_fork_as_well', () => {
    const [s] = fc.sample(scheduleArbitrary(), { numRuns: 1, seed: SEED + 1 });
    const alice = blackBox(referenceAlice);
    const whole = JSON.stringify(runSchedule(s, alice).trace);
    const half = Math.floor(s.actions.length / 2);
    const world = new World(s, alice);
    play(world, s.actions.slice(0, half));
    const first = world.fork();
    const second = first?.fork() ?? null;
    expect(second).not.toBeNull();
    if (second === null) return;
    play(second, s.actions.slice(half));
    expect(JSON.stringify(second.trace())).toBe(whole);
  });

  it('an_alice_that_cannot_be_copied_gives_no_fork', () => {
    // A broken host's decisions may keep memory outside its state record: only its maker can
    // say whether a copy would be faithful, and the bank's factories do not offer one.
    const [s] = fc.sample(scheduleArbitrary(), { numRuns: 1, seed: SEED });
    const world = new World(s, acceptsBuWithoutAh);
    expect(acceptsBuWithoutAh.fork).toBeUndefined();
    expect(world.fork()).toBeNull();
  });
});
