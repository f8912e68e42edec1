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
export function trainValidationSplit(n: number, fraction: number, seed: number): { train: Int32Array; validation: Int32Array } {
  const order = permutation(n, seed);
  const nValidation = Math.round(n * fraction);
  return { validation: order.slice(0, nValidation).sort(), train: order.slice(nValidation).sort() };
}
