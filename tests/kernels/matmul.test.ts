/** @file Batched matmul (broadcast batch dims, transA/transB) and gemm against a naive triple loop. */
import { describe, expect, it } from 'vitest';
import { gemm, matmul, matmulShape } from '../../core/backends/cpu/kernels';
import { FLOAT_TYPES, broadcastIndex, expectClose, makeRng, randInt, randomArray, size, unravel } from './reference';

/** out[batch, i, j] = Σ_p A[batch, i, p] B[batch, p, j], operands read through their transposes. */
function naiveMatmul(a: ArrayLike<number>, aShape: number[], ta: boolean, b: ArrayLike<number>, bShape: number[], tb: boolean): Float64Array {
  const outShape = matmulShape(aShape, bShape, ta, tb);
  const r = outShape.length;
  const [m, n] = [outShape[r - 2], outShape[r - 1]];
  const k = ta ? aShape[aShape.length - 2] : aShape[aShape.length - 1];
  const batchShape = outShape.slice(0, -2);
  const out = new Float64Array(size(outShape));
  for (let t = 0; t < size(batchShape); t++) {
    const idx = unravel(t, batchShape);
    const ab = broadcastIndex(idx, aShape.slice(0, -2)) * m * k;
    const bb = broadcastIndex(idx, bShape.slice(0, -2)) * k * n;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ab + (ta ? p * m + i : i * k + p)] * b[bb + (tb ? j * k + p : p * n + j)];
        out[t * m * n + i * n + j] = s;
      }
  }
  return out;
}

describe('matmul', () => {
  for (const Ctor of FLOAT_TYPES) {
    it(`random sizes, broadcast batches, all transposes (${Ctor.name})`, () => {
      const rng = makeRng(20);
      for (let trial = 0; trial < 48; trial++) {
        const big = trial % 4 === 0;
        const m = big ? randInt(rng, 20, 70) : randInt(rng, 0, 9);
        const n = big ? randInt(rng, 20, 70) : randInt(rng, 1, 9);
        const k = big ? randInt(rng, 100, 300) : randInt(rng, 0, 9);
        const ta = (trial & 1) === 1, tb = (trial & 2) === 2;
        const batch = [randInt(rng, 1, 3), randInt(rng, 1, 3)];
        const aBatch = big ? [] : batch.map((d) => (rng() < 0.4 ? 1 : d)).slice(randInt(rng, 0, 2));
        const bBatch = big && trial % 8 === 0 ? [] : batch.map((d) => (rng() < 0.4 ? 1 : d)).slice(randInt(rng, 0, 2));
        const aShape = [...aBatch, ...(ta ? [k, m] : [m, k])];
        const bShape = [...bBatch, ...(tb ? [n, k] : [k, n])];
        const a = randomArray(Ctor, size(aShape), rng);
        const b = randomArray(Ctor, size(bShape), rng);
        const out = new Ctor(size(matmulShape(aShape, bShape, ta, tb))).fill(NaN);
        matmul(a, aShape, ta, b, bShape, tb, out);
        const t = Ctor === Float32Array ? 2e-5 * Math.sqrt(k + 1) : 1e-12;
        expectClose(out, naiveMatmul(a, aShape, ta, b, bShape, tb), t, t, `[${aShape}]${ta ? 'ᵀ' : ''}·[${bShape}]${tb ? 'ᵀ' : ''}`);
      }
    });
  }

  it('batch folds into rows when b is shared: [2,3,k]·[k,n]', () => {
    const rng = makeRng(21);
    const a = randomArray(Float64Array, 2 * 3 * 70, rng);
    const b = randomArray(Float64Array, 70 * 50, rng);
    const out = new Float64Array(2 * 3 * 50);
    matmul(a, [2, 3, 70], false, b, [70, 50], false, out);
    expectClose(out, naiveMatmul(a, [2, 3, 70], false, b, [70, 50], false), 1e-12, 1e-12);
  });

  it('gemm accumulates into an offset window and leaves the rest alone', () => {
    const rng = makeRng(22);
    const [m, n, k] = [17, 19, 300];
    const a = randomArray(Float64Array, 5 + m * k, rng);
    const b = randomArray(Float64Array, 3 + k * n, rng);
    const c = new Float64Array(4 + m * n + 4).fill(1);
    gemm(m, n, k, a, 5, false, b, 3, false, c, 4, true);
    const expected = naiveMatmul(a.subarray(5), [m, k], false, b.subarray(3), [k, n], false).map((v) => v + 1);
    expectClose(c.subarray(4, 4 + m * n), expected, 1e-12, 1e-12);
    expect([c[0], c[3], c[4 + m * n], c[c.length - 1]]).toEqual([1, 1, 1, 1]);
  });
});
