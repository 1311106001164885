// The model's public surface (docs/model.md, "API"): what the harness and the CLI use.

export { addressMachine, type AddressContext, type AddressEvent, type AddressValue } from './address.js';
export { compatMachine, type CompatContext, type CompatEvent, type CompatValue } from './compat.js';
export type {
  Address,
  ModelEvent,
  ModelEventType,
  ModelParams,
  PacketItem,
  ReceivedPacket,
  ResponseAnswers,
} from './events.js';
export {
  createModel,
  step,
  tableEngine,
  xstateEngine,
  type CacheModel,
  type MachineObserver,
  type ModelEffect,
  type ModelEngine,
  type ModelOptions,
  type StepOptions,
  type StepResult,
} from './cache.js';
export { type EntryModel } from './entry.js';
export {
  abstractHostState,
  abstractModel,
  canonicalAddress,
  diffAbstract,
  modelToHostState,
  type AbstractAddress,
  type AbstractEntry,
  type AbstractState,
} from './abstraction.js';
export {
  CoverageTracker,
  coverageReport,
  coverageUniverse,
  reachableStates,
  scenarioPerTransition,
  type CoverageUniverse,
  type TransitionScenario,
} from './coverage.js';
export { MACHINES, readmeModelSection, toDot, toMermaid, type MachineName } from './graph.js';
export { deriveTable, type MachineState, type TransitionDef, type TransitionTable } from './table.js';
