// Destination options (RFC 2460 §4.2, §4.6) carrying draft-13's HAO, BU, BA and BR
// (WIRE.md "Mobile IPv6 draft-13 destination options").
//
// Hot path: `switch` with a `never` default instead of ts-pattern, whose matcher allocates
// on every call; the compiler still checks that every kind is handled.

import { bytesToAddress } from './address.js';
import {
  BA_FIELD,
  BR_FIELD,
  BU_FIELD,
  BU_FLAG,
  EXT,
  HAO_FIELD,
  OPTION_ALIGN,
  OPTION_DATA_BYTES,
  OPTION_TYPE,
  TLV,
  type Alignment,
} from './constants.js';
import { Fail, readU16, readU32, readU8 } from './fail.js';
import { paddingBytes, writePadding } from './padding.js';
import { decodeSubOptions, encodeSubOptions } from './suboptions.js';
import { EncodeError, type BuFlags, type DestOption, type PacketLayout } from './types.js';
import { checkBytes, checkUint, isList, type Writer } from './writer.js';

export type OptionAction = 'skip' | 'discard' | 'discard-icmp' | 'discard-icmp-unless-multicast';

/** The two high bits of an option type: what a node that does not know it does (RFC 2460 §4.2). */
export function optionAction(type: number): OptionAction {
  switch ((type >> 6) & 3) {
    case 0:
      return 'skip';
    case 1:
      return 'discard';
    case 2:
      return 'discard-icmp';
    default:
      return 'discard-icmp-unless-multicast';
  }
}

/** The C bit (0x20): the option's data may change en route, so the ICV covers it zeroed (RFC 2402 §3.3.3.1.2). */
export function optionMayChange(type: number): boolean {
  return (type & 0x20) !== 0;
}

const KNOWN_OPTION_TYPES: ReadonlySet<number> = new Set(Object.values(OPTION_TYPE));

/**
 * Decodes the options in b[start, end) (the Destination Options header after its first two
 * bytes) and records every option's span, padding included, and the data of C-bit options in
 * `layout`. Padding is accepted anywhere with any contents; options may come in any order; at
 * most one HAO and one BR (WIRE.md).
 */
export function decodeOptions(b: Uint8Array, start: number, end: number, layout: PacketLayout): DestOption[] | Fail {
  const options: DestOption[] = [];
  let sawHao = false;
  let sawBr = false;
  let p = start;
  while (p < end) {
    const type = readU8(b, p + TLV.offsetType);
    if (type === OPTION_TYPE.pad1) {
      layout.options.push({ type, offset: p, length: 1 });
      p++;
      continue;
    }
    if (p + TLV.headerBytes > end) return new Fail('truncated', p, `option ${type} has no length byte`);
    const len = readU8(b, p + TLV.offsetLength);
    const data = p + TLV.headerBytes;
    const next = data + len;
    if (next > end)
      return new Fail('bad-length', p + TLV.offsetLength, `option ${type} of length ${len} overruns its header`);
    layout.options.push({ type, offset: p, length: next - p });
    if (optionMayChange(type)) layout.mutableOptionData.push([data, next]);
    switch (type) {
      case OPTION_TYPE.padN:
        break;
      case OPTION_TYPE.hao:
        if (len !== OPTION_DATA_BYTES.hao)
          return new Fail('bad-length', p + HAO_FIELD.length, `Home Address option length ${len}, must be 16`);
        if (sawHao) return new Fail('malformed', p, 'second Home Address option');
        sawHao = true;
        options.push({ kind: 'hao', homeAddress: bytesToAddress(b, p + HAO_FIELD.homeAddress) });
        break;
      case OPTION_TYPE.bu: {
        if (len < OPTION_DATA_BYTES.buFixed)
          return new Fail('bad-length', p + BU_FIELD.length, `Binding Update length ${len}, at least 8`);
        const subs = decodeSubOptions(b, p + BU_FIELD.subOptions, next);
        if (subs instanceof Fail) return subs;
        options.push({
          kind: 'bu',
          flags: decodeBuFlags(readU8(b, p + BU_FIELD.flags)),
          prefixLength: readU8(b, p + BU_FIELD.prefixLength),
          sequence: readU16(b, p + BU_FIELD.sequence),
          lifetimeSeconds: readU32(b, p + BU_FIELD.lifetimeSeconds),
          subOptions: subs,
        });
        break;
      }
      case OPTION_TYPE.ba: {
        if (len < OPTION_DATA_BYTES.baFixed)
          return new Fail('bad-length', p + BA_FIELD.length, `Binding Acknowledgement length ${len}, at least 11`);
        const subs = decodeSubOptions(b, p + BA_FIELD.subOptions, next);
        if (subs instanceof Fail) return subs;
        options.push({
          kind: 'ba',
          status: readU8(b, p + BA_FIELD.status),
          sequence: readU16(b, p + BA_FIELD.sequence),
          lifetimeSeconds: readU32(b, p + BA_FIELD.lifetimeSeconds),
          refreshSeconds: readU32(b, p + BA_FIELD.refreshSeconds),
          subOptions: subs,
        });
        break;
      }
      case OPTION_TYPE.br: {
        if (sawBr) return new Fail('malformed', p, 'second Binding Request option');
        sawBr = true;
        const subs = decodeSubOptions(b, p + BR_FIELD.subOptions, next);
        if (subs instanceof Fail) return subs;
        options.push({ kind: 'br', subOptions: subs });
        break;
      }
      default:
        options.push({ kind: 'unknown', type, data: b.slice(data, next) });
    }
    p = next;
  }
  return options;
}

