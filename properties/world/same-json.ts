// Whether two values serialise to the same JSON, without serialising them: the world reads
// Alice's state after every call, and nine calls in ten change nothing, so comparing the new
// snapshot with the last one beats `JSON.stringify` on every call (docs/benchmarks.md,
// "Where the time goes").

/** What JSON writes for a value inside an array when it has no JSON form of its own. */
function rendersAsNull(x: unknown): boolean {
  return (
    x === null ||
    x === undefined ||
    typeof x === 'function' ||
    typeof x === 'symbol' ||
    (typeof x === 'number' && !Number.isFinite(x))
  );
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

/** Own enumerable keys of an object, or -1 for anything else. */
function keyCount(x: unknown): number {
  if (x === null || typeof x !== 'object') return -1;
  let n = 0;
  for (const k in x) if (Object.prototype.hasOwnProperty.call(x, k)) n++;
  return n;
}

const HOST_STATE_KEYS = 2;
const ENTRY_KEYS = 6;
const ADDRESS_KEYS = 4;
const PAIR_KEYS = 2;

/**
 * `sameJson` for the adapter's `state` shape (HOST.md rule 19), field by field: the world asks
 * this after every one of Alice's calls, so the common case (the exact shape, nothing changed)
 * is answered without the generic walk. Anything off the shape (an extra member, a missing
 * one, a wrong type) goes to `sameJson`, so the answer is always sameJson's.
 */
export function sameHostState(a: unknown, b: unknown): boolean {
  return sameShapedHostState(a, b) ?? sameJson(a, b);
}

/** True or false when both are exactly the `state` shape; null when either is not. */
function sameShapedHostState(a: unknown, b: unknown): boolean | null {
  if (keyCount(a) !== HOST_STATE_KEYS || keyCount(b) !== HOST_STATE_KEYS) return null;
  const sa = a as { entries?: unknown; local?: unknown };
  const sb = b as { entries?: unknown; local?: unknown };
  if (!Array.isArray(sa.entries) || !Array.isArray(sb.entries) || !Array.isArray(sa.local) || !Array.isArray(sb.local))
    return null;
  if (!sa.local.every(isString) || !sb.local.every(isString)) return null;
  if (sa.local.length !== sb.local.length) return false;
  for (let i = 0; i < sa.local.length; i++) if (sa.local[i] !== sb.local[i]) return false;
  if (sa.entries.length !== sb.entries.length) return false;
  for (let i = 0; i < sa.entries.length; i++) {
    const r = sameEntry(sa.entries[i], sb.entries[i]);
    if (r !== true) return r;
  }
  return true;
}

function isString(x: unknown): boolean {
  return typeof x === 'string';
}

function isScalar(x: unknown): boolean {
  return x === null || typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x));
}

function sameEntry(a: unknown, b: unknown): boolean | null {
  if (keyCount(a) !== ENTRY_KEYS || keyCount(b) !== ENTRY_KEYS) return null;
  const ea = a as Record<string, unknown>;
  const eb = b as Record<string, unknown>;
  for (const k of ['id', 'peerKind', 'homeAddress', 'careOfAddress'] as const) {
    if (!isScalar(ea[k]) || !isScalar(eb[k])) return null;
    if (ea[k] !== eb[k]) return false;
  }
  const r = samePair(ea.sa, eb.sa, 'inboundSpi', 'kind');
  if (r !== true) return r;
  const la = ea.addresses;
  const lb = eb.addresses;
  if (!Array.isArray(la) || !Array.isArray(lb)) return null;
  if (la.length !== lb.length) return false;
  for (let i = 0; i < la.length; i++) {
    const x = sameAddress(la[i], lb[i]);
    if (x !== true) return x;
  }
  return true;
}

