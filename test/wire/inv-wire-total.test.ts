// INV-WIRE-TOTAL (DESIGN.md): the decoder takes any bytes without throwing, and the codec
// round-trips: decode(encode(p)) equals p, encode(decode(b)) equals b for canonical b, and
// every length field of an encoded packet agrees with its bytes.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodePacket,
  encodePacket,
  encodePacketWithLayout,
  EncodeError,
  type DecodeErrorCode,
  type DecodeResult,
} from '../../impl/wire/index.js';
import { packetArbitrary } from '../../properties/arbitraries/packet.js';
import { fcParams } from './fc-config.js';
import { sameData } from './helpers.js';

const ERROR_CODES = new Set<DecodeErrorCode>([
  'truncated',
  'bad-version',
  'bad-length',
  'malformed',
  'unsupported-header',
  'header-order',
  'bad-checksum',
]);

/** Inputs handed to decodePacket by the never-throws properties; the suite asserts at least 10^5. */
let decodedInputs = 0;
/** How often each outcome came up, to show the inputs reach every check. */
const outcomes = new Map<string, number>();
const DECODED_INPUTS_MIN = 100_000;

/**
 * Decodes `bytes` and checks the answer's shape. A packet that decodes must re-encode, unless
 * canonical padding makes an option or header too long (`too-long`, never `bad-value`), and
 * its re-encoding must decode to the same packet.
 */
function decodeChecked(bytes: Uint8Array): DecodeResult {
  decodedInputs++;
  const d = decodePacket(bytes);
  const outcome = d.ok ? 'ok' : d.error.code;
  outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  // Plain checks, not expect(): this runs 10^5 times and expect() would dominate the time.
  if (!d.ok) {
    const { code, offset } = d.error;
    if (!ERROR_CODES.has(code) || !(offset >= 0 && offset <= bytes.length))
      throw new Error(`bad error ${JSON.stringify(d.error)}`);
    return d;
  }
  if (d.layout.length !== bytes.length) throw new Error('layout.length differs from the packet length');
  let again: Uint8Array;
  try {
    again = encodePacket(d.packet);
  } catch (e) {
    if (e instanceof EncodeError && e.code === 'too-long') return d;
    throw e;
  }
  const d2 = decodePacket(again);
  if (!d2.ok || !sameData(d2.packet, d.packet)) throw new Error('a decoded packet does not survive re-encoding');
  return d;
}

function withPayloadLength(b: Uint8Array): Uint8Array {
  if (b.length >= 40) {
    const pl = Math.min(b.length - 40, 0xffff);
    b[4] = pl >> 8;
    b[5] = pl & 0xff;
  }
  return b;
}

const INTERESTING_NEXT_HEADERS = [0, 6, 17, 43, 44, 50, 51, 58, 59, 60, 135];

