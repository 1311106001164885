// The regression stage (docs/properties.md, "The regression stage"): for every transition of
// both machines, the world scenario properties/regression/ derives from the machine path that
// `scenarioPerTransition` (xstate/graph) gives. Each runs through the world against the reference
// host with the model in lockstep: REFINES-MODEL and every other property hold, and the model
// takes the transition (its coverage tracker says so). The default suite, this stage and a few
// random runs, visits every state and every transition the world's actions can take.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REFERENCE_DECISIONS, ReferenceHost, type Decisions } from '../../impl/host/index.js';
import { CoverageTracker, coverageSummary, coverageUniverse } from '../../model/coverage.js';
import { coverageLines, jsonReport } from '../../cli/commands/check.js';
import { PROPERTIES } from '../../properties/invariants/index.js';
import { regressionPlan } from '../../properties/regression/concretize.js';
import { runRegressionStage, runScenario } from '../../properties/regression/stage.js';
import { runCheck } from '../../properties/runner.js';
import { hostFactory } from '../../properties/world/alice.js';

const SEED = Number(process.env.HMIP6_SEED ?? 20_260_406);
/** Random runs of the default suite in the coverage test: few, the regression stage does the rest. */
const RANDOM_RUNS = 20;
const plan = regressionPlan();
const universe = coverageUniverse();

describe('regression scenario per transition, through the world', () => {
  for (const scenario of plan.scenarios) {
    it(
      scenario.kind === 'transition'
        ? scenario.covers
        : `${scenario.covers} (a guard outcome no transition scenario reaches)`,
      () => {
        const r = runScenario(scenario);
        expect(r.run.crash, 'Alice crashed').toBeUndefined();
        const lockstep = r.lockstep?.verdict;
        expect(lockstep?.ok, lockstep !== undefined && !lockstep.ok ? lockstep.reason : 'no lockstep').toBe(true);
        const failed = PROPERTIES.map((p) => p.check(r.run.trace)).flatMap((v) =>
          v.ok ? [] : [`${v.id} at step ${v.step}: ${v.reason}`],
        );
        expect(failed).toEqual([]);
        const taken = [...r.coverage.transitions].sort().join('\n  ');
        expect(
          r.took,
          `the run took:\n  ${taken}\nplan:\n${scenario.steps.map((s) => `  ${s.transition}: ${s.actions.join(' ')}`).join('\n')}`,
        ).toBe(true);
      },
    );
  }

  it('every_transition_has_a_scenario_or_a_reason', () => {
    const planned = [
      ...plan.scenarios.filter((s) => s.kind === 'transition').map((s) => s.covers),
      ...plan.unreachable.map((u) => u.transition),
    ];
    expect([...planned].sort()).toEqual([...universe.transitions].sort());
    expect(plan.transitions).toBe(universe.transitions.length);
    // None: a transition the world cannot play must be argued here and in docs/properties.md.
    expect(plan.unreachable.map((u) => `${u.transition}: ${u.why}`)).toEqual([]);
  });

  it('scenarios_are_world_actions_with_a_plan_line_per_machine_event', () => {
    for (const s of plan.scenarios) {
      expect(
        s.steps.map((p) => p.event),
        s.covers,
      ).toEqual(s.events);
      expect(
        s.steps.flatMap((p) => p.actions),
        s.covers,
      ).toHaveLength(s.schedule.actions.length);
      const last = s.steps[s.steps.length - 1].transition;
      if (s.kind === 'transition') expect(`${s.machine}:${last}`, s.covers).toBe(s.covers);
      else expect(last, s.covers).toContain(s.covers.slice(s.machine.length + 1));
      expect(fc.stringify(s.schedule), s.covers).toMatch(/^\{config: .*actions: \[(A\.|\]\})/);
    }
  });
});

