/** @file Movement kernels (transpose, broadcast, slice, concat, pad) against index-by-index loops. */
import { describe, expect, it } from 'vitest';
import { broadcast, concat, pad, padShape, slice, sliceShape, transpose, transposeShape } from '../../core/backends/cpu/kernels';
import { FLOAT_TYPES, broadcastIndex, broadcastableTo, makeRng, randInt, randomArray, randomShape, ravel, size, unravel } from './reference';

function shuffle(rng: () => number, n: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = randInt(rng, 0, i);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

describe('layout kernels', () => {
  for (const Ctor of FLOAT_TYPES) {
    it(`transpose with random perms (${Ctor.name})`, () => {
      const rng = makeRng(30);
      for (let trial = 0; trial < 40; trial++) {
        const shape = randomShape(rng, 0, 5, 4, true);
        const perm = shuffle(rng, shape.length);
        const x = randomArray(Ctor, size(shape), rng);
        const outShape = transposeShape(shape, perm);
        const out = new Ctor(size(outShape));
        transpose(x, shape, perm, out);
        const expected = Array.from(out, (_, i) => {
          const oi = unravel(i, outShape);
          const xi = new Array<number>(shape.length);
          perm.forEach((p, d) => (xi[p] = oi[d]));
          return x[ravel(xi, shape)];
        });
        expect(Array.from(out)).toEqual(expected);
      }
    });

    it(`broadcast (${Ctor.name})`, () => {
      const rng = makeRng(31);
      for (let trial = 0; trial < 40; trial++) {
        const outShape = randomShape(rng, 0, 4, 4, true);
        const shape = broadcastableTo(rng, outShape);
        const x = randomArray(Ctor, size(shape), rng);
        const out = new Ctor(size(outShape));
        broadcast(x, shape, outShape, out);
        expect(Array.from(out)).toEqual(Array.from(out, (_, i) => x[broadcastIndex(unravel(i, outShape), shape)]));
      }
    });

    it(`slice with steps (${Ctor.name})`, () => {
      const rng = makeRng(32);
      for (let trial = 0; trial < 40; trial++) {
        const shape = randomShape(rng, 1, 4, 7, true);
        const starts = shape.map((d) => randInt(rng, 0, d));
        const ends = shape.map((d, i) => randInt(rng, starts[i], d));
        const steps = shape.map(() => randInt(rng, 1, 3));
        const x = randomArray(Ctor, size(shape), rng);
        const outShape = sliceShape(starts, ends, steps);
        const out = new Ctor(size(outShape));
        slice(x, shape, starts, ends, steps, out);
        const expected = Array.from(out, (_, i) => x[ravel(unravel(i, outShape).map((v, d) => starts[d] + v * steps[d]), shape)]);
        expect(Array.from(out)).toEqual(expected);
      }
    });

    it(`concat along every axis (${Ctor.name})`, () => {
      const rng = makeRng(33);
      for (let trial = 0; trial < 30; trial++) {
        const base = randomShape(rng, 1, 4, 4);
        const axis = randInt(rng, 0, base.length - 1);
        const shapes = Array.from({ length: randInt(rng, 1, 4) }, () => base.map((d, i) => (i === axis ? randInt(rng, 0, 3) : d)));
        const xs = shapes.map((s) => randomArray(Ctor, size(s), rng));
        const outShape = base.map((d, i) => (i === axis ? shapes.reduce((s, sh) => s + sh[axis], 0) : d));
        const out = new Ctor(size(outShape));
        concat(xs, shapes, axis - (trial % 2) * base.length, out);
        const expected = Array.from(out, (_, i) => {
          const idx = unravel(i, outShape);
          let t = 0;
          while (idx[axis] >= shapes[t][axis]) idx[axis] -= shapes[t++][axis];
          return xs[t][ravel(idx, shapes[t])];
        });
        expect(Array.from(out)).toEqual(expected);
      }
    });

    it(`pad with a value (${Ctor.name})`, () => {
      const rng = makeRng(34);
      for (let trial = 0; trial < 30; trial++) {
        const shape = randomShape(rng, 0, 4, 4, true);
        const pads = shape.map(() => [randInt(rng, 0, 2), randInt(rng, 0, 2)] as [number, number]);
        const x = randomArray(Ctor, size(shape), rng);
        const outShape = padShape(shape, pads);
        const out = new Ctor(size(outShape));
        pad(x, shape, pads, -7, out);
        const expected = Array.from(out, (_, i) => {
          const idx = unravel(i, outShape).map((v, d) => v - pads[d][0]);
          return idx.every((v, d) => v >= 0 && v < shape[d]) ? x[ravel(idx, shape)] : -7;
        });
        expect(Array.from(out)).toEqual(expected);
      }
    });
  }

  it('movement kernels copy i32 storage too', () => {
    const out = new Int32Array(6);
    transpose(new Int32Array([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0], out);
    expect(Array.from(out)).toEqual([1, 4, 2, 5, 3, 6]);
  });
});
