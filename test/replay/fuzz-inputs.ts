// Fuzzing the readers of untrusted input: counterexample files through `hmip6 replay`, and an
// implementation's answer lines through the adapter's checks. Inputs are mutations of real
// ones (a committed counterexample, the answers the reference would give): fields deleted,
// values of another type, huge and negative numbers, truncated text, deep nesting. Seeded, so
// a failure names the seed and input number that reproduce it. Shared by the bounded share in
// test/replay/fuzz.test.ts and the full run of `npm run fuzz` (scripts/fuzz.ts).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run as replayCommand } from '../../cli/commands/replay.js';
import { referenceAlice } from '../../properties/world/alice.js';
import type { AliceFactory } from '../../properties/world/types.js';
import {
  frameAnswer,
  parseDelivered,
  parseHello,
  parseSent,
  parseState,
  parseUnreachable,
  ShapeError,
} from '../../properties/adapter/validate.js';

/** mulberry32: small, seeded, the same on every machine. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values of every other type and every awkward size. */
function oddValue(rng: Rng): Json {
  return rng.pick<() => Json>([
    () => 'abc',
    () => '',
    () => 'x'.repeat(rng.pick([100, 5000, 200_000])),
    () => 'line one\nline two',
    () => -1,
    () => -3,
    () => 0.5,
    () => 1e12,
    () => 2 ** 53,
    () => -(2 ** 53),
    () => 1e308,
    () => 0,
    () => 65536,
    () => null,
    () => true,
    () => false,
    () => [],
    () => [1, 'a', null],
    () => ({}),
    // Data where String() and template literals look for methods.
    () => ({ toString: 1, valueOf: 1 }),
    () => ({ kind: 'advance', ms: 'abc' }),
    () => nested(depth(rng)),
  ])();
}

/**
 * A nesting depth: mostly modest, now and then 100 000 (past JSON.stringify's stack, and about
 * 0.3 s for JSON.parse alone, so kept rare).
 */
function depth(rng: Rng): number {
  return rng.pick([100, 100, 100, 100, 5000, 5000, 5000, 100_000]);
}

/** An array nested `depth` deep: JSON.parse takes it, JSON.stringify overflows on it. */
function nested(depth: number): Json {
  let v: Json = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** Mutations reach this deep; below it a tree nested 100 000 deep is one value. */
const MUTATION_DEPTH_MAX = 40;

/** Paths to the nodes of a JSON tree (at most `max`, taken evenly so deep fields get their share). */
function nodePaths(root: Json, rng: Rng, max = 4000): (string | number)[][] {
  const out: (string | number)[][] = [];
  const stack: { value: Json; path: (string | number)[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0 && out.length < max * 4) {
    const { value, path } = stack.pop() as { value: Json; path: (string | number)[] };
    out.push(path);
    if (path.length >= MUTATION_DEPTH_MAX) continue;
    if (Array.isArray(value)) value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: [...path, k] });
  }
  if (out.length <= max) return out;
  return Array.from({ length: max }, () => out[rng.int(out.length)]);
}

function getAt(root: Json, path: readonly (string | number)[]): Json {
  let v: Json = root;
  for (const k of path) v = (v as Record<string | number, Json>)[k];
  return v;
}

/** The fields a replay runs: the record's states outnumber them a hundred to one, so they get a share of their own. */
const INPUT_FIELDS = new Set<string | number>([
  'format',
  'property',
  'failingStep',
  'alice',
  'params',
  'config',
  'actions',
]);

