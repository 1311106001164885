// Alice's periodic BUs (docs/rules.md rule 16), the part of REFINES-SIGNALLING in
// properties/invariants/periodic-bu.ts: the reference sends one to her homeless peer every
// bindingRefreshSeconds and passes; a host that refreshes twice as often fails (too early), and
// one that refreshes half as often, or never (the bank's no-periodic-bu), fails at the tick the
// BU was owed in.

import { describe, expect, it } from 'vitest';
import { createHost } from '../../impl/host/index.js';
import { paramsFor } from '../../properties/arbitraries/schedule.js';
import { judgePeriodicBus } from '../../properties/invariants/periodic-bu.js';
import { noPeriodicBu } from '../../properties/mutants/bank/no-periodic-bu.js';
import { hostFactory, referenceAlice } from '../../properties/world/alice.js';
import type { Action, AliceFactory } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';
import { worldConfig } from '../helpers/world.js';

/** The `short` profile: bindingRefreshSeconds = 30, lifetimes of 60 s (Bob's BUs keep his address active). */
const CONFIG = worldConfig({ seed: 7, params: paramsFor('short') });
const PERIOD_MS = CONFIG.params.bindingRefreshSeconds * 1000;

/** Three periods and a bit, with nothing else happening: three periodic BUs to Bob. */
const QUIET: Action[] = [{ kind: 'advance', ms: 3 * PERIOD_MS + 500 }];

/** The reference host, but with its refresh period scaled (a timer set wrong). */
function refreshingEvery(factor: number): AliceFactory {
  return hostFactory(`refresh x${factor}`, (options) => {
    const period = (options.params?.bindingRefreshSeconds ?? 300) * factor;
    return createHost({
      ...options,
      params: { ...options.params, bindingRefreshSeconds: Math.max(1, Math.round(period)) },
    });
  });
}

function judge(actions: Action[], alice: AliceFactory): ReturnType<typeof judgePeriodicBus> {
  return judgePeriodicBus(runSchedule({ config: CONFIG, actions }, alice).trace);
}

describe('periodic BUs (REFINES-SIGNALLING, rule 16)', () => {
  it('the_reference_host_refreshes_its_homeless_peer_every_bindingRefreshSeconds_and_passes', () => {
    const v = judge(QUIET, referenceAlice);
    expect(v).toMatchObject({ ok: true });
    // Three owed instants and two intervals between refresh ticks.
    expect(v.ok && v.judged).toBeGreaterThanOrEqual(5);
  });

  it('the_reference_host_passes_when_its_address_changes_and_a_peer_moves_in_between', () => {
    const actions: Action[] = [
      { kind: 'advance', ms: PERIOD_MS - 2000 },
      { kind: 'aliceGain' },
      { kind: 'advance', ms: 3000 },
      { kind: 'peerMove', peer: 'bob' },
      { kind: 'advance', ms: PERIOD_MS },
      { kind: 'aliceLose', pick: 0 },
      { kind: 'advance', ms: PERIOD_MS + 500 },
    ];
    expect(judge(actions, referenceAlice)).toMatchObject({ ok: true });
  });

  it('a_host_that_refreshes_twice_as_often_fails_at_its_second_refresh', () => {
    const v = judge(QUIET, refreshingEvery(0.5));
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toMatch(/periodic BU to 2001:db8:b::1 .* before bindingRefreshSeconds = 30 s.*rule 16/);
  });

  it('a_host_that_refreshes_half_as_often_fails_at_the_tick_the_bu_was_owed_in', () => {
    const v = judge(QUIET, refreshingEvery(2));
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toMatch(/sent no periodic BU to 2001:db8:b::1 .* in the tick at 30\.000 s.*rule 16/);
  });

  it('the_bank_mutant_no_periodic_bu_fails', () => {
    const v = judge(QUIET, noPeriodicBu.factory);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toMatch(/sent no periodic BU/);
  });
});
