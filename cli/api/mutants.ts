// `hmip6/mutants`: the mutant bank (docs/mutants.md): deliberately broken hosts, each the
// reference host with one decision replaced, with what it breaks, the rule it breaks and the
// property expected to catch it. A mutant's `factory` stands wherever a host does
// (`describeHost(name, mutant.factory)`, `checkHost({ host: mutant.factory })`).

export { GAPS, MUTANTS, mutantByName } from '../../properties/mutants/bank/index.js';
export type { AnyMutant, KnownGap, Mutant } from '../../properties/mutants/types.js';