describe('INV-WIRE-TOTAL', () => {
  it('decode_never_throws_on_arbitrary_bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        decodeChecked(b);
      }),
      fcParams(15_000),
    );
  });

  it('decode_never_throws_on_arbitrary_bytes_behind_a_plausible_ipv6_header', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...INTERESTING_NEXT_HEADERS),
        fc.uint8Array({ minLength: 40, maxLength: 240 }),
        (nh, b) => {
          b[0] = 0x60 | (b[0] & 0x0f);
          b[6] = nh;
          decodeChecked(withPayloadLength(b));
        },
      ),
      fcParams(15_000),
    );
  });

  it('decode_never_throws_on_bit_flipped_truncated_extended_and_overwritten_valid_packets', () => {
    fc.assert(
      fc.property(packetArbitrary(), fc.array(fc.nat(), { minLength: 48, maxLength: 48 }), (p, r) => {
        const valid = encodePacket(p);
        const n = valid.length;
        // 20 single-bit flips anywhere.
        for (let i = 0; i < 20; i++) {
          const b = valid.slice();
          const bit = r[i] % (8 * n);
          b[bit >> 3] ^= 1 << (bit & 7);
          decodeChecked(b);
        }
        // 8 byte overwrites past the IPv6 header (where the options are), Payload Length kept.
        for (let i = 20; i < 28; i++) {
          const b = valid.slice();
          b[40 + (r[i] % Math.max(1, n - 40))] = r[i] >> 8;
          decodeChecked(b);
        }
        // 10 truncations, half with Payload Length fixed up so the decoder goes deeper.
        for (let i = 28; i < 38; i++) {
          const b = valid.slice(0, r[i] % n);
          decodeChecked(i % 2 === 0 ? withPayloadLength(b) : b);
        }
        // 10 extensions by 1..16 bytes, half with Payload Length fixed up.
        for (let i = 38; i < 48; i++) {
          const extra = 1 + (r[i] % 16);
          const b = new Uint8Array(n + extra);
          b.set(valid);
          for (let k = 0; k < extra; k++) b[n + k] = (r[i] >> k) & 0xff;
          decodeChecked(i % 2 === 0 ? withPayloadLength(b) : b);
        }
      }),
      fcParams(1_500),
    );
  });

  it('the_never_throws_properties_decoded_at_least_100000_inputs', () => {
    // Counts the inputs of the three properties above (run in file order), and checks they
    // reached every error code and decoded successfully too.
    expect(decodedInputs).toBeGreaterThanOrEqual(DECODED_INPUTS_MIN);
    for (const outcome of ['ok', ...ERROR_CODES]) expect(outcomes.get(outcome) ?? 0, outcome).toBeGreaterThan(0);
  });

  it('decode_of_encode_is_the_packet_and_encode_of_decode_is_the_bytes', () => {
    fc.assert(
      fc.property(packetArbitrary(), (p) => {
        const { bytes, layout } = encodePacketWithLayout(p);
        const d = decodePacket(bytes);
        expect(d.ok).toBe(true);
        if (!d.ok) return;
        // sameData first: expect() only on a mismatch, for its diff (expect costs more than the codec).
        if (!sameData(d.packet, p)) expect(d.packet).toStrictEqual(p);
        if (!sameData(d.layout, layout)) expect(d.layout).toEqual(layout);
        const again = encodePacket(d.packet);
        if (!sameData(again, bytes)) expect(again).toEqual(bytes);
      }),
      fcParams(5_000),
    );
  });

  it('every_length_field_agrees_with_the_bytes_and_padding_is_canonical', () => {
    fc.assert(
      fc.property(packetArbitrary(), (p) => {
        checkLengthFields(encodePacket(p));
      }),
      fcParams(5_000),
    );
  });
});

describe('the length and padding walker', () => {
  it('rejects_non_canonical_padding_and_wrong_lengths', () => {
    const canonical = encodePacket({
      ipv6: { trafficClass: 0, flowLabel: 0, hopLimit: 64, source: '2001:db8::1', destination: '2001:db8::2' },
      destOptions: [{ kind: 'hao', homeAddress: '2001:db8::1' }],
      upper: { kind: 'none' },
    });
    expect(() => checkLengthFields(canonical)).not.toThrow();
    const padNotZero = canonical.slice();
    padNotZero[44] = 1; // PadN data before the HAO
    expect(() => checkLengthFields(padNotZero)).toThrow(/PadN/);
    const pad1s = canonical.slice();
    pad1s.set([0, 0, 0, 0], 42); // four Pad1 instead of one PadN
    expect(() => checkLengthFields(pad1s)).toThrow(/split/);
    const badPayloadLength = canonical.slice();
    badPayloadLength[5] += 8;
    expect(() => checkLengthFields(badPayloadLength)).toThrow(/Payload Length/);
  });
});

// An independent walk over an encoded packet, by its length fields alone.

const OPTION_ALIGNMENT: Record<number, [number, number]> = { 0xc9: [8, 6], 0xc6: [4, 2], 0x07: [4, 3] };
const SUBOPTION_ALIGNMENT: Record<number, [number, number]> = { 2: [2, 0], 4: [8, 6], 129: [4, 1], 130: [4, 2] };
const SUBOPTION_FIXED: Record<number, number> = { 0xc6: 8, 0x07: 11, 0x08: 0 };

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`length/padding check failed: ${what}`);
}

