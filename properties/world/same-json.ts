// Whether two values serialise to the same JSON, without serialising them: the world reads
// Alice's state after every call, and nine calls in ten change nothing, so comparing the new
// snapshot with the last one beats `JSON.stringify` on every call (docs/benchmarks.md,
// "Where the time goes").

/** What JSON writes for a value inside an array when it has no JSON form of its own. */
function rendersAsNull(x: unknown): boolean {
  return x === null || x === undefined || typeof x === 'function' || typeof x === 'symbol' || (typeof x === 'number' && !Number.isFinite(x));
}

/** Object members JSON leaves out. */
function omitted(x: unknown): boolean {
  return x === undefined || typeof x === 'function' || typeof x === 'symbol';
}

/**
 * True when `JSON.stringify(a)` and `JSON.stringify(b)` would be the same text up to the order
 * of object keys: members that JSON leaves out (undefined, functions) are ignored, and array
 * items without a JSON form count as null (as do `a` and `b` themselves: they compare as
 * array items would). Objects with a `toJSON` method are compared through
 * it; anything JSON cannot write (a BigInt) is compared by identity, so the caller's own
 * `JSON.stringify` still meets it when the value changed.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (rendersAsNull(a) || rendersAsNull(b)) return rendersAsNull(a) && rendersAsNull(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ja = (a as { toJSON?: unknown }).toJSON;
  const jb = (b as { toJSON?: unknown }).toJSON;
  if (typeof ja === 'function' || typeof jb === 'function') return JSON.stringify(a) === JSON.stringify(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let count = 0;
  for (const k of Object.keys(ra)) {
    if (omitted(ra[k])) continue;
    count++;
    if (!Object.prototype.hasOwnProperty.call(rb, k) || omitted(rb[k]) || !sameJson(ra[k], rb[k])) return false;
  }
  for (const k of Object.keys(rb)) if (!omitted(rb[k])) count--;
  return count === 0;
}
