import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../impl/wire/index.js';
import { fcParams } from './fc-config.js';

describe('hex', () => {
  it('writes_lowercase_two_digits_per_byte', () => {
    expect(toHex(Uint8Array.from([0, 1, 0xab, 0xff]))).toBe('0001abff');
    expect(toHex(new Uint8Array(0))).toBe('');
  });

  it('reads_either_case', () => {
    expect(fromHex('00ABff')).toEqual(Uint8Array.from([0, 0xab, 0xff]));
    expect(fromHex('')).toEqual(new Uint8Array(0));
  });

  it.each(['0', 'abc', '0g', 'zz', ' 00', '0x00', '00 ', '+1'])('refuses_%j', (text) => {
    expect(fromHex(text)).toBeNull();
  });

  it('round_trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(fromHex(toHex(b))).toEqual(b);
        expect(fromHex(toHex(b).toUpperCase())).toEqual(b);
        expect(toHex(b)).toBe(Buffer.from(b).toString('hex'));
      }),
      fcParams(500),
    );
  });
});
