// Proof that the properties bite (DESIGN.md): each mutant of the bank is caught by the property
// expected to catch it, at a fixed seed and `hmip6 check`'s run count; and the two attacks the
// design names, Appendix C's claim and the clock-based TIME, come out as short shrunk
// counterexamples whose failing step is the attack itself. `npm run mutants` runs the whole
// mutant × property matrix (docs/mutants.md); this is its fast, pinned part.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DECISION_NAMES, DEFAULT_PARAMS, ReferenceHost, seededRandom } from '../../impl/host/index.js';
import { replacedDecisions } from '../../properties/mutants/bank/broken-host.js';
import { DEFAULT_STEPS_MAX, scheduleArbitrary } from '../../properties/arbitraries/schedule.js';
import { activeVerified } from '../../properties/invariants/active-verified.js';
import { MUTANT_SEED_DEFAULT } from '../../properties/mutants/command.js';
import { Ownership, addressIn, aliceCalls, deliveries, entryForSa } from '../../properties/invariants/trace-view.js';
import { fail, pass, PROPERTY_IDS, type Property, type Verdict } from '../../properties/invariants/types.js';
import { runCheck, shrink, SHRINK_BUDGET } from '../../properties/runner.js';
import { referenceAlice } from '../../properties/world/alice.js';
import type { Trace } from '../../properties/world/types.js';
import { runSchedule } from '../../properties/world/world.js';
import { activatesWithoutChallenge } from '../../properties/mutants/bank/activates-without-challenge.js';
import { clockBasedTime } from '../../properties/mutants/bank/clock-based-time.js';
import { GAPS, MUTANTS } from '../../properties/mutants/bank/index.js';
import { callsOf } from '../helpers/world.js';

/** The pinned seed (the project's date, as test/properties uses); HMIP6_MUTANT_SEED overrides it. */
const SEED = Number(process.env.HMIP6_MUTANT_SEED ?? MUTANT_SEED_DEFAULT);
/**
 * Runs per mutant: a third of `hmip6 check`'s 600. At the pinned seed every mutant here is caught
 * by its property within 145 runs (docs/mutants.md); the full count is the report's.
 */
const RUNS = 200;
/**
 * The clock-TIME attack's own seed (HMIP6_MUTANT_SEED overrides it too): the test reads the
 * shrunk counterexample's story, which needs a guess on an address no honest peer holds (on a
 * peer's address rule 13 keeps the guessed copy tentative while the holder is re-checked). At
 * the file's seed the schedules drawn since the situation openings shrink to a guess on Bob's.
 */
const CLOCK_SEED = Number(process.env.HMIP6_MUTANT_SEED ?? MUTANT_SEED_DEFAULT + 1);
/** Here shrinking only has to keep a failure; the full budget is the report's (and the attack tests'). */
const SHRINK_RUNS_MAX = 20;

// Printed so that a failure can be replayed: HMIP6_MUTANT_SEED=<seed> npx vitest run test/mutants
console.log(`test/mutants: seed ${SEED}`);

describe(`every mutant is caught by the property expected to catch it (seed ${SEED})`, () => {
  it.each(MUTANTS.map((m) => [m.name, m.expected, m] as const))(
    'mutant_%s_is_caught_by_%s',
    async (name, expected, mutant) => {
      const report = await runCheck({
        seed: SEED,
        numRuns: RUNS,
        alice: mutant.factory,
        properties: [expected],
        shrinkBudget: { runs: SHRINK_RUNS_MAX },
      });
      const p = report.properties[0];
      expect(report.error, `${name} crashed at seed ${SEED}`).toBeNull();
      expect(p.verdict, `${name} not caught by ${expected} in ${RUNS} runs at seed ${SEED}`).toBe('fail');
      expect(p.counterexample?.property).toBe(expected);
      expect(p.counterexample?.actions.length ?? 0).toBeGreaterThan(0);
    },
  );

  it('every_mutant_is_in_the_bank_once_and_replaces_the_one_decision_it_names', () => {
    const names = MUTANTS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const m of [...MUTANTS, ...GAPS]) {
      expect(DECISION_NAMES, `${m.name} replaces ${m.method}`).toContain(m.method);
      expect(m.factory.name).toBe(m.name);
      // One decision replaced, and only that one.
      const options = { localAddresses: ['2001:db8:a::1'], random: seededRandom(1) };
      expect(replacedDecisions(m.factory, options), m.name).toEqual([m.method]);
      expect(m.factory.create(['2001:db8:a::1'], DEFAULT_PARAMS, 1)).toBeInstanceOf(ReferenceHost);
    }
    for (const m of MUTANTS) expect(PROPERTY_IDS, m.name).toContain(m.expected);
    for (const m of GAPS) expect([m.expected, typeof m.gap], m.name).toEqual([null, 'string']);
    expect(GAPS.filter((g) => names.includes(g.name))).toEqual([]);
    // One mutant per property of DESIGN.md's table (INV-WIRE-TOTAL, the codec's, is proved in test/wire).
    for (const id of PROPERTY_IDS)
      expect(
        MUTANTS.some((m) => m.expected === id),
        id,
      ).toBe(true);
  });
});

