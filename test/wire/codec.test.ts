// Hand-computed bytes for every packet kind (WIRE.md). Offsets in comments are from the
// first byte of the Destination Options header, where alignment is counted.

import { describe, expect, it } from 'vitest';
import {
  addressToBytes,
  decodePacket,
  encodePacket,
  encodePacketWithLayout,
  internetChecksum,
  optionAction,
  optionMayChange,
  toHex,
  type Packet,
} from '../../impl/wire/index.js';
import { basePacket, DST_HEX, h, naiveChecksum, SRC_HEX } from './helpers.js';

function ipv6Hex(payloadLength: number, nextHeader: number, hopLimit = 0x40): string {
  return `60000000 ${payloadLength.toString(16).padStart(4, '0')} ${nextHeader.toString(16).padStart(2, '0')} ${hopLimit.toString(16).padStart(2, '0')} ${SRC_HEX} ${DST_HEX}`;
}

function expectRoundTrip(p: Packet, bytesHex: string): void {
  const want = h(bytesHex);
  const got = encodePacket(p);
  expect(toHex(got)).toBe(toHex(want));
  const d = decodePacket(want);
  expect(d.ok).toBe(true);
  if (d.ok) expect(d.packet).toStrictEqual(p);
}

const BU_FLAGS_ACK = { ack: true, home: false, router: false, dad: false };

describe('IPv6 header', () => {
  it('encodes_version_payload_length_next_header_hop_limit_and_addresses', () => {
    expectRoundTrip(basePacket(), ipv6Hex(0, 0x3b));
  });

  it('packs_traffic_class_and_flow_label_across_the_first_four_bytes', () => {
    const p = basePacket();
    p.ipv6 = { ...p.ipv6, trafficClass: 0xab, flowLabel: 0x12345, hopLimit: 7 };
    expectRoundTrip(p, `6ab12345 0000 3b 07 ${SRC_HEX} ${DST_HEX}`);
  });

  it('ignores_bytes_after_no_next_header_only_when_payload_length_covers_them', () => {
    // RFC 2460 §4.7: bytes after a Next Header of 59 are ignored, but they still count in Payload Length.
    const d = decodePacket(h(ipv6Hex(3, 0x3b) + 'aabbcc'));
    expect(d.ok && d.packet.upper).toStrictEqual({ kind: 'none' });
  });
});

