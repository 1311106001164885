import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addressToBytes,
  alternatePrefixesFor,
  bytesToAddress,
  careOfAddress,
  expandAlternatePrefixes,
  type BindingUpdate,
  type SubOption,
} from '../../impl/wire/index.js';
import { addressArbitrary } from '../../properties/arbitraries/packet.js';
import { fcParams } from './fc-config.js';

function bu(subOptions: SubOption[]): BindingUpdate {
  return {
    kind: 'bu',
    flags: { ack: false, home: false, router: false, dad: false },
    prefixLength: 0,
    sequence: 1,
    lifetimeSeconds: 600,
    subOptions,
  };
}

function prefix(address: string, pl: number): Uint8Array {
  return addressToBytes(address).slice(0, 4 * (pl + 1));
}

describe('expandAlternatePrefixes (§3.1.2)', () => {
  it('takes_the_suffix_from_the_packet_source_without_an_alternate_coa', () => {
    const b = bu([
      { kind: 'homeless-support' },
      { kind: 'alternate-prefixes', pl: 1, prefixes: [prefix('2001:db8:5::', 1), prefix('2001:db8:6::', 1)] },
    ]);
    expect(expandAlternatePrefixes(b, '2001:db8:1::aa:bb')).toEqual(['2001:db8:5::aa:bb', '2001:db8:6::aa:bb']);
  });

  it('takes_the_suffix_from_the_nearest_preceding_alternate_coa', () => {
    const b = bu([
      { kind: 'alternate-prefixes', pl: 0, prefixes: [prefix('2001:db9::', 0)] },
      { kind: 'alternate-coa', address: '2001:db8:1::1' },
      { kind: 'alternate-coa', address: '2001:db8:1::2' },
      { kind: 'alternate-prefixes', pl: 0, prefixes: [prefix('2001:dba::', 0)] },
      { kind: 'alternate-coa', address: '2001:db8:1::3' },
    ]);
    expect(expandAlternatePrefixes(b, '2001:db8:9::9')).toEqual(['2001:db9:9::9', '2001:dba:1::2']);
  });

  it('names_whole_addresses_with_pl_3_and_nothing_with_count_0', () => {
    const b = bu([
      { kind: 'alternate-prefixes', pl: 3, prefixes: [addressToBytes('fd00::7')] },
      { kind: 'alternate-prefixes', pl: 2, prefixes: [] },
    ]);
    expect(expandAlternatePrefixes(b, '2001:db8::1')).toEqual(['fd00::7']);
  });

  it('keeps_duplicates_in_order', () => {
    const b = bu([
      { kind: 'alternate-prefixes', pl: 1, prefixes: [prefix('2001:db8:5::', 1), prefix('2001:db8:5::', 1)] },
    ]);
    expect(expandAlternatePrefixes(b, '2001:db8::1')).toEqual(['2001:db8:5::1', '2001:db8:5::1']);
  });
});

describe('careOfAddress', () => {
  it('is_the_last_alternate_coa_else_the_source', () => {
    expect(careOfAddress(bu([]), '2001:db8::1')).toBe('2001:db8::1');
    expect(
      careOfAddress(
        bu([
          { kind: 'alternate-coa', address: '2001:db8::2' },
          { kind: 'alternate-coa', address: '2001:db8::3' },
        ]),
        '2001:db8::1',
      ),
    ).toBe('2001:db8::3');
  });
});

describe('alternatePrefixesFor (WIRE.md canonical form)', () => {
  it('groups_by_the_smallest_matching_pl_in_increasing_pl_keeping_the_given_order', () => {
    const coa = '2001:db8:1:2:3:4:5:6';
    const subs = alternatePrefixesFor(
      [
        'fd00::1', // nothing in common: PL 3
        '2001:db8:9:9:3:4:5:6', // last 8 bytes match: PL 1
        '2001:db9:1:2:3:4:5:6', // last 12 bytes match: PL 0
        '2001:db8:1:2:3:4:5:6', // the suffix source itself: left out
        '2001:db8:8:8:3:4:5:6', // PL 1
        '2001:db8:9:9:3:4:5:6', // duplicate: left out
        '2001:db8:9:9:9:4:5:6', // last 4 bytes match: PL 2
        '2001:0DB8:8:8:3:4:5:6', // same address in another form: duplicate
      ],
      coa,
    );
    expect(subs).toEqual([
      { kind: 'alternate-prefixes', pl: 0, prefixes: [prefix('2001:db9::', 0)] },
      { kind: 'alternate-prefixes', pl: 1, prefixes: [prefix('2001:db8:9:9::', 1), prefix('2001:db8:8:8::', 1)] },
      { kind: 'alternate-prefixes', pl: 2, prefixes: [prefix('2001:db8:9:9:9:4::', 2)] },
      { kind: 'alternate-prefixes', pl: 3, prefixes: [addressToBytes('fd00::1')] },
    ]);
  });

  it('returns_nothing_for_no_other_addresses', () => {
    expect(alternatePrefixesFor([], '2001:db8::1')).toEqual([]);
    expect(alternatePrefixesFor(['2001:db8::1'], '2001:db8::1')).toEqual([]);
  });

  it('splits_a_pl_only_past_the_255_byte_limit', () => {
    // 70 addresses sharing the last 12 bytes: 63 fit in one PL 0 sub-option (1 + 4 × 63 = 253).
    const many = Array.from({ length: 70 }, (_, i) =>
      bytesToAddress(Uint8Array.from([0x20, 0x01, 0x0d, i, ...addressToBytes('::1:2:3:4:5:6').subarray(4)])),
    );
    const subs = alternatePrefixesFor(many, '2001:db8:1:2:3:4:5:6');
    expect(subs.map((s) => (s.kind === 'alternate-prefixes' ? [s.pl, s.prefixes.length] : null))).toEqual([
      [0, 63],
      [0, 7],
    ]);
    // 16 unrelated addresses: 15 fit at PL 3 (1 + 16 × 15 = 241).
    const unrelated = Array.from({ length: 16 }, (_, i) => `fd00:${i + 1}::1`);
    expect(
      alternatePrefixesFor(unrelated, '2001:db8::2').map((s) =>
        s.kind === 'alternate-prefixes' ? s.prefixes.length : 0,
      ),
    ).toEqual([15, 1]);
  });

  it('expands_back_to_the_same_addresses_each_at_its_smallest_pl', () => {
    fc.assert(
      fc.property(fc.array(addressArbitrary(), { maxLength: 20 }), addressArbitrary(), (addresses, coa) => {
        const subs = alternatePrefixesFor(addresses, coa);
        const expanded = expandAlternatePrefixes(bu(subs), coa);
        const want = [...new Set(addresses)].filter((a) => a !== coa);
        expect(new Set(expanded)).toEqual(new Set(want));
        expect(expanded.length).toBe(want.length);
        const coaBytes = addressToBytes(coa);
        let lastPl = -1;
        for (const s of subs) {
          if (s.kind !== 'alternate-prefixes') throw new Error('only Alternate Prefixes');
          expect(s.pl).toBeGreaterThanOrEqual(lastPl);
          lastPl = s.pl;
          for (const p of s.prefixes) {
            // A smaller PL would not have matched: the bytes just before the suffix differ.
            if (s.pl > 0) expect(p.subarray(4 * s.pl).every((x, i) => x === coaBytes[4 * s.pl + i])).toBe(false);
          }
        }
      }),
      fcParams(1000),
    );
  });
});
