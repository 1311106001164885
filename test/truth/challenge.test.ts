// The ground truth's Challenge and Response values (properties/truth/challenge.ts, over
// node:crypto) equal the golden vectors' and impl/crypto's (over @noble/hashes) for any key,
// address and TIME (WIRE.md "Reachability verification").

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeChallenge, makeResponse, type AhAlgorithm } from '../../impl/crypto/index.js';
import { addressToBytes, toHex } from '../../impl/wire/index.js';
import { challengeValue, responseValue, TRUTH_ALGORITHMS } from '../../properties/truth/index.js';
import { fcParams } from '../wire/fc-config.js';
import { bytes, VECTORS } from './helpers.js';

const ALGS: AhAlgorithm[] = ['hmac-sha1-96', 'hmac-sha256-128'];

describe('the ground truth Challenge and Response', () => {
  const withChallenge = VECTORS.filter(
    (v) => v.inputs.challenge !== undefined && v.inputs.time !== undefined && v.inputs.sa !== undefined,
  );

  it('the_vectors_carry_challenges', () => {
    expect(withChallenge.length).toBeGreaterThanOrEqual(3);
  });

  it.each(withChallenge.map((v) => [v.name, v] as const))(
    'golden_vector_%s_has_the_truths_challenge_and_response',
    (_name, v) => {
      const { sa, time, checkedAddress, challenge, response } = v.inputs;
      if (sa === undefined || time === undefined || checkedAddress === undefined || challenge === undefined)
        throw new Error('incomplete vector');
      const key = bytes(sa.key);
      const addr = addressToBytes(checkedAddress);
      expect(toHex(challengeValue(sa.alg, key, addr, bytes(time)))).toBe(challenge);
      if (response !== undefined) expect(toHex(responseValue(sa.alg, key, bytes(challenge), addr))).toBe(response);
    },
  );

  it('equal_impls_values_for_any_key_address_and_time', () => {
    const input = fc.constantFrom(...ALGS).chain((alg) =>
      fc.record({
        alg: fc.constant(alg),
        key: fc.uint8Array({ minLength: TRUTH_ALGORITHMS[alg].keyBytes, maxLength: TRUTH_ALGORITHMS[alg].keyBytes }),
        addr: fc.uint8Array({ minLength: 16, maxLength: 16 }),
        time: fc.uint8Array({ minLength: 8, maxLength: 8 }),
      }),
    );
    fc.assert(
      fc.property(input, ({ alg, key, addr, time }) => {
        const challenge = challengeValue(alg, key, addr, time);
        expect(toHex(challenge)).toBe(toHex(makeChallenge(alg, key, addr, time)));
        expect(toHex(responseValue(alg, key, challenge, addr))).toBe(toHex(makeResponse(alg, key, challenge, addr)));
      }),
      fcParams(300),
    );
  });
});