/** One structural mutation of `root` (in place; the root itself may be replaced). */
function mutateTree(root: Json, rng: Rng): Json {
  const all = nodePaths(root, rng);
  const inputs = all.filter((p) => p.length > 0 && INPUT_FIELDS.has(p[0]));
  const paths = rng.int(3) === 0 && inputs.length > 0 ? inputs : all;
  const path = rng.pick(paths);
  if (path.length === 0) return rng.int(4) === 0 ? oddValue(rng) : root;
  const parent = getAt(root, path.slice(0, -1)) as Record<string | number, Json> | Json[];
  const key = path[path.length - 1];
  const current = getAt(root, path);
  const op = rng.int(10);
  if (op <= 1) {
    // Delete the field or the item.
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete (parent as Record<string, Json>)[key as string];
  } else if (op <= 4) {
    (parent as Record<string | number, Json>)[key] = oddValue(rng);
  } else if (op === 5 && typeof current === 'number') {
    // Just past a bound, or negative.
    (parent as Record<string | number, Json>)[key] = rng.pick([
      current + 1,
      current - 1,
      -current - 1,
      current * 1000,
      current + 0.5,
    ]);
  } else if (op === 6 && Array.isArray(current) && current.length > 0) {
    current.push(...Array.from({ length: rng.pick([1, 3, 2000]) }, () => current[rng.int(current.length)]));
  } else if (op === 7 && typeof current === 'string') {
    (parent as Record<string | number, Json>)[key] = rng.pick([
      current.slice(1),
      `${current}0`,
      current.toUpperCase(),
      `${current}z`,
    ]);
  } else if (op === 8 && !Array.isArray(parent)) {
    (parent as Record<string, Json>)[rng.pick(['extra', 'kind', 'ms', '__proto__', 'toString'])] = oddValue(rng);
  } else {
    // Another value of the same place, from elsewhere in the file (a valid-looking swap).
    let copy: Json;
    try {
      copy = structuredClone(getAt(root, rng.pick(paths)));
    } catch {
      copy = oddValue(rng); // too deep to copy
    }
    (parent as Record<string | number, Json>)[key] = copy;
  }
  return root;
}

/** Text-level damage: truncation, a flipped character, deep nesting spliced in. */
function mutateText(text: string, rng: Rng): string {
  const at = rng.int(text.length + 1);
  switch (rng.int(4)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return `${text.slice(0, at)}${rng.pick(['"', '}', ']', ',', '0', '-', 'e9', '\u0000'])}${text.slice(at + 1)}`;
    case 2: {
      const d = depth(rng);
      return `${'['.repeat(d)}${text}${']'.repeat(d)}`;
    }
    default:
      return `${text.slice(0, at)}${text.slice(at, at + 200)}${text.slice(at)}`;
  }
}

