// Where Alice comes from (AliceFactory): the reference host by default. A deliberately
// broken host (a mutant) or an external implementation over the adapter protocol is just
// another factory; the world reaches Alice only through the `Host` interface.

import { createHost, ReferenceHost, seededRandom } from '../../impl/host/index.js';
import type { Host, HostOptions } from '../../impl/host/types.js';
import { START_MS } from './constants.js';
import type { AliceFactory, Feature } from './types.js';

/** Everything the reference host supports (ADAPTER-PROTOCOL.md, "Features an IUT may announce"). */
export const REFERENCE_FEATURES: readonly Feature[] = [
  'state',
  'standard-compat',
  'alternate-prefixes',
  'bu-optimization',
  'anonymous-sa',
];

/**
 * Alice's random source (TIME, §3.4.2): drawn from the run's seed, so that runs replay. It is
 * the reference host's own seeded source (rule 24's `reset.config.seed`, as `serve-reference`
 * builds it), not the world's generator, so that a run also exercises the source the host is
 * shipped with: a source that hangs, throws or repeats itself shows in `check`.
 */
export function aliceRandom(seed: number): (n: number) => Uint8Array {
  return seededRandom(seed);
}

/**
 * A factory for any host built from `HostOptions` (the reference host, or a subclass of it):
 * `hostFactory('mutant-x', (o) => new BrokenHost(o))`.
 */
export function hostFactory(
  name: string,
  make: (options: HostOptions) => Host,
  features: readonly Feature[] = REFERENCE_FEATURES,
): AliceFactory {
  return {
    name,
    features,
    create: (localAddresses, params, seed) =>
      make({ localAddresses, params, random: aliceRandom(seed), nowMs: START_MS }),
  };
}

/** The reference host as Alice: its state is a record and its random source forks, so it can be copied. */
export const referenceAlice: AliceFactory = {
  ...hostFactory('reference', (options) => createHost(options)),
  fork: (host) => (host instanceof ReferenceHost ? host.fork() : null),
};

/** The same Alice seen as a black box: no `state` feature, so state-based properties are skipped. */
export function blackBox(factory: AliceFactory): AliceFactory {
  return { ...factory, name: `${factory.name} (black box)`, features: factory.features.filter((f) => f !== 'state') };
}
