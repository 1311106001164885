// The exhaustive explorer (`hmip6 explore`, properties/explore/): distinct states per second and
// the depth it completes within a time limit (60 s in the full benchmark), on the default scope
// with the reference host as Alice (nothing fails, so the search runs until the limit).
//
// A state is a distinct canonical key (properties/explore/key.ts) reached by the breadth-first
// search; every transition into it was replayed from the setup and judged by every property.
//
// Run alone: npx tsx bench/explore.ts [--quick]

import { defaultWorkers, explore } from '../properties/explore/explore.js';
import { REFERENCE_SOURCE } from '../properties/explore/alice-source.js';
import { DEFAULT_SCOPE } from '../properties/explore/scope.js';
import { round } from './lib/stats.js';

/** Deeper than any search gets within the limit: the limit is what stops it. */
const DEPTH_UNBOUNDED = 64;

export interface ExploreBenchOptions {
  timeLimitSeconds: number;
  /** Worker threads (as `hmip6 explore --workers`). */
  workers: number;
}

export const EXPLORE_FULL: Readonly<ExploreBenchOptions> = { timeLimitSeconds: 60, workers: defaultWorkers() };
export const EXPLORE_QUICK: Readonly<ExploreBenchOptions> = { timeLimitSeconds: 20, workers: defaultWorkers() };

export interface ExploreFigures {
  scope: string;
  moves: number;
  workers: number;
  timeLimitSeconds: number;
  /** Distinct states over the whole search, per second of it. */
  statesPerSecond: number;
  /** Transitions (replayed and judged runs) per second. */
  transitionsPerSecond: number;
  states: number;
  transitions: number;
  /** The deepest layer completed within the limit. */
  depthReached: number;
  /** The same, when the limit is 60 s (null otherwise: not measured). */
  depthIn60s: number | null;
  /** Per layer: depth, new states, transitions, seconds. */
  layers: { depth: number; states: number; transitions: number; seconds: number }[];
  stopped: string | null;
}

export async function measureExplore(
  options: ExploreBenchOptions,
  log: (line: string) => void = () => {},
): Promise<ExploreFigures> {
  const report = await explore({
    depth: DEPTH_UNBOUNDED,
    scope: DEFAULT_SCOPE,
    workers: options.workers,
    aliceSource: REFERENCE_SOURCE,
    timeLimitMs: options.timeLimitSeconds * 1000,
    onLayer: (l) =>
      log(
        `  explore depth ${l.depth}: ${l.states} new states, ${l.transitions} transitions, ${(l.ms / 1000).toFixed(1)} s`,
      ),
  });
  if (report.failure !== null)
    throw new Error(
      `bench: the reference host fails ${report.failure.property ?? 'by crashing'} in the explorer: ${report.failure.reason}`,
    );
  const seconds = report.ms / 1000;
  return {
    scope: report.scope,
    moves: report.moves,
    workers: report.workers,
    timeLimitSeconds: options.timeLimitSeconds,
    statesPerSecond: round(report.states / seconds),
    transitionsPerSecond: round(report.transitions / seconds),
    states: report.states,
    transitions: report.transitions,
    depthReached: report.depthCompleted,
    depthIn60s: options.timeLimitSeconds === 60 ? report.depthCompleted : null,
    layers: report.layers.map((l) => ({
      depth: l.depth,
      states: l.states,
      transitions: l.transitions,
      seconds: round(l.ms / 1000),
    })),
    stopped: report.stopped,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const figures = await measureExplore(quick ? EXPLORE_QUICK : EXPLORE_FULL, (l) => console.error(l));
  console.log(JSON.stringify(figures, null, 2));
}
