// The property list as data (docs/api.md, docs/properties.md): what each property checks,
// whether it needs Alice's `state`, and how many situations a run must judge on average.

import { PROPERTIES } from '../../properties/invariants/index.js';
import { PROPERTY_IDS, type PropertyId } from '../../properties/invariants/types.js';

export { PROPERTY_IDS, type PropertyId };

export interface PropertyInfo {
  id: PropertyId;
  /** One sentence: what it checks (docs/properties.md has the exact reading). */
  summary: string;
  /** `state`: needs the host's state report (skipped in black-box mode); `black-box`: judged from what the host sends and delivers. */
  needs: 'state' | 'black-box';
  /** What one judged situation is. */
  situation: string;
  /** Situations it must judge per run played, on average, to be conclusive. */
  judgedPerRun: number;
}

/** Every property, in the suite's order. */
export function properties(): PropertyInfo[] {
  return PROPERTIES.map((p) => ({
    id: p.id,
    summary: p.summary,
    needs: p.needs,
    situation: p.situation,
    judgedPerRun: p.judgedPerRun,
  }));
}

/** One property by id; throws for an unknown id. */
export function propertyInfo(id: PropertyId): PropertyInfo {
  const found = properties().find((p) => p.id === id);
  if (found === undefined) throw new Error(`no property ${String(id)} (docs/properties.md lists them)`);
  return found;
}
