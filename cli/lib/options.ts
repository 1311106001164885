// Command-line options shared by the commands that run the property suite (`hmip6 check`,
// `hmip6 oracle`, `hmip6 explore`): an option they have in common is read, checked and refused
// the same way, with the same message, in each. A reader returns the value or, as a string, the
// message of a usage error; `usageError` prints that message in one line with where the help
// is (every command reports its usage errors so).

import { randomInt } from 'node:crypto';
import { MS_PER_SECOND } from '../../impl/units.js';
import { DEFAULT_STEPS_MAX } from '../../properties/arbitraries/schedule.js';
import { ACTIONS_MAX } from '../../properties/counterexample-schema.js';
import { isPropertyId, PROPERTY_IDS, type PropertyId } from '../../properties/invariants/types.js';
import { EXIT } from '../main.js';
import { HELP_OPTION, readArgs, usageError, type OptionSpec, type OptionValues } from './args.js';

// The readers every command uses, even one that runs nothing of the harness (serve-reference).
export { HELP_OPTION, readArgs, usageError, type OptionSpec, type OptionValues } from './args.js';

/** Where counterexample files go by default (git-ignored). */
export const DEFAULT_OUT_DIR = 'counterexamples';
/** Largest seed accepted (fast-check seeds are 32-bit integers). */
export const SEED_MAX = 0x7fffffff;

/** One shard of the runs: run r (from 0) belongs to shard index (r mod count). */
export interface Shard {
  index: number;
  count: number;
}

/**
 * Parses `argv` (options only, no positionals) and reads the values with `read`. On `--help` the
 * help goes to stdout; on a usage error its message goes to stderr (usageError). Either way the
 * result is then the exit code to return; otherwise it is what `read` made of the values.
 */
export function parseCommandLine<T extends object>(
  command: string,
  help: string,
  argv: string[],
  spec: OptionSpec,
  read: (values: OptionValues) => T | string,
): T | number {
  const args = readArgs(argv, spec);
  if (typeof args === 'string') return usageError(command, args);
  if (args.values.help === true) {
    process.stdout.write(help);
    return EXIT.pass;
  }
  const parsed = read(args.values);
  return typeof parsed === 'string' ? usageError(command, parsed) : parsed;
}

/** A whole number of at least `min` written in decimal digits (no sign), or the error message. */
export function wholeNumber(text: string | undefined, name: string, min = 1): number | string {
  if (text === undefined) return `${name} needs a value`;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    const what =
      min === 1 ? 'a positive integer' : min === 0 ? 'an integer of 0 or more' : `an integer of at least ${min}`;
    return `${name} must be ${what}, got ${JSON.stringify(text)}`;
  }
  return n;
}

/** `--seed S`: 0 to SEED_MAX; a random seed when it is not given (the commands always print it). */
export function seedOption(text: string | undefined): number | string {
  const seed = text === undefined ? randomInt(SEED_MAX) : wholeNumber(text, '--seed', 0);
  if (typeof seed === 'number' && seed > SEED_MAX) return `--seed must be at most ${SEED_MAX}`;
  return seed;
}

/** `--property ID`, repeated: the ids in the order first given, once each; undefined when none is given. */
export function propertiesOption(ids: string[] | undefined): PropertyId[] | undefined | string {
  if (ids === undefined) return undefined;
  const properties: PropertyId[] = [];
  for (const id of ids) {
    if (!isPropertyId(id)) return `unknown property ${JSON.stringify(id)} (known: ${PROPERTY_IDS.join(', ')})`;
    if (!properties.includes(id)) properties.push(id);
  }
  return properties;
}

/** `--time-limit SECONDS`: a positive number of seconds, as milliseconds. */
export function timeLimitOption(text: string | undefined): number | undefined | string {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0)
    return `--time-limit must be a positive number of seconds, got ${JSON.stringify(text)}`;
  return Math.round(seconds * MS_PER_SECOND);
}

/** `--shard I/N` with 1 ≤ I ≤ N, as the zero-based index I - 1 and the count N. */
export function shardOption(text: string | undefined): Shard | undefined | string {
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const i = m === null ? NaN : Number(m[1]);
  const n = m === null ? NaN : Number(m[2]);
  if (!(Number.isSafeInteger(i) && Number.isSafeInteger(n) && n >= 1 && i >= 1 && i <= n))
    return `--shard must be I/N with 1 ≤ I ≤ N, got ${JSON.stringify(text)}`;
  return { index: i - 1, count: n };
}

/** The usage error of `--shard` without `--seed`. */
export const SHARD_NEEDS_SEED =
  '--shard needs --seed: the shards of one run must draw the same schedules, so give every shard the same --seed (and --runs)';

