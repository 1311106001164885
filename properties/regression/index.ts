// The regression stage (docs/properties.md, "The regression stage"): one fixed world scenario
// per transition of the model's machines, derived from `scenarioPerTransition`'s paths.

export {
  concretize,
  covered,
  regressionPlan,
  REGRESSION_SEED,
  type Concretized,
  type PlannedStep,
  type RegressionPlan,
  type RegressionScenario,
  type UnreachableTransition,
} from './concretize.js';
export { runRegressionStage, runScenario, type ScenarioRun } from './stage.js';
