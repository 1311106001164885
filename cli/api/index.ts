// `hmip6`: the library's main entry (docs/api.md). Check a host built in this process or an
// implementation under test over the adapter protocol; the properties; the world's schedule
// arbitrary and the action builders; counterexample files read, replayed and told. The wire
// codecs are `hmip6/wire`, the model `hmip6/model`, the vitest plug-in `hmip6/vitest`.

export type {
  Host,
  HostOptions,
  HostParams,
  HostState,
  SaConfig,
  SendRequest,
  Delivered,
  SentAnswer,
  ReceiveAnswer,
  SendAnswer,
  Answer,
  AddressState,
  EntryState,
  PeerKind,
  AddressStatus,
  LifetimeKind,
  SaKind,
} from '../../impl/host/types.js';
export { createHost as createReferenceHost } from '../../impl/host/index.js';
export type { Address } from '../../impl/wire/types.js';

export {
  checkHost,
  checkImpl,
  seedFromEnvironment,
  type CheckHostOptions,
  type CheckImplOptions,
  type CheckResult,
  type CheckSettings,
  type HostMaker,
  type HostUnderTest,
  type PropertyResult,
  type Verdict,
} from './check.js';
export {
  aliceNamed,
  judgeSchedule,
  parseCounterexample,
  pcap,
  readCounterexample,
  replay,
  serializeCounterexample,
  story,
  storyPage,
  type CounterexampleFile,
  type ReplayTarget,
  type ReplayVerdict,
} from './counterexample.js';
export { properties, propertyInfo, PROPERTY_IDS, type PropertyId, type PropertyInfo } from './properties.js';

export {
  scheduleArbitrary,
  DEFAULT_STEPS_MAX,
  type ScheduleOptions,
  type ScheduleWeights,
  type ParamsProfile,
} from '../../properties/arbitraries/schedule.js';
export { A, describeAction } from '../../properties/world/describe.js';
export { REFERENCE_FEATURES } from '../../properties/world/alice.js';
export type { Action, ActionKind, AliceFactory, Feature, Schedule, WorldConfig } from '../../properties/world/types.js';
