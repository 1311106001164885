// The ground truth's own AH/ICV (properties/truth/icv.ts) agrees with impl/crypto wherever
// impl/crypto is right: on the golden vectors, on every packet of random worlds, and on random
// packets protected by impl; and it disagrees with an ICV routine that gets WIRE.md wrong,
// which a check sharing impl's code could never notice.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacDigest, icvInput as implIcvInput, protect, verifyAh, type AhAlgorithm } from '../../impl/crypto/index.js';
import { bytesToAddress, decodePacket, toHex } from '../../impl/wire/index.js';
import { packetArbitrary } from '../../properties/arbitraries/packet.js';
import { computeIcv, icvInput, TRUTH_ALGORITHMS, verifyIcv, walkPacket } from '../../properties/truth/index.js';
import { fcParams } from '../wire/fc-config.js';
import { bytes, VECTORS, WORLD_SEED, worldPackets } from './helpers.js';

const ALGS: AhAlgorithm[] = ['hmac-sha1-96', 'hmac-sha256-128'];
const keyArbitrary = (alg: AhAlgorithm): fc.Arbitrary<Uint8Array> =>
  fc.uint8Array({ minLength: TRUTH_ALGORITHMS[alg].keyBytes, maxLength: TRUTH_ALGORITHMS[alg].keyBytes });
const saArbitrary = fc.constantFrom(...ALGS).chain((alg) =>
  fc.record({
    alg: fc.constant(alg),
    key: keyArbitrary(alg),
    spi: fc.integer({ min: 256, max: 0xffffffff }),
    sequence: fc.integer({ min: 1, max: 0xffffffff }),
  }),
);

/** Offsets in the IPv6 header (RFC 2460 §3). */
const HOP_LIMIT_AT = 7;
const DESTINATION_AT = 24;

