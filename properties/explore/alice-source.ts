// Where a search's Alice comes from, as data: a module and the name of one of its exports (an
// AliceFactory, or a mutant holding one in `factory`). Worker threads cannot be handed a
// factory (it holds functions), so they are handed its source and load it themselves.

import { MODULE_EXT } from '../package-root.js';
import type { AliceFactory } from '../world/types.js';

export interface AliceSource {
  /** A module's URL (`file:///…/properties/mutants/bank/index.ts`). */
  module: string;
  /** The export: an AliceFactory, an object with one in `factory` (a Mutant), or a list of either. */
  export: string;
  /** In a list, the one with this name. */
  name?: string;
}

/** The reference host. */
export const REFERENCE_SOURCE: AliceSource = {
  module: new URL(`../world/alice${MODULE_EXT}`, import.meta.url).href,
  export: 'referenceAlice',
};

function isFactory(v: unknown): v is AliceFactory {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as AliceFactory).create === 'function' &&
    typeof (v as AliceFactory).name === 'string' &&
    Array.isArray((v as AliceFactory).features)
  );
}

function factoryIn(value: unknown): AliceFactory | null {
  const inner = typeof value === 'object' && value !== null ? (value as { factory?: unknown }).factory : undefined;
  return isFactory(inner) ? inner : null;
}

/** The factory `source` names; throws with a sentence when there is none. */
export async function loadAlice(source: AliceSource): Promise<AliceFactory> {
  const module = (await import(source.module)) as Record<string, unknown>;
  const exported = module[source.export];
  const candidates = Array.isArray(exported) ? (exported as unknown[]) : [exported];
  for (const value of candidates) {
    const factory = isFactory(value) ? value : factoryIn(value);
    if (factory === null) continue;
    const name = (value as { name?: unknown }).name;
    if (source.name === undefined || name === source.name || factory.name === source.name) return factory;
  }
  throw new Error(`${source.module} has no AliceFactory (or mutant) ${source.name ?? source.export}`);
}
