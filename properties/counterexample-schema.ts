// The counterexample file's schema (DESIGN.md "Counterexamples"): what a file must hold before
// anything reads it. `hmip6 replay`, `replayCounterexample`, the story and the oracle's replay
// path read files through `validateCounterexample`, and every writer (check, explore, oracle,
// mutants) validates what it writes, so a file either is what the harness writes or is refused
// with one line that names the field: `actions[3].ms: expected an integer 0..600000, got "abc"`.
//
// Why a hand-written schema, and why bounds on every number: the world runs a file's actions as
// they are. A time that is not a number made the clock never reach its end (a replay that
// never returned); a huge one made it tick for hours; a negative index read past an array. So
// every number has a range, every list and string a length, every hex string an even number of
// digits, and the whole schedule a budget of virtual time: no file can make a replay run
// unbounded. The ranges are what the schedule generator (properties/arbitraries/schedule.ts)
// draws, times a margin, so that every file the harness writes passes.
//
// The field lists are typed against the file's TypeScript types (`Fields<T>` below): a field
// added to an action, an event or the file without a line here does not compile.

import { REPLAY_WINDOW_PACKETS_MAX } from '../impl/crypto/replay.js';
import { PEER_KINDS } from '../impl/host/compat.js';
import type { AddressStatus, AhAlgorithm, HostParams, LifetimeKind, SaKind } from '../impl/host/types.js';
import { normalizeAddress } from '../impl/wire/index.js';
import type { CounterexampleFile, CounterexampleStep } from './counterexample.js';
import { PROPERTIES } from './invariants/index.js';
import { ALICE_ADDRESSES_MANY_MAX, BURST_COUNT_MAX, FLOOD_COUNT_MAX } from './world/constants.js';
import { ODD_REQUESTS } from './world/types.js';
import type {
  Action,
  ActionKind,
  AliceCall,
  AliceEvent,
  BadAhKind,
  ClaimForm,
  Feature,
  HomelessPeer,
  MobilePeer,
  NodeName,
  PeerName,
  ResponseForm,
  ReuseKind,
  ParamProblemForm,
  Selector,
  SpoofKind,
  JsonDelivered,
  PacketRecord,
  ProbeResult,
  ReceiveTruth,
  ResponseTruth,
  SaRecord,
  Target,
  TraceEvent,
  WorldConfig,
} from './world/types.js';

export const COUNTEREXAMPLE_FORMAT = 'hmip6-counterexample/1';

// ---------------------------------------------------------------------------------------
// Bounds. Each names what the generator draws; the margin is what a person editing a file by
// hand may want, never what makes a replay long.

/** Actions in one file: 20 × `hmip6 check`'s default of 48 (`--steps-max` stops there too). */
export const ACTIONS_MAX = 1000;
/**
 * One action's span of virtual time (advance, fair, lossy, delay). The generator draws at most
 * 3 × challengeLifetimeMs + 2500 ms (a fair stretch: 17.5 s with the default profile); ten
 * minutes is about 34 times that.
 */
export const ACTION_MS_MAX = 600_000;
/**
 * The spans of all the actions together: three hours of virtual time, ticked every 250 ms
 * (about three seconds of replay). The generator's worst case at ACTIONS_MAX actions is a run
 * of fair episodes, 23 s per three actions: 7.7 million ms.
 */
export const SCHEDULE_MS_MAX = 10_800_000;
/** A file larger than this is refused before it is read (the largest real ones are tens of MiB). */
export const COUNTEREXAMPLE_BYTES_MAX = 256 * 1024 * 1024;
/** An IPv6 packet: a 40-byte header and at most 65535 bytes of payload (garbage, bit flips). */
const PACKET_BYTES_MAX = 40 + 0xffff;
/** A packet in the record may be anything an implementation under test sent: up to a 1 MiB line of hex. */
const RECORDED_PACKET_BYTES_MAX = 512 * 1024;
/** Free text (reasons, summaries, labels, entry ids from an IUT): an adapter line is at most 1 MiB. */
const TEXT_CHARS_MAX = 1024 * 1024;
/** Names that end up in generated code and file names stay on one line and short. */
const NAME_CHARS_MAX = 256;
/** Lists in the record (packets, events, entries): far beyond any run, still a bound. */
const LIST_MAX = 2_000_000;
/** `pick` and `fromEnd` (used modulo a list's length): the generator draws 0..8. */
const INDEX_MAX = 1024;
/** Victims' and strangers' address numbers and a flood's first one (modulo 65536 subnets): drawn up to 1000. */
const ADDRESS_NUMBER_MAX = 0xffff;
/** A seed: fast-check's and the world's (`--seed` accepts 0..2^31−1). */
const SEED_MAX = 0x7fffffff;
/** SPIs and 32-bit protocol integers. */
const U32_MAX = 0xffffffff;
const PORT_MAX = 0xffff;
/** An invalid request (HOST.md rule 24) is a small JSON object: nested at most this deep, this wide. */
const JSON_DEPTH_MAX = 8;
const JSON_ITEMS_MAX = 4096;
/** Characters of a wrong value quoted in a message. */
const GOT_CHARS_MAX = 60;

