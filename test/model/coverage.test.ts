// Coverage lists are complete, and the per-transition scenarios derived from the graph take
// the transition they are for.

import { describe, expect, it } from 'vitest';
import { addressMachine, type AddressContext, type AddressEvent, type AddressValue } from '../../model/address.js';
import { compatMachine, type CompatContext, type CompatEvent, type CompatValue } from '../../model/compat.js';
import {
  CoverageTracker,
  coverageReport,
  coverageUniverse,
  reachableStates,
  scenarioPerTransition,
} from '../../model/coverage.js';
import { deriveTable, initialState, xstateStepper, type MachineState } from '../../model/table.js';
import { PARAMS } from './helpers.js';

describe('coverage universe', () => {
  it('lists_every_leaf_state_transition_and_guard_outcome_of_both_machines', () => {
    const u = coverageUniverse();
    const a = deriveTable(addressMachine);
    const c = deriveTable(compatMachine);
    expect(u.states).toHaveLength(a.leaves.length + c.leaves.length);
    expect(u.transitions).toHaveLength(a.transitions.length + c.transitions.length);
    expect(u.guards).toHaveLength(2 * (a.guardNames.length + c.guardNames.length));
    expect(new Set([...u.states, ...u.transitions, ...u.guards]).size).toBe(
      u.states.length + u.transitions.length + u.guards.length,
    );
    expect([u.states.length, u.transitions.length, u.guards.length]).toEqual([13, 36, 18]);
  });

  it('every_leaf_state_is_reachable_by_xstate_graph_shortest_paths', () => {
    expect(reachableStates('address').sort()).toEqual([...deriveTable(addressMachine).leaves].sort());
    expect(reachableStates('compat').sort()).toEqual([...deriveTable(compatMachine).leaves].sort());
  });

  it('an_empty_tracker_reports_everything_missing', () => {
    const report = coverageReport(new CoverageTracker());
    expect(report.split('\n')[0]).toBe('states 0/13, transitions 0/36, guards 0/18');
    expect(report).toContain('  missing transition address:absent --named--> tentative');
    expect(report.split('\n')).toHaveLength(1 + 13 + 36 + 18);
  });
});

describe('scenarioPerTransition', () => {
  function replay<V extends string, C, E extends { type: string }>(
    machine: typeof addressMachine | typeof compatMachine,
    events: readonly E[],
    tracker: CoverageTracker,
    name: 'address' | 'compat',
  ): string | null {
    const stepper = xstateStepper<V, C, E>(machine);
    let s: MachineState<V, C> = initialState<V, C>(machine, { params: PARAMS });
    let last: string | null = null;
    for (const e of events) {
      const out = stepper.step(s, e);
      tracker.onStep(name, s.value, out, e);
      last = out.taken?.id ?? null;
      s = out.state;
    }
    return last;
  }

  function nowsOf(events: readonly { type: string }[]): number[] {
    return events.flatMap((e) => ('now' in e && typeof e.now === 'number' ? [e.now] : []));
  }

  it('every_transition_has_a_scenario_whose_last_event_takes_it', () => {
    const tracker = new CoverageTracker();
    const address = scenarioPerTransition(addressMachine);
    const compat = scenarioPerTransition(compatMachine);
    expect(address.map((s) => s.transition)).toEqual(deriveTable(addressMachine).transitions.map((t) => t.id));
    expect(compat.map((s) => s.transition)).toEqual(deriveTable(compatMachine).transitions.map((t) => t.id));
    for (const s of address)
      expect(replay<AddressValue, AddressContext, AddressEvent>(addressMachine, s.events, tracker, 'address')).toBe(
        s.transition,
      );
    for (const s of compat)
      expect(replay<CompatValue, CompatContext, CompatEvent>(compatMachine, s.events, tracker, 'compat')).toBe(
        s.transition,
      );
    expect(coverageReport(tracker).split('\n')[0]).toMatch(/^states 13\/13, transitions 36\/36, guards \d+\/18$/);
  });

  it('scenarios_are_shortest_and_keep_time_monotone', () => {
    for (const s of [...scenarioPerTransition(addressMachine), ...scenarioPerTransition(compatMachine)]) {
      const nows = nowsOf(s.events);
      expect(nows).toEqual([...nows].sort((x, y) => x - y));
      expect(s.events.length).toBeLessThanOrEqual(4);
    }
    // A transition out of the initial state needs exactly one event.
    expect(scenarioPerTransition(addressMachine)[0]).toEqual({
      transition: 'absent --named--> tentative',
      events: [{ type: 'named', now: 1000, lifetimeSeconds: 600, epoch: 1 }],
    });
  });
});
