/** @file Elementwise kernels (unary, broadcasting binary / compare, where, cast) against naive loops. */
import { describe, expect, it } from 'vitest';
import { BINARY_PRIMS, COMPARE_PRIMS, Prim, UNARY_PRIMS, type BinaryPrim, type ComparePrim, type UnaryPrim } from '../../core/ir/prims';
import { binary, broadcastShapes, cast, erf, unary, where } from '../../core/backends/cpu/kernels';
import { FLOAT_TYPES, broadcastIndex, broadcastableTo, expectClose, makeRng, randomArray, randomShape, size, tol, unravel } from './reference';

const unaryRef: { [P in UnaryPrim]: (x: number) => number } = {
  [Prim.Neg]: (x) => -x, [Prim.Recip]: (x) => 1 / x, [Prim.Exp]: Math.exp, [Prim.Log]: Math.log,
  [Prim.Sqrt]: Math.sqrt, [Prim.Abs]: Math.abs, [Prim.Sign]: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
  [Prim.Tanh]: Math.tanh, [Prim.Sigmoid]: (x) => 1 / (1 + Math.exp(-x)), [Prim.Erf]: erf,
  [Prim.Sin]: Math.sin, [Prim.Cos]: Math.cos,
};

const binaryRef: { [P in BinaryPrim | ComparePrim]: (a: number, b: number) => number } = {
  [Prim.Add]: (a, b) => a + b, [Prim.Sub]: (a, b) => a - b, [Prim.Mul]: (a, b) => a * b, [Prim.Div]: (a, b) => a / b,
  [Prim.Pow]: (a, b) => a ** b, [Prim.Max]: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a > b ? a : b),
  [Prim.Min]: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a < b ? a : b),
  [Prim.Lt]: (a, b) => +(a < b), [Prim.Le]: (a, b) => +(a <= b), [Prim.Gt]: (a, b) => +(a > b),
  [Prim.Ge]: (a, b) => +(a >= b), [Prim.Eq]: (a, b) => +(a === b), [Prim.Ne]: (a, b) => +(a !== b),
};

describe('unary', () => {
  for (const Ctor of FLOAT_TYPES) {
    it(`every unary prim matches Math on ${Ctor.name}, incl. 0, ±∞, NaN`, () => {
      const rng = makeRng(1);
      const x = randomArray(Ctor, 200, rng, -6, 6);
      x.set([0, -0, Infinity, -Infinity, NaN, 1e-30, -40, 40]);
      for (const op of UNARY_PRIMS) {
        const out = new Ctor(x.length);
        unary(op, x, out);
        const expected = Array.from(x, (v) => unaryRef[op](v));
        const { rtol, atol } = tol(Ctor);
        expectClose(out, expected, rtol, atol, op);
      }
    });
  }

  it('erf matches Python math.erf', () => {
    // /usr/bin/python3 -c "import math; print([math.erf(x) for x in (...)])"
    const cases: [number, number][] = [
      [0, 0], [1e-10, 1.1283791670955126e-10], [0.3, 0.3286267594591274], [0.5, 0.5204998778130465],
      [1, 0.8427007929497149], [2, 0.9953222650189527], [2.9, 0.9999589021219005], [3, 0.9999779095030014],
      [4.5, 0.9999999998033839], [-1.5, -0.9661051464753108], [7, 1],
    ];
    for (const [x, e] of cases) expect(Math.abs(erf(x) - e)).toBeLessThanOrEqual(1.5e-15 * Math.abs(e));
  });

  it('sigmoid does not overflow and sign(-0) is +0', () => {
    const out = new Float64Array(3);
    unary(Prim.Sigmoid, new Float64Array([-1000, 1000, 0]), out);
    expect(Array.from(out)).toEqual([0, 1, 0.5]);
    unary(Prim.Sign, new Float64Array([-0, -3, 2]), out);
    expect(Object.is(out[0], 0)).toBe(true);
  });
});