describe('Destination options', () => {
  it('places_the_hao_type_byte_at_8n_plus_6_after_a_padn', () => {
    const p: Packet = { ...basePacket(), destOptions: [{ kind: 'hao', homeAddress: '2001:db8::1' }] };
    // 0: NH 3b, HEL 2 (24 bytes) · 2: PadN len 2 · 6: HAO type c9, len 16, address
    expectRoundTrip(p, ipv6Hex(24, 0x3c) + `3b 02 01 02 0000 c9 10 ${SRC_HEX}`);
  });

  it('lays_out_a_bu_with_homeless_support_and_alternate_prefixes', () => {
    const p: Packet = {
      ...basePacket(),
      destOptions: [
        {
          kind: 'bu',
          flags: BU_FLAGS_ACK,
          prefixLength: 0,
          sequence: 1,
          lifetimeSeconds: 600,
          subOptions: [
            { kind: 'homeless-support' },
            { kind: 'alternate-prefixes', pl: 1, prefixes: [addressToBytes('2001:db8:5::').slice(0, 8)] },
          ],
        },
      ],
    };
    // 2: BU (4n+2) c6, len 24, flags A, PL 0, seq 1, lifetime 600 · 12: Homeless Support 80 00
    // 14: PadN len 1 (3 bytes) · 17: Alternate Prefixes (4n+1) 81, len 9, PL 1 / count 1, prefix
    // 28: PadN len 2 to 32 bytes (HEL 3).
    expectRoundTrip(
      p,
      ipv6Hex(32, 0x3c) + '3b 03 c6 18 80 00 0001 00000258 80 00 01 01 00 81 09 41 20010db800050000 01 02 0000',
    );
  });

  it('lays_out_the_initial_bu_after_an_hao', () => {
    const p: Packet = {
      ...basePacket(),
      destOptions: [
        { kind: 'hao', homeAddress: '2001:db8::1' },
        {
          kind: 'bu',
          flags: BU_FLAGS_ACK,
          prefixLength: 0,
          sequence: 1,
          lifetimeSeconds: 600,
          subOptions: [
            { kind: 'homeless-support' },
            { kind: 'alternate-prefixes', pl: 1, prefixes: [addressToBytes('2001:db8:5::').slice(0, 8)] },
          ],
        },
      ],
    };
    // 2: PadN(2) · 6: HAO · 24: PadN(0) · 26: BU · 36: Homeless Support · 38: PadN(1)
    // 41: Alternate Prefixes · 52: PadN(2) to 56 (HEL 6)
    expectRoundTrip(
      p,
      ipv6Hex(56, 0x3c) +
        `3b 06 01 02 0000 c9 10 ${SRC_HEX} 01 00 c6 18 80 00 0001 00000258 80 00 01 01 00 81 09 41 20010db800050000 01 02 0000`,
    );
  });

  it('lays_out_a_ba_with_a_security_sub_option', () => {
    const value = Uint8Array.from({ length: 16 }, (_, i) => i);
    const p: Packet = {
      ...basePacket(),
      destOptions: [
        {
          kind: 'ba',
          status: 0,
          sequence: 1,
          lifetimeSeconds: 600,
          refreshSeconds: 300,
          subOptions: [{ kind: 'security', value }],
        },
      ],
    };
    // 2: Pad1 · 3: BA (4n+3) 07, len 31, status 0, seq 1, lifetime 600, refresh 300
    // 16: PadN len 0 · 18: Security (4n+2) 82, len 16, value · 36: PadN(2) to 40 (HEL 4)
    expectRoundTrip(
      p,
      ipv6Hex(40, 0x3c) +
        '3b 04 00 07 1f 00 0001 00000258 0000012c 01 00 82 10 000102030405060708090a0b0c0d0e0f 01 02 0000',
    );
  });

  it('lays_out_a_br_with_no_alignment', () => {
    const p: Packet = { ...basePacket(), destOptions: [{ kind: 'br', subOptions: [{ kind: 'homeless-support' }] }] };
    expectRoundTrip(p, ipv6Hex(8, 0x3c) + '3b 00 08 02 80 00 01 00');
  });

  it('aligns_unique_id_at_2n_and_alternate_coa_at_8n_plus_6', () => {
    const p: Packet = {
      ...basePacket(),
      destOptions: [
        {
          kind: 'bu',
          flags: { ack: false, home: true, router: true, dad: true },
          prefixLength: 64,
          sequence: 0xfffe,
          lifetimeSeconds: 0xffffffff,
          subOptions: [
            { kind: 'homeless-support' },
            { kind: 'unique-id', id: 0xbeef },
            { kind: 'alternate-coa', address: '2001:db8::2' },
          ],
        },
      ],
    };
    // 2: BU, flags H|R|D = 0x70 · 12: Homeless Support · 14: Unique Id (2n) · 18: PadN(2)
    // 22: Alternate CoA (8n+6) · 40: end of BU data (len 36) and of the header (HEL 4, no tail)
    expectRoundTrip(
      p,
      ipv6Hex(40, 0x3c) + `3b 04 c6 24 70 40 fffe ffffffff 80 00 02 02 beef 01 02 0000 04 10 ${DST_HEX}`,
    );
  });

  it('keeps_unknown_options_and_sub_options_in_place_and_marks_c_bit_data_mutable', () => {
    const p: Packet = {
      ...basePacket(),
      destOptions: [
        { kind: 'unknown', type: 0x3e, data: h('010203') },
        {
          kind: 'bu',
          flags: { ack: false, home: false, router: false, dad: false },
          prefixLength: 0,
          sequence: 0,
          lifetimeSeconds: 0,
          subOptions: [{ kind: 'unknown', type: 0x99, data: h('ff') }],
        },
      ],
    };
    // 2: unknown 3e (C bit set), len 3 · 7: PadN(1) · 10: BU · 20: unknown sub-option 99 · 23: Pad1
    const bytesHex = ipv6Hex(24, 0x3c) + '3b 02 3e 03 010203 01 01 00 c6 0b 00 00 0000 00000000 99 01 ff 00';
    expectRoundTrip(p, bytesHex);
    const { layout } = encodePacketWithLayout(p);
    expect(layout.mutableOptionData).toEqual([[44, 47]]);
    const d = decodePacket(h(bytesHex));
    expect(d.ok && d.layout.mutableOptionData).toEqual([[44, 47]]);
  });

  it('decodes_any_alignment_padding_contents_and_order', () => {
    // HAO at offset 2 (unaligned), a PadN with non-zero contents, BR before BU, three Pad1s,
    // a BU at 29 whose sub-options start with Pad1 and a non-zero PadN, a non-zero PadN tail.
    const tolerant = h(
      ipv6Hex(48, 0x3c) +
        `3b 05 c9 10 ${SRC_HEX} 01 02 ffff 08 00 00 00 00 c6 0e 00 00 0001 00000000 00 01 01 ee 80 00 01 01 77`,
    );
    const d = decodePacket(tolerant);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.packet.destOptions).toStrictEqual([
      { kind: 'hao', homeAddress: '2001:db8::1' },
      { kind: 'br', subOptions: [] },
      {
        kind: 'bu',
        flags: { ack: false, home: false, router: false, dad: false },
        prefixLength: 0,
        sequence: 1,
        lifetimeSeconds: 0,
        subOptions: [{ kind: 'homeless-support' }],
      },
    ]);
  });

  it('ignores_the_reserved_bu_flag_bits', () => {
    const d = decodePacket(h(ipv6Hex(16, 0x3c) + '3b 01 c6 08 8f 00 0001 00000000 01 02 0000'));
    expect(d.ok && d.packet.destOptions).toStrictEqual([
      { kind: 'bu', flags: BU_FLAGS_ACK, prefixLength: 0, sequence: 1, lifetimeSeconds: 0, subOptions: [] },
    ]);
  });

  it('decodes_prefix_count_zero', () => {
    const d = decodePacket(h(ipv6Hex(16, 0x3c) + '3b 01 c6 0b 00 00 0001 00000000 81 01 c0 00'));
    expect(d.ok && d.packet.destOptions).toStrictEqual([
      {
        kind: 'bu',
        flags: { ack: false, home: false, router: false, dad: false },
        prefixLength: 0,
        sequence: 1,
        lifetimeSeconds: 0,
        subOptions: [{ kind: 'alternate-prefixes', pl: 3, prefixes: [] }],
      },
    ]);
  });

  it('treats_a_header_of_only_padding_as_no_options', () => {
    const d = decodePacket(h(ipv6Hex(8, 0x3c) + '3b 00 01 04 00000000'));
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.packet.destOptions).toBeUndefined();
    expect(d.layout.destOptionsOffset).toBe(40);
  });
});

