import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import {
  addressToBytes,
  bytesToAddress,
  isGlobalAddress,
  normalizeAddress,
  sameAddress,
  tryAddressToBytes,
} from '../../impl/wire/index.js';
import { addressBytesArbitrary } from '../../properties/arbitraries/packet.js';
import { fcParams } from './fc-config.js';

const anyAddressBytes = fc.oneof(addressBytesArbitrary, fc.uint8Array({ minLength: 16, maxLength: 16 }));

function isMapped(b: Uint8Array): boolean {
  return b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
}

/** The eight groups written out in full, uppercase: a form no formatter emits. */
function fullUppercase(b: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] << 8) | b[i + 1]).toString(16).padStart(4, '0').toUpperCase());
  return groups.join(':');
}

describe('bytesToAddress (RFC 5952)', () => {
  it.each([
    ['20010db8000000000000000000000001', '2001:db8::1'],
    ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'], // §4.2.3: first of two equal runs
    ['20010db8000000010001000100010001', '2001:db8:0:1:1:1:1:1'], // §4.2.2: one zero group is not compressed
    ['20010db8000000000001000000000000', '2001:db8:0:0:1::'], // longest run wins over the first
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000000000001', '::1'],
    ['00010000000000000000000000000000', '1::'],
    ['fe800000000000000000000000000001', 'fe80::1'],
    ['20010DB8ABCD00120000000000000000'.toLowerCase(), '2001:db8:abcd:12::'],
    ['00000000000000000000ffffc0000201', '::ffff:192.0.2.1'], // §5: IPv4-mapped in dotted form
    ['00000000000000000000ffff00000000', '::ffff:0.0.0.0'],
    ['000000000000000000000000c0000201', '::c000:201'], // IPv4-compatible is not mapped
    ['00000000000000000001ffffc0000201', '::1:ffff:c000:201'],
  ])('formats_%s_as_%s', (hex, text) => {
    const b = Uint8Array.from(Buffer.from(hex, 'hex'));
    expect(bytesToAddress(b)).toBe(text);
  });

  it('reads_at_an_offset', () => {
    const b = new Uint8Array(20);
    b[2] = 0x20;
    b[3] = 0x01;
    b[17] = 5;
    expect(bytesToAddress(b, 2)).toBe('2001::5');
  });

  it('throws_range_error_only_when_16_bytes_are_not_there', () => {
    expect(() => bytesToAddress(new Uint8Array(15))).toThrow(RangeError);
    expect(() => bytesToAddress(new Uint8Array(16), 1)).toThrow(RangeError);
  });

  it('agrees_with_ipaddr_toRFC5952String_on_random_addresses', () => {
    fc.assert(
      fc.property(anyAddressBytes, (b) => {
        const ours = bytesToAddress(b);
        const theirs = (ipaddr.fromByteArray(Array.from(b)) as ipaddr.IPv6).toRFC5952String();
        if (isMapped(b)) {
          // ipaddr.js writes mapped addresses in hex; RFC 5952 §5 recommends the dotted form.
          expect(ours).toBe(`::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`);
          expect(addressToBytes(theirs)).toEqual(b);
        } else {
          expect(ours).toBe(theirs);
        }
      }),
      fcParams(5000),
    );
  });

  it('round_trips_through_addressToBytes_and_normalizeAddress', () => {
    fc.assert(
      fc.property(anyAddressBytes, (b) => {
        const text = bytesToAddress(b);
        expect(addressToBytes(text)).toEqual(b);
        expect(normalizeAddress(text)).toBe(text);
        expect(normalizeAddress(fullUppercase(b))).toBe(text);
        expect(addressToBytes(fullUppercase(b))).toEqual(b);
        const dotted = `${fullUppercase(b).split(':').slice(0, 6).join(':')}:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
        expect(normalizeAddress(dotted)).toBe(text);
        expect(addressToBytes(dotted)).toEqual(b);
      }),
      fcParams(3000),
    );
  });
});

describe('normalizeAddress', () => {
  it.each([
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['::FFFF:192.0.2.1', '::ffff:192.0.2.1'],
    ['::ffff:c000:201', '::ffff:192.0.2.1'],
    ['0:0:0:0:0:ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['::1.2.3.4', '::102:304'], // deprecated IPv4-compatible form, not mapped (ipaddr.js alone reads it as mapped)
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
  ])('normalizes_%s_to_%s', (input, want) => {
    expect(normalizeAddress(input)).toBe(want);
  });

  it.each([
    '',
    '1.2.3.4',
    'fe80::1%eth0',
    '::ffff:01.2.3.4',
    '::ffff:0x1.2.3.4',
    '::ffff:1.2.3',
    '::ffff:256.1.1.1',
    '1::2::3',
    '12345::',
    ' ::1',
    '::1 ',
    '[::1]',
    'gggg::',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    ':1::',
    '1::2:',
    '1:2:3:4:5:6:7:1.2.3.4',
    '2001:db8::/32',
  ])('refuses_%j', (input) => {
    expect(normalizeAddress(input)).toBeNull();
    expect(tryAddressToBytes(input)).toBeNull();
  });

  it('refuses_non_strings', () => {
    expect(normalizeAddress(42 as unknown as string)).toBeNull();
    expect(() => addressToBytes(null as unknown as string)).toThrow(TypeError);
  });

  it('agrees_with_the_fast_parser_on_random_text', () => {
    const chars = fc.constantFrom(...'0123456789abcdefABCDEF:.'.split(''));
    const hexChar = fc.constantFrom(...'0123456789abcdefF'.split(''));
    const group = fc.oneof(
      { arbitrary: fc.string({ unit: hexChar, minLength: 1, maxLength: 4 }), weight: 20 },
      { arbitrary: fc.string({ unit: hexChar, maxLength: 5 }), weight: 1 },
    );
    const octet = fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: 255 }).map(String), weight: 20 },
      {
        arbitrary: fc.oneof(fc.integer({ min: 256, max: 999 }).map(String), fc.constantFrom('01', '00', '0x1', '')),
        weight: 1,
      },
    );
    // Near-valid text: groups joined by one or two colons, sometimes ending in a dotted quad.
    const nearValid = fc
      .tuple(
        fc.array(fc.tuple(group, fc.constantFrom(':', ':', ':', ':', ':', '::')), { minLength: 1, maxLength: 8 }),
        group,
        fc.option(fc.array(octet, { minLength: 3, maxLength: 5 }), { nil: undefined, freq: 3 }),
      )
      .map(
        ([parts, last, quad]) =>
          parts.map(([g, sep]) => g + sep).join('') + (quad === undefined ? last : quad.join('.')),
      );
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: chars, maxLength: 20 }), nearValid), (s) => {
        const normalized = normalizeAddress(s);
        const bytes = tryAddressToBytes(s);
        expect(normalized === null).toBe(bytes === null);
        if (bytes !== null) expect(normalized).toBe(bytesToAddress(bytes));
      }),
      fcParams(20000),
    );
  });
});

describe('isGlobalAddress (HOST.md rule 5)', () => {
  it.each([
    ['::', false],
    ['::1', false],
    ['ff02::1', false],
    ['ff0e::1', false],
    ['fe80::1', false],
    ['febf:ffff::1', false],
    ['fec0::1', false],
    ['feff::1', false],
    ['::ffff:192.0.2.1', false],
    ['::ffff:0.0.0.0', false],
    ['2001:db8::1', true],
    ['fc00::1', true],
    ['fd12:3456::1', true],
    ['2001::1', true],
    ['::2', true],
    ['::1:0:0:1', true],
    ['::fffe:c000:201', true],
    ['::1:ffff:c000:201', true],
    ['64:ff9b::c000:201', true],
    ['fe7f::1', true],
    ['not an address', false],
  ])('%s_is_global_%s', (a, want) => {
    expect(isGlobalAddress(a)).toBe(want);
  });
});

describe('sameAddress', () => {
  it('compares_any_valid_forms', () => {
    expect(sameAddress('2001:db8::1', '2001:DB8:0:0:0:0:0:1')).toBe(true);
    expect(sameAddress('::ffff:192.0.2.1', '::ffff:c000:201')).toBe(true);
    expect(sameAddress('2001:db8::1', '2001:db8::2')).toBe(false);
    expect(sameAddress('garbage', 'garbage')).toBe(false);
    expect(sameAddress('2001:db8::1', 'garbage')).toBe(false);
  });
});
