/** @file Counts for people: `1,234`, `12.3K`, `4.56M`, `1.2G`. */

export function formatCount(n: number): string {
  const abs = Math.abs(n);
  if (abs < 10_000) return Math.round(n).toLocaleString('en-US');
  for (const [unit, size] of [['G', 1e9], ['M', 1e6], ['K', 1e3]] as const) {
    if (abs >= size) return `${Number((n / size).toPrecision(3))}${unit}`;
  }
  return String(n);
}