describe('option type bits (RFC 2460 §4.2)', () => {
  it.each([
    [0x1e, 'skip', false],
    [0x3e, 'skip', true],
    [0x5e, 'discard', false],
    [0x9e, 'discard-icmp', false],
    [0xde, 'discard-icmp-unless-multicast', false],
    [0xc6, 'discard-icmp-unless-multicast', false], // BU
    [0xc9, 'discard-icmp-unless-multicast', false], // HAO
    [0x07, 'skip', false], // BA
    [0xff, 'discard-icmp-unless-multicast', true],
  ] as const)('type_%i_acts_%s_and_may_change_%s', (type, action, mayChange) => {
    expect(optionAction(type)).toBe(action);
    expect(optionMayChange(type)).toBe(mayChange);
  });
});

describe('UDP', () => {
  it('computes_the_checksum_over_the_pseudo_header', () => {
    // Words: 2001+0db8+0001 (src) + 2001+0db8+0002 (dst) + 000a (length) + 0011 (NH)
    //        + 1388 + 1389 + 000a + 6869 = eb14, so the checksum is ~eb14 = 14eb.
    const p = basePacket({ kind: 'udp', sourcePort: 5000, destinationPort: 5001, payload: h('6869') });
    expectRoundTrip(p, ipv6Hex(10, 0x11) + '1388 1389 000a 14eb 6869');
    const upper = h('1388 1389 000a 0000 6869');
    expect(naiveChecksum(h(SRC_HEX), h(DST_HEX), 17, upper)).toBe(0x14eb);
  });

  it('sends_a_computed_zero_checksum_as_ffff', () => {
    // With payload 7d54 the sum is 82ab + 7d54 = ffff, so the checksum computes to 0.
    const p = basePacket({ kind: 'udp', sourcePort: 5000, destinationPort: 5001, payload: h('7d54') });
    expect(naiveChecksum(h(SRC_HEX), h(DST_HEX), 17, h('1388 1389 000a 0000 7d54'))).toBe(0);
    expectRoundTrip(p, ipv6Hex(10, 0x11) + '1388 1389 000a ffff 7d54');
  });

  it('agrees_with_the_naive_checksum_on_odd_lengths', () => {
    const payload = Uint8Array.from({ length: 33 }, (_, i) => (i * 37 + 11) & 0xff);
    const bytes = encodePacket(basePacket({ kind: 'udp', sourcePort: 1, destinationPort: 65535, payload }));
    const upper = bytes.slice(40);
    const sent = (upper[6] << 8) | upper[7];
    upper[6] = 0;
    upper[7] = 0;
    expect(sent).toBe(naiveChecksum(h(SRC_HEX), h(DST_HEX), 17, upper));
  });
});