function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

/**
 * Walks TLVs in b[start, end) and checks they tile it exactly, that each padding run is one
 * Pad1 or one zero-filled PadN shorter than the next item's alignment (none before an item
 * without alignment), and that aligned Type bytes sit at `xn+y` from `headerStart`.
 */
function walkTlvs(
  b: Uint8Array,
  start: number,
  end: number,
  headerStart: number,
  alignment: Record<number, [number, number]>,
  trailingPadMax: number,
  onItem: (type: number, dataStart: number, dataEnd: number) => void,
): void {
  let q = start;
  let padRun = 0;
  let padItems = 0;
  while (q < end) {
    const type = b[q];
    if (type === 0) {
      padRun += 1;
      padItems += 1;
      q += 1;
      continue;
    }
    check(q + 2 <= end, 'TLV header overruns');
    const len = b[q + 1];
    check(q + 2 + len <= end, 'TLV data overruns');
    if (type === 1) {
      check(
        b.subarray(q + 2, q + 2 + len).every((x) => x === 0),
        'PadN data not zero',
      );
      padRun += 2 + len;
      padItems += 1;
      q += 2 + len;
      continue;
    }
    const a = alignment[type] ?? [1, 0];
    check((q - headerStart) % a[0] === a[1], `type ${type} not at ${a[0]}n+${a[1]}`);
    check(padRun < a[0], `padding of ${padRun} before type ${type} is not minimal`);
    check(padItems <= 1, 'padding split over several items');
    onItem(type, q + 2, q + 2 + len);
    padRun = 0;
    padItems = 0;
    q += 2 + len;
  }
  check(q === end, 'TLVs do not tile their container');
  check(padRun <= trailingPadMax, `trailing padding of ${padRun}`);
  check(padItems <= 1, 'trailing padding split over several items');
}

function checkLengthFields(b: Uint8Array): void {
  check(u16(b, 4) === b.length - 40, 'Payload Length');
  let nh = b[6];
  let off = 40;
  while (nh === 43 || nh === 60 || nh === 51) {
    let len: number;
    if (nh === 51) {
      len = 4 * (b[off + 1] + 2);
      check(len % 8 === 0, 'AH length not a multiple of 8');
      check(u16(b, off + 2) === 0, 'AH reserved not zero');
    } else {
      len = 8 * (b[off + 1] + 1);
      if (nh === 43) {
        check(b[off + 1] % 2 === 0, 'routing Hdr Ext Len odd');
        check(b[off + 2] === 0, 'routing type not 0');
        check(b[off + 3] <= b[off + 1] / 2, 'Segments Left above the address count');
        check(
          b.subarray(off + 4, off + 8).every((x) => x === 0),
          'routing reserved not zero',
        );
      } else {
        const hs = off;
        walkTlvs(b, off + 2, off + len, hs, OPTION_ALIGNMENT, 7, (type, ds, de) => {
          if (type === 0xc9) check(de - ds === 16, 'HAO length');
          const fixed = SUBOPTION_FIXED[type];
          if (fixed === undefined) return;
          check(de - ds >= fixed, 'option shorter than its fixed part');
          walkTlvs(b, ds + fixed, de, hs, SUBOPTION_ALIGNMENT, 0, (st, sds, sde) => {
            const slen = sde - sds;
            if (st === 2) check(slen === 2, 'Unique Identifier length');
            if (st === 4) check(slen === 16, 'Alternate CoA length');
            if (st === 128) check(slen === 0, 'Homeless Support length');
            if (st === 130) check(slen === 16, 'Security length');
            if (st === 129) check(slen === 1 + 4 * ((b[sds] >> 6) + 1) * (b[sds] & 63), 'Alternate Prefixes length');
          });
        });
      }
    }
    check(off + len <= b.length, 'extension header overruns the packet');
    nh = b[off];
    off += len;
  }
  if (nh === 17) check(u16(b, off + 4) === b.length - off, 'UDP length');
  if (nh === 59) check(off === b.length, 'bytes after No Next Header');
}
