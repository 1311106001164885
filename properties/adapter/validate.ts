// Checks every answer of an implementation under test against ADAPTER-PROTOCOL.md and turns
// it into the `Host` interface's types (impl/host/types.ts). A field of the wrong shape is a
// protocol error (verdict `error`), never something the world guesses around.
//
// How strict, and why:
//   - `sent` must be an array of hex strings (either case, an even number of digits, WIRE.md).
//     Bytes that do not decode as a packet are still handed to the world, which drops them
//     like a network would: whether Alice may send them is the properties' business.
//   - `delivered` items must have exactly the protocol's types; `sport`/`dport` are optional.
//   - `unreachable` appears only when true (HOST.md rule 24): `false` is refused.
//   - `state` must have the protocol's shape; addresses are accepted in any IPv6 text form
//     and normalised to RFC 5952, since the properties compare them as text.
//   - Fields the protocol does not name are ignored (additions are allowed).

import {
  PEER_KINDS,
  PORT_MAX,
  type AddressState,
  type AddressStatus,
  type Delivered,
  type EntryState,
  type HostState,
  type LifetimeKind,
  type SaKind,
} from '../../impl/host/index.js';
import { fromHex, normalizeAddress } from '../../impl/wire/index.js';
import { memoized } from '../memo.js';

const STATUSES: readonly AddressStatus[] = ['tentative', 'active', 'deprecated'];
const LIFETIME_KINDS: readonly LifetimeKind[] = ['activity', 'absolute'];
const SA_KINDS: readonly SaKind[] = ['generic', 'anonymous'];

/** A field of the wrong shape: `path` names it (`delivered[0].payload`). */
export class ShapeError extends Error {
  constructor(
    readonly path: string,
    what: string,
  ) {
    super(`${path} ${what}`);
    this.name = 'ShapeError';
  }
}

/** A JSON object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function object(v: unknown, path: string): Record<string, unknown> {
  if (!isObject(v)) throw new ShapeError(path, 'must be an object');
  return v;
}

function array(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new ShapeError(path, 'must be an array');
  return v;
}

function hexBytes(v: unknown, path: string): Uint8Array {
  const bytes = typeof v === 'string' ? fromHex(v) : null;
  if (bytes === null) throw new ShapeError(path, 'must be a hex string (an even number of hex digits)');
  return bytes;
}

/** Texts normalised, at most this many kept (they are cleared when full). */
const ADDRESS_MEMO_MAX = 4096;

/**
 * `normalizeAddress`, remembered: it is a pure function of the text, and an IUT names the same
 * few addresses in every `state` it sends (after every call), where parsing them anew was most
 * of the time the oracle spends on an answer.
 */
const normalized = memoized(normalizeAddress, ADDRESS_MEMO_MAX);

function address(v: unknown, path: string): string {
  const a = typeof v === 'string' ? normalized(v) : null;
  if (a === null) throw new ShapeError(path, 'must be an IPv6 address');
  return a;
}

function nullableAddress(v: unknown, path: string): string | null {
  return v === null ? null : address(v, path);
}

function integer(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
    throw new ShapeError(path, `must be an integer in ${min}..${max}`);
  return v;
}

function boolean(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new ShapeError(path, 'must be true or false');
  return v;
}