/** The reserved low 4 bits are ignored on receipt (WIRE.md). */
function decodeBuFlags(f: number): BuFlags {
  return {
    ack: (f & BU_FLAG.ack) !== 0,
    home: (f & BU_FLAG.home) !== 0,
    router: (f & BU_FLAG.router) !== 0,
    dad: (f & BU_FLAG.dad) !== 0,
  };
}

function encodeBuFlags(flags: BuFlags): number {
  if (flags === null || typeof flags !== 'object') throw new EncodeError('bad-value', 'bu.flags: not an object');
  return (
    (flags.ack ? BU_FLAG.ack : 0) |
    (flags.home ? BU_FLAG.home : 0) |
    (flags.router ? BU_FLAG.router : 0) |
    (flags.dad ? BU_FLAG.dad : 0)
  );
}

/**
 * Writes a whole Destination Options header: options in list order, each Type byte at its
 * `xn+y` from the header's first byte, gaps and the tail (to a multiple of 8) filled
 * minimally (WIRE.md "Canonical encoding"). Records every option's span, padding included,
 * the header's length and C-bit option data in `layout`.
 */
export function encodeDestOptionsHeader(
  w: Writer,
  nextHeader: number,
  options: readonly DestOption[],
  layout: PacketLayout,
): void {
  if (!isList(options)) throw new EncodeError('bad-value', 'destOptions: not an array');
  if (options.length === 0) {
    // WIRE.md: no empty Destination Options header is sent. Omit `destOptions` instead.
    throw new EncodeError('bad-value', 'destOptions is empty: leave it undefined for no header');
  }
  const hs = w.pos;
  w.u8(nextHeader);
  w.u8(0); // Hdr Ext Len, written below
  let sawHao = false;
  let sawBr = false;
  for (const o of options) {
    if (w.pos - hs > EXT.bytesMax)
      throw new EncodeError('too-long', `Destination Options header over ${EXT.bytesMax} bytes`);
    switch (o.kind) {
      case 'hao': {
        if (sawHao) throw new EncodeError('bad-value', 'two Home Address options');
        sawHao = true;
        padOptionsTo(w, hs, OPTION_ALIGN.hao, layout);
        const at = w.pos;
        w.u8(OPTION_TYPE.hao);
        w.u8(OPTION_DATA_BYTES.hao);
        w.address(o.homeAddress, 'hao.homeAddress');
        recordOption(w, OPTION_TYPE.hao, at, layout);
        break;
      }
      case 'bu': {
        const flags = encodeBuFlags(o.flags);
        checkUint(o.prefixLength, 0xff, 'bu.prefixLength');
        checkUint(o.sequence, 0xffff, 'bu.sequence');
        checkUint(o.lifetimeSeconds, 0xffffffff, 'bu.lifetimeSeconds');
        padOptionsTo(w, hs, OPTION_ALIGN.bu, layout);
        const at = w.pos;
        w.u8(OPTION_TYPE.bu);
        w.u8(0); // Length, written by finishLength
        w.u8(flags);
        w.u8(o.prefixLength);
        w.u16(o.sequence);
        w.u32(o.lifetimeSeconds);
        encodeSubOptions(w, hs, at + TLV.headerBytes, o.subOptions);
        finishLength(w, at + BU_FIELD.length, 'Binding Update');
        recordOption(w, OPTION_TYPE.bu, at, layout);
        break;
      }
      case 'ba': {
        checkUint(o.status, 0xff, 'ba.status');
        checkUint(o.sequence, 0xffff, 'ba.sequence');
        checkUint(o.lifetimeSeconds, 0xffffffff, 'ba.lifetimeSeconds');
        checkUint(o.refreshSeconds, 0xffffffff, 'ba.refreshSeconds');
        padOptionsTo(w, hs, OPTION_ALIGN.ba, layout);
        const at = w.pos;
        w.u8(OPTION_TYPE.ba);
        w.u8(0); // Length, written by finishLength
        w.u8(o.status);
        w.u16(o.sequence);
        w.u32(o.lifetimeSeconds);
        w.u32(o.refreshSeconds);
        encodeSubOptions(w, hs, at + TLV.headerBytes, o.subOptions);
        finishLength(w, at + BA_FIELD.length, 'Binding Acknowledgement');
        recordOption(w, OPTION_TYPE.ba, at, layout);
        break;
      }
      case 'br': {
        if (sawBr) throw new EncodeError('bad-value', 'two Binding Request options');
        sawBr = true;
        const at = w.pos;
        w.u8(OPTION_TYPE.br);
        w.u8(0); // Length, written by finishLength
        encodeSubOptions(w, hs, at + TLV.headerBytes, o.subOptions);
        finishLength(w, at + BR_FIELD.length, 'Binding Request');
        recordOption(w, OPTION_TYPE.br, at, layout);
        break;
      }
      case 'unknown': {
        checkUint(o.type, 0xff, 'unknown option type');
        if (KNOWN_OPTION_TYPES.has(o.type)) {
          throw new EncodeError(
            'bad-value',
            `unknown option with the known type ${o.type} would not decode as unknown`,
          );
        }
        checkBytes(o.data, 'unknown option data');
        if (o.data.length > TLV.dataBytesMax)
          throw new EncodeError('too-long', `option data of ${o.data.length} bytes`);
        const at = w.pos;
        w.u8(o.type);
        w.u8(o.data.length);
        if (optionMayChange(o.type)) layout.mutableOptionData.push([w.pos, w.pos + o.data.length]);
        w.bytes(o.data);
        recordOption(w, o.type, at, layout);
        break;
      }
      default:
        throw unknownKind(o);
    }
  }
  padOptions(w, paddingBytes(w.pos - hs, { x: EXT.unitBytes, y: 0 }), layout);
  const length = w.pos - hs;
  if (length > EXT.bytesMax) throw new EncodeError('too-long', `Destination Options header of ${length} bytes`);
  w.buf[hs + EXT.offsetHdrExtLen] = length / EXT.unitBytes - 1;
  layout.destOptionsLength = length;
}

