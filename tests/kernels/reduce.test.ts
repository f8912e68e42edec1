/** @file sum / max reductions over random axis sets against a naive loop. */
import { describe, expect, it } from 'vitest';
import { Prim } from '../../core/ir/prims';
import { reduce, reducedShape } from '../../core/backends/cpu/kernels';
import { FLOAT_TYPES, expectClose, makeRng, randomArray, randomShape, ravel, size, unravel } from './reference';

describe('reduce', () => {
  for (const Ctor of FLOAT_TYPES) {
    it(`sum and max over random axes (${Ctor.name})`, () => {
      const rng = makeRng(10);
      for (let trial = 0; trial < 60; trial++) {
        const shape = randomShape(rng, 0, 4, 5, true);
        const axes = shape.map((_, i) => i).filter(() => rng() < 0.5).map((a) => (rng() < 0.3 ? a - shape.length : a));
        const x = randomArray(Ctor, size(shape), rng);
        const outShape = reducedShape(shape, axes);
        for (const op of [Prim.Sum, Prim.ReduceMax] as const) {
          const out = new Ctor(size(outShape));
          reduce(op, x, shape, axes, out);
          const expected = new Float64Array(out.length).fill(op === Prim.Sum ? 0 : -Infinity);
          for (let i = 0; i < x.length; i++) {
            const idx = unravel(i, shape).map((v, d) => (outShape[d] === 1 ? 0 : v));
            const o = ravel(idx, outShape);
            expected[o] = op === Prim.Sum ? expected[o] + x[i] : Math.max(expected[o], x[i]);
          }
          const t = Ctor === Float32Array ? 1e-5 : 1e-12;
          expectClose(out, expected, t, t, `${op} [${shape}] axes [${axes}]`);
        }
      }
    });
  }

  it('empty reductions give the identity; max propagates NaN', () => {
    const out = new Float64Array(3);
    reduce(Prim.Sum, new Float64Array(0), [3, 0], [1], out);
    expect(Array.from(out)).toEqual([0, 0, 0]);
    reduce(Prim.ReduceMax, new Float64Array(0), [3, 0], [1], out);
    expect(Array.from(out)).toEqual([-Infinity, -Infinity, -Infinity]);
    const m = new Float64Array(2);
    reduce(Prim.ReduceMax, new Float64Array([1, NaN, 3, 4, 5, NaN]), [3, 2], [0], m);
    expect(Array.from(m)).toEqual([5, NaN]);
    reduce(Prim.ReduceMax, new Float64Array([1, NaN, 3, 4, 5, 6]), [2, 3], [1], m);
    expect(Array.from(m)).toEqual([NaN, 6]);
  });

  it('f32 row sums accumulate in double', () => {
    const n = 1 << 20;
    const x = new Float32Array(n).fill(0.1);
    const out = new Float32Array(1);
    reduce(Prim.Sum, x, [n], [0], out);
    expect(out[0]).toBe(Math.fround(n * Math.fround(0.1)));
  });
});
