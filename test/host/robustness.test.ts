// Never throw on peer bytes (DESIGN.md style 2 and 4): the host drops whatever it cannot use,
// and a packet that fails a check changes nothing (HOST.md rule 3, INV-AUTH-REQUIRED).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePacket } from '../../impl/wire/index.js';
import { A1, A2, B1, B2, Network, host, okSent } from './helpers.js';

/** Real traffic between two reference hosts: the seed corpus the mutations start from. */
function corpus(): Uint8Array[] {
  const net = new Network();
  net.add('alice', host([A1, A2], { buOptimization: true }, 1));
  net.add('bob', host([B1], { buOptimization: true }, 2));
  net.establish('alice', A1, 'bob', B1, 300, 400);
  net.nowMs = 10;
  net.post('bob', okSent(net.host('bob').addLocalAddress(B2, net.nowMs)));
  net.post(
    'alice',
    okSent(net.host('alice').send({ to: B1, proto: 'udp', payload: new Uint8Array([1, 2, 3]) }, net.nowMs)),
  );
  net.post('alice', okSent(net.host('alice').send({ to: B1, proto: 'icmp', payload: new Uint8Array([4]) }, net.nowMs)));
  net.run();
  return net.log.map((t) => t.bytes);
}

describe('robustness of the receive path', () => {
  const packets = corpus();

  it('any_bytes_and_any_mutation_of_real_packets_are_handled_without_throwing', () => {
    expect(packets.length).toBeGreaterThan(5);
    const mutated = fc
      .tuple(
        fc.nat({ max: packets.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
      )
      .map(([i, flips]) => {
        const b = packets[i].slice();
        for (const [at, x] of flips) b[at % b.length] ^= x;
        return b;
      });
    const arbitrary = fc.oneof(mutated, fc.uint8Array({ maxLength: 200 }));
    fc.assert(
      fc.property(fc.array(arbitrary, { minLength: 1, maxLength: 8 }), (inputs) => {
        const alice = host([A1, A2], { buOptimization: true }, 3);
        okSent(
          alice.addSA(
            {
              peer: B1,
              inboundSpi: 300,
              outboundSpi: 400,
              alg: 'hmac-sha1-96',
              key: Uint8Array.from({ length: 20 }, (_, i) => 0x10 + i),
              kind: 'generic',
            },
            0,
          ),
        );
        let now = 1;
        for (const bytes of inputs) expect(alice.receive(bytes, now++).ok).toBe(true);
        expect(alice.tick(now).ok).toBe(true);
      }),
      { seed: 20010201, numRuns: 300 },
    );
  });

  it('a_mutated_packet_under_ah_changes_nothing (rule 3)', () => {
    // Bob's packets to Alice under the SA she knows (inbound SPI 300): every byte after the
    // IPv6 header is covered by the ICV (ours carry no option with the C bit).
    const protectedPackets = packets.filter((b) => {
      const d = decodePacket(b);
      return d.ok && d.packet.ah?.spi === 300;
    });
    expect(protectedPackets.length).toBeGreaterThan(2);
    fc.assert(
      fc.property(
        fc.nat({ max: protectedPackets.length - 1 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (i, at, x) => {
          const alice = host([A1, A2], {}, 4);
          okSent(
            alice.addSA(
              {
                peer: B1,
                inboundSpi: 300,
                outboundSpi: 400,
                alg: 'hmac-sha1-96',
                key: Uint8Array.from({ length: 20 }, (_, k) => 0x10 + k),
                kind: 'generic',
              },
              0,
            ),
          );
          const bytes = protectedPackets[i].slice();
          bytes[40 + (at % (bytes.length - 40))] ^= x;
          const before = alice.snapshot();
          expect(alice.receive(bytes, 1)).toEqual({ ok: true, sent: [], delivered: [] });
          expect(alice.snapshot()).toEqual(before);
        },
      ),
      { seed: 20010202, numRuns: 300 },
    );
  });
});