/** Records the option of `type` whose Type byte the writer wrote at `at` and whose last byte it just wrote. */
function recordOption(w: Writer, type: number, at: number, layout: PacketLayout): void {
  layout.options.push({ type, offset: at, length: w.pos - at });
}

/** Minimal padding before an option (one Pad1 or one PadN option), recorded in `layout`. */
function padOptions(w: Writer, n: number, layout: PacketLayout): void {
  if (n === 0) return;
  layout.options.push({ type: n === 1 ? OPTION_TYPE.pad1 : OPTION_TYPE.padN, offset: w.pos, length: n });
  writePadding(w, n);
}

/** Pads so that the next Type byte sits at `align` from `headerStart`. */
function padOptionsTo(w: Writer, headerStart: number, align: Alignment, layout: PacketLayout): void {
  padOptions(w, paddingBytes(w.pos - headerStart, align), layout);
}

function finishLength(w: Writer, lenAt: number, name: string): void {
  const len = w.pos - (lenAt + 1);
  if (len > TLV.dataBytesMax)
    throw new EncodeError('too-long', `${name} option data of ${len} bytes (max ${TLV.dataBytesMax})`);
  w.buf[lenAt] = len;
}

function unknownKind(o: never): EncodeError {
  return new EncodeError('bad-value', `unknown option kind ${JSON.stringify((o as { kind?: unknown }).kind)}`);
}
