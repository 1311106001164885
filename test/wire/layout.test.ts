// PacketLayout (impl/wire/types.ts): the spans the codec records are where the bytes are, so
// that code outside impl/wire can point into a packet without walking its headers again, and
// the field offsets (BU_FIELD, BA_FIELD...) read back what the codec wrote. The checks below
// walk the bytes the test's own way (RFC 2460 §4.2, §4.4; RFC 2402 §2).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReadOutOfBounds, readU16, readU32, readU8 } from '../../impl/wire/fail.js';
import {
  BA_FIELD,
  BU_FIELD,
  bytesToAddress,
  decodePacket,
  encodePacketWithLayout,
  fromHex,
  HAO_FIELD,
  SECURITY_FIELD,
  toHex,
  type Packet,
  type PacketLayout,
} from '../../impl/wire/index.js';
import { packetArbitrary } from '../../properties/arbitraries/packet.js';
import { fcParams } from './fc-config.js';
import { h } from './helpers.js';

const PAD1 = 0;
const PADN = 1;

function u16(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint16(at);
}

function u32(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at);
}

/** Throws unless the layout's header and option spans are where `bytes` has them. */
function checkSpans(bytes: Uint8Array, layout: PacketLayout): void {
  if (layout.routingOffset !== undefined) {
    expect(layout.routingLength).toBe(8 * ((bytes[layout.routingOffset + 1] ?? -1) + 1));
  }
  if (layout.destOptionsOffset === undefined) {
    expect(layout.options).toEqual([]);
  } else {
    const start = layout.destOptionsOffset;
    const end = start + 8 * ((bytes[start + 1] ?? -1) + 1);
    expect(layout.destOptionsLength).toBe(end - start);
    // The spans tile the header after Next Header and Hdr Ext Len, in order.
    let at = start + 2;
    for (const span of layout.options) {
      expect(span.offset).toBe(at);
      expect(span.type).toBe(bytes[at]);
      expect(span.length).toBe(span.type === PAD1 ? 1 : 2 + (bytes[at + 1] ?? -1));
      at += span.length;
    }
    expect(at).toBe(end);
  }
  const mutable = layout.options.filter((s) => (s.type & 0x20) !== 0).map((s) => [s.offset + 2, s.offset + s.length]);
  expect(layout.mutableOptionData).toEqual(mutable);
  if (layout.ahOffset !== undefined) {
    expect(layout.ahLength).toBe(4 * ((bytes[layout.ahOffset + 1] ?? -1) + 2));
    expect(layout.ahOffset + (layout.ahLength ?? 0)).toBe(layout.upperOffset);
  }
}

/** The spans of the options the packet represents (padding is not represented), in order. */
function representedSpans(layout: PacketLayout): PacketLayout['options'] {
  return layout.options.filter((s) => s.type !== PAD1 && s.type !== PADN);
}

function vectorHex(name: string): Uint8Array {
  const v = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'vectors', `${name}.json`), 'utf8')) as {
    hex: string;
  };
  const bytes = fromHex(v.hex);
  if (bytes === null) throw new Error(`vector ${name}: not hex`);
  return bytes;
}

describe('PacketLayout', () => {
  it('encoder_and_decoder_record_every_option_and_header_where_the_bytes_have_it', () => {
    fc.assert(
      fc.property(packetArbitrary(), (p) => {
        const { bytes, layout } = encodePacketWithLayout(p);
        checkSpans(bytes, layout);
        const d = decodePacket(bytes);
        expect(d.ok && d.layout).toEqual(layout);
        expect(representedSpans(layout)).toHaveLength(p.destOptions?.length ?? 0);
      }),
      fcParams(2_000),
    );
  });

  it('records_non_canonical_padding_as_it_stands', () => {
    // Pad1, a PadN with one byte of data, then an unknown skippable option of length 0.
    const bytes = h(`60000000 0008 3c 40 ${'00'.repeat(32)} 3b 00 00 01 01 07 1e 00`);
    const d = decodePacket(bytes);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.layout.options).toEqual([
      { type: PAD1, offset: 42, length: 1 },
      { type: PADN, offset: 43, length: 3 },
      { type: 0x1e, offset: 46, length: 2 },
    ]);
    checkSpans(bytes, d.layout);
  });

  it('a_header_of_only_padding_has_its_spans_and_no_options', () => {
    const d = decodePacket(h(`60000000 0008 3c 40 ${'00'.repeat(32)} 3b 00 01 04 00000000`));
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.packet.destOptions).toBeUndefined();
    expect(d.layout.options).toEqual([{ type: PADN, offset: 42, length: 6 }]);
  });
});

