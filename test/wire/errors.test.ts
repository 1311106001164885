// Every decode error code, with the offset it reports, and every EncodeError.

import { describe, expect, it } from 'vitest';
import {
  decodePacket,
  encodePacket,
  EncodeError,
  type DecodeErrorCode,
  type DestOption,
  type Packet,
} from '../../impl/wire/index.js';
import { basePacket, DST_HEX, h, SRC_HEX } from './helpers.js';

/** An IPv6 packet whose Payload Length fits `payloadHex`. */
function packet(nextHeader: number, payloadHex: string): Uint8Array {
  const payload = h(payloadHex);
  const len = payload.length.toString(16).padStart(4, '0');
  const head = h(`60000000 ${len} ${nextHeader.toString(16).padStart(2, '0')} 40 ${SRC_HEX} ${DST_HEX}`);
  const out = new Uint8Array(40 + payload.length);
  out.set(head);
  out.set(payload, 40);
  return out;
}

function expectError(bytes: Uint8Array, code: DecodeErrorCode, offset: number): void {
  const d = decodePacket(bytes);
  expect(d.ok).toBe(false);
  if (d.ok) return;
  expect({ code: d.error.code, offset: d.error.offset }).toEqual({ code, offset });
  expect(d.error.message.length).toBeGreaterThan(0);
}

const BU_FIXED = '00 00 0001 00000000';
const HAO = `c9 10 ${SRC_HEX}`;