describe('ICMPv6', () => {
  it('encodes_an_echo_request_with_its_checksum', () => {
    // 5b75 (addresses) + 000a + 003a + 8000 + 1234 + 0001 + 6162 = 14f50 → 4f51, checksum b0ae.
    const p = basePacket({
      kind: 'icmpv6',
      message: { type: 'echo-request', identifier: 0x1234, sequence: 1, data: h('6162') },
    });
    expectRoundTrip(p, ipv6Hex(10, 0x3a) + '80 00 b0ae 1234 0001 6162');
    expect(naiveChecksum(h(SRC_HEX), h(DST_HEX), 58, h('8000 0000 1234 0001 6162'))).toBe(0xb0ae);
  });

  it('round_trips_echo_reply_parameter_problem_destination_unreachable_and_other', () => {
    const messages: Packet['upper'][] = [
      { kind: 'icmpv6', message: { type: 'echo-reply', identifier: 0, sequence: 9, data: h('') } },
      { kind: 'icmpv6', message: { type: 'parameter-problem', code: 2, pointer: 42, invoking: h('6000000000') } },
      { kind: 'icmpv6', message: { type: 'destination-unreachable', code: 4, invoking: h('60') } },
      { kind: 'icmpv6', message: { type: 'other', icmpType: 128, code: 1, body: h('0102') } },
      { kind: 'icmpv6', message: { type: 'other', icmpType: 135, code: 0, body: h('') } },
    ];
    for (const upper of messages) {
      const p = basePacket(upper);
      const d = decodePacket(encodePacket(p));
      expect(d.ok && d.packet).toStrictEqual(p);
    }
    const pp = encodePacket(basePacket(messages[1]));
    expect(toHex(pp.slice(40, 48))).toMatch(/^0402....0000002a$/);
  });
});

describe('routing header type 0', () => {
  const coa = '2001:db8::2';
  const home = '2001:db8:1::2';
  const HOME_HEX = '20010db8000100000000000000000002';

  it('encodes_the_rfc_2460_layout_and_checksums_over_the_final_destination', () => {
    const p: Packet = {
      ...basePacket({ kind: 'udp', sourcePort: 5000, destinationPort: 5001, payload: h('6869') }),
      routing: { segmentsLeft: 1, addresses: [home] },
    };
    p.ipv6 = { ...p.ipv6, destination: coa };
    // The pseudo-header uses the home address (2dbc) instead of the IPv6 destination (2dbb): 14ea.
    expectRoundTrip(p, ipv6Hex(34, 0x2b) + `11 02 00 01 00000000 ${HOME_HEX} 1388 1389 000a 14ea 6869`);
    expect(naiveChecksum(h(SRC_HEX), h(HOME_HEX), 17, h('1388 1389 000a 0000 6869'))).toBe(0x14ea);
  });

  it('rejects_a_checksum_over_the_ipv6_destination_while_segments_left', () => {
    const d = decodePacket(h(ipv6Hex(34, 0x2b) + `11 02 00 01 00000000 ${HOME_HEX} 1388 1389 000a 14eb 6869`));
    expect(d.ok).toBe(false);
    expect(!d.ok && d.error).toMatchObject({ code: 'bad-checksum', offset: 70 });
  });

  it('decodes_the_arrival_form_with_the_same_checksum', () => {
    // As it arrives: destination = home, list [CoA], Segments Left 0; the IPv6 destination is final.
    const arrival = h(
      `60000000 0022 2b 40 ${SRC_HEX} ${HOME_HEX} 11 02 00 00 00000000 ${DST_HEX} 1388 1389 000a 14ea 6869`,
    );
    const d = decodePacket(arrival);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.packet.routing).toStrictEqual({ segmentsLeft: 0, addresses: [coa] });
    expect(d.packet.ipv6.destination).toBe(home);
    expect(d.layout.routingOffset).toBe(40);
  });
});

