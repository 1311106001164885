// `hmip6 explore --depth K`: bounded exhaustive search of the world at small scope
// (properties/explore/): breadth first over a scope's moves (the random schedules' actions, in
// short settled episodes), states deduplicated by a canonical key, every property judged on
// every transition. Reports distinct states, transitions, the depth reached and the time, and
// the shortest counterexample when there is one, written as a counterexample file that
// `hmip6 replay` reads. Exit codes: 0 nothing fails, 1 a property fails, 2 error, 3 usage.

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serializeCounterexample } from '../../properties/counterexample.js';
import { MODULE_EXT } from '../../properties/package-root.js';
import { loadAlice, REFERENCE_SOURCE, type AliceSource } from '../../properties/explore/alice-source.js';
import {
  defaultWorkers,
  DEPTH_DEFAULT,
  explore,
  STATES_MAX_DEFAULT,
  type ExploreReport,
} from '../../properties/explore/explore.js';
import { DEFAULT_SCOPE, SCOPES } from '../../properties/explore/scope.js';
import type { PropertyId } from '../../properties/invariants/types.js';
import {
  DEFAULT_OUT_DIR,
  definedFields,
  HELP_OPTION,
  parseCommandLine,
  propertiesOption,
  timeLimitOption,
  usageError,
  wholeNumber,
} from '../lib/options.js';
import { checkOutputs, writeFile, writeJson, writeOutputs } from '../lib/reports.js';
import { EXIT } from '../main.js';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MUTANT_INDEX = resolve(PROJECT_ROOT, `properties/mutants/bank/index${MODULE_EXT}`);
/** Depths beyond this are refused: the search grows about threefold per level. */
const DEPTH_MAX = 12;

const HELP = `usage: hmip6 explore [options]

Searches the world exhaustively, breadth first, up to --depth moves: every move of the scope
from every state reached, states deduplicated by a canonical key (Alice's abstract state, who
owns which address, packets in flight, Mallory's last packet, the clock's phase), every
property judged on every transition. The first failure found is the shortest there is at this
scope (unlike a shrunk random one); it is written as a counterexample file for 'hmip6 replay'.

With the reference host as Alice, each state's world is copied for each move, so a
transition costs one move. A mutant of the bank (--mutant) cannot be copied (its decisions
may remember things outside the host's state) and is replayed from the setup for every
transition: slower, the same states and verdicts.

scopes:
${Object.values(SCOPES)
  .map((s) => `  ${s.name.padEnd(6)} ${s.summary}\n         moves: ${s.moves.map((m) => m.name).join(', ')}`)
  .join('\n')}

options:
  --depth K            largest number of moves in a trace (default ${DEPTH_DEFAULT})
  --scope NAME         ${Object.keys(SCOPES).join(' or ')} (default ${DEFAULT_SCOPE.name})
  --mutant NAME        search with a mutant of the bank as Alice (default: the reference host)
  --property ID        judge only this property; repeat for more
  --keep-going         search the whole depth and report the shortest failure of every property
  --workers N|auto     worker threads (default auto: one per core)
  --states-max N       stop after N distinct states (default ${STATES_MAX_DEFAULT})
  --time-limit SECONDS stop after this long (the layers done so far count)
  --out DIR            where counterexample files go (default ${DEFAULT_OUT_DIR}/)
  --json FILE          write the report as JSON
  -h, --help           this text

exit codes: 0 no property failed, 1 a property failed (counterexample written), 2 error, 3 usage.
`;

interface Parsed {
  depth: number;
  scope: string;
  mutant: string | undefined;
  properties: PropertyId[] | undefined;
  keepGoing: boolean;
  workers: number;
  statesMax: number;
  timeLimitMs: number | undefined;
  out: string;
  json: string | undefined;
}

/** A whole number from `min` to `max`, or the error message (wholeNumber's when there is no `max`). */
function integer(text: string, name: string, min: number, max?: number): number | string {
  const n = wholeNumber(text, name, min);
  if (max === undefined || (typeof n === 'number' && n <= max)) return n;
  return `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`;
}

const OPTIONS = {
  depth: { type: 'string' },
  scope: { type: 'string' },
  mutant: { type: 'string' },
  property: { type: 'string', multiple: true },
  'keep-going': { type: 'boolean' },
  workers: { type: 'string' },
  'states-max': { type: 'string' },
  'time-limit': { type: 'string' },
  out: { type: 'string' },
  json: { type: 'string' },
  ...HELP_OPTION,
} as const;

