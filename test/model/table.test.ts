// The fast transition table (model/table.ts) agrees with XState's `transition()` on every
// state and event type, over generated contexts and events (so every guard goes both ways),
// and is measured against it (DESIGN.md "Performance notes").

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import {
  addressMachine,
  addressUpdates,
  type AddressContext,
  type AddressEvent,
  type AddressValue,
} from '../../model/address.js';
import {
  compatMachine,
  compatUpdates,
  type CompatContext,
  type CompatEvent,
  type CompatValue,
} from '../../model/compat.js';
import { createModel, step, tableEngine, xstateEngine } from '../../model/cache.js';
import type { ModelEvent } from '../../model/events.js';
import { deriveTable, fromStateValue, tableStepper, toStateValue, type MachineState } from '../../model/table.js';
import { fcParams } from '../wire/fc-config.js';
import { A1, PARAMS } from './helpers.js';

const TIME_MAX = 20_000;
const time = fc.integer({ min: 0, max: TIME_MAX });
const address = fc.constantFrom('2001:db8:b::1', '2001:db8:b::2', '2001:db8:c::1');

const addressParams = fc.record({
  defaultLifetimeSeconds: fc.integer({ min: 1, max: 10 }),
  maximumExpiredLifetimeSeconds: fc.integer({ min: 0, max: 10 }),
  bindingLifetimeSecondsMax: fc.integer({ min: 1, max: 10 }),
  challengeLifetimeMs: fc.integer({ min: 1, max: 5000 }),
});

const addressContext: fc.Arbitrary<AddressContext> = fc.record({
  params: addressParams,
  lifetimeKind: fc.constantFrom('activity' as const, 'absolute' as const),
  expiresAt: time,
  challengeEpoch: fc.integer({ min: 0, max: 3 }),
  challengeEndsAt: time,
  grantedExpiresAt: time,
});

const addressEvent: fc.Arbitrary<AddressEvent> = fc.oneof(
  fc.record({
    type: fc.constant('named' as const),
    now: time,
    lifetimeSeconds: fc.integer({ min: 1, max: 20 }),
    epoch: fc.integer({ min: 1, max: 4 }),
  }),
  fc.constant({ type: 'unnamed' as const }),
  fc.record({ type: fc.constant('established' as const), now: time }),
  fc.record({
    type: fc.constant('response' as const),
    now: time,
    answers: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant('forged' as const)),
    lifetimeSeconds: fc.integer({ min: 1, max: 20 }),
    contested: fc.boolean(),
  }),
  fc.record({ type: fc.constant('clock' as const), now: time }),
  fc.record({ type: fc.constant('activity' as const), now: time }),
  fc.record({ type: fc.constant('recheck' as const), now: time, epoch: fc.integer({ min: 1, max: 4 }) }),
  fc.constant({ type: 'won' as const }),
  fc.constant({ type: 'displaced' as const }),
  fc.constant({ type: 'flushed' as const }),
);

const compatContext: fc.Arbitrary<CompatContext> = fc.record({
  params: fc.record({ compatProbeTimeoutMs: fc.integer({ min: 1, max: 5000 }) }),
  probeDeadlineMs: fc.option(time, { nil: null }),
  homeAddress: fc.option(address, { nil: null }),
  careOfAddress: fc.option(address, { nil: null }),
});

const compatEvent: fc.Arbitrary<CompatEvent> = fc.oneof(
  fc.record({ type: fc.constant('initialBuSent' as const), now: time }),
  fc.constant({ type: 'homelessSupport' as const }),
  fc.record({
    type: fc.constant('mobileSignal' as const),
    hao: fc.option(address, { nil: null }),
    lastBu: fc.option(fc.record({ careOf: address, lifetimeSeconds: fc.integer({ min: 0, max: 2 }) }), { nil: null }),
  }),
  fc.record({ type: fc.constant('clock' as const), now: time }),
  fc.record({
    type: fc.constant('parameterProblem' as const),
    code: fc.integer({ min: 0, max: 3 }),
    aboutMobilityOption: fc.boolean(),
    quotesAlice: fc.boolean(),
  }),
);

