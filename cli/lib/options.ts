// Command-line options shared by the commands that run the property suite (`hmip6 check`,
// `hmip6 oracle`, `hmip6 explore`): an option they have in common is read, checked and refused
// the same way, with the same message, in each. A reader returns the value or, as a string, the
// message of a usage error; `parseCommandLine` prints that message above the command's help.

import { randomInt } from 'node:crypto';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_STEPS_MAX } from '../../properties/arbitraries/schedule.js';
import { isPropertyId, PROPERTY_IDS, type PropertyId } from '../../properties/invariants/types.js';
import { EXIT } from '../main.js';

/** Where counterexample files go by default (git-ignored). */
export const DEFAULT_OUT_DIR = 'counterexamples';
/** Largest seed accepted (fast-check seeds are 32-bit integers). */
export const SEED_MAX = 0x7fffffff;

/** The options `parseArgs` is given. */
export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
/** What `parseArgs` read: a string (or strings, for a repeated option) or a flag per option. */
export type OptionValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

/** One shard of the runs: run r (from 0) belongs to shard index (r mod count). */
export interface Shard {
  index: number;
  count: number;
}

/** `-h`, `--help`: every command takes it. */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const satisfies OptionSpec;

/**
 * Parses `argv` (options only, no positionals) and reads the values with `read`. On `--help` the
 * help goes to stdout; on a usage error the message and the help go to stderr. Either way the
 * result is then the exit code to return; otherwise it is what `read` made of the values.
 */
export function parseCommandLine<T extends object>(
  command: string,
  help: string,
  argv: string[],
  spec: OptionSpec,
  read: (values: OptionValues) => T | string,
): T | number {
  let values: OptionValues;
  try {
    ({ values } = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false }));
  } catch (e) {
    return usageError(command, help, (e as Error).message);
  }
  if (values.help === true) {
    process.stdout.write(help);
    return EXIT.pass;
  }
  const parsed = read(values);
  return typeof parsed === 'string' ? usageError(command, help, parsed) : parsed;
}

/** `hmip6 <command>: <message>`, a blank line and the command's help, on stderr; the usage exit code. */
export function usageError(command: string, help: string, message: string): number {
  process.stderr.write(`hmip6 ${command}: ${message}\n\n${help}`);
  return EXIT.usage;
}

/** A whole number of at least `min` written in decimal digits (no sign), or the error message. */
export function wholeNumber(text: string | undefined, name: string, min = 1): number | string {
  if (text === undefined) return `${name} needs a value`;
  if (!/^\d+$/.test(text)) return `${name} must be an integer, got ${JSON.stringify(text)}`;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) return `${name} must be at least ${min}`;
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
  if (!Number.isFinite(seconds) || seconds <= 0) return '--time-limit must be a positive number of seconds';
  return Math.round(seconds * 1000);
}

/** `--shard I/N` with 1 ≤ I ≤ N, as the zero-based index I - 1 and the count N. */
export function shardOption(text: string | undefined): Shard | undefined | string {
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const i = m === null ? NaN : Number(m[1]);
  const n = m === null ? NaN : Number(m[2]);
  if (!(Number.isSafeInteger(i) && Number.isSafeInteger(n) && n >= 1 && i >= 1 && i <= n)) return `--shard must be I/N with 1 ≤ I ≤ N, got ${JSON.stringify(text)}`;
  return { index: i - 1, count: n };
}

/** How many of `runs` runs fall to `shard` (all of them without one). */
export function shardRuns(runs: number, shard: Shard | undefined): number {
  return shard === undefined ? runs : Math.ceil((runs - shard.index) / shard.count);
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
  const stepsMax = values['steps-max'] === undefined ? DEFAULT_STEPS_MAX : wholeNumber(values['steps-max'] as string, '--steps-max');
  if (typeof stepsMax === 'string') return stepsMax;
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