/**
 * Protocol parameters: what the profiles use (WIRE.md's table, `short`, `tight`), times a
 * margin. Lifetimes up to a day keep a clock jump (which skips past them) within safe integers
 * for any number of jumps; attempts and counts stay small enough that no tick does much work.
 */
const PARAM_RANGES: {
  readonly [K in keyof HostParams]: HostParams[K] extends boolean ? 'boolean' : readonly [number, number];
} = {
  defaultLifetimeSeconds: [1, 86_400],
  maximumExpiredLifetimeSeconds: [0, 86_400],
  bindingLifetimeSecondsMax: [1, 86_400],
  challengeRetransmitMs: [1, 60_000],
  challengeAttemptsMax: [1, 100],
  challengeLifetimeMs: [1, 60_000],
  compatProbeTimeoutMs: [1, 60_000],
  bindingRefreshSeconds: [1, 86_400],
  buOptimization: 'boolean',
  foreignEntriesCountMax: [0, 4096],
  addressesPerEntryCountMax: [1, 1024],
  tentativePerEntryCountMax: [0, 1024],
  antiReplayWindowPackets: [1, REPLAY_WINDOW_PACKETS_MAX],
};

// ---------------------------------------------------------------------------------------
// The checker: small combinators that throw a SchemaError naming the field.

/**
 * Where a value sits in the file: a linked list from the value up to the file, rendered as
 * `actions[3].ms` only when something is wrong. A check gets its parent's path and its own key
 * and builds its path only to report it or to hand it down: building every field's path costs
 * more than checking the field.
 */
export type Path = { readonly up: Path; readonly key: Key } | null;
/** A field's name, an index in a list, or '' for the file itself. */
type Key = string | number;

function at(up: Path, key: Key): Path {
  return { up, key };
}

export function pathText(path: Path): string {
  const keys: Key[] = [];
  for (let p = path; p !== null; p = p.up) if (p.key !== '') keys.push(p.key);
  let out = '';
  for (const key of keys.reverse()) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

/** A field that is not what the schema says; `message` is one line: `path: expected …, got …`. */
export class SchemaError extends Error {
  readonly path: string;

  constructor(
    where: Path,
    readonly expected: string,
    readonly got: string,
  ) {
    const path = pathText(where);
    super(`${path === '' ? '(the file)' : path}: expected ${expected}, got ${got}`);
    this.name = 'SchemaError';
    this.path = path;
  }
}

/** A value as a message shows it: short, on one line (JSON escapes line breaks). */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(typeof value);
  return text.length > GOT_CHARS_MAX ? `${text.slice(0, GOT_CHARS_MAX)}…` : text;
}

/** Checks the value found at `key` of the value at `up`; throws SchemaError. */
type Check = (value: unknown, up: Path, key: Key) => void;
interface Optional {
  readonly optional: Check;
}
/** Every field of T, required or optional as T has it: a field T gains and the schema lacks does not compile. */
type Fields<T> = { readonly [F in keyof T]-?: undefined extends T[F] ? Optional : Check };
/**
 * A union's members as one record: every field of any member, optional unless every member
 * requires it. An Alice event is one of several shapes (one per op, and the malformed one),
 * and the file's schema checks the fields any of them may have, as it always did.
 */
type Merged<U> = {
  [F in U extends unknown ? keyof U : never]: U extends unknown ? (F extends keyof U ? U[F] : undefined) : never;
};

const optional = (check: Check): Optional => ({ optional: check });

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function int(min: number, max: number): Check {
  return (value, up, key) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max)
      throw new SchemaError(at(up, key), `an integer ${min}..${max}`, shown(value));
  };
}

const bool: Check = (value, up, key) => {
  if (typeof value !== 'boolean') throw new SchemaError(at(up, key), 'true or false', shown(value));
};