/** XState's answer for (state, event), in the table's terms. */
function viaXState<C extends object>(
  machine: typeof addressMachine | typeof compatMachine,
  s: MachineState<string, C>,
  e: { type: string },
) {
  const snapshot = machine.resolveState({ value: toStateValue(s.value), context: s.context as never });
  const [next, actions] = transition(machine, snapshot, e as never);
  return { value: fromStateValue(next.value), context: next.context, effects: actions.map((a) => a.type) };
}

const addressTable = tableStepper<AddressValue, AddressContext, AddressEvent>(addressMachine, addressUpdates);
const compatTable = tableStepper<CompatValue, CompatContext, CompatEvent>(compatMachine, compatUpdates);

describe('transition table agrees with transition()', () => {
  it('table_lists_every_leaf_and_transition_of_the_definitions', () => {
    const a = deriveTable(addressMachine);
    expect(a.leaves).toEqual([
      'absent',
      'tentative.challenged',
      'tentative.answered',
      'active.held',
      'active.rechecking',
      'active.recheckAnswered',
      'deprecated',
      'removed',
    ]);
    expect(a.transitions).toHaveLength(25);
    const c = deriveTable(compatMachine);
    expect(c.leaves).toEqual(['unknown', 'standard', 'standard-mobile', 'legacy', 'homeless']);
    expect(c.transitions).toHaveLength(11);
  });

  it('address_table_agrees_on_every_state_and_event', () => {
    const leaves = deriveTable(addressMachine).leaves as AddressValue[];
    fc.assert(
      fc.property(fc.constantFrom(...leaves), addressContext, addressEvent, (value, context, event) => {
        const s = { value, context };
        const fast = addressTable.step(s, event);
        const ref = viaXState(addressMachine, s, event);
        expect(fast.state.value).toBe(ref.value);
        expect(fast.state.context).toEqual(ref.context);
        expect(fast.effects).toEqual(ref.effects);
      }),
      fcParams(4000),
    );
  });

  it('compat_table_agrees_on_every_state_and_event', () => {
    const leaves = deriveTable(compatMachine).leaves as CompatValue[];
    fc.assert(
      fc.property(fc.constantFrom(...leaves), compatContext, compatEvent, (value, context, event) => {
        const s = { value, context };
        const fast = compatTable.step(s, event);
        const ref = viaXState(compatMachine, s, event);
        expect(fast.state.value).toBe(ref.value);
        expect(fast.state.context).toEqual(ref.context);
      }),
      fcParams(2000),
    );
  });

  it('every_state_event_pair_and_guard_outcome_is_exercised_by_the_agreement_runs', () => {
    // The same generators, sampled: each (leaf, event type) pair and each guard outcome occurs,
    // so the agreement above is not vacuous anywhere.
    const t = deriveTable(addressMachine);
    const pairs = new Set<string>();
    const guards = new Set<string>();
    const samples = fc.sample(
      fc.tuple(fc.constantFrom(...(t.leaves as AddressValue[])), addressContext, addressEvent),
      { numRuns: 4000, seed: 42 },
    );
    for (const [value, context, event] of samples) {
      pairs.add(`${value}|${event.type}`);
      for (const g of addressTable.step({ value, context }, event).guards) guards.add(`${g.guard}=${g.value}`);
    }
    expect(pairs.size).toBe(t.leaves.length * t.eventTypes.length);
    expect(guards.size).toBe(t.guardNames.length * 2);
  });

  it('table_and_xstate_engines_give_the_same_model_on_a_generated_run', () => {
    const peers = ['2001:db8:b::1', '2001:db8:c::1', '2001:db8:d::1'];
    const event = (now: number): fc.Arbitrary<ModelEvent> =>
      fc.oneof(
        fc.constant<ModelEvent>({ type: 'tick', now }),
        fc
          .record({
            k: fc.integer({ min: 0, max: 2 }),
            named: fc.subarray(['2001:db8:b::2', '2001:db8:c::2', '2001:db8:b::1', '2001:db8:c::1']),
            l: fc.constantFrom(0, 5, 600),
            seq: fc.integer({ min: 1, max: 40 }),
            hs: fc.boolean(),
          })
          .map(({ k, named, l, seq, hs }): ModelEvent => ({
            type: 'received',
            now,
            packet: {
              source: peers[k],
              destinations: [A1],
              ah: { spi: 256 + k, sequence: seq, icvValid: true },
              hao: null,
              items: [
                {
                  kind: 'bindingUpdate',
                  sequence: seq,
                  lifetimeSeconds: l,
                  homelessSupport: hs,
                  named: [peers[k], ...named],
                },
              ],
            },
          })),
        fc
          .record({
            k: fc.integer({ min: 0, max: 2 }),
            a: fc.constantFrom('2001:db8:b::2', '2001:db8:c::2', '2001:db8:c::1'),
            ans: fc.integer({ min: 1, max: 2 }),
            seq: fc.integer({ min: 1, max: 40 }),
          })
          .map(({ k, a, ans, seq }): ModelEvent => ({
            type: 'received',
            now,
            packet: {
              source: a,
              destinations: [A1],
              ah: { spi: 256 + k, sequence: 100 + seq, icvValid: true },
              hao: null,
              items: [
                { kind: 'response', sequence: seq, lifetimeSeconds: 60, address: a, answers: ans, wellFormed: true },
              ],
            },
          })),
        fc.constantFrom(...peers).map((to): ModelEvent => ({ type: 'send', now, to })),
      );
    const run = fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 5, maxLength: 40 }).chain((gaps) => {
      let now = 0;
      return fc.tuple(...gaps.map((g) => event((now += g))));
    });
    fc.assert(
      fc.property(run, (events) => {
        let fast = createModel({ localAddresses: [A1], params: { ...PARAMS, tentativePerEntryCountMax: 2 } });
        let ref = fast;
        peers.forEach((peer, k) => {
          const sa: ModelEvent = {
            type: 'saAdded',
            now: 0,
            peer,
            inboundSpi: 256 + k,
            outboundSpi: 512 + k,
            kind: 'generic',
          };
          fast = step(fast, sa).model;
          ref = step(ref, sa, { engine: xstateEngine }).model;
        });
        for (const e of events) {
          const a = step(fast, e, { engine: tableEngine });
          // With an observer every clock step runs: this also checks the clock-skip shortcut.
          const b = step(ref, e, { engine: xstateEngine, observer: { onStep() {} } });
          expect(a.accepted).toBe(b.accepted);
          expect(a.effects).toEqual(b.effects);
          expect(JSON.stringify(a.model.entries.map((x) => [x.key, x.compat, [...x.addresses]]))).toBe(
            JSON.stringify(b.model.entries.map((x) => [x.key, x.compat, [...x.addresses]])),
          );
          fast = a.model;
          ref = b.model;
        }
      }),
      fcParams(40),
    );
  });
});

