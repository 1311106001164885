// One transition of the search, evaluated: the moves that reach a state are replayed from the
// setup, every property judges the run, and the last state's canonical key is hashed. Shared by
// the search in this thread and by its worker threads (worker.ts): the work of a transition
// does not depend on what the search has seen, so any thread may do it and the figures are the
// same.

import { createHash } from 'node:crypto';
import { PROPERTIES } from '../invariants/index.js';
import type { Property, PropertyId } from '../invariants/types.js';
import type { AliceFactory, Trace } from '../world/types.js';
import { runSchedule } from '../world/world.js';
import { saNames, ShapeCache, stateKey } from './key.js';
import { movesToActions, type ExploreScope } from './scope.js';

export interface Judgement {
  /** The property that failed; null when Alice crashed. */
  property: PropertyId | null;
  reason: string;
  step: number;
}

export interface TransitionResult {
  /** Digest of the last state's canonical key (or a unique mark for a crash). */
  key: string;
  /** Failures on this run: the first only, unless every property is wanted. */
  judgements: Judgement[];
}

/** The properties judged for `alice`, and those skipped with why. */
export function selectProperties(
  ids: readonly PropertyId[] | undefined,
  alice: AliceFactory,
): { properties: Property[]; skipped: { id: PropertyId; reason: string }[] } {
  const selected = PROPERTIES.filter((p) => ids === undefined || ids.includes(p.id));
  const skipped = selected
    .filter((p) => p.needs === 'state' && !alice.features.includes('state'))
    .map((p) => ({ id: p.id, reason: 'needs the state feature (black-box mode)' }));
  return { properties: selected.filter((p) => !skipped.some((s) => s.id === p.id)), skipped };
}

/** Every property that fails on `trace` (the first only, unless `all`), or Alice's crash. */
export function judge(
  trace: Trace,
  crash: { step: number; message: string } | undefined,
  properties: readonly Property[],
  all: boolean,
): Judgement[] {
  if (crash !== undefined) return [{ property: null, reason: crash.message, step: crash.step }];
  const out: Judgement[] = [];
  for (const p of properties) {
    const verdict = p.check(trace);
    if (!verdict.ok) {
      out.push({ property: verdict.id, reason: verdict.reason, step: verdict.step });
      if (!all) break;
    }
  }
  return out;
}

export function digest(key: string): string {
  return createHash('sha1').update(key).digest('base64');
}

export class Evaluator {
  private shapes: ShapeCache | null = null;

  constructor(
    readonly scope: ExploreScope,
    readonly alice: AliceFactory,
    readonly properties: readonly Property[],
    readonly all: boolean,
  ) {}

  /** The run of the moves `path` (indices into the scope's moves). */
  run(path: readonly number[]): { trace: Trace; crash?: { step: number; message: string } } {
    return runSchedule(
      { config: this.scope.config, actions: movesToActions(path.map((i) => this.scope.moves[i])) },
      this.alice,
    );
  }

  evaluate(path: readonly number[]): TransitionResult {
    const run = this.run(path);
    const judgements = judge(run.trace, run.crash, this.properties, this.all);
    if (run.crash !== undefined) return { key: `crash:${path.join(',')}`, judgements };
    this.shapes ??= new ShapeCache(saNames(run.trace.sas));
    return { key: digest(stateKey(run.trace, this.shapes)), judgements };
  }
}