/**
 * Appendix C, step 3, as a predicate on a trace: an address Mallory does not own becomes active
 * in one of Mallory's entries (its SA's first address, given at `addSA`, is exempt).
 */
const appendixC: Property = {
  id: 'INV-ACTIVE-VERIFIED',
  needs: 'state',
  summary: "no address Mallory does not own becomes active in Mallory's entry",
  situation: 'call after addSA',
  judgedPerRun: 0,
  check(trace: Trace): Verdict {
    const owners = new Ownership(trace);
    const mallory = trace.sas.filter((s) => s.peer === 'mallory');
    for (const c of aliceCalls(trace)) {
      if (c.event.op === 'addSA') continue;
      for (const sa of mallory) {
        const before = entryForSa(c.before, sa);
        for (const a of entryForSa(c.after, sa)?.addresses ?? []) {
          if (a.status !== 'active' || addressIn(before, a.address)?.status === 'active') continue;
          const owner = owners.ownerAt(a.address, c.event.at);
          if (owner !== 'mallory')
            return fail(
              'INV-ACTIVE-VERIFIED',
              c.step,
              `${a.address} became active in Mallory's entry ${before?.id ?? '?'} (SA ${sa.name}) while ${owner ?? 'nobody'} owned it`,
            );
        }
      }
    }
    return pass(0);
  },
};

/** Who owned `address` at `at`, by the trace's ownership record. */
function ownerAt(trace: Trace, address: string, at: number): string | null {
  return new Ownership(trace).ownerAt(address, at);
}