function parse(argv: string[]): Parsed | number {
  return parseCommandLine('explore', HELP, argv, OPTIONS, (values) => {
    const depth = values.depth === undefined ? DEPTH_DEFAULT : integer(values.depth as string, '--depth', 0, DEPTH_MAX);
    if (typeof depth === 'string') return depth;
    const scope = (values.scope as string | undefined) ?? DEFAULT_SCOPE.name;
    if (SCOPES[scope] === undefined)
      return `unknown scope ${JSON.stringify(scope)} (known: ${Object.keys(SCOPES).join(', ')})`;
    const properties = propertiesOption(values.property as string[] | undefined);
    if (typeof properties === 'string') return properties;
    const workersText = (values.workers as string | undefined) ?? 'auto';
    const workers = workersText === 'auto' ? defaultWorkers() : integer(workersText, '--workers', 1, 64);
    if (typeof workers === 'string') return workers;
    const statesMax =
      values['states-max'] === undefined
        ? STATES_MAX_DEFAULT
        : integer(values['states-max'] as string, '--states-max', 1);
    if (typeof statesMax === 'string') return statesMax;
    const timeLimitMs = timeLimitOption(values['time-limit'] as string | undefined);
    if (typeof timeLimitMs === 'string') return timeLimitMs;
    return {
      depth,
      scope,
      mutant: values.mutant as string | undefined,
      properties,
      keepGoing: values['keep-going'] === true,
      workers,
      statesMax,
      timeLimitMs,
      out: (values.out as string | undefined) ?? DEFAULT_OUT_DIR,
      json: values.json as string | undefined,
    };
  });
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The figures, as the command prints them. */
export function figuresText(report: ExploreReport): string {
  const lines = [
    `distinct states   ${report.states}`,
    `transitions       ${report.transitions} (${report.duplicates} into states already seen)`,
    `depth reached     ${report.depthCompleted} of ${report.depthMax} searched completely${report.stopped !== null && report.stopped !== 'failure' ? ` (stopped: ${report.stopped})` : ''}`,
    `time              ${seconds(report.ms)} on ${report.workers} worker${report.workers === 1 ? '' : 's'}`,
  ];
  return lines.join('\n');
}

function fileName(report: ExploreReport, property: PropertyId | null, depth: number): string {
  const alice = report.alice.replace(/[^a-z0-9-]+/gi, '-');
  return `explore-${property ?? 'CRASH'}-${alice}-${report.scope}-d${depth}.json`;
}

/** The names of the mutant bank's mutants, in its order. */
async function mutantNames(): Promise<string[]> {
  const bank = (await import(pathToFileURL(MUTANT_INDEX).href)) as { MUTANTS?: ReadonlyArray<{ name: string }> };
  return (bank.MUTANTS ?? []).map((m) => m.name);
}

export async function run(argv: string[]): Promise<number> {
  const options = parse(argv);
  if (typeof options === 'number') return options;
  const unwritable = checkOutputs('explore', [
    { option: '--json', path: options.json, kind: 'file' },
    { option: '--out', path: options.out, kind: 'folder' },
  ]);
  if (unwritable !== null) return unwritable;
  const scope = SCOPES[options.scope];
  let source: AliceSource = REFERENCE_SOURCE;
  if (options.mutant !== undefined) {
    if (!existsSync(MUTANT_INDEX))
      return usageError('explore', 'the mutant bank (properties/mutants/bank/) is not here');
    const names = await mutantNames();
    if (!names.includes(options.mutant))
      return usageError('explore', `unknown mutant ${JSON.stringify(options.mutant)} (known: ${names.join(', ')})`);
    source = { module: pathToFileURL(MUTANT_INDEX).href, export: 'MUTANTS', name: options.mutant };
  }
  let report: ExploreReport;
  try {
    const alice = await loadAlice(source);
    process.stdout.write(
      `hmip6 explore: scope ${scope.name} (${scope.summary}), depth ${options.depth}, Alice = ${alice.name}\n  moves: ${scope.moves.map((m) => m.name).join(', ')}\n`,
    );
    report = await explore({
      depth: options.depth,
      scope,
      alice,
      aliceSource: source,
      workers: options.workers,
      statesMax: options.statesMax,
      keepGoing: options.keepGoing,
      ...definedFields(options, ['properties', 'timeLimitMs']),
      onLayer: (l) =>
        process.stdout.write(
          `  depth ${l.depth}: ${l.states} new states, ${l.transitions} transitions (${l.duplicates} duplicates), ${seconds(l.ms)}\n`,
        ),
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`hmip6 explore: ${message}\n`);
    return options.mutant !== undefined && /has no AliceFactory/.test(message) ? EXIT.usage : EXIT.error;
  }
  process.stdout.write(`\n${figuresText(report)}\n`);
  for (const s of report.skipped) process.stdout.write(`skipped ${s.id}: ${s.reason}\n`);
  if (report.failures.length === 0) {
    process.stdout.write(`\nno property fails within ${report.depthCompleted} moves at scope ${scope.name}\n`);
  }
  const files: Record<string, string> = {};
  const unwritten = writeOutputs('explore', () => {
    for (const f of report.failures) {
      const path = join(options.out, fileName(report, f.property, f.depth));
      writeFile(path, serializeCounterexample(f.counterexample));
      files[f.property ?? 'CRASH'] = path;
      process.stdout.write(
        `\n${f.property ?? 'Alice crashed'}: shortest counterexample, ${f.depth} move${f.depth === 1 ? '' : 's'} (${f.actions.length} action${f.actions.length === 1 ? '' : 's'}): ${f.moves.join(', ')}\n` +
          `  ${f.reason}\n  counterexample: ${path}\n  read it: hmip6 replay ${path}\n`,
      );
    }
    if (options.json !== undefined) {
      const { failures, failure, ...rest } = report;
      void failure;
      writeJson(options.json, {
        ...rest,
        failures: failures.map((f) => ({
          property: f.property,
          reason: f.reason,
          depth: f.depth,
          moves: f.moves,
          actions: f.actions.length,
          file: files[f.property ?? 'CRASH'],
        })),
      });
    }
  });
  if (unwritten !== null) return unwritten;
  return report.failures.length > 0 ? EXIT.fail : EXIT.pass;
}
