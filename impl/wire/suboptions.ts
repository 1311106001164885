// Sub-options inside BU, BA and BR (WIRE.md "Sub-options"; draft-13 §5.5; §3.1).
//
// Hot path: a `switch` on the type byte (decode) and on `kind` with a `never` default
// (encode) rather than ts-pattern, whose matcher allocates on every call.

import { bytesToAddress } from './address.js';
import {
  ALT_PREFIXES,
  ALTERNATE_COA_FIELD,
  ALTERNATE_PREFIXES_FIELD,
  SECURITY_FIELD,
  SUBOPTION_ALIGN,
  SUBOPTION_DATA_BYTES,
  SUBOPTION_TYPE,
  TLV,
  UNIQUE_ID_FIELD,
} from './constants.js';
import { Fail, readU16, readU8 } from './fail.js';
import { padTo } from './padding.js';
import { EncodeError, type SubOption } from './types.js';
import { checkBytes, checkUint, isList, type Writer } from './writer.js';

/** Bytes of each prefix in an Alternate Prefixes sub-option: 4 × (PL + 1) (WIRE.md erratum). */
export function prefixBytes(pl: number): number {
  return 4 * (pl + 1);
}

const KNOWN_SUBOPTION_TYPES: ReadonlySet<number> = new Set(Object.values(SUBOPTION_TYPE));

/**
 * Decodes the sub-options in b[start, end). Pad1 and PadN are accepted anywhere with any
 * contents and dropped; unknown types are kept in place (draft-13 §5.5).
 */
export function decodeSubOptions(b: Uint8Array, start: number, end: number): SubOption[] | Fail {
  const subs: SubOption[] = [];
  let q = start;
  while (q < end) {
    const type = readU8(b, q + TLV.offsetType);
    if (type === SUBOPTION_TYPE.pad1) {
      q++;
      continue;
    }
    if (q + TLV.headerBytes > end) return new Fail('truncated', q, `sub-option ${type} has no length byte`);
    const len = readU8(b, q + TLV.offsetLength);
    const data = q + TLV.headerBytes;
    const next = data + len;
    if (next > end)
      return new Fail('bad-length', q + TLV.offsetLength, `sub-option ${type} of length ${len} overruns its option`);
    switch (type) {
      case SUBOPTION_TYPE.padN:
        break;
      case SUBOPTION_TYPE.uniqueId:
        if (len !== SUBOPTION_DATA_BYTES.uniqueId)
          return badFixedLength(q, 'Unique Identifier', len, SUBOPTION_DATA_BYTES.uniqueId);
        subs.push({ kind: 'unique-id', id: readU16(b, q + UNIQUE_ID_FIELD.id) });
        break;
      case SUBOPTION_TYPE.alternateCoa:
        if (len !== SUBOPTION_DATA_BYTES.alternateCoa)
          return badFixedLength(q, 'Alternate Care-of Address', len, SUBOPTION_DATA_BYTES.alternateCoa);
        subs.push({ kind: 'alternate-coa', address: bytesToAddress(b, q + ALTERNATE_COA_FIELD.address) });
        break;
      case SUBOPTION_TYPE.homelessSupport:
        if (len !== SUBOPTION_DATA_BYTES.homelessSupport) return badFixedLength(q, 'Homeless Support', len, 0);
        subs.push({ kind: 'homeless-support' });
        break;
      case SUBOPTION_TYPE.alternatePrefixes: {
        const r = decodeAlternatePrefixes(b, q, len);
        if (r instanceof Fail) return r;
        subs.push(r);
        break;
      }
      case SUBOPTION_TYPE.security:
        if (len !== SUBOPTION_DATA_BYTES.security)
          return badFixedLength(q, 'Security Challenge/Response', len, SUBOPTION_DATA_BYTES.security);
        subs.push({ kind: 'security', value: b.slice(q + SECURITY_FIELD.value, next) });
        break;
      default:
        subs.push({ kind: 'unknown', type, data: b.slice(data, next) });
    }
    q = next;
  }
  return subs;
}

function badFixedLength(q: number, name: string, len: number, want: number): Fail {
  return new Fail('bad-length', q + TLV.offsetLength, `${name} sub-option length ${len}, must be ${want}`);
}

/**
 * §3.1.2 with WIRE.md's erratum: Sub-Option Length == 1 + 4 × (PL + 1) × Prefix Count.
 * A length that is not 1 plus a whole number of prefixes is `bad-length`; a whole number
 * that disagrees with Prefix Count is `malformed` (offset of the PL/count byte).
 */
