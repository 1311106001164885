// One transition of the search, evaluated: the moves that reach a state are replayed from the
// setup, every property judges the run, and the last state's canonical key is hashed. Shared by
// the search in this thread and by its worker threads (worker.ts): the work of a transition
// does not depend on what the search has seen, so any thread may do it and the figures are the
// same.

import { createHash } from 'node:crypto';
import { PROPERTIES } from '../invariants/index.js';
import type { Property, PropertyId } from '../invariants/types.js';
import type { AliceFactory, Trace } from '../world/types.js';
import { playActions, runSchedule, startWorld, World } from '../world/world.js';
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
  return judgeFrom(trace, crash, properties, all, null).judgements;
}

/** What the properties that can go on (Property.resume) left after judging a state's trace. */
export type Points = ReadonlyMap<PropertyId, unknown>;

/**
 * `judge`, where each property that can go on does so from `from` (what judging the trace this
 * one extends left; null: from the start), with what it leaves for the next.
 */
export function judgeFrom(
  trace: Trace,
  crash: { step: number; message: string } | undefined,
  properties: readonly Property[],
  all: boolean,
  from: Points | null,
): { judgements: Judgement[]; points: Points } {
  const points = new Map<PropertyId, unknown>();
  if (crash !== undefined) return { judgements: [{ property: null, reason: crash.message, step: crash.step }], points };
  const out: Judgement[] = [];
  for (const p of properties) {
    let verdict;
    if (p.resume !== undefined) {
      const resumed = p.resume(trace, from?.get(p.id) ?? null);
      verdict = resumed.verdict;
      if (resumed.point !== null) points.set(p.id, resumed.point);
    } else verdict = p.check(trace);
    if (!verdict.ok) {
      out.push({ property: verdict.id, reason: verdict.reason, step: verdict.step });
      if (!all) break;
    }
  }
  return { judgements: out, points };
}

export function digest(key: string): string {
  return createHash('sha1').update(key).digest('base64');
}

/** A state of the search as a worker holds it: the moves that reach it, and its world when it can fork. */
export interface SearchState {
  path: number[];
  /** The world at this state, ready to fork; null when Alice cannot be copied (then it is replayed). */
  world: World | null;
  /** What judging its trace left, for its children's judging to go on from (with `world` only). */
  points: Points | null;
}

export class Evaluator {
  private shapes: ShapeCache | null = null;

  constructor(
    readonly scope: ExploreScope,
    readonly alice: AliceFactory,
    readonly properties: readonly Property[],
    readonly all: boolean,
  ) {}

  /** The run of the moves `path` (indices into the scope's moves), replayed from the setup. */
  run(path: readonly number[]): { trace: Trace; crash?: { step: number; message: string } } {
    return runSchedule(
      { config: this.scope.config, actions: movesToActions(path.map((i) => this.scope.moves[i])) },
      this.alice,
    );
  }

  /** The transition to `path` by replaying it whole (an Alice that cannot be copied). */
  evaluate(path: readonly number[]): TransitionResult {
    return this.judged(path, this.run(path), null).result;
  }

  /**
   * The state `path` reaches, built by replaying it (the search's root, or a state whose world
   * another thread holds). Its world is null when Alice cannot be copied, or when the run ended
   * (a crash or a storm: nothing follows it).
   */
  rebuild(path: readonly number[], judge = true): { state: SearchState; result: TransitionResult | null } {
    const schedule = { config: this.scope.config, actions: [] };
    const started = startWorld(schedule, this.alice);
    if (!(started instanceof World))
      return {
        state: { path: [...path], world: null, points: null },
        result: judge ? this.judged(path, started, null).result : null,
      };
    const crash = playActions(started, movesToActions(path.map((i) => this.scope.moves[i])));
    const trace = started.trace();
    const forkable = crash === undefined && !started.stormed && this.alice.fork !== undefined;
    // Judged when asked (the root); a state rebuilt for its children leaves them no points.
    const judged = judge ? this.judged(path, crash === undefined ? { trace } : { trace, crash }, null) : null;
    return {
      state: { path: [...path], world: forkable ? started : null, points: forkable ? (judged?.points ?? null) : null },
      result: judged?.result ?? null,
    };
  }