describe('decode errors', () => {
  describe('truncated', () => {
    it('ipv6_header_shorter_than_40_bytes_at_0', () => expectError(new Uint8Array(39).fill(0x60), 'truncated', 0));
    it('empty_input_at_0', () => expectError(new Uint8Array(0), 'truncated', 0));
    it('extension_header_shorter_than_8_bytes_at_its_start', () =>
      expectError(packet(60, '3b 00 01 00'), 'truncated', 40));
    it('option_without_its_length_byte_at_the_option', () =>
      expectError(packet(60, '3b 00 00 00 00 00 00 c9'), 'truncated', 47));
    it('sub_option_without_its_length_byte_at_the_sub_option', () =>
      // BU at 42, fixed part to 52, then a lone Homeless Support type byte: its length would be at 53.
      expectError(packet(60, `3b 01 c6 09 ${BU_FIXED} 80 01 01 00`), 'truncated', 52));
    it('ah_shorter_than_12_bytes_at_the_ah', () => expectError(packet(51, '3b 04 0000 00000100'), 'truncated', 40));
    it('udp_shorter_than_8_bytes_at_the_udp_header', () => expectError(packet(17, '1388 1389 00'), 'truncated', 40));
    it('icmpv6_shorter_than_4_bytes_at_the_icmp_header', () => expectError(packet(58, '80 00 7f'), 'truncated', 40));
    it('echo_shorter_than_8_bytes_at_the_icmp_header', () => {
      // 80 00 · checksum · 12 34: a correct checksum over 6 bytes, then too short for an echo.
      const p = packet(58, '80 00 0000 1234');
      const sum = 0x2dba + 0x2dbb + 6 + 58 + 0x8000 + 0x1234;
      const ck = ~((sum & 0xffff) + (sum >>> 16)) & 0xffff;
      p[42] = ck >> 8;
      p[43] = ck & 0xff;
      expectError(p, 'truncated', 40);
    });
  });

  it('bad_version_at_0', () => {
    const p = packet(59, '');
    p[0] = 0x40;
    expectError(p, 'bad-version', 0);
  });

  describe('bad-length', () => {
    it('payload_length_longer_than_the_bytes_at_4', () => {
      const p = packet(59, '00');
      p[5] = 2;
      expectError(p, 'bad-length', 4);
    });
    it('payload_length_shorter_than_the_bytes_at_4', () => {
      const p = packet(59, '0000');
      p[5] = 1;
      expectError(p, 'bad-length', 4);
    });
    it('destination_options_header_overrunning_the_packet_at_its_hdr_ext_len', () =>
      expectError(packet(60, '3b 01 01 04 00000000'), 'bad-length', 41));
    it('routing_header_overrunning_the_packet_at_its_hdr_ext_len', () =>
      expectError(packet(43, '3b 02 00 00 00000000'), 'bad-length', 41));
    it('routing_header_with_an_odd_hdr_ext_len', () =>
      expectError(packet(43, `3b 01 00 00 00000000 ${'00'.repeat(8)}`), 'bad-length', 41));
    it('option_overrunning_its_header_at_its_length_byte', () =>
      expectError(packet(60, '3b 00 1e 05 00 00 00 00'), 'bad-length', 43));
    it('hao_of_length_15_at_its_length_byte', () =>
      expectError(packet(60, `3b 02 01 02 0000 c9 0f ${'00'.repeat(15)} 00`), 'bad-length', 47));
    it('bu_shorter_than_8_bytes', () =>
      expectError(packet(60, '3b 01 c6 07 00000000000000 01 03 000000'), 'bad-length', 43));
    it('ba_shorter_than_11_bytes', () =>
      expectError(packet(60, '3b 01 00 07 0a 00000000000000000000 00 00'), 'bad-length', 44));
    it('unique_id_of_length_3', () =>
      expectError(packet(60, `3b 02 c6 0d ${BU_FIXED} 02 03 000000 01 05 0000000000`), 'bad-length', 53));
    it('alternate_coa_of_length_15', () =>
      expectError(packet(60, `3b 03 c6 19 ${BU_FIXED} 04 0f ${'00'.repeat(15)} 01 01 00`), 'bad-length', 53));
    it('homeless_support_of_length_1', () =>
      expectError(packet(60, `3b 01 c6 0b ${BU_FIXED} 80 01 00 00`), 'bad-length', 53));
    it('security_of_length_15', () =>
      expectError(packet(60, `3b 03 c6 19 ${BU_FIXED} 82 0f ${'00'.repeat(15)} 01 01 00`), 'bad-length', 53));
    it('alternate_prefixes_without_its_count_byte', () =>
      expectError(packet(60, `3b 01 c6 0a ${BU_FIXED} 81 00 00 00`), 'bad-length', 53));
    it('alternate_prefixes_length_not_one_plus_whole_prefixes', () =>
      // PL 1 (8-byte prefixes), length 6: 1 + 5 is not a multiple of 8.
      expectError(packet(60, `3b 02 c6 10 ${BU_FIXED} 81 06 41 0000000000 01 01 00 00`), 'bad-length', 53));
    it('alternate_prefixes_with_the_drafts_length_equation', () =>
      // The draft's equation gives 1 + 16 for one PL 1 prefix; by the erratum 16 bytes are two
      // 8-byte prefixes, which disagrees with Prefix Count 1: malformed, at the PL/count byte.
      expectError(packet(60, `3b 03 c6 1b ${BU_FIXED} 81 11 41 ${'00'.repeat(16)} 00`), 'malformed', 54));
    it('sub_option_overrunning_its_option', () =>
      expectError(packet(60, `3b 01 c6 0a ${BU_FIXED} 99 01 ff 00`), 'bad-length', 53));
    it('ah_length_not_a_multiple_of_8', () =>
      expectError(packet(51, `3b 05 0000 00000100 00000001 ${'00'.repeat(16)}`), 'bad-length', 41));
    it('ah_overrunning_the_packet', () =>
      expectError(packet(51, `3b 04 0000 00000100 00000001 ${'00'.repeat(4)}`), 'bad-length', 41));
    it('udp_length_disagreeing_with_the_packet_at_the_udp_length', () =>
      expectError(packet(17, '1388 1389 000b ffff 6869'), 'bad-length', 44));
  });

  describe('malformed', () => {
    it('two_haos_at_the_second', () =>
      expectError(packet(60, `3b 05 01 02 0000 ${HAO} 01 04 00000000 ${HAO}`), 'malformed', 70));
    it('two_brs_at_the_second', () => expectError(packet(60, '3b 00 08 00 08 00 00 00'), 'malformed', 44));
    it('segments_left_above_the_address_count', () =>
      expectError(packet(43, `3b 02 00 02 00000000 ${DST_HEX}`), 'malformed', 43));
    it('alternate_prefixes_count_disagreeing_with_the_length_at_the_count_byte', () =>
      // PL 0, two 4-byte prefixes by length (9) but count 1; the count byte is at 54.
      expectError(packet(60, `3b 02 c6 13 ${BU_FIXED} 81 09 01 ${'00'.repeat(8)} 00`), 'malformed', 54));
  });

  describe('unsupported-header', () => {
    it.each([
      [0, 'hop_by_hop'],
      [44, 'fragment'],
      [50, 'esp'],
    ])('next_header_%i_%s_at_its_offset', (nh) =>
      expectError(packet(nh, '3b 00 01 04 00000000'), 'unsupported-header', 40),
    );
    it('esp_after_destination_options', () =>
      expectError(packet(60, '32 00 01 04 00000000'), 'unsupported-header', 48));
    it('routing_type_2_at_the_type_byte', () =>
      expectError(packet(43, `3b 02 02 01 00000000 ${DST_HEX}`), 'unsupported-header', 42));
  });

  describe('header-order', () => {
    it('routing_after_destination_options', () =>
      expectError(packet(60, `2b 00 01 04 00000000 3b 02 00 00 00000000 ${DST_HEX}`), 'header-order', 48));
    it('destination_options_after_ah', () =>
      expectError(
        packet(51, `3c 04 0000 00000100 00000001 ${'00'.repeat(12)} 3b 00 01 04 00000000`),
        'header-order',
        64,
      ));
    it('a_second_routing_header', () =>
      expectError(packet(43, `2b 00 00 00 00000000 3b 00 00 00 00000000`), 'header-order', 48));
    it('a_second_ah', () =>
      expectError(
        packet(51, `33 04 0000 00000100 00000001 ${'00'.repeat(12)} 3b 04 0000 00000100 00000001 ${'00'.repeat(12)}`),
        'header-order',
        64,
      ));
  });

  describe('bad-checksum', () => {
    it('udp_checksum_zero_at_the_checksum', () =>
      expectError(packet(17, '1388 1389 000a 0000 6869'), 'bad-checksum', 46));
    it('udp_checksum_wrong_at_the_checksum', () =>
      expectError(packet(17, '1388 1389 000a 14ec 6869'), 'bad-checksum', 46));
    it('icmpv6_checksum_wrong_at_the_checksum', () =>
      expectError(packet(58, '80 00 b0af 1234 0001 6162'), 'bad-checksum', 42));
    it('accepts_the_right_ones', () => {
      expect(decodePacket(packet(17, '1388 1389 000a 14eb 6869')).ok).toBe(true);
      expect(decodePacket(packet(58, '80 00 b0ae 1234 0001 6162')).ok).toBe(true);
    });
  });

  it('never_throws_on_non_byte_input', () => {
    expect(decodePacket(null as unknown as Uint8Array)).toMatchObject({
      ok: false,
      error: { code: 'truncated', offset: 0 },
    });
  });
});