function decodeAlternatePrefixes(b: Uint8Array, q: number, len: number): SubOption | Fail {
  if (len < SUBOPTION_DATA_BYTES.alternatePrefixesFixed) {
    return new Fail('bad-length', q + TLV.offsetLength, 'Alternate Prefixes sub-option without its PL/count byte');
  }
  const plCountAt = q + ALTERNATE_PREFIXES_FIELD.plCount;
  const plCount = readU8(b, plCountAt);
  const pl = (plCount >> ALT_PREFIXES.plShift) as 0 | 1 | 2 | 3;
  const count = plCount & ALT_PREFIXES.countMask;
  const size = prefixBytes(pl);
  const prefixesLength = len - SUBOPTION_DATA_BYTES.alternatePrefixesFixed;
  if (prefixesLength % size !== 0) {
    return new Fail('bad-length', q + TLV.offsetLength, `Alternate Prefixes length ${len} is not 1 + ${size} × count`);
  }
  if (prefixesLength / size !== count) {
    return new Fail(
      'malformed',
      plCountAt,
      `Alternate Prefixes count ${count} disagrees with length ${len} (PL ${pl})`,
    );
  }
  const prefixes: Uint8Array[] = new Array<Uint8Array>(count);
  let p = q + ALTERNATE_PREFIXES_FIELD.prefixes;
  for (let k = 0; k < count; k++, p += size) prefixes[k] = b.slice(p, p + size);
  return { kind: 'alternate-prefixes', pl, prefixes };
}

/**
 * Writes `subs` in list order, each Type byte at its alignment from `headerStart` (the
 * Destination Options header's first byte), padding with Pad1/PadN sub-options that count
 * in the option's length; no trailing padding (WIRE.md). `optionDataStart` is where the
 * enclosing option's data begins, for the 255-byte limit (the caller checks the final length).
 */
export function encodeSubOptions(
  w: Writer,
  headerStart: number,
  optionDataStart: number,
  subs: readonly SubOption[],
): void {
  if (!isList(subs)) throw new EncodeError('bad-value', 'subOptions: not an array');
  for (const s of subs) {
    if (w.pos - optionDataStart > TLV.dataBytesMax) {
      throw new EncodeError('too-long', `option data over ${TLV.dataBytesMax} bytes`);
    }
    switch (s.kind) {
      case 'unique-id':
        checkUint(s.id, 0xffff, 'unique-id.id');
        padTo(w, headerStart, SUBOPTION_ALIGN.uniqueId);
        w.u8(SUBOPTION_TYPE.uniqueId);
        w.u8(SUBOPTION_DATA_BYTES.uniqueId);
        w.u16(s.id);
        break;
      case 'alternate-coa':
        padTo(w, headerStart, SUBOPTION_ALIGN.alternateCoa);
        w.u8(SUBOPTION_TYPE.alternateCoa);
        w.u8(SUBOPTION_DATA_BYTES.alternateCoa);
        w.address(s.address, 'alternate-coa.address');
        break;
      case 'homeless-support':
        w.u8(SUBOPTION_TYPE.homelessSupport);
        w.u8(SUBOPTION_DATA_BYTES.homelessSupport);
        break;
      case 'alternate-prefixes': {
        checkUint(s.pl, ALT_PREFIXES.plMax, 'alternate-prefixes.pl');
        if (!isList(s.prefixes)) throw new EncodeError('bad-value', 'alternate-prefixes.prefixes: not an array');
        const size = prefixBytes(s.pl);
        const count = s.prefixes.length;
        const len = SUBOPTION_DATA_BYTES.alternatePrefixesFixed + size * count;
        if (len > TLV.dataBytesMax || count > ALT_PREFIXES.countMax) {
          throw new EncodeError(
            'too-long',
            `Alternate Prefixes of ${count} × ${size} bytes is over ${TLV.dataBytesMax} bytes`,
          );
        }
        for (const prefix of s.prefixes) {
          checkBytes(prefix, 'alternate-prefixes.prefixes[]');
          if (prefix.length !== size) {
            throw new EncodeError('bad-value', `alternate prefix of ${prefix.length} bytes, PL ${s.pl} needs ${size}`);
          }
        }
        padTo(w, headerStart, SUBOPTION_ALIGN.alternatePrefixes);
        w.u8(SUBOPTION_TYPE.alternatePrefixes);
        w.u8(len);
        w.u8((s.pl << ALT_PREFIXES.plShift) | count);
        for (const prefix of s.prefixes) w.bytes(prefix);
        break;
      }
      case 'security':
        checkBytes(s.value, 'security.value');
        if (s.value.length !== SUBOPTION_DATA_BYTES.security) {
          throw new EncodeError(
            'bad-value',
            `security value of ${s.value.length} bytes, must be ${SUBOPTION_DATA_BYTES.security}`,
          );
        }
        padTo(w, headerStart, SUBOPTION_ALIGN.security);
        w.u8(SUBOPTION_TYPE.security);
        w.u8(SUBOPTION_DATA_BYTES.security);
        w.bytes(s.value);
        break;
      case 'unknown':
        checkUint(s.type, 0xff, 'unknown sub-option type');
        if (KNOWN_SUBOPTION_TYPES.has(s.type)) {
          throw new EncodeError(
            'bad-value',
            `unknown sub-option with the known type ${s.type} would not decode as unknown`,
          );
        }
        checkBytes(s.data, 'unknown sub-option data');
        if (s.data.length > TLV.dataBytesMax)
          throw new EncodeError('too-long', `sub-option data of ${s.data.length} bytes`);
        w.u8(s.type);
        w.u8(s.data.length);
        w.bytes(s.data);
        break;
      default:
        throw unknownKind(s);
    }
  }
}

function unknownKind(s: never): EncodeError {
  return new EncodeError('bad-value', `unknown sub-option kind ${JSON.stringify((s as { kind?: unknown }).kind)}`);
}
