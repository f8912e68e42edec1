/**
 * @file The strided walk every broadcasting / layout kernel is built on: visit an n-d index space
 * in row-major order, one innermost run at a time, keeping one running offset per operand.
 * A kernel coalesces first (see `coalesce`), so the innermost run is as long as possible and the
 * per-run overhead (one callback, one odometer step) is amortised over a tight loop.
 */

/**
 * Calls `visit(offsets, n)` once per innermost run of `shape`: `offsets[k]` is operand k's offset
 * of the run's first element, and the run has `n = shape[rank-1]` elements, operand k advancing by
 * `strides[k][rank-1]`. `offsets` is reused between calls (read it, do not keep it).
 * Requires rank ≥ 1; a zero-size shape visits nothing.
 */
export function forEachRun(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  visit: (offsets: Float64Array, n: number) => void,
  base?: readonly number[],
): void {
  const rank = shape.length;
  const operands = strides.length;
  for (let d = 0; d < rank; d++) if (shape[d] === 0) return;
  const offsets = new Float64Array(operands);
  if (base) for (let k = 0; k < operands; k++) offsets[k] = base[k];
  const n = shape[rank - 1];
  if (rank === 1) {
    visit(offsets, n);
    return;
  }
  const outer = rank - 1;
  const index = new Int32Array(outer);
  for (;;) {
    visit(offsets, n);
    // odometer over the outer axes: bump the last, carry leftwards
    let d = outer - 1;
    for (; d >= 0; d--) {
      index[d]++;
      for (let k = 0; k < operands; k++) offsets[k] += strides[k][d];
      if (index[d] < shape[d]) break;
      for (let k = 0; k < operands; k++) offsets[k] -= strides[k][d] * shape[d];
      index[d] = 0;
    }
    if (d < 0) return;
  }
}
