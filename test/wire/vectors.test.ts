// Golden vectors (test/vectors/*.json): each named packet decodes to its recorded fields,
// re-encodes to the same bytes, verifies under its recorded key, and is exactly what the
// generator (`hmip6 vectors`) builds from its inputs today.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeChallenge, makeResponse, verifyAh } from '../../impl/crypto/index.js';
import { addressToBytes, decodePacket, encodePacket, fromHex, toHex } from '../../impl/wire/index.js';
import { packetFromJson } from '../../impl/wire/json.js';
import { buildVectors, VECTOR_FORMAT, type Vector } from '../../cli/lib/vectors.js';

const DIR = join(import.meta.dirname, '..', 'vectors');
const committed: Vector[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Vector);

function hexBytes(hex: string): Uint8Array {
  const b = fromHex(hex);
  if (b === null) throw new Error(`not hex: ${hex}`);
  return b;
}

describe('golden vectors', () => {
  it('cover_every_packet_kind_the_issue_names', () => {
    const names = committed.map((v) => v.name);
    for (const required of [
      'initial-bu',
      'ba-challenge',
      'response-bu-direct',
      'response-bu-alternate-coa',
      'deleting-bu',
      'udp-ah-sha256',
      'routing-header-standard-mobile',
      'alternate-prefixes-pl0',
      'alternate-prefixes-pl1',
      'alternate-prefixes-pl2',
      'alternate-prefixes-pl3',
    ]) {
      expect(names).toContain(required);
    }
  });

  it('committed_files_match_the_generator', () => {
    const fresh = buildVectors();
    expect(committed.map((v) => v.name).sort()).toEqual(fresh.map((v) => v.name).sort());
    for (const v of fresh) {
      const c = committed.find((x) => x.name === v.name);
      expect(c, v.name).toEqual(v);
    }
  });

  describe.each(committed.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    it('has_the_vector_format', () => {
      expect(v.format).toBe(VECTOR_FORMAT);
    });

    it('decodes_to_its_recorded_fields', () => {
      const decoded = decodePacket(hexBytes(v.hex));
      expect(decoded.ok).toBe(true);
      if (decoded.ok) expect(decoded.packet).toEqual(packetFromJson(v.packet));
    });

    it('encodes_to_its_recorded_bytes', () => {
      expect(toHex(encodePacket(packetFromJson(v.packet)))).toBe(v.hex);
    });

    it('verifies_under_its_recorded_key_or_carries_no_ah', () => {
      const bytes = hexBytes(v.hex);
      const decoded = decodePacket(bytes);
      if (!decoded.ok) throw new Error(decoded.error.message);
      const sa = v.inputs.sa;
      if (sa === undefined) {
        expect(decoded.packet.ah).toBeUndefined();
        return;
      }
      const ah = decoded.packet.ah;
      expect(ah?.spi).toBe(sa.spi);
      expect(ah?.sequence).toBe(sa.sequence);
      if (ah === undefined) return;
      expect(verifyAh(bytes, decoded.layout, ah, { alg: sa.alg, key: hexBytes(sa.key) })).toBe(true);
      // One flipped bit in the covered part must break it.
      const flipped = bytes.slice();
      flipped[8] ^= 0x01; // first byte of the source address
      const again = decodePacket(flipped);
      if (again.ok && again.packet.ah !== undefined) {
        expect(verifyAh(flipped, again.layout, again.packet.ah, { alg: sa.alg, key: hexBytes(sa.key) })).toBe(false);
      }
    });

    it('carries_the_challenge_and_response_its_inputs_give', () => {
      const { sa, time, checkedAddress, challenge, response } = v.inputs;
      if (challenge === undefined) return;
      if (sa === undefined || time === undefined || checkedAddress === undefined) throw new Error('incomplete inputs');
      const key = hexBytes(sa.key);
      const addr = addressToBytes(checkedAddress);
      const c = makeChallenge(sa.alg, key, addr, hexBytes(time));
      expect(toHex(c)).toBe(challenge);
      if (response !== undefined) expect(toHex(makeResponse(sa.alg, key, c, addr))).toBe(response);
      expect(v.hex).toContain(response ?? challenge);
    });
  });
});
