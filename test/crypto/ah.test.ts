// AH coverage (WIRE.md "The ICV is computed over..."): every covered bit is protected, the
// mutable fields are not, and a packet through a type 0 routing header verifies on arrival.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALGORITHMS, computeIcv, icvInput, protect, verifyAh, type AhAlgorithm } from '../../impl/crypto/index.js';
import { addressToBytes, decodePacket, type Packet, type PacketLayout } from '../../impl/wire/index.js';
import { fcParams } from '../wire/fc-config.js';

const ALGS: AhAlgorithm[] = ['hmac-sha1-96', 'hmac-sha256-128'];
const KEYS: Record<AhAlgorithm, Uint8Array> = {
  'hmac-sha1-96': Uint8Array.from({ length: 20 }, (_, i) => i + 1),
  'hmac-sha256-128': Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i),
};
const sa = (alg: AhAlgorithm) => ({ alg, key: KEYS[alg], spi: 0x1234, sequence: 7 });

/** An unknown option with the C bit (0x20): its data may change en route. */
const C_BIT_OPTION = { kind: 'unknown', type: 0x3e, data: Uint8Array.from([1, 2, 3, 4]) } as const;

const BU_PACKET: Packet = {
  ipv6: { trafficClass: 0, flowLabel: 0, hopLimit: 64, source: '2001:db8:1::1', destination: '2001:db8:2::2' },
  destOptions: [
    { kind: 'hao', homeAddress: '2001:db8:1::1' },
    {
      kind: 'bu',
      flags: { ack: true, home: false, router: false, dad: false },
      prefixLength: 0,
      sequence: 1,
      lifetimeSeconds: 600,
      subOptions: [
        { kind: 'homeless-support' },
        { kind: 'alternate-prefixes', pl: 1, prefixes: [addressToBytes('2001:db8:5::').slice(0, 8)] },
      ],
    },
    C_BIT_OPTION,
  ],
  upper: { kind: 'none' },
};

const COA = '2001:db8:3::3';
const HOME = '2001:db8:4::4';
const ROUTED_UDP_PACKET: Packet = {
  ipv6: { trafficClass: 0, flowLabel: 0, hopLimit: 64, source: '2001:db8:1::1', destination: COA },
  routing: { segmentsLeft: 1, addresses: [HOME] },
  destOptions: [{ kind: 'hao', homeAddress: '2001:db8:1::9' }, C_BIT_OPTION],
  upper: { kind: 'udp', sourcePort: 5000, destinationPort: 5000, payload: Uint8Array.from([0xde, 0xad, 0xbe, 0xef]) },
};

function decoded(bytes: Uint8Array) {
  const d = decodePacket(bytes);
  if (!d.ok) throw new Error(`does not decode: ${d.error.code} at ${d.error.offset}`);
  if (d.packet.ah === undefined) throw new Error('no AH');
  return { packet: d.packet, layout: d.layout, ah: d.packet.ah };
}

function verifies(bytes: Uint8Array, alg: AhAlgorithm, key = KEYS[alg]): boolean {
  const d = decodePacket(bytes);
  return d.ok && d.packet.ah !== undefined && verifyAh(bytes, d.layout, d.packet.ah, { alg, key });
}

/** Whether bit `bit` lies in a field the ICV covers zeroed: traffic class, flow label, hop limit, C-bit option data. */
function isMutableBit(bit: number, layout: PacketLayout): boolean {
  const byte = bit >> 3;
  if (byte === 0) return 1 << (bit & 7) < 0x10; // low nibble: traffic class; high nibble: version
  if (byte >= 1 && byte <= 3) return true;
  if (byte === 7) return true;
  return layout.mutableOptionData.some(([s, e]) => byte >= s && byte < e);
}

/** RFC 2460 §4.4 at one hop: swap the Destination with the next address, decrement Segments Left. */
function forwardOneHop(bytes: Uint8Array, routingOffset: number): Uint8Array {
  const out = bytes.slice();
  const n = out[routingOffset + 1] / 2;
  const sl = out[routingOffset + 3];
  if (sl === 0) throw new Error('already arrived');
  const i = n - sl; // 0-based index of the next address
  const at = routingOffset + 8 + 16 * i;
  const next = out.slice(at, at + 16);
  out.copyWithin(at, 24, 40);
  out.set(next, 24);
  out[routingOffset + 3] = sl - 1;
  return out;
}