describe('the attacks the design names, as shrunk counterexamples', () => {
  it('appendix_c_claim_shrinks_to_mallorys_bu_for_an_address_mallory_does_not_own', () => {
    // Appendix C, steps 1-3: Mallory, holding its own SA with Alice, sends a BU naming an
    // address it does not own, and a host without reachability verification believes it.
    // INV-ACTIVE-VERIFIED also fails on the mutant's honest life (a peer's own new address is
    // not verified either), so the search here is for the attack itself: the first run in
    // which an address Mallory does not own becomes active in Mallory's entry, shrunk with the
    // runner's procedure and budget.
    const arb = scheduleArbitrary({ stepsMax: DEFAULT_STEPS_MAX });
    const factory = activatesWithoutChallenge.factory;
    const found = fc.check(
      fc.property(arb, (schedule) => appendixC.check(runSchedule(schedule, factory).trace).ok),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect(found.failed, `seed ${SEED}`).toBe(true);
    const run = Number((found.counterexamplePath ?? '').split(':')[0]);
    const shrunk = shrink(appendixC, factory, arb, SEED, run, SHRINK_BUDGET);
    const trace = shrunk.trace;
    const [, address, saName] =
      /^(\S+) became active in Mallory's entry \S+ \(SA (\S+)\)/.exec(shrunk.verdict.reason) ?? [];
    const sa = trace.sas.find((s) => s.name === saName);
    if (address === undefined || sa === undefined) throw new Error(shrunk.verdict.reason);
    // The failing step: Alice accepted Mallory's BU, under Mallory's own valid SA, naming X.
    const call = callsOf(trace, 'receive').find(
      (c) =>
        c.step === shrunk.verdict.step &&
        entryForSa(c.after, sa)?.addresses.some((a) => a.address === address && a.status === 'active'),
    );
    if (call?.event.input === undefined) throw new Error('the failing step has no receive that activates the address');
    const claim = trace.packets[call.event.input];
    const labels = trace.steps.slice(1).map((s) => s.label);
    console.log(
      `Appendix C counterexample (seed ${SEED}, run ${run}): ${shrunk.actions.length} actions: ${labels.join(' ; ')}; failing step ${shrunk.verdict.step}: Alice accepts #${claim.id} (${claim.tag ?? ''}) ${claim.summary}`,
    );
    expect(shrunk.actions.length).toBeLessThanOrEqual(3);
    expect(claim.from).toBe('mallory');
    expect(claim.tag).toMatch(/^mallory-(claim|takeover|flood|clock-claim)/);
    expect(call.event.truth).toMatchObject({ ah: 'valid', sa: saName });
    expect(claim.info.bus.flatMap((b) => b.named)).toContain(address);
    expect(ownerAt(trace, address, call.event.at)).not.toBe('mallory');
    // The suite's own property catches the same trace, and the reference host resists it.
    expect(activeVerified.check(trace).ok).toBe(false);
    const reference = runSchedule({ config: trace.config, actions: shrunk.actions }, referenceAlice).trace;
    expect(appendixC.check(reference).ok).toBe(true);
    expect(activeVerified.check(reference).ok).toBe(true);
  });

  it('clock_based_time_falls_to_a_response_computed_from_a_guessed_time', async () => {
    // WIRE.md "Why not the clock": Mallory holds K; with TIME = the clock it computes the
    // Challenge for the instant its claim arrives and answers without ever receiving it.
    const report = await runCheck({
      seed: CLOCK_SEED,
      numRuns: RUNS,
      alice: clockBasedTime.factory,
      properties: ['INV-ACTIVE-VERIFIED'],
    });
    const p = report.properties[0];
    expect(p.verdict, `seed ${CLOCK_SEED}`).toBe('fail');
    const cx = p.counterexample;
    if (cx === undefined) throw new Error('no counterexample');
    console.log(
      `clock-TIME counterexample (seed ${CLOCK_SEED}): ${cx.actions.length} actions: ${cx.steps
        .slice(1)
        .map((s) => s.label)
        .join(' ; ')}`,
    );
    // At most a guess and time to answer, after Alice gains and loses an address when the guess
    // names the one she lost (no honest peer holds it).
    expect(cx.actions.length).toBeLessThanOrEqual(4);
    expect(cx.actions.map((a) => a.kind)).toContain('clockGuess');
    const trace = runSchedule({ config: cx.config, actions: cx.actions }, clockBasedTime.factory).trace;
    const delivered = deliveries(trace);
    // In the failing step Alice accepted a guess: a Response that the world's ground truth says
    // answers a Challenge Alice sent, although that Challenge never reached Mallory.
    const guesses = callsOf(trace, 'receive').filter(
      (c) =>
        c.step === cx.failingStep &&
        c.event.input !== undefined &&
        trace.packets[c.event.input].tag === 'mallory-clock-guess',
    );
    const winning = guesses.filter((c) => c.event.truth?.responses.some((r) => r.answers !== null));
    expect(winning.length).toBe(1);
    const call = winning[0];
    const response = call.event.truth?.responses.find((r) => r.answers !== null);
    if (response === undefined || response.answers === null) throw new Error('no answering guess');
    const challenge = trace.packets[response.answers];
    expect(challenge.from).toBe('alice');
    expect(challenge.info.destination).toBe(response.address);
    expect((delivered.get(challenge.id) ?? []).some((d) => d.to === 'mallory')).toBe(false);
    expect(ownerAt(trace, response.address, call.event.at)).not.toBe('mallory');
    // The guess made the address active in Mallory's entry.
    const sa = trace.sas.find((s) => s.name === call.event.truth?.sa);
    if (sa === undefined) throw new Error('no SA for the guess');
    expect(sa.peer).toBe('mallory');
    expect(entryForSa(call.after, sa)?.addresses.find((a) => a.address === response.address)?.status).toBe('active');
    // Against the reference host (TIME from its random source) no guess answers anything.
    const reference = runSchedule({ config: cx.config, actions: cx.actions }, referenceAlice).trace;
    const answered = callsOf(reference, 'receive').filter(
      (c) =>
        c.event.input !== undefined &&
        reference.packets[c.event.input].tag === 'mallory-clock-guess' &&
        c.event.truth?.responses.some((r) => r.answers !== null),
    );
    expect(answered).toEqual([]);
    expect(activeVerified.check(reference).ok).toBe(true);
  });
});