describe('binary / compare with broadcasting', () => {
  for (const Ctor of FLOAT_TYPES) {
    it(`random broadcast shapes, every op, ${Ctor.name}`, () => {
      const rng = makeRng(2);
      for (let trial = 0; trial < 40; trial++) {
        const outShape0 = randomShape(rng, 0, 4, 5, true);
        const aShape = trial % 5 === 0 ? [] : broadcastableTo(rng, outShape0);
        const bShape = trial % 7 === 0 ? outShape0 : broadcastableTo(rng, outShape0);
        const outShape = broadcastShapes(aShape, bShape);
        const a = randomArray(Ctor, size(aShape), rng, 0.2, 3);
        const b = randomArray(Ctor, size(bShape), rng, 0.2, 3);
        if (a.length > 1) a[0] = b[0]; // exercise eq
        for (const op of [...BINARY_PRIMS, ...COMPARE_PRIMS]) {
          const out = new Ctor(size(outShape));
          binary(op, a, aShape, b, bShape, out, outShape);
          const expected = new Float64Array(out.length);
          for (let i = 0; i < out.length; i++) {
            const idx = unravel(i, outShape);
            expected[i] = binaryRef[op](a[broadcastIndex(idx, aShape)], b[broadcastIndex(idx, bShape)]);
          }
          const { rtol, atol } = tol(Ctor);
          expectClose(out, expected, rtol, atol, `${op} [${aShape}]∘[${bShape}]`);
        }
      }
    });
  }

  it('NaN: max/min propagate, comparisons are false except ne', () => {
    const a = new Float64Array([NaN, 1]);
    const b = new Float64Array([1, NaN]);
    const out = new Float64Array(2);
    for (const op of [Prim.Max, Prim.Min] as const) {
      binary(op, a, [2], b, [2], out, [2]);
      expect(Array.from(out)).toEqual([NaN, NaN]);
    }
    binary(Prim.Ne, a, [2], b, [2], out, [2]);
    expect(Array.from(out)).toEqual([1, 1]);
    binary(Prim.Le, a, [2], b, [2], out, [2]);
    expect(Array.from(out)).toEqual([0, 0]);
  });
});

describe('where', () => {
  for (const Ctor of FLOAT_TYPES) {
    it(`broadcasts cond, a and b (${Ctor.name})`, () => {
      const rng = makeRng(3);
      for (let trial = 0; trial < 30; trial++) {
        const full = randomShape(rng, 0, 4, 4, true);
        const shapes = [broadcastableTo(rng, full), broadcastableTo(rng, full), trial % 3 ? broadcastableTo(rng, full) : full];
        const outShape = broadcastShapes(broadcastShapes(shapes[0], shapes[1]), shapes[2]);
        const c = new Ctor(size(shapes[0])).map(() => (rng() < 0.5 ? 1 : 0));
        const a = randomArray(Ctor, size(shapes[1]), rng);
        const b = randomArray(Ctor, size(shapes[2]), rng);
        const out = new Ctor(size(outShape));
        where(c, shapes[0], a, shapes[1], b, shapes[2], out, outShape);
        const expected = Array.from(out, (_, i) => {
          const idx = unravel(i, outShape);
          return c[broadcastIndex(idx, shapes[0])] ? a[broadcastIndex(idx, shapes[1])] : b[broadcastIndex(idx, shapes[2])];
        });
        expect(Array.from(out)).toEqual(expected);
      }
    });
  }
});

describe('cast', () => {
  it('f32 → i32 truncates toward zero, → bool is x ≠ 0, i32 → f32 is exact', () => {
    const x = new Float32Array([1.7, -1.7, 0, -0.2, 3, NaN]);
    const i = new Int32Array(6);
    cast(x, i, 'i32');
    expect(Array.from(i)).toEqual([1, -1, 0, 0, 3, 0]);
    const b = new Float32Array(6);
    cast(x, b, 'bool');
    expect(Array.from(b)).toEqual([1, 1, 0, 1, 1, 1]);
    const f = new Float64Array(3);
    cast(new Int32Array([5, -7, 16777217]), f, 'f32');
    expect(Array.from(f)).toEqual([5, -7, 16777217]);
    const f32 = new Float32Array(1);
    cast(new Float64Array([0.1]), f32, 'f32');
    expect(f32[0]).toBe(Math.fround(0.1));
  });
});