describe('protect and verifyAh', () => {
  it.each(ALGS)('%s_protects_with_the_algorithms_ah_size_and_verifies', (alg) => {
    const bytes = protect(BU_PACKET, sa(alg));
    const { ah, layout } = decoded(bytes);
    expect(ah.spi).toBe(0x1234);
    expect(ah.sequence).toBe(7);
    expect(ah.authData.length).toBe(ALGORITHMS[alg].authDataBytes);
    expect(bytes[(layout.ahOffset ?? 0) + 1]).toBe(alg === 'hmac-sha1-96' ? 4 : 6);
    if (alg === 'hmac-sha256-128') expect([...ah.authData.subarray(16)]).toEqual([0, 0, 0, 0]);
    expect(verifyAh(bytes, layout, ah, { alg, key: KEYS[alg] })).toBe(true);
  });

  it('does_not_change_the_callers_packet_and_replaces_an_existing_ah', () => {
    const p: Packet = { ...BU_PACKET, ah: { spi: 1, sequence: 1, authData: new Uint8Array(4) } };
    const before = structuredClone(p);
    const bytes = protect(p, sa('hmac-sha1-96'));
    expect(p).toEqual(before);
    expect(decoded(bytes).ah.spi).toBe(0x1234);
    expect(verifies(bytes, 'hmac-sha1-96')).toBe(true);
  });

  it('throws_on_a_key_of_the_wrong_length', () => {
    expect(() => protect(BU_PACKET, { ...sa('hmac-sha1-96'), key: new Uint8Array(32) })).toThrow(RangeError);
  });

  it('is_false_for_another_key_another_algorithm_or_a_wrong_size_key', () => {
    const bytes = protect(BU_PACKET, sa('hmac-sha1-96'));
    expect(verifies(bytes, 'hmac-sha1-96', new Uint8Array(20))).toBe(false);
    expect(verifies(bytes, 'hmac-sha256-128')).toBe(false); // Payload Len 4 does not fit sha256-128
    expect(verifies(bytes, 'hmac-sha1-96', new Uint8Array(21))).toBe(false);
    const bytes256 = protect(BU_PACKET, sa('hmac-sha256-128'));
    expect(verifies(bytes256, 'hmac-sha1-96', KEYS['hmac-sha256-128'].slice(0, 20))).toBe(false);
  });

  it('rejects_non_zero_padding_after_a_16_byte_icv_although_the_icv_covers_it_zeroed', () => {
    const bytes = protect(BU_PACKET, sa('hmac-sha256-128'));
    const { layout } = decoded(bytes);
    const [start, end] = layout.ahAuthData ?? [0, 0];
    const padded = bytes.slice();
    padded[end - 1] = 1;
    // Same ICV input, so the ICV alone would not notice...
    expect(computeIcv('hmac-sha256-128', KEYS['hmac-sha256-128'], padded, layout)).toEqual(
      padded.slice(start, start + 16),
    );
    // ...so verifyAh checks the padding itself.
    expect(verifies(padded, 'hmac-sha256-128')).toBe(false);
  });

  it('is_false_when_ah_is_not_the_packets_own', () => {
    const bytes = protect(BU_PACKET, sa('hmac-sha1-96'));
    const { layout, ah } = decoded(bytes);
    const other = { ...ah, authData: ah.authData.slice() };
    other.authData[0] ^= 1;
    expect(verifyAh(bytes, layout, other, { alg: 'hmac-sha1-96', key: KEYS['hmac-sha1-96'] })).toBe(false);
    expect(
      verifyAh(bytes, { ...layout, ahAuthData: undefined }, ah, { alg: 'hmac-sha1-96', key: KEYS['hmac-sha1-96'] }),
    ).toBe(false);
  });
});

