// LIVE-HONEST-MOVE's premise: a peer's first address, known to Alice from her addSA (HOST.md
// rule 17) and never named in a BU, still needs its deleting BU to have reached Alice before a
// later move is judged. `hmip6 check --seed 149` (run 130 of 1000), shrunk: Carol moves, her
// deleting BU for her first address is lost; she moves again, and after the fair stretch Alice
// rightly sends the probe to the first address, still active in Carol's entry (rule 21: the
// last source received). The premise counted only addresses named in BUs, so it judged the move.

import { describe, expect, it } from 'vitest';
import { PARAMS_PROFILES, paramsFor } from '../../properties/arbitraries/schedule.js';
import { liveHonestMove } from '../../properties/invariants/live-honest-move.js';
import { refinesModel } from '../../properties/invariants/refines-model.js';
import { referenceAlice } from '../../properties/world/alice.js';
import { A } from '../../properties/world/describe.js';
import type { Action, Trace, WorldConfig } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';

const WORLD: WorldConfig = {
  seed: 1150506733,
  params: { ...paramsFor('default'), ...PARAMS_PROFILES.tight },
  aliceAddressCount: 2,
  alg: 'hmac-sha1-96',
  carol: 'generic',
  sam: false,
  lee: false,
  mallory: 'generic',
};

function run(actions: Action[]): Trace {
  const result = runSchedule({ config: WORLD, actions }, referenceAlice);
  expect(result.crash).toBeUndefined();
  return result.trace;
}

function probes(trace: Trace) {
  return trace.steps.flatMap((s) => s.events).flatMap((e) => (e.kind === 'probe' ? [e] : []));
}

describe('LIVE-HONEST-MOVE premise: the first address of a peer', () => {
  it('a_move_is_not_judged_while_the_peers_first_address_was_lost_without_its_deleting_bu_reaching_alice', () => {
    const trace = run([
      A.lossy({ permille: 50, ms: 500 }),
      A.peerMove({ peer: 'carol' }),
      A.lose({ select: 'any', fromEnd: 0 }),
      A.advance({ ms: 200 }),
      A.peerMove({ peer: 'carol' }),
      A.fair({ ms: 15500 }),
    ]);
    const [probe] = probes(trace);
    expect(probe.result.judged).toBe(false);
    expect(probe.result.why).toBe('the peer lost 2001:db8:c::1 and its deleting BU never reached Alice');
    expect(liveHonestMove.check(trace).ok).toBe(true);
    expect(refinesModel.check(trace).ok).toBe(true);
  });

  it('with_the_deleting_bu_delivered_the_same_moves_are_judged_and_hold', () => {
    const trace = run([A.lossy({ permille: 50, ms: 500 }), A.peerMove({ peer: 'carol' }), A.advance({ ms: 200 }), A.peerMove({ peer: 'carol' }), A.fair({ ms: 15500 })]);
    const [probe] = probes(trace);
    expect(probe.result.judged).toBe(true);
    expect(probe.result.reached).toBe(true);
    expect(liveHonestMove.check(trace)).toMatchObject({ ok: true, judged: 1 });
  });
});
