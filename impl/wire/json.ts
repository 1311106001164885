// Packets as JSON: the typed representation with every byte string as lowercase hex. Used by
// golden vectors and counterexample files, so that a person can read a packet field by field.

import { fromHex, toHex } from './hex.js';
import type { Packet } from './types.js';

/** Every field of `Packet` that holds bytes (at any depth), by property name. */
const BYTE_FIELDS = new Set(['payload', 'data', 'value', 'authData', 'invoking', 'body']);
/** Fields that hold an array of byte strings. */
const BYTE_ARRAY_FIELDS = new Set(['prefixes']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function toJsonValue(key: string, value: unknown): Json {
  if (value instanceof Uint8Array) return toHex(value);
  if (Array.isArray(value)) return value.map((v) => toJsonValue(key, v));
  if (value !== null && typeof value === 'object') {
    const out: { [k: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJsonValue(k, v);
    return out;
  }
  return value as Json;
}

/** The packet as plain JSON data: byte strings become hex. */
export function packetToJson(packet: Packet): Json {
  return toJsonValue('', packet);
}

function fromJsonValue(key: string, value: Json, path: string): unknown {
  if (BYTE_FIELDS.has(key) && typeof value === 'string') {
    const bytes = fromHex(value);
    if (bytes === null) throw new Error(`${path}: not hex`);
    return bytes;
  }
  if (BYTE_ARRAY_FIELDS.has(key) && Array.isArray(value)) {
    return value.map((v, i) => fromJsonValue('data', v, `${path}[${i}]`));
  }
  if (Array.isArray(value)) return value.map((v, i) => fromJsonValue('', v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = fromJsonValue(k, v, `${path}.${k}`);
    return out;
  }
  return value;
}

/**
 * The inverse of `packetToJson`. It converts the byte fields back and trusts the shape
 * otherwise: feed its result to `encodePacket`, which checks every value.
 * Throws an Error naming the field on bad hex.
 */
export function packetFromJson(json: Json): Packet {
  return fromJsonValue('', json, 'packet') as Packet;
}

export type { Json };