/** A mutation of a JSON text: mostly structural (the value parses), sometimes of the text itself. */
export function mutateJsonText(text: string, rng: Rng): string {
  if (rng.int(6) === 0) return mutateText(text, rng);
  let root = JSON.parse(text) as Json;
  const times = 1 + (rng.int(4) === 0 ? rng.int(4) : 0);
  for (let i = 0; i < times; i++) root = mutateTree(root, rng);
  try {
    return JSON.stringify(root, null, rng.int(2) === 0 ? 1 : undefined);
  } catch {
    // Nested too deep for JSON.stringify: the text is built by hand instead.
    return `{"format":"hmip6-counterexample/1","actions":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
  }
}

// ---------------------------------------------------------------------------------------
// Counterexample files through `hmip6 replay`.

const EXAMPLE = new URL('../../examples/counterexamples/appendix-c-activates-without-challenge.json', import.meta.url);

/**
 * Files to mutate: the committed example (replayed against its mutant), the same against the
 * reference host (which passes it: exit 0), the same told from its record alone (an Alice this
 * machine does not know: the story reads every field of the record), and a crash of that
 * unknown Alice in the last step (the crash story).
 */
export function counterexampleSeeds(): { name: string; text: string; alice?: AliceFactory }[] {
  const text = readFileSync(EXAMPLE, 'utf8');
  const file = JSON.parse(text) as {
    alice: { name: string };
    property: string | null;
    reason: string;
    failingStep: number;
    steps: unknown[];
  };
  const unknown = { ...file, alice: { ...file.alice, name: 'an-implementation-elsewhere' } };
  const crash = {
    ...unknown,
    property: null,
    reason: 'Alice threw in receive: boom',
    failingStep: file.steps.length - 1,
    steps: file.steps.slice(0, -1),
  };
  return [
    { name: 'example', text },
    { name: 'reference', text, alice: referenceAlice },
    { name: 'record', text: JSON.stringify(unknown, null, 1) },
    { name: 'crash', text: JSON.stringify(crash, null, 1) },
  ];
}

/** What one replay did: its exit code, everything it printed, how long it took. */
export interface ReplayCase {
  code: number | 'threw';
  output: string;
  ms: number;
}

/** Runs `hmip6 replay` in this process on `text`, with stdout and stderr captured. */
export async function replayCase(
  text: string,
  dir: string,
  n: number,
  outputs: boolean,
  alice?: AliceFactory,
): Promise<ReplayCase> {
  const path = join(dir, `input-${n}.json`);
  writeFileSync(path, text);
  const args = [
    path,
    '--no-color',
    '--quiet',
    ...(outputs
      ? ['--html', join(dir, 'out.html'), '--pcap', join(dir, 'out.pcap'), '--as-test', join(dir, 'out.test.ts')]
      : []),
  ];
  let output = '';
  const write = (chunk: string | Uint8Array): boolean => {
    output += String(chunk);
    return true;
  };
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = write as typeof process.stdout.write;
  process.stderr.write = write as typeof process.stderr.write;
  const started = performance.now();
  let code: number | 'threw';
  try {
    code = await replayCommand(args, alice);
  } catch (e) {
    code = 'threw';
    output += `THREW ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  return { code, output, ms: performance.now() - started };
}

/** Every line `hmip6 replay` may print about a file it refuses or a replay that differs: one line naming the field. */
const REFUSED =
  /^hmip6 replay: (cannot read \S+: (not JSON: .+|\d+ bytes, more than .+|\(the file\): expected .+|([A-Za-z_$][\w$]*|\["[^"]*"\])(\.[A-Za-z_$][\w$]*|\[\d+\]|\["[^"]*"\])*: expected .+, got .+)|the replay is not the file's run: .+)$/;

/** What is wrong with how a replay ended, or null: exit 0 or 1 for a valid file, 2 with one line naming the field, never a stack trace. */
export function replayProblem(c: ReplayCase, boundMs: number): string | null {
  if (c.code === 'threw') return `the command threw: ${c.output}`;
  if (c.ms > boundMs) return `took ${Math.round(c.ms)} ms (bound ${boundMs} ms)`;
  if (/\n\s+at |TypeError|RangeError|ReferenceError|SyntaxError|Pattern matching error/.test(c.output))
    return `printed a stack trace or a raw error: ${c.output.slice(0, 400)}`;
  const lines = c.output.split('\n').filter((l) => l !== '');
  // --quiet: nothing but the files written (on 0 and 1) and one line of refusal (on 2).
  const others = lines.filter((l) => !/^(html|pcap|test): /.test(l));
  if (c.code === 0 || c.code === 1)
    return others.length === 0 ? null : `exit ${c.code} with output: ${others.join(' | ').slice(0, 400)}`;
  if (c.code !== 2) return `exit ${c.code}: ${c.output.slice(0, 400)}`;
  if (others.length !== 1) return `exit 2 with ${others.length} lines: ${others.join(' | ').slice(0, 400)}`;
  return REFUSED.test(others[0]) ? null : `exit 2 without a field: ${others[0].slice(0, 400)}`;
}

// ---------------------------------------------------------------------------------------
// Answer lines through the adapter's checks.

/** Good answers to every request the world makes (as the reference would give them). */
const ANSWERS: readonly { type: string; answer: Json }[] = [
  { type: 'hello', answer: { name: 'hmip6-reference', version: '0.1.0', features: ['state', 'anonymous-sa'] } },
  { type: 'reset', answer: {} },
  { type: 'addSA', answer: { sent: ['6000000000083b40200108b8000a00000000000000000001'] } },
  {
    type: 'receive',
    answer: {
      sent: [],
      delivered: [
        { entry: 'e1', proto: 'udp', payload: '626f622d646174612d31', authenticated: true, sport: 5000, dport: 5000 },
      ],
    },
  },
  { type: 'tick', answer: { sent: [] } },
  { type: 'send', answer: { sent: [], unreachable: true } },
  { type: 'addLocalAddress', answer: { sent: ['60'] } },
  { type: 'removeLocalAddress', answer: { sent: [] } },
  {
    type: 'state',
    answer: {
      state: {
        entries: [
          {
            id: 'e1',
            peerKind: 'homeless',
            sa: { inboundSpi: 918765, kind: 'generic' },
            addresses: [
              {
                address: '2001:db8:b::1',
                status: 'active',
                lifetime: { kind: 'absolute', expiresAt: 1600010 },
                challengeOutstanding: false,
              },
            ],
            homeAddress: '2001:db8:b::1',
            careOfAddress: null,
          },
        ],
        local: ['2001:db8:a::1'],
      },
    },
  },
];

/** The checks the client applies to an answer to `type` (properties/adapter/alice.ts). */
function checkFields(type: string, fields: Record<string, unknown>): void {
  if (type === 'hello') parseHello(fields);
  else if (type === 'state') parseState(fields);
  else if (type === 'reset') return;
  else {
    parseSent(fields);
    if (type === 'receive') parseDelivered(fields);
    if (type === 'send') parseUnreachable(fields);
  }
}

/** A random answer line for request `id`: a good answer mutated, or any JSON, or not JSON at all. */
export function answerLine(rng: Rng, id: number): { type: string; line: string } {
  const { type, answer } = rng.pick(ANSWERS);
  const good = JSON.stringify({ id, ok: true, ...(answer as Record<string, Json>) });
  const choice = rng.int(10);
  if (choice === 0) return { type, line: good };
  if (choice === 1) {
    // An id or ok of another type, an error of any shape.
    const odd: Record<string, Json> = {
      id: rng.int(2) === 0 ? id : oddValue(rng),
      ok: rng.int(3) === 0 ? oddValue(rng) : false,
      error: oddValue(rng),
    };
    if (rng.int(2) === 0) odd.id = null;
    try {
      return { type, line: JSON.stringify(odd) };
    } catch {
      return { type, line: `{"id":${'['.repeat(100_000)}${']'.repeat(100_000)},"ok":false}` };
    }
  }
  return { type, line: mutateJsonText(good, rng) };
}

/** What is wrong with how the checks took `line`, or null: an answer, or a protocol failure with a one-line message; never a throw. */
export function answerProblem(type: string, line: string, id: number): string | null {
  let framed: ReturnType<typeof frameAnswer>;
  try {
    framed = frameAnswer(line, id, `request ${id} (${type})`);
  } catch (e) {
    return `framing threw ${e instanceof Error ? e.name : typeof e}: ${String((e as Error).message ?? e).slice(0, 200)}`;
  }
  if (!framed.ok)
    return framed.failure.message.includes('\n')
      ? `a framing message of several lines: ${framed.failure.message.slice(0, 200)}`
      : null;
  if (!framed.answer.ok) return null;
  try {
    checkFields(type, framed.answer.fields);
    return null;
  } catch (e) {
    if (!(e instanceof ShapeError))
      return `the ${type} checks threw ${e instanceof Error ? e.name : typeof e}: ${String((e as Error).message ?? e).slice(0, 200)}`;
    if (e.message.includes('\n')) return `a shape message of several lines: ${e.message.slice(0, 200)}`;
    // The message starts with the field that is wrong: `sent[0] must be …`.
    return /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*|\[\d+\])* (must|appears)/.test(e.message)
      ? null
      : `a shape message without its field: ${e.message.slice(0, 200)}`;
  }
}