describe('option field offsets', () => {
  it('read_back_every_hao_bu_and_ba_field_the_codec_wrote', () => {
    fc.assert(
      fc.property(packetArbitrary(), (p: Packet) => {
        const { bytes, layout } = encodePacketWithLayout(p);
        const d = decodePacket(bytes);
        if (!d.ok) throw new Error(d.error.message);
        const options = d.packet.destOptions ?? [];
        representedSpans(layout).forEach((span, i) => {
          const o = options[i];
          const at = span.offset;
          if (o === undefined) throw new Error(`no option for the span at ${at}`);
          switch (o.kind) {
            case 'hao':
              expect(bytesToAddress(bytes, at + HAO_FIELD.homeAddress)).toBe(o.homeAddress);
              break;
            case 'bu':
              expect(bytes[at + BU_FIELD.flags]).toBe(
                (o.flags.ack ? 0x80 : 0) |
                  (o.flags.home ? 0x40 : 0) |
                  (o.flags.router ? 0x20 : 0) |
                  (o.flags.dad ? 0x10 : 0),
              );
              expect(bytes[at + BU_FIELD.prefixLength]).toBe(o.prefixLength);
              expect(u16(bytes, at + BU_FIELD.sequence)).toBe(o.sequence);
              expect(u32(bytes, at + BU_FIELD.lifetimeSeconds)).toBe(o.lifetimeSeconds);
              expect(BU_FIELD.subOptions).toBe(2 + 8);
              break;
            case 'ba':
              expect(bytes[at + BA_FIELD.status]).toBe(o.status);
              expect(u16(bytes, at + BA_FIELD.sequence)).toBe(o.sequence);
              expect(u32(bytes, at + BA_FIELD.lifetimeSeconds)).toBe(o.lifetimeSeconds);
              expect(u32(bytes, at + BA_FIELD.refreshSeconds)).toBe(o.refreshSeconds);
              expect(BA_FIELD.subOptions).toBe(2 + 11);
              break;
            case 'br':
            case 'unknown':
              expect(span.type).toBe(bytes[at]);
              break;
          }
        });
      }),
      fcParams(2_000),
    );
  });

  it('find_the_challenge_and_the_response_in_the_golden_vectors', () => {
    // Each option's only sub-option is the Security Challenge/Response, its last 18 bytes (no
    // trailing padding inside an option, WIRE.md).
    for (const [name, kind, value] of [
      ['ba-challenge', 0x07, '3a03cb6e3f6f03403e671bbbcfc9b21a'],
      ['response-bu-direct', 0xc6, null],
    ] as const) {
      const bytes = vectorHex(name);
      const d = decodePacket(bytes);
      expect(d.ok).toBe(true);
      if (!d.ok) return;
      const span = d.layout.options.find((s) => s.type === kind);
      if (span === undefined) throw new Error(`${name}: no option ${kind}`);
      const sub = span.offset + span.length - 18;
      const found = bytes.slice(sub + SECURITY_FIELD.value, sub + SECURITY_FIELD.value + 16);
      const option = d.packet.destOptions?.find((o) => o.kind === 'ba' || o.kind === 'bu');
      const security = option !== undefined && 'subOptions' in option ? option.subOptions.at(-1) : undefined;
      expect(security?.kind === 'security' && toHex(security.value)).toBe(toHex(found));
      if (value !== null) expect(toHex(found)).toBe(value);
    }
  });
});

describe('bounds-checked reads', () => {
  it('read_inside_the_bytes_and_throw_read_out_of_bounds_past_them', () => {
    const b = h('01 02 03 04 05');
    expect(readU8(b, 4)).toBe(5);
    expect(readU16(b, 3)).toBe(0x0405);
    expect(readU32(b, 1)).toBe(0x02030405);
    for (const read of [() => readU8(b, 5), () => readU16(b, 4), () => readU32(b, 2), () => readU8(b, -1)]) {
      expect(read).toThrow(ReadOutOfBounds);
      expect(read).toThrow(RangeError);
    }
    let thrown: unknown = null;
    try {
      readU32(b, 3);
    } catch (e) {
      thrown = e;
    }
    // The first byte it could not read.
    expect(thrown instanceof ReadOutOfBounds && thrown.offset).toBe(5);
  });
});