/** Only `true` (fields that are present only when they hold). */
const isTrue: Check = (value, up, key) => {
  if (value !== true) throw new SchemaError(at(up, key), 'true (the field is left out otherwise)', shown(value));
};

/**
 * Every value of the union T, checked by the compiler: `every<SpoofKind>()(['data', …])` does not
 * compile while a value of T is missing (or a listed one is not in T).
 */
function every<T extends string>() {
  return <const L extends readonly T[]>(
    list: L & ([Exclude<T, L[number]>] extends [never] ? unknown : { missing: Exclude<T, L[number]> }),
  ): L => list;
}

function oneOf(values: readonly (string | number)[]): Check {
  const listed = values.map((v) => JSON.stringify(v)).join(', ');
  return (value, up, key) => {
    if (!values.includes(value as string | number))
      throw new SchemaError(at(up, key), values.length === 1 ? listed : `one of ${listed}`, shown(value));
  };
}

/** A string of at most `max` characters; `line`: no control characters (it ends up in names, comments, code). */
function str(max: number, line = false): Check {
  return (value, up, key) => {
    if (typeof value !== 'string' || value.length > max)
      throw new SchemaError(
        at(up, key),
        `a${line ? ' single-line' : ''} string of at most ${max} characters`,
        shown(value),
      );
    // eslint-disable-next-line no-control-regex
    if (line && /[\u0000-\u001f\u007f\u2028\u2029]/.test(value))
      throw new SchemaError(at(up, key), 'a single-line string (no control characters)', shown(value));
  };
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Bytes as hex: an even number of hex digits, at most `maxBytes` bytes (exactly, when `exact`). */
function hex(maxBytes: number, exact = false): Check {
  const expected = exact
    ? `a hex string of ${maxBytes} bytes`
    : `a hex string (an even number of hex digits) of at most ${maxBytes} bytes`;
  return (value, up, key) => {
    if (
      typeof value !== 'string' ||
      value.length > 2 * maxBytes ||
      (exact && value.length !== 2 * maxBytes) ||
      !HEX.test(value)
    )
      throw new SchemaError(at(up, key), expected, shown(value));
  };
}

/** IPv6 text (any form the protocol accepts); memoised, since a record names the same few addresses thousands of times. */
function addressCheck(): Check {
  const known = new Set<string>();
  return (value, up, key) => {
    if (typeof value === 'string' && known.has(value)) return;
    if (typeof value !== 'string' || value.length > 64 || normalizeAddress(value) === null)
      throw new SchemaError(at(up, key), 'an IPv6 address', shown(value));
    known.add(value);
  };
}

function nullable(check: Check): Check {
  return (value, up, key) => {
    if (value !== null) check(value, up, key);
  };
}

function array(item: Check, max: number): Check {
  return (value, up, key) => {
    if (!Array.isArray(value) || value.length > max)
      throw new SchemaError(at(up, key), `a list of at most ${max}`, shown(value));
    if (value.length === 0) return;
    const here = at(up, key);
    for (let i = 0; i < value.length; i++) item(value[i], here, i);
  };
}

/** An object with exactly these fields (in their order, so the first wrong one is reported); nothing else. */
function object(fields: Readonly<Record<string, Check | Optional>>, what = 'an object'): Check {
  const names = Object.keys(fields);
  const required = names.map((n) => typeof fields[n] === 'function');
  const checks = names.map((n) => {
    const f = fields[n];
    return typeof f === 'function' ? f : f.optional;
  });
  return (value, up, key) => {
    if (!isObject(value))
      throw new SchemaError(at(up, key), what === 'an object' ? what : `${what} (an object)`, shown(value));
    const here = at(up, key);
    let present = 0;
    for (let i = 0; i < names.length; i++) {
      const v = value[names[i]];
      if (v !== undefined || Object.hasOwn(value, names[i])) present += 1;
      if (required[i] || v !== undefined) checks[i](v, here, names[i]);
    }
    // Counting keys costs no allocation (objects from JSON have no inherited enumerable ones);
    // the names are listed only for the error.
    let count = 0;
    for (const k in value) {
      void k;
      count += 1;
    }
    if (count !== present) {
      const extra = Object.keys(value).find((k) => !Object.hasOwn(fields, k)) ?? '?';
      throw new SchemaError(
        at(here, extra),
        `no such field (${what} has ${names.length === 0 ? 'none' : names.join(', ')})`,
        shown(value[extra]),
      );
    }
  };
}

/** One of several objects, told apart by `kind`. */
function tagged(table: Readonly<Record<string, Readonly<Record<string, Check | Optional>>>>, what: string): Check {
  const kinds = Object.keys(table);
  const checks = new Map(kinds.map((k) => [k, object({ kind: oneOf([k]), ...table[k] }, `${what} "${k}"`)]));
  const kindCheck = oneOf(kinds);
  return (value, up, key) => {
    if (!isObject(value)) throw new SchemaError(at(up, key), `${what} (an object with a "kind")`, shown(value));
    const check = checks.get(value.kind as string);
    if (check === undefined || !Object.hasOwn(value, 'kind')) kindCheck(value.kind, at(up, key), 'kind');
    check?.(value, up, key);
  };
}

/** Any JSON value, nested at most JSON_DEPTH_MAX deep (the recursion is bounded by it). */
const json: Check = (value, up, key) => checkJson(value, up, key, 0);

const jsonText = str(TEXT_CHARS_MAX);

function checkJson(value: unknown, up: Path, key: Key, depth: number): void {
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new SchemaError(at(up, key), 'a finite number', shown(value));
    return;
  }
  if (typeof value === 'string') return jsonText(value, up, key);
  if (depth >= JSON_DEPTH_MAX)
    throw new SchemaError(at(up, key), `a value nested at most ${JSON_DEPTH_MAX} deep`, shown(value));
  const here = at(up, key);
  if (Array.isArray(value)) {
    if (value.length > JSON_ITEMS_MAX) throw new SchemaError(here, `a list of at most ${JSON_ITEMS_MAX}`, shown(value));
    for (let i = 0; i < value.length; i++) checkJson(value[i], here, i, depth + 1);
    return;
  }
  if (!isObject(value)) throw new SchemaError(here, 'a JSON value', shown(value));
  const keys = Object.keys(value);
  if (keys.length > JSON_ITEMS_MAX)
    throw new SchemaError(here, `an object of at most ${JSON_ITEMS_MAX} fields`, shown(value));
  for (const k of keys) checkJson(value[k], here, k, depth + 1);
}

