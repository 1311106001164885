// sameJson stands in for comparing JSON texts when the world reads Alice's state after a call:
// it must agree with them exactly (up to key order), or a change of state would go unrecorded.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyHostState, sameHostState, sameJson } from '../../properties/world/same-json.js';

/** JSON text with object keys sorted: equal texts are what sameJson must call the same. */
function canonical(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const out: Record<string, unknown> = {};
    // defineProperty, not assignment: `out['__proto__'] = …` would set the prototype and drop
    // the member (JSON.parse makes own `__proto__` members, which JSON.stringify writes).
    for (const k of Object.keys(v).sort())
      Object.defineProperty(out, k, {
        value: (v as Record<string, unknown>)[k],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  });
}

/** JSON values with undefined members and array holes of undefined mixed in. */
const loose = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, undefined, true, false, 0, 1, -1, 0.5, Number.NaN, Number.POSITIVE_INFINITY),
    fc.string({ maxLength: 3 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c', 'status'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

describe('sameJson', () => {
  it('agrees_with_comparing_json_texts_up_to_key_order', () => {
    fc.assert(
      fc.property(loose, loose, (a, b) => {
        // Compared as array items (JSON writes a bare undefined as nothing at all).
        expect(sameJson(a, b)).toBe(canonical([a]) === canonical([b]));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees_on_a_value_and_its_slight_edits', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 1 }), fc.nat(), (x, replacement, at) => {
        const copy = JSON.parse(JSON.stringify(x)) as unknown;
        expect(sameJson(x, copy)).toBe(true);
        // Replace one nested value: same exactly when the texts agree.
        const edited = JSON.parse(JSON.stringify(x)) as unknown;
        const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
        const walk = (v: unknown): void => {
          if (Array.isArray(v)) v.forEach((item, i) => (slots.push({ parent: v, key: i }), walk(item)));
          else if (v !== null && typeof v === 'object')
            for (const [k, item] of Object.entries(v))
              (slots.push({ parent: v as Record<string, unknown>, key: k }), walk(item));
        };
        walk(edited);
        if (slots.length === 0) return;
        const slot = slots[at % slots.length];
        // defineProperty: an own `__proto__` member (JSON.parse makes those) stays a member.
        Object.defineProperty(slot.parent, slot.key, {
          value: replacement,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        expect(sameJson(x, edited)).toBe(canonical(x) === canonical(edited));
      }),
      { numRuns: 2000 },
    );
  });

  it('ignores_key_order_and_omitted_members_but_not_array_order', () => {
    expect(sameJson({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(sameJson({ a: 1, c: undefined }, { a: 1 })).toBe(true);
    expect(sameJson([undefined], [null])).toBe(true);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameJson({ a: null }, { a: undefined })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: 0 })).toBe(false);
    expect(sameJson('1', 1)).toBe(false);
    expect(sameJson([], {})).toBe(false);
  });
});

/** Host states from small domains (so that two draws are often equal), sometimes off the shape. */
const scalar = fc.constantFrom<unknown>('a', 'b', null, 0, 1, true, undefined, Number.NaN, -0);
const lifetime = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({ kind: fc.constantFrom('activity', 'absolute'), expiresAt: fc.constantFrom(0, 600, 1200) }),
  },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('kind', 'expiresAt', 'x'), scalar, { maxKeys: 3 }) },
);
const addressState = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      address: fc.constantFrom('2001:db8::1', '2001:db8::2'),
      status: fc.constantFrom('active', 'tentative'),
      lifetime,
      challengeOutstanding: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.constantFrom('address', 'status', 'lifetime', 'challengeOutstanding', 'x'), scalar, {
      maxKeys: 5,
    }),
  },
);
const entryState = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      id: fc.constantFrom('e1', 'e2'),
      peerKind: fc.constantFrom('homeless', 'unknown'),
      sa: fc.option(
        fc.record({ inboundSpi: fc.constantFrom(256, 257), kind: fc.constantFrom('generic', 'anonymous') }),
      ),
      addresses: fc.array(addressState, { maxLength: 2 }),
      homeAddress: fc.constantFrom(null, '2001:db8::1'),
      careOfAddress: fc.constantFrom(null, '2001:db8::2'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.dictionary(
      fc.constantFrom('id', 'peerKind', 'sa', 'addresses', 'homeAddress', 'careOfAddress', 'x'),
      scalar,
      { maxKeys: 7 },
    ),
  },
);
const hostState = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      entries: fc.array(entryState, { maxLength: 2 }),
      local: fc.array(fc.constantFrom<unknown>('2001:db8::a', '2001:db8::b'), { maxLength: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      entries: fc.array(entryState, { maxLength: 2 }),
      local: fc.array(scalar, { maxLength: 2 }),
      extra: scalar,
    }),
  },
  { weight: 1, arbitrary: loose },
);

describe('sameHostState', () => {
  it('agrees_with_sameJson_on_host_states_on_and_off_the_shape', () => {
    fc.assert(
      fc.property(hostState, hostState, (a, b) => {
        expect(sameHostState(a, b)).toBe(sameJson(a, b));
        expect(sameHostState(a, JSON.parse(JSON.stringify(a ?? null)) as unknown)).toBe(
          sameJson(a, JSON.parse(JSON.stringify(a ?? null)) as unknown),
        );
      }),
      { numRuns: 20000 },
    );
  });

  it('copies_as_json_would', () => {
    fc.assert(
      fc.property(hostState, (a) => {
        // The same text, keys in the same order (the trace is written from the copy).
        expect(JSON.stringify(copyHostState(a ?? null))).toBe(JSON.stringify(JSON.parse(JSON.stringify(a ?? null))));
      }),
      { numRuns: 20000 },
    );
  });

  it('sees_a_change_in_any_field', () => {
    const state = {
      entries: [
        {
          id: 'e1',
          peerKind: 'homeless',
          sa: { inboundSpi: 256, kind: 'generic' },
          addresses: [
            {
              address: '2001:db8::1',
              status: 'active',
              lifetime: { kind: 'absolute', expiresAt: 600 },
              challengeOutstanding: false,
            },
          ],
          homeAddress: null,
          careOfAddress: null,
        },
      ],
      local: ['2001:db8::a'],
    };
    const copy = (): typeof state => JSON.parse(JSON.stringify(state)) as typeof state;
    expect(sameHostState(state, copy())).toBe(true);
    const edits: ((s: typeof state) => void)[] = [
      (s) => (s.local[0] = '2001:db8::b'),
      (s) => (s.entries[0].id = 'e2'),
      (s) => (s.entries[0].peerKind = 'legacy'),
      (s) => (s.entries[0].sa.inboundSpi = 257),
      (s) => (s.entries[0].sa.kind = 'anonymous'),
      (s) => (s.entries[0].addresses[0].status = 'deprecated'),
      (s) => (s.entries[0].addresses[0].lifetime.expiresAt = 601),
      (s) => (s.entries[0].addresses[0].lifetime.kind = 'activity'),
      (s) => (s.entries[0].addresses[0].challengeOutstanding = true),
      (s) => (s.entries[0].homeAddress = '2001:db8::1' as unknown as null),
      (s) => ((s.entries[0] as Record<string, unknown>).extra = 1),
      (s) => s.entries.push(copy().entries[0]),
    ];
    for (const edit of edits) {
      const changed = copy();
      edit(changed);
      expect(sameHostState(state, changed), edit.toString()).toBe(false);
    }
  });
});
