// Small statistics and formatting helpers shared by the benchmarks.

/** The median of `xs` (the mean of the two middle values for an even count); NaN when empty. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Rounds to `digits` significant digits (figures in reports and JSON are not more precise than that). */
export function round(x: number, digits = 3): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const scale = 10 ** (digits - 1 - Math.floor(Math.log10(Math.abs(x))));
  return Math.round(x * scale) / scale;
}

/** A rate for people: 12 345/s, 1.23/s. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return 'n/a';
  if (perSecond >= 100) return `${Math.round(perSecond).toLocaleString('en')}/s`;
  return `${round(perSecond, 3)}/s`;
}

export function now(): number {
  return performance.now();
}