describe('the ground truth ICV', () => {
  const withSa = VECTORS.filter((v) => v.inputs.sa !== undefined);

  it.each(withSa.map((v) => [v.name, v] as const))('golden_vector_%s_verifies_under_the_truths_own_icv', (_name, v) => {
    const sa = v.inputs.sa;
    if (sa === undefined) throw new Error('no SA');
    const b = bytes(v.hex);
    const key = bytes(sa.key);
    expect(verifyIcv(b, { alg: sa.alg, key })).toBe(true);
    const walk = walkPacket(b);
    if (walk?.ah === undefined) throw new Error('the vector does not walk or has no AH');
    expect(toHex(computeIcv(b, { alg: sa.alg, key }) ?? new Uint8Array(0))).toBe(
      toHex(b.subarray(walk.ah.authDataAt, walk.ah.authDataAt + TRUTH_ALGORITHMS[sa.alg].icvBytes)),
    );
    const decoded = decodePacket(b);
    if (!decoded.ok) throw new Error('the vector does not decode');
    expect(toHex(icvInput(b, walk))).toBe(toHex(implIcvInput(b, decoded.layout)));
  });

  it('routing_header_vector_is_covered_in_its_arrival_form', () => {
    // WIRE.md: sent to the care-of address with list [home], Segments Left 1; covered as it
    // arrives: destination home, list [care-of], Segments Left 0.
    const v = VECTORS.find((x) => x.name === 'routing-header-standard-mobile');
    if (v === undefined) throw new Error('no routing-header vector');
    const b = bytes(v.hex);
    const walk = walkPacket(b);
    if (walk?.routing === undefined) throw new Error('no routing header');
    const covered = icvInput(b, walk);
    expect(bytesToAddress(covered, DESTINATION_AT)).toBe('2001:db8:c::1');
    expect(bytesToAddress(covered, walk.routing.at + 8)).toBe('2001:db8:c9::77');
    expect(covered[walk.routing.at + 3]).toBe(0);
    expect(covered[HOP_LIMIT_AT]).toBe(0);
  });

  it('every_packet_of_random_worlds_verifies_alike_under_truth_and_impl', () => {
    let compared = 0;
    let rejected = 0;
    for (const { record, bytes: b, sa } of worldPackets()) {
      const decoded = decodePacket(b);
      if (!decoded.ok) continue;
      expect(walkPacket(b), `#${record.id} ${record.summary} (world seed ${WORLD_SEED})`).not.toBeNull();
      if (sa === null || decoded.packet.ah === undefined) continue;
      const impl = verifyAh(b, decoded.layout, decoded.packet.ah, sa);
      expect(verifyIcv(b, sa), `#${record.id} ${record.summary} under ${sa.name} (world seed ${WORLD_SEED})`).toBe(
        impl,
      );
      compared += 1;
      if (!impl) rejected += 1;
    }
    // Enough of each kind that agreement means something: honest traffic and Mallory's bad
    // ICVs under a peer's SPI (routing headers under AH: the vectors and the random packets).
    expect(compared).toBeGreaterThan(500);
    expect(rejected).toBeGreaterThan(0);
  });

  it('random_packets_protected_by_impl_verify_under_truth_and_every_covered_bit_is_protected', () => {
    fc.assert(
      fc.property(packetArbitrary({ payloadBytesMax: 24 }), saArbitrary, fc.nat(), (p, sa, pick) => {
        const b = protect(p, sa);
        const walk = walkPacket(b);
        const decoded = decodePacket(b);
        if (walk === null || !decoded.ok) return false;
        expect(verifyIcv(b, sa)).toBe(true);
        expect(toHex(icvInput(b, walk))).toBe(toHex(implIcvInput(b, decoded.layout)));
        // A flipped bit: truth and impl agree on whether it still verifies (mutable fields do).
        const flipped = b.slice();
        const bit = pick % (b.length * 8);
        flipped[bit >> 3] ^= 1 << (bit & 7);
        const again = decodePacket(flipped);
        if (again.ok && again.packet.ah !== undefined)
          expect(verifyIcv(flipped, sa)).toBe(verifyAh(flipped, again.layout, again.packet.ah, sa));
        return true;
      }),
      fcParams(300),
    );
  });

  it('hop_limit_and_a_c_bit_option_may_change_en_route_but_the_payload_may_not', () => {
    const sa = {
      alg: 'hmac-sha1-96' as const,
      key: Uint8Array.from({ length: 20 }, (_, i) => i),
      spi: 300,
      sequence: 9,
    };
    const b = protect(
      {
        ipv6: { trafficClass: 0, flowLabel: 0, hopLimit: 64, source: '2001:db8:1::1', destination: '2001:db8:2::1' },
        destOptions: [{ kind: 'unknown', type: 0x3e, data: Uint8Array.from([1, 2, 3, 4]) }],
        upper: { kind: 'udp', sourcePort: 1, destinationPort: 2, payload: Uint8Array.from([9, 9, 9]) },
      },
      sa,
    );
    const walk = walkPacket(b);
    const option = walk?.destOptions?.options.find((o) => o.type === 0x3e);
    if (walk === null || option === undefined) throw new Error('no C-bit option');
    const hop = b.slice();
    hop[HOP_LIMIT_AT] = 1;
    expect(verifyIcv(hop, sa)).toBe(true);
    const mutable = b.slice();
    mutable[option.dataAt] ^= 0xff;
    expect(verifyIcv(mutable, sa)).toBe(true);
    const payload = b.slice();
    payload[b.length - 1] ^= 0x01;
    expect(verifyIcv(payload, sa)).toBe(false);
  });

  it('a_packet_protected_by_a_wrong_icv_routine_is_rejected_by_the_truth_though_the_routine_accepts_its_own', () => {
    // A wrong routine, shared by every node that uses it: the routing header covered as sent
    // (destination CoA, Segments Left 1) instead of in its arrival form. Its own check agrees
    // with itself; the truth, computing WIRE.md's ICV its own way, does not.
    const v = VECTORS.find((x) => x.name === 'routing-header-standard-mobile');
    const vsa = v?.inputs.sa;
    if (v === undefined || vsa === undefined) throw new Error('no routing-header vector');
    const sa = { alg: vsa.alg, key: bytes(vsa.key), spi: vsa.spi, sequence: vsa.sequence };
    const asSent = (b: Uint8Array): Uint8Array => {
      const walk = walkPacket(b);
      if (walk?.ah === undefined) throw new Error('no AH');
      const out = b.slice();
      out[0] &= 0xf0;
      out.fill(0, 1, 4);
      out[HOP_LIMIT_AT] = 0;
      out.fill(0, walk.ah.authDataAt, walk.ah.end);
      return out;
    };
    const wrongIcv = (b: Uint8Array): Uint8Array =>
      hmacDigest(sa.alg, sa.key, asSent(b)).slice(0, TRUTH_ALGORITHMS[sa.alg].icvBytes);
    const b = bytes(v.hex);
    const walk = walkPacket(b);
    if (walk?.ah === undefined) throw new Error('no AH');
    b.set(wrongIcv(b), walk.ah.authDataAt);
    // The routine accepts what it protected...
    expect(toHex(b.subarray(walk.ah.authDataAt, walk.ah.authDataAt + 12))).toBe(toHex(wrongIcv(b)));
    // ...the truth does not.
    expect(verifyIcv(b, sa)).toBe(false);
    // And the right routine's packet passes the truth (the difference is the arrival form alone).
    expect(verifyIcv(bytes(v.hex), sa)).toBe(true);
  });
});
