// The ground truth's own header walk (properties/truth/packet.ts, arrival.ts) reads what the
// codec reads, on every packet of random worlds and on random packets: addresses, routing
// header, HAO, AH fields and the upper layer. It is a second reading, so that the world's
// verdicts do not rest on impl/wire alone.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePacket, encodePacket, optionAction, toHex, type Packet } from '../../impl/wire/index.js';
import { packetArbitrary } from '../../properties/arbitraries/packet.js';
import { arrivalFacts, type ArrivalFacts } from '../../properties/truth/index.js';
import { fcParams } from '../wire/fc-config.js';
import { WORLD_SEED, worldPackets } from './helpers.js';

/** The facts as the codec reads them, in the truth's shape (without the walk itself). */
function codecFacts(p: Packet): Omit<ArrivalFacts, 'walk' | 'checksumValid'> {
  const hao = p.destOptions?.find((o) => o.kind === 'hao');
  const u = p.upper;
  let upper: ArrivalFacts['upper'];
  if (u.kind === 'udp')
    upper = { kind: 'udp', sourcePort: u.sourcePort, destinationPort: u.destinationPort, payload: u.payload };
  else if (u.kind === 'icmpv6' && (u.message.type === 'echo-request' || u.message.type === 'echo-reply'))
    upper = { kind: 'icmp', type: u.message.type === 'echo-request' ? 128 : 129, code: 0, data: u.message.data };
  else if (u.kind === 'none') upper = { kind: 'none' };
  else upper = { kind: 'other' };
  return {
    source: p.ipv6.source,
    destination: p.ipv6.destination,
    routing: p.routing?.addresses ?? [],
    finalDestination:
      p.routing !== undefined && p.routing.segmentsLeft > 0 && p.routing.addresses.length > 0
        ? p.routing.addresses[p.routing.addresses.length - 1]
        : p.ipv6.destination,
    hao: hao !== undefined,
    homeAddress: hao !== undefined && hao.kind === 'hao' ? hao.homeAddress : null,
    discardingUnknownOption:
      p.destOptions?.some((o) => o.kind === 'unknown' && optionAction(o.type) !== 'skip') ?? false,
    ah: p.ah === undefined ? null : { spi: p.ah.spi, sequence: p.ah.sequence },
    upper,
  };
}

/**
 * Comparable text of facts (byte arrays as hex). ICMP other than an echo of code 0 (what the
 * codec decodes as an echo, RFC 4443 §4) is compared by kind only.
 */
function text(f: Omit<ArrivalFacts, 'walk' | 'checksumValid'>): string {
  const u = f.upper;
  const echo = u.kind === 'icmp' && (u.type === 128 || u.type === 129) && u.code === 0;
  const upper =
    u.kind === 'udp'
      ? { ...u, payload: toHex(u.payload) }
      : echo
        ? { kind: 'icmp', type: u.type, data: toHex(u.data) }
        : { kind: u.kind === 'icmp' ? 'other' : u.kind };
  return JSON.stringify({ ...f, upper });
}

function truthFacts(b: Uint8Array): Omit<ArrivalFacts, 'walk' | 'checksumValid'> | null {
  const f = arrivalFacts(b);
  if (f === null) return null;
  const { walk: _walk, checksumValid: _checksum, ...rest } = f;
  return rest;
}

describe('the ground truth header walk', () => {
  it('reads_every_decodable_packet_of_random_worlds_as_the_codec_does', () => {
    let compared = 0;
    let routed = 0;
    for (const { record, bytes } of worldPackets()) {
      const decoded = decodePacket(bytes);
      if (!decoded.ok) continue;
      const facts = truthFacts(bytes);
      expect(facts, `#${record.id} ${record.summary} (world seed ${WORLD_SEED})`).not.toBeNull();
      if (facts === null) continue;
      expect(text(facts), `#${record.id} ${record.summary}`).toBe(text(codecFacts(decoded.packet)));
      expect(arrivalFacts(bytes)?.checksumValid, `#${record.id} ${record.summary}`).not.toBe(false);
      compared += 1;
      if (facts.routing.length > 0) routed += 1;
    }
    expect(compared).toBeGreaterThan(500);
    // Mallory's packets routed through Alice (`spoof routed-away`) at least.
    expect(routed).toBeGreaterThan(0);
  });

  it('reads_random_packets_as_the_codec_does', () => {
    fc.assert(
      fc.property(packetArbitrary({ payloadBytesMax: 32 }), (p) => {
        const b = encodePacket(p);
        const decoded = decodePacket(b);
        if (!decoded.ok) return true; // e.g. a zero-length routing list the codec refuses
        const facts = truthFacts(b);
        if (facts === null) return false;
        expect(text(facts)).toBe(text(codecFacts(decoded.packet)));
        return true;
      }),
      fcParams(500),
    );
  });

  it('gives_null_for_bytes_that_are_no_ipv6_packet_of_their_length', () => {
    expect(arrivalFacts(new Uint8Array(0))).toBeNull();
    expect(arrivalFacts(new Uint8Array(40))).toBeNull(); // version 0
    const b = new Uint8Array(48);
    b[0] = 0x60;
    b[5] = 9; // Payload Length 9, 8 bytes follow
    b[6] = 59;
    expect(arrivalFacts(b)).toBeNull();
  });
});