function sameAddress(a: unknown, b: unknown): boolean | null {
  if (keyCount(a) !== ADDRESS_KEYS || keyCount(b) !== ADDRESS_KEYS) return null;
  const xa = a as Record<string, unknown>;
  const xb = b as Record<string, unknown>;
  for (const k of ['address', 'status', 'challengeOutstanding'] as const) {
    if (!isScalar(xa[k]) || !isScalar(xb[k])) return null;
    if (xa[k] !== xb[k]) return false;
  }
  return samePair(xa.lifetime, xb.lifetime, 'kind', 'expiresAt');
}

/** Two objects of exactly two scalar members `p` and `q` (or both null). */
function samePair(a: unknown, b: unknown, p: string, q: string): boolean | null {
  // null against an object: different JSON whatever the object holds.
  if (a === null || b === null) {
    const other = a === null ? b : a;
    return other === null ? true : typeof other === 'object' ? false : null;
  }
  if (keyCount(a) !== PAIR_KEYS || keyCount(b) !== PAIR_KEYS) return null;
  const pa = a as Record<string, unknown>;
  const pb = b as Record<string, unknown>;
  if (!isScalar(pa[p]) || !isScalar(pa[q]) || !isScalar(pb[p]) || !isScalar(pb[q])) return null;
  return pa[p] === pb[p] && pa[q] === pb[q];
}

/**
 * A copy of a `state` answer as `JSON.parse(JSON.stringify(x))` would make it: field by field
 * when it has exactly the `state` shape (HOST.md rule 19), through JSON otherwise.
 */
export function copyHostState(x: unknown): unknown {
  return copyShaped(x) ?? JSON.parse(JSON.stringify(x));
}

function copyShaped(x: unknown): unknown {
  if (keyCount(x) !== HOST_STATE_KEYS) return null;
  const s = x as { entries?: unknown; local?: unknown };
  if (!Array.isArray(s.entries) || !Array.isArray(s.local) || !s.local.every(isString)) return null;
  const entries: unknown[] = [];
  for (const e of s.entries) {
    if (keyCount(e) !== ENTRY_KEYS) return null;
    const r = e as Record<string, unknown>;
    const { id, peerKind, homeAddress, careOfAddress, sa, addresses } = r;
    if (
      !isScalar(id) ||
      !isScalar(peerKind) ||
      !isScalar(homeAddress) ||
      !isScalar(careOfAddress) ||
      !Array.isArray(addresses)
    )
      return null;
    const saCopy = sa === null ? null : copyPair(sa, 'inboundSpi', 'kind');
    if (saCopy === undefined) return null;
    const list: unknown[] = [];
    for (const a of addresses) {
      if (keyCount(a) !== ADDRESS_KEYS) return null;
      const ra = a as Record<string, unknown>;
      const { address, status, challengeOutstanding, lifetime } = ra;
      if (!isScalar(address) || !isScalar(status) || !isScalar(challengeOutstanding)) return null;
      const life = copyPair(lifetime, 'kind', 'expiresAt');
      if (life === undefined) return null;
      list.push(inOrder(ra, { lifetime: life }));
    }
    entries.push(inOrder(r, { sa: saCopy, addresses: list }));
  }
  return inOrder(s as Record<string, unknown>, { entries, local: [...(s.local as string[])] });
}

/** `r`'s members in `r`'s order (as JSON writes them), the `nested` ones replaced by their copies. */
function inOrder(r: Record<string, unknown>, nested: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(r))
    out[k] = Object.prototype.hasOwnProperty.call(nested, k) ? nested[k] : minusZero(r[k]);
  return out;
}

/** JSON writes -0 as 0. */
function minusZero(x: unknown): unknown {
  return x === 0 ? 0 : x;
}

/** A copy of an object of exactly two scalar members, or undefined when it is not one. */
function copyPair(x: unknown, p: string, q: string): Record<string, unknown> | undefined {
  if (keyCount(x) !== PAIR_KEYS) return undefined;
  const r = x as Record<string, unknown>;
  if (!isScalar(r[p]) || !isScalar(r[q])) return undefined;
  return inOrder(r, {});
}