  /**
   * The transition from `parent` by move `move`: a fork of the parent's world plays the move
   * (the same trace a replay of the whole path gives: test/properties/world-fork.test.ts), or,
   * when the parent has no world, the path is replayed.
   */
  expand(parent: SearchState, move: number): { state: SearchState; result: TransitionResult } {
    const path = [...parent.path, move];
    const world = parent.world?.fork() ?? null;
    if (world === null) {
      const result = this.evaluate(path);
      return { state: { path, world: null, points: null }, result };
    }
    const crash = playActions(world, this.scope.moves[move].actions);
    const trace = world.trace();
    // The fork's trace extends the parent's: what judging the parent left goes on (Property.resume).
    const { result, points } = this.judged(path, crash === undefined ? { trace } : { trace, crash }, parent.points);
    const alive = crash === undefined && !world.stormed;
    return { state: { path, world: alive ? world : null, points: alive ? points : null }, result };
  }

  private judged(
    path: readonly number[],
    run: { trace: Trace; crash?: { step: number; message: string } },
    from: Points | null,
  ): { result: TransitionResult; points: Points } {
    const { judgements, points } = judgeFrom(run.trace, run.crash, this.properties, this.all, from);
    if (run.crash !== undefined) return { result: { key: `crash:${path.join(',')}`, judgements }, points };
    this.shapes ??= new ShapeCache(saNames(run.trace.sas));
    return { result: { key: digest(stateKey(run.trace, this.shapes)), judgements }, points };
  }
}

/** One frontier state handed to a thread to expand: its index in the layer, its moves, and whether that thread holds its world. */
export interface ExpandItem {
  index: number;
  path: number[];
  held: boolean;
}

/**
 * The states of the search one thread holds (the main thread's, or a worker's), and the work
 * on them: expanding frontier states by every move, keeping the children the search keeps.
 * A state whose world another thread holds (or nobody: the search's root) is rebuilt by
 * replaying its moves. Children live until the search says which it keeps (`keep`), then
 * become this thread's part of the next layer (`advance`).
 */
export class Expander {
  private held = new Map<number, SearchState>();
  private next = new Map<number, SearchState>();
  private children = new Map<number, SearchState>();

  constructor(readonly evaluator: Evaluator) {}

  /** The root (the setup), held at index 0 of the first layer. */
  root(): TransitionResult {
    const { state, result } = this.evaluator.rebuild([]);
    this.held.set(0, state);
    if (result === null) throw new Error('explore: the root was not judged');
    return result;
  }

  /** Every move from every item, in order (item-major); transition `index × moves + move`. */
  expand(items: readonly ExpandItem[]): TransitionResult[] {
    const moves = this.evaluator.scope.moves.length;
    this.children.clear();
    const out: TransitionResult[] = [];
    for (const item of items) {
      const parent =
        (item.held ? this.held.get(item.index) : undefined) ?? this.evaluator.rebuild(item.path, false).state;
      this.held.delete(item.index);
      for (let m = 0; m < moves; m++) {
        const { state, result } = this.evaluator.expand(parent, m);
        this.children.set(item.index * moves + m, state);
        out.push(result);
      }
    }
    return out;
  }

  /** Keeps the children of the last `expand` named by transition, under their index in the next layer. */
  keep(pairs: readonly (readonly [transition: number, nextIndex: number])[]): void {
    for (const [t, i] of pairs) {
      const child = this.children.get(t);
      if (child !== undefined) this.next.set(i, child);
    }
    this.children.clear();
  }

  /** The next layer begins: the kept children are the states held; the rest is dropped. */
  advance(): void {
    this.held = this.next;
    this.next = new Map();
    this.children.clear();
  }
}
