// Reachability verification (§3.4.2; WIRE.md): Challenge = HMAC(K, ADDR || TIME) and
// Response = HMAC(K, Challenge || ADDR), both cut to 16 bytes, checked against node:crypto.

import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHALLENGE_BYTES, makeChallenge, makeResponse, TIME_BYTES, type AhAlgorithm } from '../../impl/crypto/index.js';
import { addressToBytes } from '../../impl/wire/index.js';
import { fcParams } from '../wire/fc-config.js';

const NODE_HASH: Record<AhAlgorithm, string> = { 'hmac-sha1-96': 'sha1', 'hmac-sha256-128': 'sha256' };
const KEY_BYTES: Record<AhAlgorithm, number> = { 'hmac-sha1-96': 20, 'hmac-sha256-128': 32 };

function nodeHmac16(alg: AhAlgorithm, key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const h = createHmac(NODE_HASH[alg], key);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest()).slice(0, 16);
}

describe('challenge and response', () => {
  it('fixes_the_sizes', () => {
    expect(TIME_BYTES).toBe(8);
    expect(CHALLENGE_BYTES).toBe(16);
  });

  it.each<AhAlgorithm>(['hmac-sha1-96', 'hmac-sha256-128'])('%s_known_answer_matches_node_crypto', (alg) => {
    const key = Uint8Array.from({ length: KEY_BYTES[alg] }, (_, i) => 0x11 * (i % 15));
    const addr = addressToBytes('2001:db8:5::1');
    const time = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const challenge = makeChallenge(alg, key, addr, time);
    expect(challenge).toEqual(nodeHmac16(alg, key, addr, time));
    expect(makeResponse(alg, key, challenge, addr)).toEqual(nodeHmac16(alg, key, challenge, addr));
    expect(challenge.length).toBe(16);
  });

  it('matches_node_crypto_on_random_inputs', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<AhAlgorithm>('hmac-sha1-96', 'hmac-sha256-128'),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        (alg, key32, addr, time) => {
          const key = key32.slice(0, KEY_BYTES[alg]);
          const challenge = makeChallenge(alg, key, addr, time);
          expect(challenge).toEqual(nodeHmac16(alg, key, addr, time));
          expect(makeResponse(alg, key, challenge, addr)).toEqual(nodeHmac16(alg, key, challenge, addr));
        },
      ),
      fcParams(300),
    );
  });

  it('depends_on_the_address_the_time_and_the_key', () => {
    const key = new Uint8Array(20).fill(1);
    const a = addressToBytes('2001:db8::1');
    const b = addressToBytes('2001:db8::2');
    const t = new Uint8Array(8);
    const base = makeChallenge('hmac-sha1-96', key, a, t);
    expect(makeChallenge('hmac-sha1-96', key, b, t)).not.toEqual(base);
    expect(makeChallenge('hmac-sha1-96', key, a, Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 1]))).not.toEqual(base);
    expect(makeChallenge('hmac-sha1-96', new Uint8Array(20).fill(2), a, t)).not.toEqual(base);
    expect(makeResponse('hmac-sha1-96', key, base, a)).not.toEqual(makeResponse('hmac-sha1-96', key, base, b));
  });

  it('throws_on_wrong_sizes', () => {
    const key = new Uint8Array(20);
    const addr = new Uint8Array(16);
    expect(() => makeChallenge('hmac-sha1-96', key, addr, new Uint8Array(7))).toThrow(RangeError);
    expect(() => makeChallenge('hmac-sha1-96', key, new Uint8Array(4), new Uint8Array(8))).toThrow(RangeError);
    expect(() => makeChallenge('hmac-sha1-96', new Uint8Array(32), addr, new Uint8Array(8))).toThrow(RangeError);
    expect(() => makeResponse('hmac-sha1-96', key, new Uint8Array(12), addr)).toThrow(RangeError);
  });
});