describe('encode errors', () => {
  const bu = (subOptions: Extract<DestOption, { kind: 'bu' }>['subOptions']): DestOption => ({
    kind: 'bu',
    flags: { ack: false, home: false, router: false, dad: false },
    prefixLength: 0,
    sequence: 1,
    lifetimeSeconds: 0,
    subOptions,
  });
  const withOptions = (destOptions: DestOption[]): Packet => ({ ...basePacket(), destOptions });

  function expectEncodeError(p: Packet, code: 'too-long' | 'bad-value'): void {
    let thrown: unknown;
    try {
      encodePacket(p);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(EncodeError);
    expect((thrown as EncodeError).code).toBe(code);
  }

  it('option_over_255_bytes_is_too_long', () => {
    const prefixes = Array.from({ length: 15 }, () => new Uint8Array(16));
    expectEncodeError(
      withOptions([
        bu([
          { kind: 'alternate-prefixes', pl: 3, prefixes },
          { kind: 'alternate-prefixes', pl: 3, prefixes },
        ]),
      ]),
      'too-long',
    );
  });
  it('option_of_exactly_255_bytes_encodes', () => {
    // 8 fixed + unknown sub-option of 2 + 245 = 255.
    const bytes = encodePacket(withOptions([bu([{ kind: 'unknown', type: 0x99, data: new Uint8Array(245) }])]));
    expect(bytes[43]).toBe(255);
  });
  it('alternate_prefixes_over_255_bytes_is_too_long', () =>
    expectEncodeError(
      withOptions([
        bu([{ kind: 'alternate-prefixes', pl: 3, prefixes: Array.from({ length: 16 }, () => new Uint8Array(16)) }]),
      ]),
      'too-long',
    ));
  it('alternate_prefixes_of_64_short_prefixes_is_too_long', () =>
    expectEncodeError(
      withOptions([
        bu([{ kind: 'alternate-prefixes', pl: 0, prefixes: Array.from({ length: 64 }, () => new Uint8Array(4)) }]),
      ]),
      'too-long',
    ));
  it('prefix_of_the_wrong_size_is_a_bad_value', () =>
    expectEncodeError(
      withOptions([bu([{ kind: 'alternate-prefixes', pl: 1, prefixes: [new Uint8Array(4)] }])]),
      'bad-value',
    ));
  it('security_value_of_15_bytes_is_a_bad_value', () =>
    expectEncodeError(withOptions([bu([{ kind: 'security', value: new Uint8Array(15) }])]), 'bad-value'));
  it('unknown_option_data_over_255_bytes_is_too_long', () =>
    expectEncodeError(withOptions([{ kind: 'unknown', type: 0x1e, data: new Uint8Array(256) }]), 'too-long'));
  it('destination_options_header_over_2048_bytes_is_too_long', () =>
    expectEncodeError(
      withOptions(
        Array.from({ length: 9 }, (): DestOption => ({ kind: 'unknown', type: 0x1e, data: new Uint8Array(255) })),
      ),
      'too-long',
    ));
  it('payload_over_65535_bytes_is_too_long', () =>
    expectEncodeError(
      basePacket({ kind: 'udp', sourcePort: 1, destinationPort: 2, payload: new Uint8Array(65535 - 7) }),
      'too-long',
    ));
  it('payload_of_exactly_65535_bytes_encodes', () => {
    const bytes = encodePacket(
      basePacket({ kind: 'udp', sourcePort: 1, destinationPort: 2, payload: new Uint8Array(65535 - 8) }),
    );
    expect(bytes.length).toBe(40 + 65535);
    expect(decodePacket(bytes).ok).toBe(true);
  });
  it('routing_header_with_128_addresses_is_too_long', () =>
    expectEncodeError(
      { ...basePacket(), routing: { segmentsLeft: 0, addresses: Array.from({ length: 128 }, () => '2001:db8::1') } },
      'too-long',
    ));
  it.each<[string, Packet]>([
    ['empty_destination_options', withOptions([])],
    [
      'two_haos',
      withOptions([
        { kind: 'hao', homeAddress: '::1' },
        { kind: 'hao', homeAddress: '::1' },
      ]),
    ],
    [
      'two_brs',
      withOptions([
        { kind: 'br', subOptions: [] },
        { kind: 'br', subOptions: [] },
      ]),
    ],
    ['unknown_option_with_a_known_type', withOptions([{ kind: 'unknown', type: 0xc9, data: new Uint8Array(16) }])],
    ['unknown_option_with_the_padn_type', withOptions([{ kind: 'unknown', type: 1, data: new Uint8Array(0) }])],
    [
      'unknown_sub_option_with_a_known_type',
      withOptions([bu([{ kind: 'unknown', type: 130, data: new Uint8Array(16) }])]),
    ],
    ['traffic_class_256', { ...basePacket(), ipv6: { ...basePacket().ipv6, trafficClass: 256 } }],
    ['flow_label_2_to_the_20', { ...basePacket(), ipv6: { ...basePacket().ipv6, flowLabel: 0x100000 } }],
    ['negative_hop_limit', { ...basePacket(), ipv6: { ...basePacket().ipv6, hopLimit: -1 } }],
    ['source_not_an_address', { ...basePacket(), ipv6: { ...basePacket().ipv6, source: '2001:db8::g' } }],
    ['segments_left_above_the_address_count', { ...basePacket(), routing: { segmentsLeft: 2, addresses: ['::1'] } }],
    ['ah_not_a_multiple_of_8', { ...basePacket(), ah: { spi: 256, sequence: 1, authData: new Uint8Array(13) } }],
    ['ah_spi_above_32_bits', { ...basePacket(), ah: { spi: 2 ** 32, sequence: 1, authData: new Uint8Array(12) } }],
    [
      'bu_sequence_above_16_bits',
      withOptions([{ ...(bu([]) as Extract<DestOption, { kind: 'bu' }>), sequence: 65536 }]),
    ],
    [
      'fractional_lifetime',
      withOptions([{ ...(bu([]) as Extract<DestOption, { kind: 'bu' }>), lifetimeSeconds: 1.5 }]),
    ],
    ['raw_udp', basePacket({ kind: 'raw', protocol: 17, data: new Uint8Array(8) })],
    ['raw_hop_by_hop', basePacket({ kind: 'raw', protocol: 0, data: new Uint8Array(8) })],
    [
      'icmp_other_that_is_an_echo',
      basePacket({ kind: 'icmpv6', message: { type: 'other', icmpType: 128, code: 0, body: new Uint8Array(4) } }),
    ],
    [
      'icmp_other_that_is_a_parameter_problem',
      basePacket({ kind: 'icmpv6', message: { type: 'other', icmpType: 4, code: 1, body: new Uint8Array(4) } }),
    ],
    [
      'udp_port_above_16_bits',
      basePacket({ kind: 'udp', sourcePort: 70000, destinationPort: 1, payload: new Uint8Array(0) }),
    ],
  ])('%s_is_a_bad_value', (_, p) => expectEncodeError(p, 'bad-value'));
});