// ---------------------------------------------------------------------------------------
// The world's vocabulary.

const NODES = every<NodeName>()(['alice', 'bob', 'carol', 'sam', 'lee', 'mallory']);
const PEERS = every<PeerName>()(['bob', 'carol', 'sam', 'lee']);
const HOMELESS_PEERS = every<HomelessPeer>()(['bob', 'carol']);
const HOMELESS = every<HomelessPeer>()(['bob', 'carol']);
const MOBILE = every<MobilePeer>()(['bob', 'carol', 'sam']);
const SELECTORS = every<Selector>()([
  'any',
  'from-alice',
  'to-alice',
  'challenge',
  'mallory-challenge',
  'response',
  'bu',
  'data',
  'param-problem',
]);
const SA_KINDS = every<SaKind>()(['generic', 'anonymous']);
const ALGS = every<AhAlgorithm>()(['hmac-sha1-96', 'hmac-sha256-128']);
const KEY_BYTES: Readonly<Record<AhAlgorithm, number>> = { 'hmac-sha1-96': 20, 'hmac-sha256-128': 32 };
const FEATURES = every<Feature>()([
  'state',
  'standard-compat',
  'alternate-prefixes',
  'bu-optimization',
  'anonymous-sa',
]);
const ALICE_CALLS = every<AliceCall>()(['addSA', 'receive', 'tick', 'send', 'addLocalAddress', 'removeLocalAddress']);
const SPOOFS = every<SpoofKind>()([
  'data',
  'bu-no-ah',
  'echo',
  'ba-no-ah',
  'hao-data',
  'bad-checksum',
  'unknown-option',
  'routed-away',
]);
const BAD_AHS = every<BadAhKind>()(['no-ah', 'bad-icv', 'unknown-spi', 'peer-spi', 'seq-zero', 'truncated-icv']);
const REUSES = every<ReuseKind>()(['late', 'elsewhere', 'cross', 'rebind', 'again', 'stale-sequence', 'reflect']);
const RESPONSE_FORMS = every<ResponseForm>()([
  'alt-coa',
  'two-security',
  'two-alt-coa',
  'other-sub-option',
  'lifetime-zero',
]);
const CLAIM_FORMS = every<ClaimForm>()(['alt-coa', 'spoofed-source', 'home-address']);
const PARAM_PROBLEM_FORMS = every<ParamProblemForm>()(['whole', 'truncated', 'altered', 'code', 'elsewhere']);
const TRUTH_AH = every<ReceiveTruth['ah']>()([
  'none',
  'valid',
  'replay',
  'bad-sequence',
  'bad-icv',
  'unknown-spi',
  'undecodable',
]);
const ADDRESS_STATUSES = every<AddressStatus>()(['tentative', 'active', 'deprecated']);
const LIFETIME_KINDS = every<LifetimeKind>()(['activity', 'absolute']);