/** How many of `runs` runs fall to `shard` (all of them without one). */
export function shardRuns(runs: number, shard: Shard | undefined): number {
  return shard === undefined ? runs : Math.ceil((runs - shard.index) / shard.count);
}

/**
 * The --runs that reproduces what a run did: all `numRuns` when it finished; when a time limit
 * stopped it after `runs` runs of its shard, just enough for the shard to play those again
 * (fast-check draws the same schedules whatever numRuns says; it only stops sooner).
 */
export function reproduceRuns(
  report: { numRuns: number; runs: number; interrupted: boolean },
  shard: Shard | undefined,
): number {
  if (!report.interrupted || report.runs === 0) return report.numRuns;
  return shard === undefined ? report.runs : shard.index + (report.runs - 1) * shard.count + 1;
}

/** The options of a run of the property suite over random schedules (`hmip6 check`, `hmip6 oracle`). */
export const RUN_OPTIONS = {
  runs: { type: 'string' },
  seed: { type: 'string' },
  'steps-max': { type: 'string' },
  property: { type: 'string', multiple: true },
  'time-limit': { type: 'string' },
  shard: { type: 'string' },
  'black-box': { type: 'boolean' },
  out: { type: 'string' },
  json: { type: 'string' },
  junit: { type: 'string' },
  ...HELP_OPTION,
} as const satisfies OptionSpec;

export interface RunOptions<K extends string = never> {
  runs: number;
  seed: number;
  stepsMax: number;
  properties: PropertyId[] | undefined;
  timeLimitMs: number | undefined;
  shard: Shard | undefined;
  blackBox: boolean;
  out: string;
  json: string | undefined;
  junit: string | undefined;
  /** The command's own whole-number options (see `readRunOptions`), by option name. */
  wholeNumbers: Record<K, number>;
}

/**
 * Reads RUN_OPTIONS, checked in this order (the first error is the one reported): --runs,
 * --seed, --steps-max, the command's own whole-number options `wholeNumbers` (option name
 * without `--` → default, at least 1, in their order), --property, --time-limit, --shard.
 */
export function readRunOptions<K extends string = never>(
  values: OptionValues,
  defaults: { runs: number; wholeNumbers?: Readonly<Record<K, number>> },
): RunOptions<K> | string {
  const runs = values.runs === undefined ? defaults.runs : wholeNumber(values.runs as string, '--runs');
  if (typeof runs === 'string') return runs;
  const seed = seedOption(values.seed as string | undefined);
  if (typeof seed === 'string') return seed;
  const stepsMax =
    values['steps-max'] === undefined ? DEFAULT_STEPS_MAX : wholeNumber(values['steps-max'] as string, '--steps-max');
  if (typeof stepsMax === 'string') return stepsMax;
  // A counterexample file holds at most ACTIONS_MAX actions: a longer schedule could not be replayed.
  if (stepsMax > ACTIONS_MAX)
    return `--steps-max must be at most ${ACTIONS_MAX} (a counterexample file holds at most ${ACTIONS_MAX} actions)`;
  const wholeNumbers: Record<string, number> = {};
  for (const [name, fallback] of Object.entries<number>(defaults.wholeNumbers ?? {})) {
    const n = values[name] === undefined ? fallback : wholeNumber(values[name] as string, `--${name}`);
    if (typeof n === 'string') return n;
    wholeNumbers[name] = n;
  }
  const properties = propertiesOption(values.property as string[] | undefined);
  if (typeof properties === 'string') return properties;
  const timeLimitMs = timeLimitOption(values['time-limit'] as string | undefined);
  if (typeof timeLimitMs === 'string') return timeLimitMs;
  const shard = shardOption(values.shard as string | undefined);
  if (typeof shard === 'string') return shard;
  // A shard is its share of one run only if every shard draws that run's schedules: with a
  // seed of its own, shard 1/2 and shard 2/2 would be halves of two different runs.
  if (shard !== undefined && values.seed === undefined) return SHARD_NEEDS_SEED;
  return {
    runs,
    seed,
    stepsMax,
    properties,
    timeLimitMs,
    shard,
    blackBox: values['black-box'] === true,
    out: (values.out as string | undefined) ?? DEFAULT_OUT_DIR,
    json: values.json as string | undefined,
    junit: values.junit as string | undefined,
    wholeNumbers: wholeNumbers as Record<K, number>,
  };
}

/**
 * The fields `keys` of `record` that are set (not undefined), in the order of `keys`: for passing
 * on only the options given, and for JSON reports, which leave out what is not set.
 */
export function definedFields<T extends object, K extends keyof T>(record: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (record[key] !== undefined) out[key] = record[key];
  return out;
}
