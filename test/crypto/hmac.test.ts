// Known answers: HMAC-SHA-1 from RFC 2202 §3 (all seven cases) and HMAC-SHA-256 from
// RFC 4231 §4 (cases 1-4, 6, 7 in full; case 5 truncated to 128 bits as the RFC gives it).
// The algorithm names only choose the hash here; hmacDigest returns the full HMAC.

import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ALGORITHMS, checkKey, constantTimeEqual, hmacDigest } from '../../impl/crypto/index.js';
import { fromHex, toHex } from '../../impl/wire/index.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const fill = (byte: number, n: number): Uint8Array => new Uint8Array(n).fill(byte);
const hex = (s: string): Uint8Array => fromHex(s) ?? new Uint8Array(0);
const KEY_25 = hex('0102030405060708090a0b0c0d0e0f10111213141516171819');

const RFC_2202_SHA1: Array<[string, Uint8Array, Uint8Array, string]> = [
  ['1', fill(0x0b, 20), ascii('Hi There'), 'b617318655057264e28bc0b6fb378c8ef146be00'],
  ['2', ascii('Jefe'), ascii('what do ya want for nothing?'), 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79'],
  ['3', fill(0xaa, 20), fill(0xdd, 50), '125d7342b9ac11cd91a39af48aa17b4f63f175d3'],
  ['4', KEY_25, fill(0xcd, 50), '4c9007f4026250c6bc8414f9bf50c86c2d7235da'],
  ['5', fill(0x0c, 20), ascii('Test With Truncation'), '4c1a03424b55e07fe7f27be1d58bb9324a9a5a04'],
  [
    '6',
    fill(0xaa, 80),
    ascii('Test Using Larger Than Block-Size Key - Hash Key First'),
    'aa4ae5e15272d00e95705637ce8a3b55ed402112',
  ],
  [
    '7',
    fill(0xaa, 80),
    ascii('Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data'),
    'e8e99d0f45237d786d6bbaa7965c7808bbff1a91',
  ],
];

const RFC_4231_SHA256: Array<[string, Uint8Array, Uint8Array, string]> = [
  ['1', fill(0x0b, 20), ascii('Hi There'), 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
  [
    '2',
    ascii('Jefe'),
    ascii('what do ya want for nothing?'),
    '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  ],
  ['3', fill(0xaa, 20), fill(0xdd, 50), '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe'],
  ['4', KEY_25, fill(0xcd, 50), '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b'],
  [
    '6',
    fill(0xaa, 131),
    ascii('Test Using Larger Than Block-Size Key - Hash Key First'),
    '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
  ],
  [
    '7',
    fill(0xaa, 131),
    ascii(
      'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
    ),
    '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
  ],
];

describe('HMAC known answers', () => {
  it.each(RFC_2202_SHA1)('rfc_2202_hmac_sha1_case_%s', (_, key, data, digest) => {
    expect(toHex(hmacDigest('hmac-sha1-96', key, data))).toBe(digest);
    // Cross-implementation check with node:crypto (OpenSSL).
    expect(createHmac('sha1', key).update(data).digest('hex')).toBe(digest);
  });

  it('rfc_2202_case_5_truncated_to_96_bits_is_its_digest_96', () => {
    expect(toHex(hmacDigest('hmac-sha1-96', fill(0x0c, 20), ascii('Test With Truncation')).slice(0, 12))).toBe(
      '4c1a03424b55e07fe7f27be1',
    );
  });

  it.each(RFC_4231_SHA256)('rfc_4231_hmac_sha256_case_%s', (_, key, data, digest) => {
    expect(toHex(hmacDigest('hmac-sha256-128', key, data))).toBe(digest);
    expect(createHmac('sha256', key).update(data).digest('hex')).toBe(digest);
  });

  it('rfc_4231_case_5_truncated_to_128_bits', () => {
    const mac = hmacDigest('hmac-sha256-128', fill(0x0c, 20), ascii('Test With Truncation')).slice(0, 16);
    expect(toHex(mac)).toBe('a3b6167473100ee06e0c796c2955552b');
  });
});

describe('hmacDigest', () => {
  it('hashes_the_concatenation_of_its_parts', () => {
    const key = fill(7, 20);
    const whole = hmacDigest('hmac-sha1-96', key, ascii('abcdef'));
    expect(hmacDigest('hmac-sha1-96', key, ascii('ab'), ascii(''), ascii('cdef'))).toEqual(whole);
  });

  it('sees_a_key_changed_in_place_after_use', () => {
    // Keyed states are cached per key object; a mutated key must not reuse the old state.
    const key = fill(1, 32);
    const before = hmacDigest('hmac-sha256-128', key, ascii('x'));
    key[0] = 2;
    const after = hmacDigest('hmac-sha256-128', key, ascii('x'));
    expect(after).not.toEqual(before);
    expect(toHex(after)).toBe(createHmac('sha256', key).update('x').digest('hex'));
  });

  it('sees_a_buffer_key_changed_in_place_after_use', () => {
    const key = Buffer.alloc(20, 1);
    const before = hmacDigest('hmac-sha1-96', key, ascii('x'));
    key[19] = 7;
    expect(hmacDigest('hmac-sha1-96', key, ascii('x'))).not.toEqual(before);
    expect(toHex(hmacDigest('hmac-sha1-96', key, ascii('x')))).toBe(createHmac('sha1', key).update('x').digest('hex'));
  });

  it('keeps_the_two_algorithms_apart_for_one_key', () => {
    const key = fill(9, 32);
    expect(toHex(hmacDigest('hmac-sha1-96', key, ascii('m')))).toBe(createHmac('sha1', key).update('m').digest('hex'));
    expect(toHex(hmacDigest('hmac-sha256-128', key, ascii('m')))).toBe(
      createHmac('sha256', key).update('m').digest('hex'),
    );
    expect(toHex(hmacDigest('hmac-sha1-96', key, ascii('m')))).toBe(createHmac('sha1', key).update('m').digest('hex'));
  });
});

describe('ALGORITHMS and checkKey', () => {
  it('fixes_the_sizes_of_wire_md', () => {
    expect(ALGORITHMS).toEqual({
      'hmac-sha1-96': { icvBytes: 12, keyBytes: 20, authDataBytes: 12 },
      'hmac-sha256-128': { icvBytes: 16, keyBytes: 32, authDataBytes: 20 },
    });
  });

  it('refuses_keys_of_the_wrong_length_and_unknown_algorithms', () => {
    expect(checkKey('hmac-sha1-96', new Uint8Array(20))).toBeNull();
    expect(checkKey('hmac-sha256-128', new Uint8Array(32))).toBeNull();
    expect(checkKey('hmac-sha1-96', new Uint8Array(32))).toMatch(/20-byte/);
    expect(checkKey('hmac-sha256-128', new Uint8Array(20))).toMatch(/32-byte/);
    expect(checkKey('hmac-md5-96' as 'hmac-sha1-96', new Uint8Array(16))).toMatch(/unknown algorithm/);
    expect(checkKey('toString' as 'hmac-sha1-96', new Uint8Array(16))).toMatch(/unknown algorithm/);
  });
});

describe('constantTimeEqual', () => {
  it('compares_bytes_and_lengths', () => {
    expect(constantTimeEqual(hex('0102'), hex('0102'))).toBe(true);
    expect(constantTimeEqual(hex('0102'), hex('0103'))).toBe(false);
    expect(constantTimeEqual(hex('8000'), hex('0000'))).toBe(false);
    expect(constantTimeEqual(hex('0102'), hex('010200'))).toBe(false);
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });
});
