/** @file gather / scatterAdd along every axis against naive loops, and their adjointness. */
import { describe, expect, it } from 'vitest';
import { gather, gatherShape, scatterAdd } from '../../core/backends/cpu/kernels';
import { FLOAT_TYPES, expectClose, makeRng, randInt, randomArray, randomShape, ravel, size, unravel } from './reference';

describe('gather / scatterAdd', () => {
  for (const Ctor of FLOAT_TYPES) {
    it(`random axes and index shapes, repeats included (${Ctor.name})`, () => {
      const rng = makeRng(40);
      for (let trial = 0; trial < 40; trial++) {
        const shape = randomShape(rng, 1, 4, 5);
        const axis = randInt(rng, 0, shape.length - 1);
        const idxShape = randomShape(rng, 0, 2, 4, true);
        const indices = Int32Array.from({ length: size(idxShape) }, () => randInt(rng, 0, shape[axis] - 1));
        const x = randomArray(Ctor, size(shape), rng);
        const outShape = gatherShape(shape, idxShape, axis);
        const out = new Ctor(size(outShape));
        gather(x, shape, indices, axis, out);
        const r = idxShape.length;
        const expected = Array.from(out, (_, i) => {
          const oi = unravel(i, outShape);
          const k = ravel(oi.slice(axis, axis + r), idxShape);
          return x[ravel([...oi.slice(0, axis), indices[k], ...oi.slice(axis + r)], shape)];
        });
        expect(Array.from(out)).toEqual(expected);

        // scatterAdd is the adjoint: <gather(x), u> = <x, scatterAdd(u)>
        const u = randomArray(Ctor, out.length, rng);
        const s = new Ctor(x.length).fill(NaN);
        scatterAdd(u, indices, axis, shape, s);
        const naive = new Float64Array(x.length);
        for (let i = 0; i < u.length; i++) {
          const oi = unravel(i, outShape);
          const k = ravel(oi.slice(axis, axis + r), idxShape);
          naive[ravel([...oi.slice(0, axis), indices[k], ...oi.slice(axis + r)], shape)] += u[i];
        }
        const t = Ctor === Float32Array ? 1e-5 : 1e-12;
        expectClose(s, naive, t, t, 'scatterAdd');
      }
    });
  }

  it('out-of-range indices throw', () => {
    const out = new Float64Array(1);
    expect(() => gather(new Float64Array(3), [3], new Int32Array([3]), 0, out)).toThrow(RangeError);
    expect(() => gather(new Float64Array(3), [3], new Int32Array([-1]), 0, out)).toThrow(RangeError);
    expect(() => scatterAdd(new Float64Array(1), new Int32Array([5]), 0, [3], new Float64Array(3))).toThrow(RangeError);
  });
});
