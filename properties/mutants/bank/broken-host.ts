// How a mutant is built: the reference host with some of its decisions replaced
// (impl/host/decisions.ts). A mutant that keeps state of its own makes its decisions per host.

import { REFERENCE_DECISIONS, ReferenceHost, type Decisions, type HostOptions } from '../../../impl/host/index.js';
import { hostFactory } from '../../world/alice.js';
import type { AliceFactory } from '../../world/types.js';

/** The decisions a mutant replaces, fixed or made afresh for each host it creates. */
export type Replaced = Partial<Decisions> | ((options: HostOptions) => Partial<Decisions>);

/** Each factory `brokenHost` made, with what it replaces (for the bank's own test). */
const replacements = new WeakMap<AliceFactory, Replaced>();

/** An Alice that is the reference host but for `replaced` (`{ ...REFERENCE_DECISIONS, ...replaced }`). */
export function brokenHost(name: string, replaced: Replaced): AliceFactory {
  const factory = hostFactory(
    name,
    (options) => new ReferenceHost(options, { ...REFERENCE_DECISIONS, ...decisionsFor(replaced, options) }),
  );
  replacements.set(factory, replaced);
  return factory;
}

function decisionsFor(replaced: Replaced, options: HostOptions): Partial<Decisions> {
  return typeof replaced === 'function' ? replaced(options) : replaced;
}

/** The names of the decisions `factory` replaces for a host over `options`; null for a factory `brokenHost` did not make. */
export function replacedDecisions(factory: AliceFactory, options: HostOptions): (keyof Decisions)[] | null {
  const replaced = replacements.get(factory);
  return replaced === undefined ? null : (Object.keys(decisionsFor(replaced, options)) as (keyof Decisions)[]);
}