describe('measured cost (DESIGN.md "Performance notes")', () => {
  function perStepMicros(n: number, f: (i: number) => void): number {
    for (let i = 0; i < Math.min(n, 2000); i++) f(i); // warm up
    const t = performance.now();
    for (let i = 0; i < n; i++) f(i);
    return ((performance.now() - t) / n) * 1000;
  }

  it('table_step_is_much_cheaper_than_xstate_transition', () => {
    const s: MachineState<AddressValue, AddressContext> = {
      value: 'active.held',
      context: {
        params: PARAMS,
        lifetimeKind: 'activity',
        expiresAt: 10_000,
        challengeEpoch: 0,
        challengeEndsAt: 0,
        grantedExpiresAt: 0,
      },
    };
    const events: AddressEvent[] = [
      { type: 'activity', now: 5 },
      { type: 'clock', now: 6 },
      { type: 'named', now: 7, lifetimeSeconds: 60, epoch: 1 },
    ];
    const snapshot = addressMachine.resolveState({ value: toStateValue(s.value), context: s.context });
    const xs = perStepMicros(5000, (i) => transition(addressMachine, snapshot, events[i % 3]));
    const fast = perStepMicros(200_000, (i) => addressTable.step(s, events[i % 3]));
    console.log(
      `address machine step: transition() ${xs.toFixed(2)} µs, table ${fast.toFixed(3)} µs (×${(xs / fast).toFixed(0)})`,
    );
    expect(fast * 5).toBeLessThan(xs);
  });
});
