// `hmip6 explore`: bounded exhaustive search of the world at small scope (docs/exploring.md).

export { loadAlice, REFERENCE_SOURCE, type AliceSource } from './alice-source.js';
export { digest, Evaluator, judge, selectProperties, type Judgement, type TransitionResult } from './evaluate.js';
export {
  defaultWorkers,
  DEPTH_DEFAULT,
  explore,
  STATES_MAX_DEFAULT,
  type ExploreFailure,
  type ExploreOptions,
  type ExploreReport,
  type LayerFigures,
} from './explore.js';
export { packetShape, saNames, ShapeCache, stateKey, timeBucket } from './key.js';
export {
  DEFAULT_SCOPE,
  FULL_WORLD,
  movesToActions,
  SCOPES,
  SETTLE_MS,
  SMALL_WORLD,
  type ExploreScope,
  type Move,
} from './scope.js';