function oneOf<T extends string>(v: unknown, path: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    throw new ShapeError(path, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  return v as T;
}

/** `sent`: the packets Alice transmits, in order. */
export function parseSent(fields: Record<string, unknown>): Uint8Array[] {
  return array(fields.sent, 'sent').map((p, i) => hexBytes(p, `sent[${i}]`));
}

/** `delivered`: upper-layer data handed to Alice's applications. */
export function parseDelivered(fields: Record<string, unknown>): Delivered[] {
  return array(fields.delivered, 'delivered').map((item, i) => {
    const path = `delivered[${i}]`;
    const d = object(item, path);
    if (d.entry !== null && typeof d.entry !== 'string')
      throw new ShapeError(`${path}.entry`, 'must be a string or null');
    const out: Delivered = {
      entry: d.entry,
      proto: oneOf(d.proto, `${path}.proto`, ['udp', 'icmp'] as const),
      payload: hexBytes(d.payload, `${path}.payload`),
      authenticated: boolean(d.authenticated, `${path}.authenticated`),
    };
    if (d.sport !== undefined) out.sport = integer(d.sport, `${path}.sport`, 0, PORT_MAX);
    if (d.dport !== undefined) out.dport = integer(d.dport, `${path}.dport`, 0, PORT_MAX);
    return out;
  });
}

/** `unreachable`: present only when true (HOST.md rule 24). */
export function parseUnreachable(fields: Record<string, unknown>): boolean {
  if (fields.unreachable === undefined) return false;
  if (fields.unreachable !== true)
    throw new ShapeError('unreachable', 'appears only when true (docs/rules.md rule 24)');
  return true;
}

function parseAddressState(v: unknown, path: string): AddressState {
  const a = object(v, path);
  const lifetime = object(a.lifetime, `${path}.lifetime`);
  return {
    address: address(a.address, `${path}.address`),
    status: oneOf(a.status, `${path}.status`, STATUSES),
    lifetime: {
      kind: oneOf(lifetime.kind, `${path}.lifetime.kind`, LIFETIME_KINDS),
      expiresAt: integer(
        lifetime.expiresAt,
        `${path}.lifetime.expiresAt`,
        Number.MIN_SAFE_INTEGER,
        Number.MAX_SAFE_INTEGER,
      ),
    },
    challengeOutstanding: boolean(a.challengeOutstanding, `${path}.challengeOutstanding`),
  };
}

function parseEntry(v: unknown, path: string): EntryState {
  const e = object(v, path);
  if (typeof e.id !== 'string') throw new ShapeError(`${path}.id`, 'must be a string');
  let sa: EntryState['sa'] = null;
  if (e.sa !== null) {
    const s = object(e.sa, `${path}.sa`);
    sa = {
      inboundSpi: integer(s.inboundSpi, `${path}.sa.inboundSpi`, 0, 0xffffffff),
      kind: oneOf(s.kind, `${path}.sa.kind`, SA_KINDS),
    };
  }
  return {
    id: e.id,
    peerKind: oneOf(e.peerKind, `${path}.peerKind`, PEER_KINDS),
    sa,
    addresses: array(e.addresses, `${path}.addresses`).map((a, i) => parseAddressState(a, `${path}.addresses[${i}]`)),
    homeAddress: nullableAddress(e.homeAddress, `${path}.homeAddress`),
    careOfAddress: nullableAddress(e.careOfAddress, `${path}.careOfAddress`),
  };
}

/** `state` (feature `state`, ADAPTER-PROTOCOL.md "Observable state"). */
export function parseState(fields: Record<string, unknown>): HostState {
  const s = object(fields.state, 'state');
  return {
    entries: array(s.entries, 'state.entries').map((e, i) => parseEntry(e, `state.entries[${i}]`)),
    local: array(s.local, 'state.local').map((a, i) => address(a, `state.local[${i}]`)),
  };
}

/** Characters of an answer quoted in a message. */
const PREVIEW_CHARS = 160;

/** A line (or any text) quoted in a message: JSON-escaped, so it stays on one line, and cut short. */
export function preview(text: string): string {
  return JSON.stringify(text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text);
}

/**
 * Any JSON value the IUT sent, as a message shows it. Neither String() (an object whose
 * `toString` is data throws) nor JSON.stringify (an array nested 100 000 deep overflows the
 * stack) is safe on what a line may hold.
 */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}

/** One answer of the IUT, framing checked (`id`, `ok`, `error`): the rest is the caller's to check. */
export type RawAnswer =
  | { ok: true; fields: Record<string, unknown> }
  | { ok: false; error: string; unsupported: boolean; fields: Record<string, unknown> };

/** Why an answer line is not an answer to the request: the protocol failure it is. */
export interface FramingFailure {
  kind: 'garbage' | 'flood' | 'wrong-id' | 'invalid-answer';
  message: string;
}

/**
 * Checks an answer line's framing (ADAPTER-PROTOCOL.md): one JSON object, the request's `id`,
 * `ok` a boolean, `error` a string when `ok` is false. `request` names the request waiting for
 * it, as messages show it. Never throws, whatever the line holds: every line is an answer or a
 * failure of one kind.
 */
export function frameAnswer(
  line: string,
  requestId: number | null,
  request: string,
): { ok: true; answer: RawAnswer } | { ok: false; failure: FramingFailure } {
  const fail = (kind: FramingFailure['kind'], message: string) => ({ ok: false as const, failure: { kind, message } });
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return fail('garbage', `answered with a line that is not JSON: ${preview(line)}`);
  }
  if (!isObject(parsed)) return fail('garbage', `answered with JSON that is not an object: ${preview(line)}`);
  if (typeof parsed.id === 'number' && requestId !== null && parsed.id < requestId) {
    // An earlier request was answered already: this is one line too many for it.
    return fail(
      'flood',
      `wrote another line for the earlier request ${parsed.id} while ${request} waited for its answer (the protocol allows exactly one line per request): ${preview(line)}`,
    );
  }
  if (parsed.id !== requestId) {
    const error = typeof parsed.error === 'string' ? parsed.error : shown(parsed.error);
    const why = parsed.id === null && parsed.ok === false ? ` (it could not read the request: ${preview(error)})` : '';
    return fail('wrong-id', `answered with id ${shown(parsed.id)} instead of ${requestId}${why}: ${preview(line)}`);
  }
  if (typeof parsed.ok !== 'boolean') return fail('invalid-answer', `"ok" must be true or false: ${preview(line)}`);
  const { id, ok, ...fields } = parsed;
  void id;
  if (ok) return { ok: true, answer: { ok: true, fields } };
  if (typeof fields.error !== 'string')
    return fail('invalid-answer', `an answer with "ok": false must carry "error" (a string): ${preview(line)}`);
  return { ok: true, answer: { ok: false, error: fields.error, unsupported: fields.unsupported === true, fields } };
}

/** `hello`'s answer. */
export function parseHello(fields: Record<string, unknown>): { name: string; version: string; features: string[] } {
  if (typeof fields.name !== 'string') throw new ShapeError('name', 'must be a string');
  if (typeof fields.version !== 'string') throw new ShapeError('version', 'must be a string');
  const features = array(fields.features, 'features').map((f, i) => {
    if (typeof f !== 'string') throw new ShapeError(`features[${i}]`, 'must be a string');
    return f;
  });
  return { name: fields.name, version: fields.version, features };
}