const index = int(0, INDEX_MAX);
const addressNumber = int(0, ADDRESS_NUMBER_MAX);
const actionMs = int(0, ACTION_MS_MAX);
const saKind = oneOf(SA_KINDS);

const TARGETS: { readonly [K in Target['kind']]: Fields<Omit<Extract<Target, { kind: K }>, 'kind'>> } = {
  peer: { peer: oneOf(PEERS), pick: index },
  lost: { fromEnd: index },
  victim: { n: addressNumber },
  alice: { pick: index },
  own: { pick: index },
  next: { peer: oneOf(HOMELESS) },
  stranger: { n: addressNumber },
  scoped: { pick: index },
};
const target = tagged(TARGETS, 'a target');
/** A routing header through Alice's own addresses: 1 or 2 of them, Segments Left up to their number. */
const via = optional(object({ addresses: int(1, 2), segmentsLeft: int(0, 2) }, 'a route through Alice'));

/** An invalid request (HOST.md rule 24): one of five types, any small JSON in its fields. */
const invalidRequest: Check = (value, up, key) => {
  if (!isObject(value)) throw new SchemaError(at(up, key), 'a request (an object with a "type")', shown(value));
  oneOf(['addSA', 'send', 'addLocalAddress', 'removeLocalAddress', 'receive'])(value.type, at(up, key), 'type');
  json(value, up, key);
};

const ACTIONS: { readonly [K in ActionKind]: Fields<Omit<Extract<Action, { kind: K }>, 'kind'>> } = {
  advance: { ms: actionMs },
  jump: { past: oneOf(['lifetime', 'expired', 'all']) },
  fair: { ms: actionMs },
  peerMove: { peer: oneOf(MOBILE) },
  peerGain: { peer: oneOf(HOMELESS) },
  peerLose: { peer: oneOf(HOMELESS), pick: index },
  peerSend: { peer: oneOf(PEERS) },
  peerBurst: { peer: oneOf(PEERS), count: int(0, BURST_COUNT_MAX) },
  aliceSend: {
    peer: oneOf(PEERS),
    pick: index,
    proto: oneOf(['udp', 'icmp']),
    sport: optional(int(0, PORT_MAX)),
    dport: optional(int(0, PORT_MAX)),
  },
  aliceSendNew: { n: addressNumber },
  aliceAddSa: { n: addressNumber, edge: optional(isTrue) },
  aliceAddSaLee: {},
  aliceAddSaAgain: { n: addressNumber, jump: bool },
  aliceOdd: { what: array(oneOf(ODD_REQUESTS), ODD_REQUESTS.length * 4), pick: index },
  aliceGain: {},
  aliceLose: { pick: index, last: optional(bool) },
  invalid: { request: invalidRequest },
  lose: { select: oneOf(SELECTORS), fromEnd: index },
  duplicate: { select: oneOf(SELECTORS), fromEnd: index },
  reorder: { select: oneOf(SELECTORS), fromEnd: index },
  delay: { select: oneOf(SELECTORS), fromEnd: index, ms: actionMs },
  lossy: { permille: int(0, 1000), ms: actionMs },
  claim: { sa: saKind, target, form: oneOf(CLAIM_FORMS), via },
  takeover: { sa: saKind, fromEnd: index },
  spoof: {
    what: oneOf(SPOOFS),
    as: target,
    via,
  },
  badAh: { what: oneOf(BAD_AHS), target },
  replay: { fromEnd: index, retarget: bool },
  forgeResponse: { target, under: oneOf(['generic', 'anonymous', 'peer']) },
  clockGuess: { sa: saKind, target },
  anonData: {},
  garbage: { hex: hex(PACKET_BYTES_MAX) },
  bitflip: { fromEnd: index, bit: int(0, PACKET_BYTES_MAX * 8 - 1) },
  flood: { sa: saKind, count: int(0, FLOOD_COUNT_MAX), first: addressNumber },
  paramProblem: { fromEnd: index, form: optional(oneOf(PARAM_PROBLEM_FORMS)) },
  withhold: { sa: saKind, pick: index },
  reuse: {
    what: oneOf(REUSES),
    fromEnd: index,
    target,
  },
  answer: { form: oneOf(RESPONSE_FORMS), fromEnd: index },
  seqWrap: { sa: saKind },
  ahEnd: { sa: saKind, target },
  fill: { sa: saKind, count: int(0, FLOOD_COUNT_MAX) },
  correspond: {
    what: oneOf(['alice-sends', 'mallory-sends', 'mallory-br', 'mallory-acks']),
    aside: optional(bool),
    large: optional(bool),
  },
};
const action = tagged(ACTIONS, 'an action');

