// Claims at rule 8's bounds and rule 13's re-checks: the situations that reach them are
// detected where they happen, and REFINES-SIGNALLING's judgements of the BAs Alice sends and
// of a holder's re-check fail hosts broken there while the reference passes (docs/properties.md,
// REFINES-SIGNALLING, host rules 9, 10 and 13; docs/mutation.md, the survivors these close).

import { describe, expect, it } from 'vitest';
import { REFERENCE_DECISIONS, ReferenceHost, type Decisions } from '../../impl/host/index.js';
import { paramsFor } from '../../properties/arbitraries/schedule.js';
import { bounded } from '../../properties/invariants/bounded.js';
import { challengeTarget } from '../../properties/invariants/challenge-target.js';
import { refinesSignalling } from '../../properties/invariants/refines-signalling.js';
import { sourceOwned } from '../../properties/invariants/source-owned.js';
import { situationsReached } from '../../properties/situations/index.js';
import { hostFactory } from '../../properties/world/alice.js';
import { A } from '../../properties/world/describe.js';
import type { WorldConfig } from '../../properties/world/types.js';
import { traceOf, worldConfig } from '../helpers/world.js';

const DEFAULT = worldConfig({ mallory: 'both' });
const TIGHT: WorldConfig = { ...DEFAULT, params: paramsFor('tight') };
const CL = DEFAULT.params.challengeLifetimeMs;

const run = traceOf;

const R = REFERENCE_DECISIONS;

/** Rule 13, broken: a re-check BA carries 1 s whatever the address's remaining lifetime. */
const recheckLifetimeOne: Decisions = {
  ...R,
  // A Challenge BA to an address active in its entry is a holder's re-check (rule 13).
  transmit: (ctx, packet, sa, entry) => {
    const recheck = entry !== null && ctx.state.cache.recordIn(entry, packet.ipv6.destination)?.status === 'active';
    const options = packet.destOptions?.map((o) =>
      recheck && o.kind === 'ba' && o.subOptions.some((x) => x.kind === 'security')
        ? { ...o, lifetimeSeconds: 1, refreshSeconds: 1 }
        : o,
    );
    return R.transmit(ctx, options === undefined ? packet : { ...packet, destOptions: options }, sa, entry);
  },
};

/** Rule 8, broken: only tentative addresses count toward the challenge bound, not a holder's live re-check. */
const recheckNotCounted: Decisions = {
  ...R,
  enforceBounds: (ctx, check) =>
    check.kind !== 'challenge'
      ? R.enforceBounds(ctx, check)
      : check.entry.addresses.filter((a) => a.status === 'tentative').length < ctx.params.tentativePerEntryCountMax,
};

/** Rules 8 and 13, broken: a holder at its challenge bound is skipped, and the claim goes on. */
const skipsBusyHolder: Decisions = {
  ...R,
  onConflict: (ctx, claimant, address, claim) => {
    R.onConflict(ctx, claimant, address, claim);
    return true;
  },
};

