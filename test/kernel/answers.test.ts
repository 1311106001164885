// describeOffset (properties/kernel/answers.ts) names the byte an ICMPv6 Parameter Problem's
// pointer points at, from the layout decodePacket found. Needs no kernel.

import { describe, expect, it } from 'vitest';
import { describeOffset } from '../../properties/kernel/answers.js';
import { decodePacket, encodePacket, type Packet, type PacketLayout } from '../../impl/wire/index.js';

const PACKET: Packet = {
  ipv6: { trafficClass: 0, flowLabel: 0, hopLimit: 64, source: '2001:db8::1', destination: '2001:db8::2' },
  routing: { segmentsLeft: 1, addresses: ['2001:db8::3'] },
  destOptions: [
    { kind: 'hao', homeAddress: '2001:db8::4' },
    {
      kind: 'bu',
      flags: { ack: true, home: false, router: false, dad: false },
      prefixLength: 0,
      sequence: 1,
      lifetimeSeconds: 600,
      subOptions: [],
    },
  ],
  ah: { spi: 300, sequence: 1, authData: new Uint8Array(12) },
  upper: { kind: 'udp', sourcePort: 1, destinationPort: 2, payload: new Uint8Array(4) },
};

function decoded(): { bytes: Uint8Array; layout: PacketLayout } {
  const bytes = encodePacket(PACKET);
  const d = decodePacket(bytes);
  if (!d.ok) throw new Error(d.error.message);
  return { bytes, layout: d.layout };
}

describe('describeOffset', () => {
  it('names_every_header_and_option_byte_a_pointer_can_reach', () => {
    const { bytes, layout } = decoded();
    // IPv6 0-39, routing 40-63, destination options from 64 (PadN, the HAO at 8n+6, PadN, the BU
    // at 4n+2, PadN to a multiple of 8), then the AH and UDP.
    const [padN, hao, , bu] = layout.options;
    if (padN === undefined || hao === undefined || bu === undefined) throw new Error('unexpected layout');
    const at = (offset: number): string => describeOffset(bytes, layout, offset);
    expect(at(6)).toBe('the IPv6 Next Header field (43, routing header)');
    expect(at(8)).toBe('byte 8 of the IPv6 header');
    expect(at(43)).toBe("the routing header's Segments Left (1)");
    expect(at(50)).toBe('byte 10 of the routing header');
    const header = layout.destOptionsOffset ?? -1;
    expect(at(header)).toBe('byte 0 of the destination options header');
    expect(at(header + 1)).toBe('byte 1 of the destination options header');
    expect(at(padN.offset)).toBe('the Type byte of the option (0x01)');
    expect(at(hao.offset)).toBe('the Type byte of the Home Address option (0xc9)');
    expect(at(hao.offset + 5)).toBe('inside the option of type 0xc9');
    expect(at(bu.offset)).toBe('the Type byte of the Binding Update option (0xc6)');
    expect(at(bu.offset + bu.length - 1)).toBe('inside the option of type 0xc6');
    const ah = layout.ahOffset ?? -1;
    expect(at(ah)).toBe("the AH's Next Header");
    expect(at(ah + 4)).toBe('byte 4 of the AH');
    expect(at(layout.upperOffset + 2)).toBe('byte 2 of the upper layer');
    expect(at(bytes.length)).toBe(`byte ${bytes.length}, beyond the packet`);
  });
});
