// sameJson stands in for comparing JSON texts when the world reads Alice's state after a call:
// it must agree with them exactly (up to key order), or a change of state would go unrecorded.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameJson } from '../../properties/world/same-json.js';

/** JSON text with object keys sorted: equal texts are what sameJson must call the same. */
function canonical(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = (v as Record<string, unknown>)[k];
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
          else if (v !== null && typeof v === 'object') for (const [k, item] of Object.entries(v)) (slots.push({ parent: v as Record<string, unknown>, key: k }), walk(item));
        };
        walk(edited);
        if (slots.length === 0) return;
        const slot = slots[at % slots.length];
        (slot.parent as Record<string | number, unknown>)[slot.key] = replacement;
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