/** The virtual time an action plays out (the clock's work on a replay); jumps skip without ticking. */
function actionSpanMs(a: Action): number {
  return a.kind === 'advance' || a.kind === 'fair' || a.kind === 'lossy' ? a.ms : 0;
}

const PARAMS_FIELDS = Object.fromEntries(
  Object.entries(PARAM_RANGES).map(([name, range]) => [name, range === 'boolean' ? bool : int(range[0], range[1])]),
) as Fields<HostParams>;
const params = object(PARAMS_FIELDS, 'the protocol parameters');

const CONFIG_FIELDS: Fields<WorldConfig> = {
  seed: int(0, SEED_MAX),
  params,
  aliceAddressCount: int(1, ALICE_ADDRESSES_MANY_MAX),
  alg: oneOf(ALGS),
  carol: oneOf(['generic', 'anonymous', 'absent']),
  sam: bool,
  lee: bool,
  mallory: oneOf(['generic', 'anonymous', 'both']),
};
const config = object(CONFIG_FIELDS, "the world's configuration");

// ---------------------------------------------------------------------------------------
// The record: what the run did. Packet ids must name packets of the file (the story looks them up).

/** Checks of the record that need the file's packet count. */
function recordChecks(packetCount: number) {
  const address = addressCheck();
  const instant = int(0, Number.MAX_SAFE_INTEGER);
  const text = str(TEXT_CHARS_MAX);
  const packet: Check = (value, up, key) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value >= packetCount) {
      throw new SchemaError(
        at(up, key),
        packetCount === 0 ? 'no packet id (the file has no packets)' : `a packet id 0..${packetCount - 1}`,
        shown(value),
      );
    }
  };
  const node = oneOf(NODES);
  const delivered = object(
    {
      entry: nullable(text),
      proto: oneOf(['udp', 'icmp']),
      payload: hex(TEXT_CHARS_MAX / 2),
      authenticated: bool,
      sport: optional(int(0, PORT_MAX)),
      dport: optional(int(0, PORT_MAX)),
    } satisfies Fields<JsonDelivered>,
    'a delivered item',
  );
  const response = object({ address, answers: nullable(packet) } satisfies Fields<ResponseTruth>, 'a response');
  const truth = object(
    {
      ah: oneOf(TRUTH_AH),
      sa: nullable(str(NAME_CHARS_MAX)),
      saKind: nullable(saKind),
      mobility: bool,
      responses: array(response, LIST_MAX),
      responseRepeat: bool,
    } satisfies Fields<ReceiveTruth>,
    "the world's verdict on a packet",
  );
  const addressState = object({
    address,
    status: oneOf(ADDRESS_STATUSES),
    lifetime: object(
      { kind: oneOf(LIFETIME_KINDS), expiresAt: int(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) },
      'a lifetime',
    ),
    challengeOutstanding: bool,
  });
  const entry = object(
    {
      id: text,
      peerKind: oneOf(PEER_KINDS),
      sa: nullable(object({ inboundSpi: int(0, U32_MAX), kind: saKind }, "an entry's SA")),
      addresses: array(addressState, LIST_MAX),
      homeAddress: nullable(address),
      careOfAddress: nullable(address),
    },
    'an entry',
  );
  const hostState = object({ entries: array(entry, LIST_MAX), local: array(address, LIST_MAX) }, 'a host state');
  const probe = object(
    {
      judged: bool,
      why: optional(text),
      sendOk: bool,
      unreachable: bool,
      packets: array(packet, LIST_MAX),
      reached: bool,
      authenticated: bool,
      generic: bool,
    } satisfies Fields<ProbeResult>,
    "a probe's result",
  );
  const aliceEvent: Fields<Omit<Merged<AliceEvent>, 'kind'>> = {
    call: int(0, Number.MAX_SAFE_INTEGER),
    at: instant,
    op: oneOf(ALICE_CALLS),
    request: optional(json),
    input: optional(packet),
    truth: optional(truth),
    intent: optional(nullable(node)),
    invalid: optional(isTrue),
    noop: optional(isTrue),
    ok: bool,
    error: optional(text),
    sent: array(packet, LIST_MAX),
    delivered: array(delivered, LIST_MAX),
    unreachable: optional(bool),
    state: optional(hostState),
  };
  const EVENTS: { readonly [K in TraceEvent['kind']]: Fields<Omit<Extract<TraceEvent, { kind: K }>, 'kind'>> } = {
    alice: aliceEvent,
    emit: { at: instant, packet, by: node },
    deliver: { at: instant, packet, to: node, address },
    drop: { at: instant, packet, cause: oneOf(['no-owner', 'fault', 'loss']) },
    fault: {
      at: instant,
      what: oneOf(['lose', 'duplicate', 'reorder', 'delay', 'lossy']),
      packet: optional(packet),
      copy: optional(packet),
      ms: optional(actionMs),
    },
    own: { at: instant, address, from: nullable(node), to: nullable(node) },
    'peer-delivered': { at: instant, node, packet, items: array(delivered, LIST_MAX) },
    move: { at: instant, peer: oneOf(PEERS), address, lost: nullable(address) },
    probe: { at: instant, peer: oneOf(PEERS), address, moveAt: instant, result: probe },
    'peer-entry': { at: instant, peer: oneOf(HOMELESS_PEERS), packet, before: nullable(entry), after: nullable(entry) },
    note: { at: instant, text },
  };
  const step = object(
    {
      index: int(0, ACTIONS_MAX),
      action: nullable(action),
      label: text,
      startMs: instant,
      endMs: instant,
      packetsIn: array(
        object(
          {
            id: packet,
            at: instant,
            hex: hex(RECORDED_PACKET_BYTES_MAX),
            summary: text,
            from: optional(node),
            tag: optional(text),
            truth: optional(truth),
          },
          'a packet in',
        ),
        LIST_MAX,
      ),
      packetsOut: array(
        object(
          {
            id: packet,
            at: instant,
            hex: hex(RECORDED_PACKET_BYTES_MAX),
            summary: text,
            from: optional(node),
            tag: optional(text),
            truth: optional(truth),
          },
          'a packet out',
        ),
        LIST_MAX,
      ),
      events: array(tagged(EVENTS, 'an event'), LIST_MAX),
      aliceState: nullable(hostState),
      modelState: nullable(hostState),
    } satisfies Fields<CounterexampleStep>,
    'a step',
  );
  const packetRecord = object(
    {
      id: packet,
      from: node,
      sentAt: instant,
      hex: hex(RECORDED_PACKET_BYTES_MAX),
      summary: text,
      tag: optional(text),
    } satisfies Fields<Omit<PacketRecord, 'info'>>,
    'a packet',
  );
  const sa: Check = (value, up, key) => {
    object(
      {
        name: str(NAME_CHARS_MAX),
        peer: oneOf([...NODES, 'stranger']),
        peerAddress: address,
        kind: saKind,
        alg: oneOf(ALGS),
        keyHex: hex(RECORDED_PACKET_BYTES_MAX),
        aliceInboundSpi: int(0, U32_MAX),
        aliceOutboundSpi: int(0, U32_MAX),
        holders: array(node, NODES.length),
      } satisfies Fields<SaRecord>,
      'an SA',
    )(value, up, key);
    // The story checks ICVs with this key: it has its algorithm's length.
    const r = value as SaRecord;
    hex(KEY_BYTES[r.alg], true)(r.keyHex, at(up, key), 'keyHex');
  };
  const owners: Check = (value, up, key) => {
    if (!isObject(value) || Object.keys(value).length > LIST_MAX)
      throw new SchemaError(at(up, key), 'an object of addresses and their owners', shown(value));
    const here = at(up, key);
    for (const [a, n] of Object.entries(value)) {
      address(a, here, a);
      node(n, here, a);
    }
  };
  return { step, packetRecord, sa, owners, address };
}

