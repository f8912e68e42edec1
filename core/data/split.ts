/**
 * @file Seeded shuffles and splits: the same seed gives the same order on every machine.
 */

/** splitmix32: a tiny, well-mixed 32-bit generator for permutations (not for tensors: see core/random). */
export function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Fisher–Yates permutation of 0..n-1 from `seed`. */
export function permutation(n: number, seed: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const next = splitmix32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = next() % (i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/** Split 0..n-1 into shuffled train and validation rows; `fraction` of them go to validation. */
export function trainValidationSplit(n: number, fraction: number, seed: number, groups?: Int32Array): { train: Int32Array; validation: Int32Array } {
  if (groups) return groupedSplit(n, fraction, seed, groups);
  const order = permutation(n, seed);
  const nValidation = Math.round(n * fraction);
  return { validation: order.slice(0, nValidation).sort(), train: order.slice(nValidation).sort() };
}

/**
 * Whole groups (machines, patients) go to validation, in a seeded order, until it holds about
 * `fraction` of the samples; at least one group stays on each side when there are two or more.
 */
function groupedSplit(n: number, fraction: number, seed: number, groups: Int32Array): { train: Int32Array; validation: Int32Array } {
  const ids = [...new Set(groups.subarray(0, n))].sort((a, b) => a - b);
  const sizes = new Map<number, number>();
  for (let i = 0; i < n; i++) sizes.set(groups[i], (sizes.get(groups[i]) ?? 0) + 1);
  const held = new Set<number>();
  if (fraction > 0 && ids.length > 1) {
    let count = 0;
    for (const k of permutation(ids.length, seed)) {
      if (held.size === ids.length - 1 || count >= n * fraction) break;
      // Take this group unless it overshoots the target by more than it would leave short.
      const size = sizes.get(ids[k]) ?? 0;
      if (held.size > 0 && count + size - n * fraction > n * fraction - count) continue;
      held.add(ids[k]);
      count += size;
    }
  }
  const validation: number[] = [];
  const train: number[] = [];
  for (let i = 0; i < n; i++) (held.has(groups[i]) ? validation : train).push(i);
  return { validation: Int32Array.from(validation), train: Int32Array.from(train) };
}