describe('situations at the bounds', () => {
  it('a_filled_entry_meets_the_address_bound_with_room_under_the_challenge_bound', () => {
    const max = DEFAULT.params.tentativePerEntryCountMax;
    const fill = [1, 2, 3, 4].flatMap(() => [A.fill({ sa: 'generic', count: max }), A.advance({ ms: 100 })]);
    expect(situationsReached(run(DEFAULT, fill)).has('claim-at-address-bound')).toBe(true);
    expect(situationsReached(run(DEFAULT, fill.slice(0, 4))).has('claim-at-address-bound')).toBe(false);
  });

  it('a_deprecated_address_named_again_at_the_address_bound', () => {
    const fill = [1, 2, 3].flatMap(() => [A.fill({ sa: 'generic', count: 2 }), A.advance({ ms: 100 })]);
    const again = A.claim({ sa: 'generic', target: { kind: 'own', pick: 2 }, form: 'alt-coa' });
    const reached = situationsReached(
      run(TIGHT, [A.jump({ past: 'lifetime' }), ...fill, A.jump({ past: 'lifetime' }), again, A.advance({ ms: 300 })]),
    );
    expect(reached.has('deprecated-reclaimed-at-address-bound')).toBe(true);
    // Without the second jump the address is active, not deprecated (rule 6: refreshed).
    const active = situationsReached(
      run(TIGHT, [A.jump({ past: 'lifetime' }), ...fill, again, A.advance({ ms: 300 })]),
    );
    expect(active.has('deprecated-reclaimed-at-address-bound')).toBe(false);
    expect(active.has('claim-names-active-address')).toBe(true);
  });

  it('a_holder_at_its_challenge_bound_is_told_from_one_with_room', () => {
    const max = DEFAULT.params.tentativePerEntryCountMax;
    const claim = A.claim({ sa: 'anonymous', target: { kind: 'own', pick: 0 }, form: 'alt-coa' });
    const busy = run(DEFAULT, [
      A.flood({ sa: 'generic', count: max, first: 100 }),
      claim,
      A.advance({ ms: CL + 1000 }),
    ]);
    expect(situationsReached(busy).has('conflict-holder-at-bound')).toBe(true);
    const room = run(DEFAULT, [
      A.flood({ sa: 'generic', count: max - 1, first: 100 }),
      claim,
      A.advance({ ms: CL + 1000 }),
    ]);
    expect(situationsReached(room).has('conflict-holder-at-bound')).toBe(false);
  });

  it('a_holder_whose_recheck_brings_it_to_its_challenge_bound_refuses_the_next_claim', () => {
    const max = DEFAULT.params.tentativePerEntryCountMax;
    const claim = A.claim({ sa: 'anonymous', target: { kind: 'own', pick: 0 }, form: 'alt-coa' });
    const busy = run(DEFAULT, [
      claim,
      A.flood({ sa: 'generic', count: max, first: 100 }),
      A.advance({ ms: CL + 1000 }),
    ]);
    expect(situationsReached(busy).has('claim-at-bound-with-recheck')).toBe(true);
    // Rule 8 counts the live re-check: the last fresh address is refused.
    expect(bounded.check(busy).ok).toBe(true);
    const countsTentativeOnly = run(
      DEFAULT,
      [claim, A.flood({ sa: 'generic', count: max, first: 100 }), A.advance({ ms: CL + 1000 })],
      hostFactory('recheck-not-counted', (o) => new ReferenceHost(o, recheckNotCounted)),
    );
    expect(bounded.check(countsTentativeOnly).ok).toBe(false);
    // Without the conflict, the same claims stay below the bound.
    const alone = run(DEFAULT, [A.flood({ sa: 'generic', count: max, first: 100 }), A.advance({ ms: CL + 1000 })]);
    expect(situationsReached(alone).has('claim-at-bound-with-recheck')).toBe(false);
  });

  it('a_recheck_started_while_alice_holds_no_address', () => {
    const lose = A.aliceLose({ pick: 0, last: true });
    const actions = [
      A.claim({ sa: 'generic', target: { kind: 'stranger', n: 3 }, form: 'alt-coa' }),
      A.advance({ ms: 30 }),
      lose,
      A.aliceAddSa({ n: 3 }),
      A.advance({ ms: 100 }),
      A.aliceGain(),
      A.advance({ ms: CL + 1000 }),
    ];
    const trace = run(DEFAULT, actions);
    expect(situationsReached(trace).has('recheck-without-local-address')).toBe(true);
    // The reference holds the BA back until she has an address again (rule 9).
    expect(sourceOwned.check(trace).ok).toBe(true);
    const kept = run(
      DEFAULT,
      actions.filter((a) => a !== lose),
    );
    expect(situationsReached(kept).has('recheck-without-local-address')).toBe(false);
  });
});

describe('REFINES-SIGNALLING judges the BAs and the re-checks (rules 9, 10, 13)', () => {
  const conflict = [
    A.peerGain({ peer: 'bob' }),
    A.advance({ ms: 300 }),
    A.claim({ sa: 'generic', target: { kind: 'peer', peer: 'bob', pick: 1 }, form: 'alt-coa' }),
    A.advance({ ms: CL + 1000 }),
  ];

  it('fails_a_recheck_ba_that_does_not_carry_the_remaining_lifetime', () => {
    expect(refinesSignalling.check(run(DEFAULT, conflict))).toMatchObject({ ok: true });
    const trace = run(
      DEFAULT,
      conflict,
      hostFactory('recheck-lifetime-one', (o) => new ReferenceHost(o, recheckLifetimeOne)),
    );
    const verdict = refinesSignalling.check(trace);
    expect(verdict.ok).toBe(false);
    // A field the host rules fix, not the draft: the invariant on where Challenges go holds.
    expect(challengeTarget.check(trace).ok).toBe(true);
    if (!verdict.ok) expect(verdict.reason).toMatch(/remaining lifetime in whole seconds/);
  });

  it('fails_a_claim_accepted_without_rechecking_a_holder_at_its_bound', () => {
    const max = DEFAULT.params.tentativePerEntryCountMax;
    const actions = [
      A.flood({ sa: 'generic', count: max, first: 100 }),
      A.claim({ sa: 'anonymous', target: { kind: 'own', pick: 0 }, form: 'alt-coa' }),
      A.advance({ ms: CL + 1000 }),
    ];
    expect(refinesSignalling.check(run(DEFAULT, actions))).toMatchObject({ ok: true });
    const verdict = refinesSignalling.check(
      run(
        DEFAULT,
        actions,
        hostFactory('skips-busy-holder', (o) => new ReferenceHost(o, skipsBusyHolder)),
      ),
    );
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(/did not re-check that holder \(rule 13/);
  });
});