// ---------------------------------------------------------------------------------------
// The file.

const known = new Set<string>(PROPERTIES.map((p) => p.id));
const propertyId: Check = (value, up, key) => {
  if (value !== null && !(typeof value === 'string' && known.has(value)))
    throw new SchemaError(
      at(up, key),
      'a property id of hmip6 (hmip6 check --help lists them) or null for a crash',
      shown(value),
    );
};

const alice = object(
  {
    name: str(NAME_CHARS_MAX, true),
    features: array(oneOf(FEATURES), FEATURES.length),
    oracleChecks: optional(isTrue),
  },
  "the file's Alice",
);

/** A fast-check path (`12:0:3`), `regression:<transition>`, or empty (found by `hmip6 explore`). */
const path = str(TEXT_CHARS_MAX, true);

export type CounterexampleCheck = { ok: true; file: CounterexampleFile } | { ok: false; error: string; path: string };

/**
 * Checks that `value` is a counterexample file: the format first, then every field in the
 * order a file holds them, then what ties them together (step indices, the steps' count, the
 * failing step, the schedule's virtual time). Never throws; the error is one line.
 */
export function validateCounterexample(value: unknown): CounterexampleCheck {
  try {
    return { ok: true, file: checkFile(value) };
  } catch (e) {
    if (e instanceof SchemaError) return { ok: false, error: e.message, path: e.path };
    throw e;
  }
}