describe('the regression stage alone', () => {
  it('visits_every_state_guard_outcome_and_transition_the_world_can_take', () => {
    const tracker = new CoverageTracker();
    for (const r of runRegressionStage()) tracker.merge(r.coverage);
    const c = coverageSummary(tracker);
    expect(c.missing).toEqual(plan.unreachable.map((u) => `transition ${u.transition}`));
    expect(c.states).toEqual([universe.states.length, universe.states.length]);
    expect(c.guards).toEqual([universe.guards.length, universe.guards.length]);
  });
});

describe('the default suite', () => {
  it('visits_every_state_and_every_transition_the_world_can_take', async () => {
    const report = await runCheck({ seed: SEED, numRuns: RANDOM_RUNS, regression: true });
    expect(report.verdict, `seed ${SEED}`).toBe('pass');
    for (const p of report.properties) {
      expect(p.runs, p.id).toBe(RANDOM_RUNS);
      expect(p.regressionRuns, `${p.id} judges every regression scenario`).toBe(plan.scenarios.length);
    }
    const transitionScenarios = plan.scenarios.filter((s) => s.kind === 'transition').length;
    expect(transitionScenarios).toBe(universe.transitions.length - plan.unreachable.length);
    expect(report.regression?.took).toBe(transitionScenarios);
    expect(report.regression?.guards).toEqual({
      scenarios: plan.scenarios.length - transitionScenarios,
      took: plan.scenarios.length - transitionScenarios,
    });
    expect(report.regression?.missed).toEqual([]);
    const c = report.modelCoverage;
    expect(c).toBeDefined();
    if (c === undefined || c === null) return;
    expect(c.states).toEqual([universe.states.length, universe.states.length]);
    expect(c.transitions).toEqual([universe.transitions.length - plan.unreachable.length, universe.transitions.length]);
    expect(c.guards).toEqual([universe.guards.length, universe.guards.length]);
    expect(c.missing).toEqual(plan.unreachable.map((u) => `transition ${u.transition}`));
    // What `hmip6 check` prints after its table, and its JSON report.
    const lines = coverageLines(report);
    expect(lines[0]).toBe(`regression scenarios: 36/36 transitions, 2/2 guard outcomes`);
    expect(lines[1]).toBe(`model coverage: states 13/13, transitions 36/36, guards 18/18`);
    expect(lines.slice(2)).toEqual([]);
    expect(JSON.parse(JSON.stringify(jsonReport(report)))).toMatchObject({
      modelCoverage: { states: [13, 13], guards: [18, 18] },
      regression: { took: transitionScenarios },
    });
  });

  it('random_runs_alone_miss_transitions_the_regression_stage_takes', async () => {
    const report = await runCheck({ seed: SEED, numRuns: RANDOM_RUNS, properties: ['REFINES-MODEL'] });
    expect(report.regression ?? null).toBeNull();
    expect(report.modelCoverage?.transitions[0]).toBeLessThan(universe.transitions.length - plan.unreachable.length);
  });
});

/** Rule 15 broken: Parameter Problems are ignored, so a legacy peer is never recognised. */
const IGNORES_PARAMETER_PROBLEM: Decisions = { ...REFERENCE_DECISIONS, onParameterProblem: () => undefined };

describe('a regression scenario that fails', () => {
  it('is_reported_with_its_transition_and_a_shrunk_counterexample', async () => {
    const alice = hostFactory('ignores-parameter-problem', (o) => new ReferenceHost(o, IGNORES_PARAMETER_PROBLEM));
    const report = await runCheck({ seed: SEED, numRuns: 1, regression: true, properties: ['REFINES-MODEL'], alice });
    const p = report.properties[0];
    expect(p.verdict).toBe('fail');
    expect(p.regressionScenario).toBe('compat:unknown --parameterProblem [rejectsMobileOptions]--> legacy');
    expect(p.failingRun).toBeUndefined();
    const scenario = plan.scenarios.find((s) => s.covers === p.regressionScenario);
    expect(p.counterexample?.path).toBe(`regression:${p.regressionScenario}`);
    expect(p.counterexample?.actions.length).toBeLessThanOrEqual(scenario?.schedule.actions.length ?? 0);
    expect(p.reason).toMatch(/legacy/);
  });
});