describe('AH', () => {
  it.each([
    [12, '04'],
    [20, '06'],
  ])('encodes_%i_bytes_of_authentication_data_with_payload_len_%s', (n, payloadLen) => {
    const authData = new Uint8Array(n).fill(0xaa);
    const p: Packet = { ...basePacket(), ah: { spi: 0x100, sequence: 1, authData } };
    const total = 12 + n;
    expectRoundTrip(p, ipv6Hex(total, 0x33) + `3b ${payloadLen} 0000 00000100 00000001 ${'aa'.repeat(n)}`);
    const { layout } = encodePacketWithLayout(p);
    expect(layout).toEqual({
      options: [],
      mutableOptionData: [],
      ahOffset: 40,
      ahLength: total,
      ahAuthData: [52, 52 + n],
      upperOffset: 40 + total,
      length: 40 + total,
    });
  });

  it('chains_routing_destination_options_ah_and_udp_in_order', () => {
    const p: Packet = {
      ipv6: { trafficClass: 0, flowLabel: 0, hopLimit: 64, source: '2001:db8::1', destination: '2001:db8::2' },
      routing: { segmentsLeft: 0, addresses: ['2001:db8::3'] },
      destOptions: [{ kind: 'hao', homeAddress: '2001:db8::4' }],
      ah: { spi: 300, sequence: 7, authData: new Uint8Array(12) },
      upper: { kind: 'udp', sourcePort: 1, destinationPort: 2, payload: h('00') },
    };
    const { bytes, layout } = encodePacketWithLayout(p);
    expect(bytes[6]).toBe(43);
    expect(bytes[40]).toBe(60);
    expect(bytes[64]).toBe(51);
    expect(bytes[88]).toBe(17);
    expect(layout).toEqual({
      routingOffset: 40,
      routingLength: 24,
      destOptionsOffset: 64,
      destOptionsLength: 24,
      // The HAO's Type byte at 8n+6 from the header's first byte, after a 4-byte PadN.
      options: [
        { type: 1, offset: 66, length: 4 },
        { type: 0xc9, offset: 70, length: 18 },
      ],
      mutableOptionData: [],
      ahOffset: 88,
      ahLength: 24,
      ahAuthData: [100, 112],
      upperOffset: 112,
      length: 121,
    });
    const d = decodePacket(bytes);
    expect(d.ok && d.layout).toEqual(layout);
  });
});

describe('raw upper layers', () => {
  it('keeps_tcp_and_unknown_protocols_as_bytes', () => {
    expectRoundTrip(basePacket({ kind: 'raw', protocol: 6, data: h('0102') }), ipv6Hex(2, 6) + '0102');
    expectRoundTrip(basePacket({ kind: 'raw', protocol: 135, data: h('') }), ipv6Hex(0, 135));
  });
});

describe('internetChecksum', () => {
  it('matches_the_rfc_1071_example', () => {
    // RFC 1071 §3: words 0001 f203 f4f5 f6f7 sum to ddf2 (one's complement), checksum 220d.
    expect(internetChecksum(h('0001f203f4f5f6f7'))).toBe(0x220d);
  });

  it('pads_an_odd_last_byte_with_zero', () => {
    expect(internetChecksum(h('ff'))).toBe(0x00ff);
    expect(internetChecksum(h('0102 03'), 0, 3)).toBe(~(0x0102 + 0x0300) & 0xffff);
  });
});

describe('Node Buffers', () => {
  it('decoded_byte_strings_are_plain_copies_not_views_of_a_buffer', () => {
    const bytes = encodePacket(basePacket({ kind: 'udp', sourcePort: 1, destinationPort: 2, payload: h('0a0b0c') }));
    const buf = Buffer.from(bytes);
    const d = decodePacket(buf);
    expect(d.ok).toBe(true);
    if (!d.ok || d.packet.upper.kind !== 'udp') return;
    buf[48] = 0xff;
    expect(d.packet.upper.payload).toStrictEqual(h('0a0b0c'));
    expect(d.packet.upper.payload.constructor).toBe(Uint8Array);
  });

  it('decodes_a_buffer_that_is_a_slice_of_a_larger_one', () => {
    const bytes = encodePacket(basePacket());
    const big = Buffer.alloc(bytes.length + 10, 0xee);
    big.set(bytes, 5);
    const d = decodePacket(big.subarray(5, 5 + bytes.length));
    expect(d.ok && d.packet).toStrictEqual(basePacket());
  });
});
