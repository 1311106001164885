// The world's only source of randomness: a small seeded generator (sfc32), so that a seed
// and a schedule give the same run byte for byte (TigerBeetle's simulator habit). Nothing in
// properties/world/ may call Math.random or read the wall clock.

import type { ForkableRandom } from '../../impl/host/random.js';

/** Rounds used to mix a seed before the first output, as sfc32's authors recommend. */
const WARMUP_ROUNDS = 12;

/** A 32-bit integer hash (Murmur3's finaliser), used to derive child seeds from labels. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashLabel(seed: number, label: string): number {
  let h = mix32(seed ^ 0x9e3779b9);
  for (let i = 0; i < label.length; i++) h = mix32(h ^ label.charCodeAt(i));
  return h;
}

/** A deterministic generator of 32-bit words; `fork(label)` gives an independent stream. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    this.a = mix32(seed ^ 0x243f6a88);
    this.b = mix32(seed ^ 0x85a308d3);
    this.c = mix32(seed ^ 0x13198a2e);
    this.d = 1;
    for (let i = 0; i < WARMUP_ROUNDS; i++) this.nextU32();
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    if (n <= 0) return 0;
    return this.nextU32() % n;
  }

  /** True with probability permille / 1000. */
  chance(permille: number): boolean {
    return this.int(1000) < permille;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const w = this.nextU32();
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (w >>> (8 * j)) & 0xff;
    }
    return out;
  }

  /** A copy at the same position: it draws what this one would, and neither moves the other. */
  clone(): Rng {
    const copy = Object.create(Rng.prototype) as Rng;
    Object.assign(copy, this);
    return copy;
  }

  /** An independent generator named by `label`: the same seed and label give the same stream. */
  fork(label: string): Rng {
    return new Rng(hashLabel(this.seed, label));
  }
}

/** A host's random source (HostOptions.random) drawn from `seed` and `label` alone; it forks (a world's copy copies it). */
export function seededRandomSource(seed: number, label: string): ForkableRandom {
  return sourceOf(new Rng(hashLabel(seed, label)));
}

function sourceOf(rng: Rng): ForkableRandom {
  return Object.assign((n: number) => rng.bytes(n), { fork: () => sourceOf(rng.clone()) });
}