describe('ICV coverage', () => {
  // Every bit of both packets, for both algorithms: 4,288 flips in all.
  it.each(ALGS.flatMap((alg) => [[alg, 'bu', BU_PACKET] as const, [alg, 'routed_udp', ROUTED_UDP_PACKET] as const]))(
    '%s_%s_every_single_covered_bit_flip_is_rejected_and_mutable_ones_are_not',
    (alg, _, packet) => {
      const bytes = protect(packet, sa(alg));
      const { layout } = decoded(bytes);
      let rejectedByIcv = 0;
      let mutable = 0;
      for (let bit = 0; bit < 8 * bytes.length; bit++) {
        const flipped = bytes.slice();
        flipped[bit >> 3] ^= 1 << (bit & 7);
        const d = decodePacket(flipped);
        const ok =
          d.ok && d.packet.ah !== undefined && verifyAh(flipped, d.layout, d.packet.ah, { alg, key: KEYS[alg] });
        if (isMutableBit(bit, layout)) {
          mutable++;
          if (!ok) throw new Error(`mutable bit ${bit} (byte ${bit >> 3}) broke verification`);
        } else {
          if (ok) throw new Error(`covered bit ${bit} (byte ${bit >> 3}) flipped and still verifies`);
          if (d.ok) rejectedByIcv++;
        }
      }
      expect(mutable).toBe(28 + 8 + 8 * 4); // traffic class + flow label, hop limit, the C-bit option's 4 data bytes
      // Most flips decode fine and are caught by the ICV alone, not by a checksum or a length.
      expect(rejectedByIcv).toBeGreaterThan(bytes.length * 4);
    },
  );

  it.each(ALGS)('%s_changing_mutable_fields_keeps_the_packet_verifying', (alg) => {
    const bytes = protect(BU_PACKET, sa(alg));
    const { layout } = decoded(bytes);
    const [[cStart, cEnd]] = layout.mutableOptionData;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 0xfffff }),
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ minLength: cEnd - cStart, maxLength: cEnd - cStart }),
        (tc, fl, hop, cData) => {
          const changed = bytes.slice();
          changed[0] = 0x60 | (tc >> 4);
          changed[1] = ((tc & 15) << 4) | (fl >> 16);
          changed[2] = (fl >> 8) & 0xff;
          changed[3] = fl & 0xff;
          changed[7] = hop;
          changed.set(cData, cStart);
          expect(verifies(changed, alg)).toBe(true);
          expect(icvInput(changed, layout)).toEqual(icvInput(bytes, layout));
        },
      ),
      fcParams(200),
    );
  });

  it('zeroes_exactly_the_mutable_fields_and_keeps_the_hao_as_it_stands', () => {
    const bytes = protect(BU_PACKET, sa('hmac-sha256-128'));
    const { layout } = decoded(bytes);
    const input = icvInput(bytes, layout);
    const differing: number[] = [];
    for (let i = 0; i < bytes.length; i++) if (input[i] !== bytes[i]) differing.push(i);
    const [cStart, cEnd] = layout.mutableOptionData[0];
    const [aStart, aEnd] = layout.ahAuthData ?? [0, 0];
    const expected = new Set<number>([7, ...range(cStart, cEnd), ...range(aStart, aStart + 16)]); // hop limit 64; C data; ICV (padding is already zero)
    expect(new Set(differing)).toEqual(expected);
    expect(input[cStart - 2]).toBe(0x3e); // type kept
    expect(input[cStart - 1]).toBe(4); // length kept
    expect(input[0]).toBe(0x60); // version kept
    expect(aEnd - aStart).toBe(20);
    expect(input.length).toBe(bytes.length);
  });
});

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}

describe('type 0 routing header', () => {
  it.each([
    [1, 1],
    [3, 1],
    [3, 2],
    [3, 3],
    [2, 0],
  ])('with_%i_addresses_and_segments_left_%i_every_hop_verifies_and_the_icv_input_is_the_arrival_form', (n, k) => {
    const addresses = Array.from({ length: n }, (_, i) => `2001:db8:a::${i + 1}`);
    const packet: Packet = {
      ipv6: { trafficClass: 0, flowLabel: 0, hopLimit: 64, source: '2001:db8:1::1', destination: '2001:db8:d::d' },
      routing: { segmentsLeft: k, addresses },
      upper: { kind: 'udp', sourcePort: 1, destinationPort: 2, payload: Uint8Array.from([1, 2, 3]) },
    };
    for (const alg of ALGS) {
      let form = protect(packet, sa(alg));
      const sent = decoded(form);
      const sentInput = icvInput(form, sent.layout);
      for (let hop = 0; hop <= k; hop++) {
        const here = decoded(form);
        expect(verifyAh(form, here.layout, here.ah, { alg, key: KEYS[alg] })).toBe(true);
        expect(icvInput(form, here.layout)).toEqual(sentInput);
        if (hop < k) form = forwardOneHop(form, here.layout.routingOffset ?? 0);
      }
      const arrived = decoded(form);
      expect(arrived.packet.routing?.segmentsLeft).toBe(0);
      // The arrival form is its own ICV input, but for the zeroed hop limit and ICV.
      const own = form.slice();
      own[7] = 0;
      own.fill(0, ...(arrived.layout.ahAuthData ?? [0, 0]));
      expect(sentInput).toEqual(own);
      if (k > 0) expect(arrived.packet.ipv6.destination).toBe(addresses[n - 1]);
    }
  });

  it('wire_md_case_arrives_with_the_home_address_as_destination_and_the_coa_in_the_list', () => {
    let form = protect(ROUTED_UDP_PACKET, sa('hmac-sha1-96'));
    form = forwardOneHop(form, decoded(form).layout.routingOffset ?? 0);
    const arrived = decoded(form);
    expect(arrived.packet.ipv6.destination).toBe(HOME);
    expect(arrived.packet.routing).toEqual({ segmentsLeft: 0, addresses: [COA] });
    expect(verifies(form, 'hmac-sha1-96')).toBe(true);
  });
});

describe('icvInput on a Node Buffer', () => {
  it('leaves_the_callers_bytes_alone', () => {
    const bytes = protect(BU_PACKET, sa('hmac-sha1-96'));
    const buf = Buffer.from(bytes);
    const { layout } = decoded(bytes);
    const input = icvInput(buf, layout);
    expect(new Uint8Array(buf)).toEqual(bytes);
    expect(input[7]).toBe(0);
    expect(verifyAh(buf, layout, decoded(bytes).ah, { alg: 'hmac-sha1-96', key: KEYS['hmac-sha1-96'] })).toBe(true);
  });
});