/** `validateCounterexample`, throwing the SchemaError. */
export function assertCounterexample(value: unknown): asserts value is CounterexampleFile {
  checkFile(value);
}

function checkFile(value: unknown): CounterexampleFile {
  if (!isObject(value)) throw new SchemaError(null, 'a counterexample file (a JSON object)', shown(value));
  const file = at(null, '');
  oneOf([COUNTEREXAMPLE_FORMAT])(value.format, file, 'format');
  const topLevel: Fields<CounterexampleFile> & { stepsMax: Optional } = {
    format: () => undefined,
    property: propertyId,
    reason: str(TEXT_CHARS_MAX),
    failingStep: () => undefined,
    seed: int(0, SEED_MAX),
    path,
    replayPath: path,
    alice,
    params,
    config,
    actions: array(action, ACTIONS_MAX),
    sas: () => undefined,
    owners: () => undefined,
    packets: () => undefined,
    steps: () => undefined,
    /** `hmip6 check --steps-max` of the run, when a writer records it (the --as-test file uses it). */
    stepsMax: optional(int(1, ACTIONS_MAX)),
  };
  // The parts that do not depend on the record first: they are what a replay runs.
  object(topLevel, 'a counterexample file')(value, null, '');
  const actions = value.actions as Action[];
  let spanMs = 0;
  for (const a of actions) spanMs += actionSpanMs(a);
  if (spanMs > SCHEDULE_MS_MAX)
    throw new SchemaError(
      at(null, 'actions'),
      `at most ${SCHEDULE_MS_MAX} ms of virtual time in all (advance, fair and lossy)`,
      `${spanMs} ms`,
    );
  int(-1, actions.length)(value.failingStep, file, 'failingStep');

  if (!Array.isArray(value.packets) || value.packets.length > LIST_MAX)
    throw new SchemaError(at(null, 'packets'), `a list of at most ${LIST_MAX}`, shown(value.packets));
  const packets = value.packets as unknown[];
  const record = recordChecks(packets.length);
  array(record.sa, LIST_MAX)(value.sas, file, 'sas');
  record.owners(value.owners, file, 'owners');
  const packetsAt = at(file, 'packets');
  for (let i = 0; i < packets.length; i++) {
    record.packetRecord(packets[i], packetsAt, i);
    // Packets are numbered by their place: the story and every event find them by id.
    if ((packets[i] as { id: number }).id !== i)
      throw new SchemaError(
        at(at(at(null, 'packets'), i), 'id'),
        `${i} (packets are numbered in order from 0)`,
        shown((packets[i] as { id: number }).id),
      );
  }
  if (!Array.isArray(value.steps) || value.steps.length > actions.length + 1)
    throw new SchemaError(
      at(null, 'steps'),
      `a list of at most ${actions.length + 1} (the setup and one step per action)`,
      shown(value.steps),
    );
  const steps = value.steps as unknown[];
  for (let i = 0; i < steps.length; i++) {
    record.step(steps[i], at(file, 'steps'), i);
    const s = steps[i] as CounterexampleStep;
    if (s.index !== i)
      throw new SchemaError(
        at(at(at(null, 'steps'), i), 'index'),
        `${i} (steps are numbered in order from 0, the setup)`,
        shown(s.index),
      );
    if ((i === 0) !== (s.action === null))
      throw new SchemaError(
        at(at(at(null, 'steps'), i), 'action'),
        i === 0 ? 'null (step 0 is the setup)' : 'an action (only step 0, the setup, has none)',
        shown(s.action),
      );
  }
  return value as unknown as CounterexampleFile;
}
