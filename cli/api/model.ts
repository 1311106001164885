// `hmip6/model`: the formal model (docs/api.md, docs/model.md): the XState v5 machines of a
// peer's compatibility state and an address's lifecycle, the host cache they make up (stepped
// with the pure `transition()`), and their diagrams (`hmip6 graph`).

export {
  addressMachine,
  compatMachine,
  createModel,
  step,
  MACHINES,
  toDot,
  toMermaid,
  abstractHostState,
  abstractModel,
  diffAbstract,
} from '../../model/index.js';
export type {
  AbstractAddress,
  AbstractEntry,
  AbstractState,
  AddressContext,
  AddressEvent,
  AddressValue,
  CacheModel,
  CompatContext,
  CompatEvent,
  CompatValue,
  MachineName,
  ModelEvent,
  ModelEventType,
  ModelOptions,
  ModelParams,
  StepOptions,
  StepResult,
} from '../../model/index.js';
