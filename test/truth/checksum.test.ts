// The ground truth's UDP/ICMPv6 checksum (properties/truth/checksum.ts) agrees with the codec:
// every packet the codec encodes verifies, and a corrupted upper layer fails both (WIRE.md:
// receivers drop a zero or wrong checksum; the pseudo-header uses the final destination).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePacket, encodePacket } from '../../impl/wire/index.js';
import { packetArbitrary } from '../../properties/arbitraries/packet.js';
import { upperChecksumValid, walkPacket } from '../../properties/truth/index.js';
import { fcParams } from '../wire/fc-config.js';
import { bytes, VECTORS } from './helpers.js';

function valid(b: Uint8Array): boolean | null {
  const walk = walkPacket(b);
  if (walk === null) throw new Error('does not walk');
  return upperChecksumValid(b, walk);
}

describe('the ground truth checksums', () => {
  it.each(
    VECTORS.filter((v) => /"upper":{"kind":"(udp|icmpv6)"/.test(JSON.stringify(v.packet))).map(
      (v) => [v.name, v] as const,
    ),
  )('golden_vector_%s_has_a_valid_checksum', (_name, v) => {
    expect(valid(bytes(v.hex))).toBe(true);
  });

  it('every_encoded_packet_verifies_and_a_corrupted_upper_layer_fails_both_readings', () => {
    fc.assert(
      fc.property(
        packetArbitrary({ payloadBytesMax: 40 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (p, pick, xor) => {
          if (p.upper.kind !== 'udp' && p.upper.kind !== 'icmpv6') return;
          const b = encodePacket(p);
          expect(valid(b)).toBe(true);
          const walk = walkPacket(b);
          if (walk === null) return;
          const at = walk.upper.at + (pick % (b.length - walk.upper.at));
          const corrupted = b.slice();
          corrupted[at] ^= xor;
          const decoded = decodePacket(corrupted);
          const truth = valid(corrupted);
          // The codec may refuse it for another reason first (a UDP length); never accept a bad sum.
          if (truth === false) expect(decoded.ok).toBe(false);
          else expect(decoded.ok || decoded.error.code !== 'bad-checksum').toBe(true);
        },
      ),
      fcParams(400),
    );
  });

  it('a_zero_udp_checksum_is_wrong_over_ipv6', () => {
    const b = encodePacket({
      ipv6: { trafficClass: 0, flowLabel: 0, hopLimit: 64, source: '2001:db8::1', destination: '2001:db8::2' },
      upper: { kind: 'udp', sourcePort: 1, destinationPort: 2, payload: Uint8Array.from([1]) },
    });
    b.fill(0, 46, 48);
    expect(valid(b)).toBe(false);
  });
});
