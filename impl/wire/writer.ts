// The encoder's output buffer. Every byte of an encoded packet is written explicitly
// (padding and reserved fields as zeros), so the reused scratch buffer never leaks stale
// bytes into a packet.

import { parseAddressInto } from './address.js';
import { ADDRESS_BYTES, IPV6 } from './constants.js';
import { EncodeError, type Address } from './types.js';

/**
 * Room for the largest IPv6 packet without jumbograms, plus headroom for the few hundred
 * bytes an over-long option may run past its limit before the encoder notices and throws.
 */
const SCRATCH_BYTES = IPV6.headerBytes + IPV6.payloadBytesMax + 8192;

export class Writer {
  pos = 0;
  readonly buf: Uint8Array;

  constructor(buf: Uint8Array) {
    this.buf = buf;
  }

  u8(v: number): void {
    this.buf[this.pos++] = v;
  }

  u16(v: number): void {
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 8;
    b[p + 1] = v & 0xff;
    this.pos = p + 2;
  }

  u32(v: number): void {
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 24;
    b[p + 1] = (v >>> 16) & 0xff;
    b[p + 2] = (v >>> 8) & 0xff;
    b[p + 3] = v & 0xff;
    this.pos = p + 4;
  }

  bytes(src: Uint8Array): void {
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  zeros(n: number): void {
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
  }

  address(a: Address, field: string): void {
    if (typeof a !== 'string' || !parseAddressInto(a, this.buf, this.pos)) {
      throw new EncodeError('bad-value', `${field}: not an IPv6 address: ${JSON.stringify(a)}`);
    }
    this.pos += ADDRESS_BYTES;
  }
}

let scratch: Uint8Array | null = null;

/** A writer over the module's scratch buffer (encoding is synchronous and not reentrant). */
export function scratchWriter(): Writer {
  if (scratch === null) scratch = new Uint8Array(SCRATCH_BYTES);
  return new Writer(scratch);
}

/** Throws EncodeError('bad-value') unless `v` is an integer in [0, max]. */
export function checkUint(v: number, max: number, field: string): void {
  if (!(Number.isInteger(v) && v >= 0 && v <= max)) {
    throw new EncodeError('bad-value', `${field}: ${String(v)} is not an integer in 0..${max}`);
  }
}

export function checkBytes(v: Uint8Array, field: string): void {
  if (!(v instanceof Uint8Array)) throw new EncodeError('bad-value', `${field}: not a Uint8Array`);
}

/** Array check that does not narrow a readonly array's elements to `any` (as Array.isArray does). */
export function isList(v: unknown): boolean {
  return Array.isArray(v);
}
