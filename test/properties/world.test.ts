// The world's own rules (DESIGN.md "The world and the attacker"): one owner per address,
// delivery to the owner at arrival, an off-path Mallory, a clock-guess attack that works
// exactly against a clock-based TIME, and the trace's ground truth.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scheduleArbitrary } from '../../properties/arbitraries/schedule.js';
import { activeVerified } from '../../properties/invariants/active-verified.js';
import { Ownership, events } from '../../properties/invariants/trace-view.js';
import { A, describeAction } from '../../properties/world/describe.js';
import { referenceAlice } from '../../properties/world/alice.js';
import { runSchedule } from '../../properties/world/world.js';
import { clockBasedTime } from './broken-hosts.js';
import { callsOf, worldConfig } from '../helpers/world.js';

const SEED = Number(process.env.HMIP6_SEED ?? 20_261_127);
const CONFIG = worldConfig({ seed: 7 });

describe('world', () => {
  it('delivers_to_the_owner_at_arrival_and_mallory_sees_only_its_own_addresses', () => {
    for (const s of fc.sample(scheduleArbitrary(), { numRuns: 20, seed: SEED })) {
      const { trace } = runSchedule(s, referenceAlice);
      const owners = new Ownership(trace);
      let checked = 0;
      for (const { event } of events(trace)) {
        if (event.kind !== 'deliver' || event.to === 'alice') continue;
        // Garbage and bit flips go to Alice's link directly; everything else by owner.
        expect(owners.ownerAt(event.address, event.at), `${event.packet} to ${event.to} at ${event.address}`).toBe(
          event.to,
        );
        checked += 1;
      }
      expect(checked).toBeGreaterThan(0);
    }
  });

  it('an_address_has_at_most_one_owner_at_a_time', () => {
    for (const s of fc.sample(scheduleArbitrary(), { numRuns: 20, seed: SEED + 1 })) {
      const { trace } = runSchedule(s, referenceAlice);
      const owner = new Map<string, string | null>(Object.entries(trace.owners));
      for (const { event } of events(trace)) {
        if (event.kind !== 'own') continue;
        expect(owner.get(event.address) ?? null, event.address).toBe(event.from);
        owner.set(event.address, event.to);
      }
    }
  });

  it('a_lost_address_is_free_until_mallory_takes_it_over', () => {
    const { trace } = runSchedule(
      {
        config: CONFIG,
        actions: [
          A.peerMove({ peer: 'bob' }),
          A.advance({ ms: 50 }),
          A.takeover({ sa: 'generic', fromEnd: 0 }),
          A.advance({ ms: 6000 }),
        ],
      },
      referenceAlice,
    );
    const owners = new Ownership(trace);
    expect(owners.lostAt('2001:db8:b::1', 'bob')).not.toBeNull();
    expect(owners.ownerAt('2001:db8:b::1', trace.steps[3].endMs)).toBe('mallory');
    const claims = trace.packets.filter((p) => p.tag === 'mallory-takeover:alt-coa');
    expect(claims).toHaveLength(1);
    expect(claims[0].info.bus[0].named).toEqual(['2001:db8:b::1']);
  });

  it('clock_guess_wins_only_against_a_clock_based_time', () => {
    const schedule = {
      config: CONFIG,
      actions: [A.clockGuess({ sa: 'generic', target: { kind: 'victim', n: 1 } }), A.advance({ ms: 200 })],
    };
    const honest = runSchedule(schedule, referenceAlice).trace;
    const broken = runSchedule(schedule, clockBasedTime).trace;
    const answered = (t: typeof honest): number =>
      callsOf(t, 'receive')
        .flatMap((c) => c.event.truth?.responses ?? [])
        .filter((r) => r.answers !== null).length;
    expect(answered(honest)).toBe(0);
    expect(answered(broken)).toBe(1);
    expect(activeVerified.check(honest).ok).toBe(true);
    const verdict = activeVerified.check(broken);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/2001:db8:9:1::1 became active/);
  });

  it('actions_print_as_replayable_calls', () => {
    const action = A.claim({ sa: 'generic', target: { kind: 'peer', peer: 'bob', pick: 0 }, form: 'alt-coa' });
    expect(describeAction(action)).toBe(
      'claim({"sa":"generic","target":{"kind":"peer","peer":"bob","pick":0},"form":"alt-coa"})',
    );
    expect(JSON.parse(JSON.stringify(action))).toEqual(action);
  });
});
